//! What members and the secretariat do around a meeting besides the agenda itself: written
//! requests for items (A3) and the secretariat's decision on them; apologies, with word to the
//! party's substitute (T4); and the record of who attended (T5).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::panels::requests::RequestForm;
use super::{answer, page, readable_meeting, refused, relation};
use crate::app;
use crate::domain::agenda_workflow::Actor as AgendaActor;
use crate::domain::ids::ItemRequestId;
use crate::domain::input;
use crate::domain::meeting_codes::AttendanceStatus;
use crate::state::AppState;
use crate::web::auth::Ctx;
use crate::web::error::AppError;
use crate::web::forms::ids_named;

/// POST /moeder/{id}/punktoensker: a member asks for an item in writing (A3); after the deadline
/// it is flagged late and waits for the secretariat's explicit decision.
pub async fn request_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<RequestForm>,
) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let relation = relation(&state, &ctx, &meeting).await?;
    if relation.actor != AgendaActor::Secretariat {
        // M5: only an approved member takes part; the domain says why anyone else may not.
        let Some(membership) = &relation.membership else { return Err(AppError::Forbidden) };
        if let Err(r) = crate::domain::composition::may_take_part_in_meetings(&membership.seat()) {
            return refused(&state, &ctx, id, r.rule, r.message).await;
        }
    }
    if form.title.trim().is_empty() {
        let mut page = page::build(&state, &ctx, id).await?;
        page.errors.add("title", "Giv punktet en overskrift.");
        page.request_form = form;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    }
    let asked = app::participation::ItemRequest {
        title: &form.title,
        description: &form.description,
        wanted_decision: &form.wanted_decision,
    };
    let done = app::participation::request_item(&state, &ctx.actor(), ctx.user.person_id, &meeting, &asked).await;
    answer(&state, &ctx, id, done.map(|_| ()), "punktoensker").await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    decision: String,
    #[serde(default)]
    reason: String,
}

/// POST /moeder/{id}/punktoensker/{request}: the secretariat accepts (onto the draft) or declines
/// with a reason.
pub async fn decide_request(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, request)): Path<(i64, ItemRequestId)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    if relation(&state, &ctx, &meeting).await?.actor != AgendaActor::Secretariat {
        return Err(AppError::Forbidden);
    }
    let accept = match form.decision.as_str() {
        "accepter" => true,
        "afvis" => false,
        _ => return Err(AppError::BadRequest("Vælg accepter eller afvis.".into())),
    };
    let done = app::participation::decide_request(&state, &ctx.actor(), &meeting, request, accept, &form.reason).await;
    answer(&state, &ctx, id, done, "punktoensker").await
}

#[derive(Deserialize, Default)]
pub struct ApologyForm {
    #[serde(default)]
    note: String,
}

/// POST /moeder/{id}/afbud (T4): late under a week before; the party's substitute is told.
pub async fn apologise(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<ApologyForm>,
) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let relation = relation(&state, &ctx, &meeting).await?;
    let Some(membership) = relation.membership else { return Err(AppError::Forbidden) };
    let note = match input::text(&form.note, 2_000) {
        Ok(note) => note,
        Err(message) => return refused(&state, &ctx, id, "T4", message).await,
    };
    let done = app::participation::apologise(&state, &ctx.actor(), &meeting, &membership, &note).await;
    answer(&state, &ctx, id, done, "fremmoede").await
}

#[derive(Deserialize)]
pub struct StandInForm {
    /// The membership of the absent member.
    #[serde(default, rename = "for")]
    absent: String,
}

/// POST /moeder/{id}/stedfortraeder (M6, T4): a substitute confirms "Jeg deltager for X"; X is told,
/// and the secretariat sees it on the attendance list.
pub async fn stand_in(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<StandInForm>,
) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let super::Relation { membership, members, .. } = relation(&state, &ctx, &meeting).await?;
    let Some(me) = membership else { return Err(AppError::Forbidden) };
    let absent_id = form.absent.trim().parse::<i64>().map_err(|_| AppError::BadRequest("Vælg medlemmet.".into()))?;
    let absent = members.iter().find(|m| m.membership_id == absent_id).ok_or(AppError::NotFound)?;
    let done = app::participation::stand_in(&state, &ctx.actor(), &meeting, &me, absent).await;
    answer(&state, &ctx, id, done, "fremmoede").await
}

/// POST /moeder/{id}/afbud/tilbagekald (T4): the member takes part after all; the party's substitute
/// hears that they are not needed.
pub async fn withdraw_apology(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let relation = relation(&state, &ctx, &meeting).await?;
    let Some(membership) = relation.membership else { return Err(AppError::Forbidden) };
    let done = app::participation::withdraw_apology(&state, &ctx.actor(), &meeting, &membership).await;
    answer(&state, &ctx, id, done, "fremmoede").await
}

/// POST /moeder/{id}/fremmoede (T5): checked boxes attended; the rest absent (an apology stays).
pub async fn record_attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    if relation(&state, &ctx, &meeting).await?.actor != AgendaActor::Secretariat {
        return Err(AppError::Forbidden);
    }
    let attended = ids_named(&fields, "attended");
    let listed = ids_named(&fields, "listed");
    let entries: Vec<(i64, AttendanceStatus)> = listed
        .iter()
        .map(|m| (*m, if attended.contains(m) { AttendanceStatus::Attended } else { AttendanceStatus::Absent }))
        .collect();
    // M6, T2: a warning lets the secretariat go on; the page shows it beside the attendance.
    let done = app::participation::record_attendance(&state, &ctx.actor(), &meeting, &entries).await;
    answer(&state, &ctx, id, done.map(|_warnings| ()), "fremmoede").await
}
