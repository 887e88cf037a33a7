//! The commands on a change request (C1, C2): propose or register one, edit it, move it a step, escalate
//! it to the board and record the board's outcome. Who waits on each: a member's proposal waits for
//! the group's secretariat to describe it; every step is news to the person who proposed it, with what
//! comes next; an escalation waits for the board; the board's outcome waits for the group's secretariat.

use chrono::Datelike;

use crate::domain::calendar::local_date;
use crate::domain::change_requests::{RequestInput, Status, Stepper};
use crate::domain::ids::{ChangeRequestId, EscalationId};
use crate::domain::notifications::MailKind;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::change_requests::{self as register, Detail};
use crate::store::groups::Group;
use crate::store::handoffs::{Handoff, To};

/// C1: a new request, numbered for the year. A member's idea is handed to the group's secretariat to
/// describe and prioritise; the secretariat's own registration tells nobody.
pub async fn propose(
    state: &AppState,
    actor: &Actor,
    group: &Group,
    by_secretariat: bool,
    input: &RequestInput,
) -> super::Result<i64> {
    let now = state.clock.now();
    let told = if by_secretariat { None } else { Some(proposed(state, actor, group, input)?) };
    let (id, _) =
        register::create(&state.db, actor, group.id, local_date(now).year(), input, told.as_ref(), now).await?;
    Ok(id)
}

/// C1: the secretariat's edit of every field but the status.
pub async fn update(state: &AppState, actor: &Actor, request: &Detail, input: &RequestInput) -> super::Result<()> {
    Ok(register::update(&state.db, actor, request.id, input).await?)
}

/// C1: one step forward by the secretariat, with a note for the history; the proposer is told.
pub async fn step(state: &AppState, actor: &Actor, request: &Detail, to: Status, note: &str) -> super::Result<()> {
    let told = match request.submitted_by_id {
        Some(person_id) => Some(stepped(state, actor, request, person_id, to, note)?),
        None => None,
    };
    let now = state.clock.now();
    Ok(register::step(&state.db, actor, request.id, to, note, Stepper::Secretariat, told.as_ref(), now).await?)
}

/// C2: escalates the request to the board, who are told why; returns the escalation.
pub async fn escalate(state: &AppState, actor: &Actor, request: &Detail, reason: &str) -> super::Result<i64> {
    let link = format!("{}/aendringsoensker/{}", state.config.base_url(), request.id);
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Til Bestyrelsen: ændringsønske {} {}", request.reference, request.title),
        happened: format!(
            "{} fra sekretariatet har eskaleret ændringsønske {} «{}» fra {} til Bestyrelsen, fordi værdien er \
             utilstrækkeligt dokumenteret eller omstridt (C2). Begrundelsen:",
            actor.label, request.reference, request.title, request.group_name
        ),
        quote: reason,
        todo: "Tag stilling til ændringsønsket på Bestyrelsens næste møde; sekretariatet registrerer udfaldet.",
        by: None,
        link: &link,
        link_text: "Se ændringsønsket",
    })?;
    let told = Handoff { kind: MailKind::Escalation, to: To::Board, mail };
    Ok(register::escalate(&state.db, actor, request.id, reason, &told, state.clock.now()).await?)
}

/// C2: the board's outcome of an escalation; the group's secretariat is told, to carry it into the
/// request and the roadmap.
pub async fn record_outcome(
    state: &AppState,
    actor: &Actor,
    request: &Detail,
    escalation: EscalationId,
    outcome: &str,
) -> super::Result<()> {
    let link = format!("{}/aendringsoensker/{}#historik", state.config.base_url(), request.id);
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Bestyrelsens udfald: ændringsønske {} {}", request.reference, request.title),
        happened: format!(
            "{} har registreret Bestyrelsens udfald af eskaleringen af ændringsønske {} «{}» fra {}:",
            actor.label, request.reference, request.title, request.group_name
        ),
        quote: outcome,
        todo: "Ret ændringsønskets status efter udfaldet, og fortæl gruppen om det på dens næste møde (C1, C2).",
        by: None,
        link: &link,
        link_text: "Se ændringsønsket",
    })?;
    let told =
        Handoff { kind: MailKind::EscalationDecided, to: To::Secretariat { group_id: Some(request.group_id) }, mail };
    let now = state.clock.now();
    Ok(register::record_outcome(&state.db, actor, ChangeRequestId(request.id), escalation, outcome, &told, now).await?)
}

/// C1: the group's secretariat learns of a member's idea, which waits for them to describe it.
fn proposed(state: &AppState, actor: &Actor, group: &Group, input: &RequestInput) -> super::Result<Handoff> {
    let link = format!("{}/grupper/{}/aendringsoensker?status=idea", state.config.base_url(), group.slug);
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Nyt ændringsønske i {}: {}", group.name, input.title),
        happened: format!(
            "{} har stillet et ændringsønske i {}: «{}». Det står som idé, indtil sekretariatet har beskrevet \
             det. Forretningsbehovet, som det er skrevet:",
            actor.label, group.name, input.title
        ),
        quote: &input.business_need,
        todo: "Beskriv ændringsønsket med forslagsstilleren: forretningsbehov, værdi, hvem det gavner og prioritet, \
               og flyt det videre, når det er beskrevet (C1).",
        by: None,
        link: &link,
        link_text: "Se gruppens nye idéer",
    })?;
    Ok(Handoff { kind: MailKind::ChangeRequestProposed, to: To::Secretariat { group_id: Some(group.id) }, mail })
}

/// C1: the proposer learns the request's new status, the secretariat's note, and what comes next.
fn stepped(
    state: &AppState,
    actor: &Actor,
    request: &Detail,
    proposer: i64,
    to: Status,
    note: &str,
) -> super::Result<Handoff> {
    let link = format!("{}/aendringsoensker/{}#historik", state.config.base_url(), request.id);
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Dit ændringsønske {} er nu: {}", request.reference, to.label()),
        happened: format!(
            "{} har flyttet dit ændringsønske {} «{}» i {} fra «{}» til «{}»{}",
            actor.label,
            request.reference,
            request.title,
            request.group_name,
            request.status.label(),
            to.label(),
            if note.trim().is_empty() { "." } else { " med denne bemærkning:" }
        ),
        quote: note,
        todo: to.what_next(),
        by: None,
        link: &link,
        link_text: "Se ændringsønsket",
    })?;
    Ok(Handoff { kind: MailKind::ChangeRequestStatus, to: To::Person { person_id: proposer }, mail })
}
