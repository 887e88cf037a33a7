//! Members' written requests for agenda items (A3): who sees which, the form, and whether a new
//! request would be late.

use super::PageContext;
use crate::domain::agenda_workflow::Actor as AgendaActor;
use crate::domain::calendar::local_date;
use crate::domain::deadlines::{meeting_deadlines, request_is_late};
use crate::domain::document_codes::RequestStatus;
use crate::store::agendas;
use crate::text;

pub struct RequestView {
    pub id: i64,
    pub requester: String,
    pub title: String,
    pub description: String,
    pub wanted_decision: String,
    pub submitted: String,
    pub late: bool,
    pub status: &'static str,
    pub pending: bool,
    pub reason: String,
}

#[derive(Default, Clone, serde::Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub wanted_decision: String,
}

pub struct RequestsPanel {
    pub requests: Vec<RequestView>,
    /// The A3 deadline, as the form states it.
    pub items_due: String,
    pub late_now: bool,
}

/// The secretariat and the chair see every request; anyone else their own.
pub fn build(cx: &PageContext<'_>, requests: Vec<agendas::Request>) -> RequestsPanel {
    let sees_all = matches!(cx.actor, AgendaActor::Secretariat | AgendaActor::Chair);
    let requests = requests
        .into_iter()
        .filter(|r| sees_all || r.requested_by == cx.person_id)
        .map(|r| RequestView {
            id: r.id,
            requester: r.requester,
            title: r.title,
            description: r.description,
            wanted_decision: r.wanted_decision,
            submitted: text::datetime(r.submitted_at),
            late: r.late,
            status: r.status.label(),
            pending: r.status == RequestStatus::Pending,
            reason: r.decision_reason,
        })
        .collect();
    let starts_at = cx.meeting.starts_at;
    RequestsPanel {
        requests,
        items_due: text::date(meeting_deadlines(&cx.cal, &cx.settings, local_date(starts_at)).agenda_items_due),
        late_now: request_is_late(&cx.cal, &cx.settings, starts_at, cx.now),
    }
}
