//! What the secretariat arranges around a meeting: its status (held, cancelled) and the room and
//! catering checklist (T6); and the meeting as an .ics file for anyone who may read it.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::meetings::calendar_event;
use crate::domain::access::Viewer;
use crate::domain::ical;
use crate::domain::meeting_codes::ChecklistItem;
use crate::domain::meeting_codes::MeetingStatus;
use crate::state::AppState;
use crate::store::meetings;
use crate::web::api::{ApiError, ApiUser};
use crate::web::auth::{Ctx, CurrentUser};
use crate::web::error::AppError;

#[derive(Deserialize)]
pub struct ChecklistForm {
    item: String,
    #[serde(default, deserialize_with = "crate::web::forms::checkbox")]
    done: bool,
}

/// POST /moeder/{id}/tjekliste (T6)
pub async fn checklist(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<ChecklistForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let item = ChecklistItem::parse(&form.item)
        .ok_or_else(|| AppError::BadRequest("Ukendt punkt på mødets tjekliste.".into()))?;
    if !meetings::set_checklist_item(&state.db, id, item, form.done).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/moeder/{id}#tjekliste")).into_response())
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

/// POST /moeder/{id}/status (held or cancelled)
pub async fn set_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let status = MeetingStatus::parse(&form.status).filter(|s| *s != MeetingStatus::Cancelled).ok_or_else(|| {
        AppError::BadRequest("Ukendt status. Et møde aflyses med en begrundelse under «Ret mødet».".into())
    })?;
    let meeting = meetings::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if meeting.status == MeetingStatus::Cancelled {
        return Err(AppError::BadRequest("Et aflyst møde kan ikke genoptages; planlæg et nyt møde.".into()));
    }
    meetings::set_status(&state.db, &ctx.actor(), id, status).await?;
    Ok(Redirect::to(&format!("/moeder/{id}")).into_response())
}

/// GET /moeder/{id}/kalender.ics (T7 neighbours: the meeting in the person's own calendar). Answers the
/// session, and the API token the meeting's `ics_url` came with (`Authorization: Bearer`).
pub async fn ics(
    State(state): State<AppState>,
    headers: HeaderMap,
    bearer: Result<ApiUser, ApiError>,
    session: Option<CurrentUser>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = if headers.contains_key(header::AUTHORIZATION) {
        match bearer {
            Ok(user) => user.0.scope(),
            Err(e) => return Ok(e.into_response()),
        }
    } else {
        match session {
            Some(user) => user.scope(),
            None => return Err(AppError::SignInRequired { back_to: format!("/moeder/{id}/kalender.ics") }),
        }
    };
    let meeting = meetings::readable(&state.db, id, scope).await?.ok_or(AppError::NotFound)?;
    let body = ical::calendar("Samarbejdsrum", &[calendar_event(&meeting, &state.config)], &[], state.clock.now());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"moede-{id}.ics\"")),
        ],
        body,
    )
        .into_response())
}
