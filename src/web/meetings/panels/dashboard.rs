//! Below a readable agenda: the change requests the secretariat selected for the meeting, by roadmap
//! initiative and marked when not ready (A7), and the group's dashboard of operations, budget and open
//! actions (A8). A published agenda shows the snapshot it kept when it was published.

use chrono::{DateTime, Datelike, Utc};

use super::PageContext;
use crate::domain::agenda_snapshot::{AgendaSnapshot, CrView, Dashboard, InitiativeBlock, SnapshotUnreadable};
use crate::domain::calendar::local_date;
use crate::domain::change_requests::{self as cr, AgendaPurpose};
use crate::state::AppState;
use crate::store::agendas::Agenda;
use crate::store::meeting_page::{self, LiveRegisters};
use crate::store::meetings::Meeting;
use crate::store::registers;
use crate::text;
use crate::web::error::AppError;

/// A7 and A8 as the agenda shows them: the snapshot of a published agenda, otherwise the registers now
/// (`live`, read with the page while the agenda has no snapshot). A snapshot that cannot be read is
/// an error, never quietly replaced by today's registers: the participants must see what was sent.
pub fn build(
    cx: &PageContext<'_>,
    agenda: &Agenda,
    snapshot: &Result<Option<AgendaSnapshot>, SnapshotUnreadable>,
    live: Option<LiveRegisters>,
) -> Result<AgendaSnapshot, AppError> {
    match snapshot {
        Ok(Some(kept)) => return Ok(kept.clone()),
        Ok(None) => {}
        Err(e) => return Err(AppError::Internal(anyhow::anyhow!("agenda {}: {e}", agenda.id))),
    }
    let mut now = view(live.unwrap_or_default(), cx.now);
    now.taken_at = None;
    Ok(now)
}

/// The registers now, for the snapshot a published agenda keeps: the requests selected for the meeting,
/// operations of the three months before it, the budget of its year, the actions open today.
pub async fn live(
    state: &AppState,
    meeting: &Meeting,
    group_id: i64,
    now: DateTime<Utc>,
) -> Result<AgendaSnapshot, AppError> {
    let db = &state.db;
    let meeting_day = local_date(meeting.starts_at);
    let (change_requests, open_actions, operational, budget) = tokio::try_join!(
        registers::agenda_change_requests(db, meeting.id),
        registers::open_actions(db, group_id),
        registers::operational_status(db, group_id, meeting_page::operations_since(meeting_day)),
        registers::budget_of(db, group_id, meeting_day.year()),
    )?;
    Ok(view(LiveRegisters { change_requests, open_actions, operational, budget }, now))
}

/// The registers' rows as the agenda shows them, taken at `now`.
fn view(rows: LiveRegisters, now: DateTime<Utc>) -> AgendaSnapshot {
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
