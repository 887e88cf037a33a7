//! Meetings over the API (T1-T3, D2, D3): plan a meeting; read it with its deadlines as local dates.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::responses::{self, Invalid, NotFound, SecretariatWrite, Unauthorized};
use super::{ApiError, ApiPath, ApiUser};
use crate::app::meetings::{self as meetings_app, Outcome};
use crate::domain::access::Viewer;
use crate::domain::calendar::local_date;
use crate::domain::deadlines::meeting_deadlines;
use crate::domain::meeting_codes::{MeetingFormat, MeetingKind, MeetingStatus};
use crate::domain::meeting_input;
use crate::domain::meeting_input::MeetingInput;
use crate::state::AppState;
use crate::store::{groups, meetings};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewMeeting)]
pub struct NewMeetingJson {
    #[schema(schema_with = responses::group_meeting_kind)]
    kind: String,
    /// RFC 3339 with an offset, in the years 1900-2200.
    #[schema(format = DateTime, examples("2027-03-31T13:00:00+02:00"))]
    starts_at: String,
    #[schema(format = DateTime)]
    ends_at: String,
    #[schema(schema_with = responses::meeting_format)]
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
    #[serde(deserialize_with = "super::body_values::optional_whole_number")]
    cycle_number: Option<i64>,
}

impl NewMeetingJson {
    /// The same input the forms parse.
    fn input(self) -> MeetingInput {
        MeetingInput {
            kind: self.kind,
            title: self.title,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            format: self.format,
            location: self.location,
            online_link: self.online_link,
            cycle_number: self.cycle_number.map(|n| n.to_string()).unwrap_or_default(),
            ..MeetingInput::default()
        }
    }
}

/// A meeting's new time, place, format and title; the kind stays within its family (a group's own
/// kinds, or the meetings across groups).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MeetingChange)]
pub struct MeetingChangeJson {
    #[schema(schema_with = responses::meeting_kind)]
    kind: String,
    #[schema(format = DateTime, examples("2027-04-07T13:00:00+02:00"))]
    starts_at: String,
    #[schema(format = DateTime)]
    ends_at: String,
    #[schema(schema_with = responses::meeting_format)]
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
    #[serde(default)]
    #[schema(minimum = 1, maximum = 4)]
    #[serde(deserialize_with = "super::body_values::optional_whole_number")]
    cycle_number: Option<i64>,
}

impl MeetingChangeJson {
    fn input(self) -> MeetingInput {
        NewMeetingJson {
            kind: self.kind,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            format: self.format,
            location: self.location,
            online_link: self.online_link,
            title: self.title,
            cycle_number: self.cycle_number,
        }
        .input()
    }
}

/// Why a meeting is cancelled; sent to the participants.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MeetingCancellation)]
pub struct CancelJson {
    /// Must not be blank; at most 1,000 characters.
    #[schema(examples("Forpersonen er syg; mødet holdes i stedet 7. april."), max_length = 1000)]
    reason: String,
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
    /// Why it was cancelled (empty unless `status` is `cancelled`).
    cancel_reason: String,
    /// The calendar invitation's SEQUENCE: raised by every change and by the cancellation.
    sequence: i32,
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
        cancel_reason: m.cancel_reason,
        sequence: m.sequence,
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
    ApiPath(group_id): ApiPath<i64>,
    body: Result<Json<NewMeetingJson>, JsonRejection>,
) -> Result<(StatusCode, Json<MeetingJson>), ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    groups::readable(&state.db, groups::GroupKey::Id(group_id), user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    let fields = body.input().parse(&MeetingKind::GROUP_KINDS)?;
    let id = meetings_app::plan_for_group(&state, &user.actor(), group_id, fields).await?;
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
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MeetingJson>, ApiError> {
    let meeting = meetings::readable(&state.db, id, user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(meeting_json(&state, meeting).await?))
}

/// The answer when a meeting is not planned any more (cancelled or held), or changed meanwhile.
fn not_planned() -> ApiError {
    ApiError::Conflict(vec![(
        "status",
        "Mødet er aflyst eller afholdt, eller en anden har lige ændret det. Intet er gemt.".into(),
    )])
}

/// Move or change a planned meeting.
///
/// Secretariat only. Its deadlines move with it; participants who got the agenda are mailed an
/// updated calendar invitation (same UID, higher SEQUENCE).
#[utoipa::path(put, path = "/api/v1/meetings/{id}", operation_id = "updateMeeting", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting's id.")),
    request_body(content = MeetingChangeJson, description = "The meeting as it should be."),
    responses(
        (status = 200, description = "The meeting with its new deadlines.", body = MeetingJson),
        SecretariatWrite,
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: Result<Json<MeetingChangeJson>, JsonRejection>,
) -> Result<Json<MeetingJson>, ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    let before = meetings::readable(&state.db, id, user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    let fields = body.input().parse(before.kind.family())?;
    if meetings_app::change(&state, &user.actor(), &before, &fields).await? == Outcome::NotPlanned {
        return Err(not_planned());
    }
    let meeting = meetings::get(&state.db, id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(meeting_json(&state, meeting).await?))
}

/// Cancel a planned meeting with a reason.
///
/// Secretariat only. No more reminders; participants who got the agenda are mailed the
/// cancellation (METHOD:CANCEL).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/cancel", operation_id = "cancelMeeting", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting's id.")),
    request_body(content = CancelJson, description = "The reason."),
    responses(
        (status = 200, description = "The cancelled meeting.", body = MeetingJson),
        SecretariatWrite,
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: Result<Json<CancelJson>, JsonRejection>,
) -> Result<Json<MeetingJson>, ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    let before = meetings::readable(&state.db, id, user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    let reason =
        meeting_input::cancel_reason(&body.reason).map_err(|m| ApiError::Invalid(vec![("reason", m.into())]))?;
    if meetings_app::cancel(&state, &user.actor(), &before, &reason).await? == Outcome::NotPlanned {
        return Err(not_planned());
    }
    let meeting = meetings::get(&state.db, id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(meeting_json(&state, meeting).await?))
}
