//! The panels of the meeting page. The page reads everything in one statement (`store::meeting_page`);
//! each panel turns its part into what its part of templates/meetings/show.html shows,
//! without touching the database. What several need (the meeting, the person's relation, the working
//! calendar) comes in a `PageContext`.

pub mod agenda;
pub mod attendance;
pub mod dashboard;
pub mod deadlines;
pub mod requests;

use chrono::{DateTime, Utc};

use crate::domain::agenda_workflow::Actor as AgendaActor;
use crate::domain::calendar::WorkingCalendar;
use crate::domain::deadlines::DeadlineSettings;
use crate::store::meetings::Meeting;

/// What the page reads once per request and hands to every panel.
pub struct PageContext<'a> {
    pub meeting: &'a Meeting,
    pub person_id: i64,
    pub actor: AgendaActor,
    pub cal: WorkingCalendar,
    pub settings: DeadlineSettings,
    pub now: DateTime<Utc>,
}
