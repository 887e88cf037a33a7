//! Below a readable agenda: the change requests the secretariat selected for the meeting, by roadmap
//! initiative and marked when not ready (A7), and the group's dashboard of operations, budget and open
//! actions (A8). A published agenda shows the snapshot it kept when it was published.

use super::PageContext;
use crate::app::agenda_snapshot;
use crate::domain::agenda_snapshot::{AgendaSnapshot, SnapshotUnreadable};
use crate::store::agendas::Agenda;
use crate::store::meeting_page::LiveRegisters;
use crate::web::error::AppError;

/// A7 and A8 as the agenda shows them: the snapshot of a published agenda, otherwise the registers now
/// (read with the page while the agenda has no snapshot, `app::agenda_snapshot`). A snapshot that cannot be read is
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
    let mut now = agenda_snapshot::of(live.unwrap_or_default(), cx.now);
    now.taken_at = None;
    Ok(now)
}
