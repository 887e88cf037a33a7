//! Closing an action (C4): its owner, or the secretariat that keeps the action list, closes it as done or
//! dropped with a note. Who waits: an owner whose action someone else closed learns it is no longer
//! theirs, and why.

use crate::domain::minutes::{self, ActionStatus, Denied};
use crate::domain::notifications::MailKind;
use crate::domain::refusal::Refusal;
use crate::mail;
use crate::state::AppState;
use crate::store;
use crate::store::actions::{self as register, ActionRow};
use crate::store::audit::Actor;
use crate::store::handoffs::{Handoff, To};

/// C4: closes `action` as done or dropped. `Denied::NotYours` for anyone but its owner and the
/// secretariat; a refusal for an action closed already or a status that does not close it.
pub async fn close(
    state: &AppState,
    actor: &Actor,
    action: &ActionRow,
    by_secretariat: bool,
    status: ActionStatus,
    note: &str,
) -> super::Result<Result<(), Denied>> {
    let is_owner = actor.person_id == Some(action.owner_id);
    if let Err(denied) = minutes::may_close_action(action.status, is_owner, by_secretariat) {
        return Ok(Err(denied));
    }
    if !matches!(status, ActionStatus::Done | ActionStatus::Cancelled) {
        return Ok(Err(Denied::Refused(Refusal::new("C4", "Vælg udført eller droppet."))));
    }
    let link = format!("{}/aktioner#aktion-{}", state.config.base_url(), action.id);
    let closed = if status == ActionStatus::Done { "lukket som udført" } else { "droppet" };
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Din aktion er {closed}: {}", action.title),
        happened: format!(
            "{} har {closed} din aktion «{}» i {}{}",
            actor.label,
            action.title,
            action.group_name,
            if note.trim().is_empty() { "." } else { " med denne note:" }
        ),
        quote: note,
        todo: "Du skal ikke gøre mere ved aktionen. Er det en fejl, så skriv til sekretariatet.",
        by: None,
        link: &link,
        link_text: "Se aktionerne",
    })?;
    let told = Handoff { kind: MailKind::ActionClosed, to: To::Person { person_id: action.owner_id }, mail };
    match register::close(&state.db, actor, action.id, status, note, &told, state.clock.now()).await {
        Err(store::Error::NotFound) => Ok(Err(Denied::Refused(Refusal::new("C4", "Aktionen er allerede lukket.")))),
        done => done.map(Ok).map_err(Into::into),
    }
}
