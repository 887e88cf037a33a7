//! Participants and apologies (T4, T5, M5): the group's members with their attendance, and the
//! person's own apology if they have sent one.

use crate::domain::access::GroupRole;
use crate::domain::composition::SeatStatus;
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
}

fn attendance_status(status: Option<&str>) -> &'static str {
    match status {
        Some("attended") => "Deltog",
        Some("absent") => "Fraværende",
        Some("apology") => "Afbud",
        Some("invited") | None => "",
        Some(_) => "",
    }
}

/// `own_active` is the person's approved membership of the group, if any.
/// `rows` are the meeting's seats as `attendance::for_meeting` reads them.
pub fn build(rows: Vec<attendance::Line>, own_active: Option<&memberships::Member>) -> AttendancePanel {
    let my_apology = own_active.and_then(|m| {
        rows.iter().find(|l| l.membership_id == m.membership_id && l.status.as_deref() == Some("apology")).map(|l| {
            let when = l.apology_at.map(text::datetime).unwrap_or_default();
            if l.apology_late {
                format!("Du meldte afbud {when} – mindre end en uge før mødet (T4).")
            } else {
                format!("Du meldte afbud {when}.")
            }
        })
    });
    let lines = rows
        .into_iter()
        .map(|l| AttendanceLine {
            membership_id: l.membership_id,
            name: l.name,
            party: l.party_name.unwrap_or_default(),
            role: GroupRole::parse(&l.role).map(GroupRole::label).unwrap_or(""),
            approved: l.membership_status == SeatStatus::Active,
            status: attendance_status(l.status.as_deref()),
            attended: l.status.as_deref() == Some("attended"),
            late_apology: l.apology_late,
        })
        .collect();
    AttendancePanel { lines, my_apology }
}
