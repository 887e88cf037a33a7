//! Meetings over the API (T1-T3, D2, D3): plan a meeting; read it with its deadlines as local dates.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{ApiError, ApiUser};
use crate::domain::access::Viewer;
use crate::domain::calendar::local_date;
use crate::domain::deadlines::meeting_deadlines;
use crate::domain::input;
use crate::state::AppState;
use crate::store::{calendar, groups, meetings};

#[derive(Deserialize)]
pub struct NewMeetingJson {
    kind: String,
    starts_at: DateTime<FixedOffset>,
    ends_at: DateTime<FixedOffset>,
    format: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    online_link: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    cycle_number: Option<i16>,
}

#[derive(Serialize)]
pub struct Deadlines {
    agenda_items_due: NaiveDate,
    agenda_to_chair_due: NaiveDate,
    agenda_published_due: NaiveDate,
    minutes_due: NaiveDate,
}

#[derive(Serialize)]
pub struct MeetingJson {
    id: i64,
    group_id: Option<i64>,
    kind: String,
    title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    format: String,
    location: String,
    online_link: String,
    cycle_number: Option<i16>,
    status: String,
    deadlines: Deadlines,
    ics_url: String,
}

async fn meeting_json(state: &AppState, m: meetings::Meeting) -> Result<MeetingJson, ApiError> {
    let cal = calendar::working_calendar(&state.db).await?;
    let d = meeting_deadlines(&cal, &state.config.deadline_settings(), local_date(m.starts_at));
    Ok(MeetingJson {
        ics_url: format!("{}/moeder/{}/kalender.ics", state.config.base_url(), m.id),
        deadlines: Deadlines {
            agenda_items_due: d.agenda_items_due,
            agenda_to_chair_due: d.agenda_to_chair_due,
            agenda_published_due: d.agenda_published_due,
            minutes_due: d.minutes_due,
        },
        id: m.id,
        group_id: m.group_id,
        kind: m.kind,
        title: m.title,
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        format: m.format,
        location: m.location,
        online_link: m.online_link,
        cycle_number: m.cycle_number,
        status: m.status,
    })
}

/// POST /api/v1/groups/{id}/meetings (secretariat)
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Path(group_id): Path<i64>,
    body: Result<Json<NewMeetingJson>, JsonRejection>,
) -> Result<(StatusCode, Json<MeetingJson>), ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    groups::readable_by_id(&state.db, group_id, user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    let mut invalid = Vec::new();
    if !matches!(body.kind.as_str(), "ordinary" | "working" | "staff_group" | "board") {
        invalid.push(("kind", "Mødetypen skal være ordinary, working, staff_group eller board.".to_owned()));
    }
    if !matches!(body.format.as_str(), "physical" | "online" | "hybrid") {
        invalid.push(("format", "Formen skal være physical, online eller hybrid.".to_owned()));
    }
    if body.ends_at <= body.starts_at {
        invalid.push(("ends_at", "Mødet skal slutte efter det begynder.".to_owned()));
    }
    if body.cycle_number.is_some_and(|n| !(1..=4).contains(&n)) {
        invalid.push(("cycle_number", "Møde I-IV angives som 1-4.".to_owned()));
    }
    if !(input::FIRST_YEAR..=input::LAST_YEAR).contains(&body.starts_at.year()) {
        invalid.push(("starts_at", "Mødet skal ligge mellem år 1900 og 2200.".to_owned()));
    }
    let title = input::one_line(&body.title, 200).map_err(|m| invalid.push(("title", m))).unwrap_or_default();
    let location = input::one_line(&body.location, 200).map_err(|m| invalid.push(("location", m))).unwrap_or_default();
    let online_link =
        input::web_link(&body.online_link).map_err(|m| invalid.push(("online_link", m))).unwrap_or_default();
    if !invalid.is_empty() {
        return Err(ApiError::Invalid(invalid));
    }
    let new = meetings::NewMeeting {
        group_id,
        kind: body.kind,
        title,
        starts_at: body.starts_at.with_timezone(&Utc),
        ends_at: body.ends_at.with_timezone(&Utc),
        format: body.format,
        location,
        online_link,
        cycle_number: body.cycle_number,
    };
    let id = meetings::create(&state.db, &user.actor(), &new).await?;
    let meeting = meetings::get(&state.db, id).await?.ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(meeting_json(&state, meeting).await?)))
}

/// GET /api/v1/meetings/{id}: the meeting with its deadlines (the last local date each step is on time).
pub async fn get(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<MeetingJson>, ApiError> {
    let meeting = meetings::readable(&state.db, id, user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(meeting_json(&state, meeting).await?))
}
