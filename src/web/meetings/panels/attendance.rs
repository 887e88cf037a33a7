//! Participants and apologies (T4, T5, M5): the group's members with their attendance, and the
//! person's own apology if they have sent one.

use crate::domain::access::GroupRole;
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
    /// M6: who takes part for whom ("Deltager for X", "Y deltager i stedet").
    pub stand_in: String,
}

pub struct AttendancePanel {
    pub lines: Vec<AttendanceLine>,
    pub my_apology: Option<String>,
    /// M6: the absent member this person, a substitute, takes part for.
    pub my_stand_in: Option<String>,
    /// M6, T4: the apologising members of this substitute's party nobody stands in for yet
    /// (membership id, name), while the meeting has not begun.
    pub stand_in_choices: Vec<(i64, String)>,
    /// M6, T2: substitutes registered as present beside their party's full delegation.
    pub warnings: Vec<Warning>,
}

/// `rows` are the meeting's seats (`attendance::for_meeting`); `own_active` is the person's approved
/// membership of the group, if any; `before_start` whether the meeting has yet to begin.
pub fn build(
    rows: Vec<attendance::Line>,
    own_active: Option<&memberships::Member>,
    before_start: bool,
) -> AttendancePanel {
    let mine = own_active.and_then(|m| rows.iter().find(|l| l.membership_id == m.membership_id));
    let my_apology = mine.filter(|l| l.status == Some(AttendanceStatus::Apology)).map(|l| {
        let when = l.apology_at.map(text::datetime).unwrap_or_default();
        let late = if l.apology_late { " – mindre end en uge før mødet (T4)" } else { "" };
        let stand_in = l.stood_in_by.as_ref().map(|s| format!(" {s} deltager i dit sted.")).unwrap_or_default();
        format!("Du meldte afbud {when}{late}.{stand_in}")
    });
    let my_stand_in = mine.and_then(|l| l.stands_in_for.as_ref()).map(|x| format!("Du deltager i mødet for {x}."));
    let stand_in_choices = match own_active {
        Some(me) if before_start && me.role == GroupRole::Substitute && my_stand_in.is_none() => rows
            .iter()
            .filter(|l| {
                l.status == Some(AttendanceStatus::Apology)
                    && l.role != GroupRole::Substitute
                    && l.party_id.is_some()
                    && l.party_id == me.party_id
                    && l.stood_in_by.is_none()
            })
            .map(|l| (l.membership_id, l.name.clone()))
            .collect(),
        _ => Vec::new(),
    };
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
            // T5: a confirmed substitute is ticked until the secretariat records otherwise.
            attended: l.status == Some(AttendanceStatus::Attended) || (l.status.is_none() && l.stands_in_for.is_some()),
            late_apology: l.apology_late,
            stand_in: match (&l.stands_in_for, &l.stood_in_by) {
                (Some(x), _) => format!("Deltager for {x}"),
                (_, Some(s)) => format!("{s} deltager i stedet"),
                _ => String::new(),
            },
        })
        .collect();
    AttendancePanel { lines, my_apology, my_stand_in, stand_in_choices, warnings }
}
