//! Meetings over the API (T1-T3, D2, D3): plan a meeting; read it with its deadlines as local dates.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::openapi::{self, Invalid, NotFound, SecretariatWrite, Unauthorized};
use super::{ApiError, ApiUser};
use crate::domain::access::Viewer;
use crate::domain::calendar::local_date;
use crate::domain::deadlines::meeting_deadlines;
use crate::domain::input;
use crate::domain::meeting_codes::{MeetingFormat, MeetingKind, MeetingStatus};
use crate::state::AppState;
use crate::store::{groups, meetings};

#[derive(Deserialize, ToSchema)]
#[schema(as = NewMeeting)]
pub struct NewMeetingJson {
    #[schema(schema_with = openapi::group_meeting_kind)]
    kind: String,
    #[schema(examples("2027-03-31T13:00:00+02:00"))]
    starts_at: DateTime<FixedOffset>,
    ends_at: DateTime<FixedOffset>,
    #[schema(schema_with = openapi::meeting_format)]
    format: String,
    #[serde(default)]
    #[schema(default = "")]
    location: String,
    #[serde(default)]
    #[schema(default = "")]
    online_link: String,
    #[serde(default)]
    #[schema(default = "")]
    title: String,
    /// Meeting I-IV of the year.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 4)]
    cycle_number: Option<i16>,
}

/// The last local date (Europe/Copenhagen) on which each step is on time (D2, D3).
#[derive(Serialize, ToSchema)]
pub struct Deadlines {
    /// A3: members' agenda items, 10 working days before.
    agenda_items_due: NaiveDate,
    /// A1: draft to the chair (a setting, 7 working days before by default).
    agenda_to_chair_due: NaiveDate,
    /// A2: agenda published, 5 working days before.
    agenda_published_due: NaiveDate,
    /// R2: minutes sent, 5 working days after.
    minutes_due: NaiveDate,
}

#[derive(Serialize, ToSchema)]
#[schema(as = Meeting)]
pub struct MeetingJson {
    id: i64,
    #[schema(required)]
    group_id: Option<i64>,
    kind: MeetingKind,
    title: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    format: MeetingFormat,
    location: String,
    online_link: String,
    /// Meeting I-IV of the year.
    #[schema(required, minimum = 1, maximum = 4)]
    cycle_number: Option<i16>,
    status: MeetingStatus,
    deadlines: Deadlines,
    /// The meeting as an iCalendar file.
    #[schema(format = "uri")]
    ics_url: String,
}

async fn meeting_json(state: &AppState, m: meetings::Meeting) -> Result<MeetingJson, ApiError> {
    let cal = state.calendar.get(&state.db).await?;
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

/// Plan a meeting for a group.
///
/// Secretariat only.
#[utoipa::path(post, path = "/api/v1/groups/{id}/meetings", operation_id = "createMeeting", tag = "meetings",
    params(("id" = i64, Path, description = "The group's id.")),
    request_body(content = NewMeetingJson, description = "The new meeting."),
    responses(
        (status = 201, description = "The meeting with its deadlines.", body = MeetingJson),
        SecretariatWrite,
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
    )
)]
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
    let kind = MeetingKind::parse_for_group(&body.kind);
    if kind.is_none() {
        invalid.push(("kind", "Mødetypen skal være ordinary, working, staff_group eller board.".to_owned()));
    }
    let format = MeetingFormat::parse(&body.format);
    if format.is_none() {
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
    let (Some(kind), Some(format), true) = (kind, format, invalid.is_empty()) else {
        return Err(ApiError::Invalid(invalid));
    };
    let new = meetings::NewMeeting {
        group_id,
        kind,
        title,
        starts_at: body.starts_at.with_timezone(&Utc),
        ends_at: body.ends_at.with_timezone(&Utc),
        format,
        location,
        online_link,
        cycle_number: body.cycle_number,
    };
    let id = meetings::create(&state.db, &user.actor(), &new).await?;
    let meeting = meetings::get(&state.db, id).await?.ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(meeting_json(&state, meeting).await?)))
}

/// A meeting with its deadlines as local dates and its .ics URL.
///
/// Any token holder who may read the group.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", operation_id = "getMeeting", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting's id.")),
    responses(
        (status = 200, description = "The meeting.", body = MeetingJson),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<MeetingJson>, ApiError> {
    let meeting = meetings::readable(&state.db, id, user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(meeting_json(&state, meeting).await?))
}
