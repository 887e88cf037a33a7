//! Meetings (T1-T7, Y1-Y3, A1-A8, D3): a group's year of meetings (`plan`, `sheet`), and everything
//! under /moeder/{id}: the page built from its panels (`page`, `panels`), the agenda workflow
//! (`agenda`), requests, apologies and attendance (`participation`), attachments, and the
//! secretariat's arrangements with the .ics file (`arrangements`).

pub mod agenda;
pub mod arrangements;
pub mod attachments;
pub mod changes;
pub mod downloads;
pub mod minutes;
pub mod page;
pub mod panels;
pub mod participation;
pub mod plan;
pub mod sheet;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::app;
use crate::domain::access::GroupRole;
use crate::domain::agenda_workflow::Actor as AgendaActor;
use crate::domain::composition::SeatStatus;
use crate::domain::refusal::Refusal;
use crate::state::AppState;
use crate::store::{self, meetings, memberships};
use crate::web::auth::Ctx;
use crate::web::error::AppError;

pub use crate::domain::input::Choice;

/// The person's relation to a meeting's group, for the agenda workflow and attendance.
pub struct Relation {
    pub actor: AgendaActor,
    pub membership: Option<memberships::Member>,
    /// Everyone in the group, read once for the relation and the agenda's choice of responsible.
    pub members: Vec<memberships::Member>,
}

pub async fn relation(state: &AppState, ctx: &Ctx, meeting: &meetings::Meeting) -> Result<Relation, AppError> {
    let members = match meeting.group_id {
        Some(group_id) => memberships::of_group(&state.db, group_id).await?,
        None => Vec::new(),
    };
    Ok(relation_among(ctx, members))
}

/// The person's relation, given the group's live members (read with the meeting page).
pub fn relation_among(ctx: &Ctx, members: Vec<memberships::Member>) -> Relation {
    let membership = members.iter().find(|m| m.person_id == ctx.user.person_id).cloned();
    let active_role = membership.as_ref().filter(|m| m.status == SeatStatus::Active).map(|m| m.role);
    let actor = if ctx.viewer().is_secretariat() {
        AgendaActor::Secretariat
    } else {
        match active_role {
            Some(GroupRole::Chair) => AgendaActor::Chair,
            Some(GroupRole::Secretariat) => AgendaActor::Secretariat,
            Some(_) => AgendaActor::Member,
            None => AgendaActor::Other,
        }
    };
    Relation { actor, membership, members }
}

/// The meeting, if this person may see it (O5 through its group).
pub async fn readable_meeting(state: &AppState, ctx: &Ctx, id: i64) -> Result<meetings::Meeting, AppError> {
    meetings::readable(&state.db, id, ctx.scope()).await?.ok_or(AppError::NotFound)
}

/// Back to a section of the meeting page after a change.
fn back(id: i64, anchor: &str) -> Response {
    Redirect::to(&format!("/moeder/{id}#{anchor}")).into_response()
}

/// What a command on the meeting came to, as the answer: back to the page's section when done; the page
/// again with the rule that refused it.
async fn answer(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    done: app::Result<()>,
    anchor: &str,
) -> Result<Response, AppError> {
    match done {
        Ok(()) => Ok(back(id, anchor)),
        Err(app::Error::Store(store::Error::Refused(r))) => refused(state, ctx, id, r.rule, r.message).await,
        Err(e) => Err(e.into()),
    }
}

/// A refused agenda step is 403 to a member or outsider: they are shown no such form, and the rule's
/// wording is for those who take the step.
fn theirs(who: AgendaActor, done: app::Result<()>) -> Result<app::Result<()>, AppError> {
    match done {
        Err(app::Error::Store(store::Error::Refused(_))) if matches!(who, AgendaActor::Member | AgendaActor::Other) => {
            Err(AppError::Forbidden)
        }
        done => Ok(done),
    }
}

/// Only the secretariat edits an agenda's items and chooses its change requests (A1, A7).
fn secretariat_only(who: AgendaActor) -> Result<(), AppError> {
    if who == AgendaActor::Secretariat { Ok(()) } else { Err(AppError::Forbidden) }
}

/// The meeting page again, with a refusal, at 422.
async fn refused(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    rule: &'static str,
    message: impl Into<String>,
) -> Result<Response, AppError> {
    let mut page = page::build(state, ctx, id).await?;
    page.refusal = Some(Refusal::new(rule, message));
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}
