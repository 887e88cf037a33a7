//! The meeting's deadlines with their states (D3), on the meeting page and the secretariat's
//! overview of every group's deadlines.

use chrono::{DateTime, Utc};

use crate::domain::calendar::WorkingCalendar;
use crate::domain::deadlines::{
    DeadlineKind, DeadlineSettings, DeadlineState, DeadlineStatus, StepsDone, meeting_deadline_states,
};
use crate::text;

pub struct DeadlineLine {
    pub rule: &'static str,
    pub label: &'static str,
    pub due: String,
    pub state_label: &'static str,
    pub state_class: &'static str,
}

/// D3: the deadlines of a meeting starting at `starts_at`, given the steps already done.
pub fn lines(
    cal: &WorkingCalendar,
    settings: &DeadlineSettings,
    starts_at: DateTime<Utc>,
    done: StepsDone,
    now: DateTime<Utc>,
) -> Vec<DeadlineLine> {
    lines_of(&meeting_deadline_states(cal, settings, starts_at, done, now))
}

/// D3: the lines of deadline states already worked out (`domain::deadlines::meeting_deadline_states`).
pub fn lines_of(states: &[DeadlineStatus]) -> Vec<DeadlineLine> {
    states
        .iter()
        .map(|d| {
            let closed_for_items = d.kind == DeadlineKind::AgendaItemsDue && d.state == DeadlineState::Met;
            DeadlineLine {
                rule: d.kind.rule(),
                label: d.kind.label(),
                due: text::date(d.due),
                state_label: if closed_for_items { "Lukket" } else { d.state.label() },
                state_class: if closed_for_items { "badge-muted" } else { d.state.css_class() },
            }
        })
        .collect()
}
