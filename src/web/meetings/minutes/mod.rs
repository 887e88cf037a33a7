//! The minutes of a meeting at /moeder/{id}/referat (R1-R5): the secretariat writes them per agenda
//! item with decisions, actions and agreements, sends them for comments (R2), members comment per
//! item within the window (R3), the secretariat handles each comment and works them in (R4), and
//! approval publishes them and feeds the registers (R5). Rules are asked of `domain::minutes`.
//!
//! One file per part: `page` draws the page (and the printable minutes and approved versions),
//! `writing` is the secretariat's writing (R1), `comments` the members' comments and the secretariat's
//! answers (R3, R4), `steps` the steps from sending to approval (R2, R4, R5). What they share is here.

pub mod comments;
pub mod page;
pub mod steps;
pub mod writing;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Choice, Relation, readable_meeting, relation, relation_among};
use crate::app;
use crate::app::minutes::awaited;
use crate::domain::access::GroupRole;
use crate::domain::agenda_workflow::Actor;
use crate::domain::calendar::local_date;
use crate::domain::composition::SeatStatus;
use crate::domain::ids::{MinutesCommentId, MinutesEntryId, MinutesItemId};
use crate::domain::input;
use crate::domain::meeting_codes::AttendanceStatus;
use crate::domain::minutes::{self, Denied, EntryKind, Facts, MinutesStatus, Outcome, Resolution, Step, Window};
use crate::domain::refusal::Refusal;
use crate::state::AppState;
use crate::store::{self, attendance, meetings, minutes_page};
use crate::text;
use crate::web::auth::Ctx;
use crate::web::error::AppError;
use crate::web::forms::{FieldErrors, optional_id};
use crate::web::layout::{Layout, Nav};

use page::build;
pub use page::{Echo, MinutesPage};

/// Everything a handler needs to decide: the meeting, the person's relation, the minutes and the facts.
struct Loaded {
    meeting: meetings::Meeting,
    rel: Relation,
    minutes: Option<store::minutes::Minutes>,
    window: Option<Window>,
}

async fn load(state: &AppState, ctx: &Ctx, id: i64) -> Result<Loaded, AppError> {
    let (meeting, rel) = group_meeting(state, ctx, id).await?;
    let minutes = store::minutes::for_meeting(&state.db, id).await?;
    readable(minutes.as_ref(), rel.actor)?;
    let window = comment_window(state, minutes.as_ref()).await?;
    Ok(Loaded { meeting, rel, minutes, window })
}

/// A group's meeting the person may see, and their relation to the group; minutes belong to a group.
async fn group_meeting(state: &AppState, ctx: &Ctx, id: i64) -> Result<(meetings::Meeting, Relation), AppError> {
    let meeting = readable_meeting(state, ctx, id).await?;
    if meeting.group_id.is_none() {
        return Err(AppError::NotFound);
    }
    let rel = relation(state, ctx, &meeting).await?;
    Ok((meeting, rel))
}

/// R2-R4: who may read minutes in their status; minutes not yet started exist for the secretariat only.
fn readable(m: Option<&store::minutes::Minutes>, actor: Actor) -> Result<(), AppError> {
    match m {
        Some(m) if minutes::can_read(m.status, actor) => Ok(()),
        None if actor == Actor::Secretariat => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

/// R3, R4: the comment window of minutes that have been sent.
async fn comment_window(state: &AppState, m: Option<&store::minutes::Minutes>) -> Result<Option<Window>, AppError> {
    let Some(sent) = m.and_then(|m| m.sent_at) else { return Ok(None) };
    let cal = state.calendar.get(&state.db).await?;
    Ok(Some(minutes::window(&cal, &state.config.deadline_settings(), local_date(sent))))
}

fn choices<T: Copy>(all: &[T], value: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<Choice> {
    all.iter().map(|&x| Choice { value: value(x).to_owned(), label: label(x).to_owned() }).collect()
}

fn back(id: i64, anchor: &str) -> Response {
    Redirect::to(&format!("/moeder/{id}/referat#{anchor}")).into_response()
}

/// The page again at 422, with a refusal or field errors and the user's input.
async fn again(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    refusal: Option<Refusal>,
    errors: FieldErrors,
    echo: Echo,
) -> Result<Response, AppError> {
    let mut page = build(state, ctx, id).await?;
    page.refusal = refusal;
    page.errors = errors;
    page.echo = echo;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

async fn refused(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    rule: &'static str,
    message: impl Into<String>,
) -> Result<Response, AppError> {
    again(state, ctx, id, Some(Refusal::new(rule, message)), FieldErrors::default(), Echo::default()).await
}

/// The minutes as loaded and judged for `step`: the loaded page facts, the minutes, and the status the
/// step leads to; `Err` when the step is not this person's or the rule refuses it.
async fn checked(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    step: Step,
) -> Result<Result<(Loaded, store::minutes::Minutes, Option<MinutesStatus>), minutes::Denied>, AppError> {
    let loaded = load(state, ctx, id).await?;
    let m = loaded.minutes.clone().ok_or(AppError::NotFound)?;
    let judged = app::minutes::judge(state, &loaded.judged(&m), loaded.rel.actor, step).await?;
    Ok(judged.map(|next| (loaded, m, next)))
}

impl Loaded {
    /// What the use cases need to know of the minutes `m` of this meeting.
    fn judged<'a>(&'a self, m: &'a store::minutes::Minutes) -> app::minutes::Judged<'a> {
        app::minutes::Judged { meeting: &self.meeting, minutes: m, window: self.window, members: &self.rel.members }
    }
}

/// What a command on the minutes came to: back to the section when done, the page with the rule that
/// refused it otherwise.
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

/// Turns a denial into the answer: 403 for a step that is not the person's, the page with the rule otherwise.
async fn denied(state: &AppState, ctx: &Ctx, id: i64, d: Denied) -> Result<Response, AppError> {
    match d {
        Denied::NotYours => Err(AppError::Forbidden),
        Denied::Refused(r) => refused(state, ctx, id, r.rule, r.message).await,
    }
}
