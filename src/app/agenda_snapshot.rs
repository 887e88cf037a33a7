//! What a published agenda keeps of the group's registers (A7, A8), taken from the registers as they
//! stand: the change requests selected for the meeting by roadmap initiative, operations of the three
//! months before it, the budget of its year and the actions open today. The meeting page draws the same
//! view of the live registers until the agenda is published.

use chrono::{DateTime, Datelike, Utc};

use crate::domain::agenda_snapshot::{AgendaSnapshot, CrView, Dashboard, InitiativeBlock};
use crate::domain::calendar::local_date;
use crate::domain::change_requests::{self as cr, AgendaPurpose};
use crate::state::AppState;
use crate::store::meeting_page::{self, LiveRegisters};
use crate::store::meetings::Meeting;
use crate::store::registers;
use crate::text;

/// The registers now, for a meeting of the group `group_id`.
pub async fn take(state: &AppState, meeting: &Meeting, group_id: i64) -> super::Result<AgendaSnapshot> {
    let db = &state.db;
    let meeting_day = local_date(meeting.starts_at);
    let (change_requests, open_actions, operational, budget) = tokio::try_join!(
        registers::agenda_change_requests(db, meeting.id),
        registers::open_actions(db, group_id),
        registers::operational_status(db, group_id, meeting_page::operations_since(meeting_day)),
        registers::budget_of(db, group_id, meeting_day.year()),
    )?;
    Ok(of(LiveRegisters { change_requests, open_actions, operational, budget }, state.clock.now()))
}

/// The registers' rows as the agenda shows them, taken at `now`.
pub fn of(rows: LiveRegisters, now: DateTime<Utc>) -> AgendaSnapshot {
    let LiveRegisters { change_requests: crs, open_actions: actions, operational: ops, budget } = rows;
    let today = local_date(now);
    let mut blocks: Vec<InitiativeBlock> = Vec::new();
    for c in crs {
        let title = c.initiative.clone().unwrap_or_else(|| "Uden roadmap-initiativ".into());
        let view = CrView {
            not_ready: cr::not_ready(c.purpose, c.status, &c.not_ready_note).unwrap_or_default(),
            purpose: c.purpose.label().into(),
            for_decision: c.purpose == AgendaPurpose::Decision,
            reference: c.reference,
            title: c.title,
            need: c.business_need,
            value: c.value,
            beneficiaries: c.beneficiaries,
            status: c.status.label().into(),
        };
        match blocks.iter_mut().find(|b| b.title == title) {
            Some(b) => b.requests.push(view),
            None => blocks.push(InitiativeBlock { title, requests: vec![view] }),
        }
    }
    let dashboard = Dashboard {
        operational: ops
            .into_iter()
            .map(|o| {
                (
                    format!("{} · {}", o.solution, o.kind.label()),
                    format!("{} ({})", o.summary, text::short_date(o.reported_on)),
                )
            })
            .collect(),
        budget: budget
            .map(|b| {
                let available = b.amount + b.transferred;
                vec![
                    ("Budget inkl. overførsler".to_owned(), text::kroner(available)),
                    ("Disponeret".to_owned(), text::kroner(b.disposed)),
                    ("Forbrugt".to_owned(), text::kroner(b.spent)),
                    ("Ikke disponeret".to_owned(), text::kroner(available - b.disposed)),
                ]
            })
            .unwrap_or_default(),
        actions: actions
            .into_iter()
            .map(|a| (a.title, a.owner, text::short_date(a.due_on), a.due_on < today))
            .collect(),
    };
    AgendaSnapshot { version: AgendaSnapshot::VERSION, change_requests: blocks, dashboard, taken_at: Some(now) }
}
