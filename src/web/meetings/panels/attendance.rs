//! Participants and apologies (T4, T5, M5): the group's members with their attendance, and the
//! person's own apology if they have sent one.

use crate::domain::composition::{Presence, SeatStatus, Warning, substitutes_beside_full_delegation};
use crate::domain::meeting_codes::AttendanceStatus;
use crate::store::{attendance, memberships};
use crate::text;

pub struct AttendanceLine {
    pub membership_id: i64,
    pub name: String,
    pub party: String,
    pub role: &'static str,
    pub approved: bool,
    pub status: &'static str,
    pub attended: bool,
    pub late_apology: bool,
}

pub struct AttendancePanel {
    pub lines: Vec<AttendanceLine>,
    pub my_apology: Option<String>,
    /// M6, T2: substitutes registered as present beside their party's full delegation.
    pub warnings: Vec<Warning>,
}

/// `rows` are the meeting's seats (`attendance::for_meeting`); `own_active` is the person's approved
/// membership of the group, if any.
pub fn build(rows: Vec<attendance::Line>, own_active: Option<&memberships::Member>) -> AttendancePanel {
    let my_apology = own_active.and_then(|m| {
        rows.iter().find(|l| l.membership_id == m.membership_id && l.status == Some(AttendanceStatus::Apology)).map(
            |l| {
                let when = l.apology_at.map(text::datetime).unwrap_or_default();
                if l.apology_late {
                    format!("Du meldte afbud {when} – mindre end en uge før mødet (T4).")
                } else {
                    format!("Du meldte afbud {when}.")
                }
            },
        )
    });
    let presence: Vec<Presence> = rows.iter().map(attendance::Line::presence).collect();
    let warnings = substitutes_beside_full_delegation(&presence);
    let lines = rows
        .into_iter()
        .map(|l| AttendanceLine {
            membership_id: l.membership_id,
            name: l.name,
            party: l.party_name.unwrap_or_default(),
            role: l.role.label(),
            approved: l.membership_status == SeatStatus::Active,
            status: l.status.map(AttendanceStatus::label).unwrap_or(""),
            attended: l.status == Some(AttendanceStatus::Attended),
            late_apology: l.apology_late,
        })
        .collect();
    AttendancePanel { lines, my_apology, warnings }
}
