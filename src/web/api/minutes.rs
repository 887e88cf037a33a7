//! The minutes and their registers over the API (R1-R5, C4), with the pages' read rules: the group
//! and the secretariat read minutes from their sending on and see comments; others who may read the
//! group only approved minutes (O5, in SQL through the group's scope).

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::responses::{NotFound, Unauthorized};
use super::{ApiError, ApiPath, ApiUser};
use crate::domain::access::GroupRole;
use crate::domain::agenda_workflow::Actor;
use crate::domain::calendar::local_date;
use crate::domain::composition::SeatStatus;
use crate::domain::minutes::{self, ActionStatus, EntryKind, MinutesStatus, Outcome, Resolution};
use crate::state::AppState;
use crate::store::{self, actions as register, groups, memberships};

#[derive(Serialize, ToSchema)]
pub struct EntryJson {
    id: i64,
    kind: EntryKind,
    text: String,
    #[schema(required)]
    outcome: Option<Outcome>,
    #[schema(required)]
    owner_id: Option<i64>,
    #[schema(required)]
    owner_name: Option<String>,
    #[schema(required)]
    due_on: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct CommentJson {
    id: i64,
    author: String,
    body: String,
    received_at: DateTime<Utc>,
    #[schema(required)]
    resolution: Option<Resolution>,
    reply: String,
}

#[derive(Serialize, ToSchema)]
pub struct MinutesItemJson {
    id: i64,
    /// The agenda's numbering; an item not on the agenda is numbered on after the agenda's last.
    number: String,
    title: String,
    is_decision_item: bool,
    body: String,
    entries: Vec<EntryJson>,
    /// Only for the group's members and the secretariat (R3).
    comments: Vec<CommentJson>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = Minutes)]
pub struct MinutesJson {
    meeting_id: i64,
    status: MinutesStatus,
    version: i32,
    #[schema(required)]
    sent_at: Option<DateTime<Utc>>,
    /// R3: the last local date for comments, once sent.
    #[schema(required)]
    comments_close_on: Option<NaiveDate>,
    #[schema(required)]
    worked_in_at: Option<DateTime<Utc>>,
    #[schema(required)]
    approved_at: Option<DateTime<Utc>>,
    party_summary: String,
    items: Vec<MinutesItemJson>,
    #[schema(format = "uri")]
    url: String,
}

/// The caller's relation to a group, as the pages compute it.
/// The reader's part in the minutes' group (R2-R4), from its live members (read with the minutes).
fn actor_among(user: &ApiUser, members: &[memberships::Member]) -> Actor {
    if user.0.viewer().is_secretariat() {
        return Actor::Secretariat;
    }
    let role =
        members.iter().find(|m| m.person_id == user.0.person_id && m.status == SeatStatus::Active).map(|m| m.role);
    match role {
        Some(GroupRole::Chair) => Actor::Chair,
        Some(GroupRole::Secretariat) => Actor::Secretariat,
        Some(_) => Actor::Member,
        None => Actor::Other,
    }
}

/// A meeting's minutes with items, entries and (for the group) comments.
///
/// The group's members and the secretariat, from the sending on; anyone who may read the group, once approved.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/minutes", operation_id = "getMinutes", tag = "minutes",
    params(("id" = i64, Path, description = "The meeting's id.")),
    responses(
        (status = 200, description = "The minutes.", body = MinutesJson),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MinutesJson>, ApiError> {
    // The minutes and their parts as the page reads them (kept between views, `store::read_cache`).
    let kept = store::minutes_page::view(
        &state.db,
        &state.kept.minutes_pages,
        &state.kept.meeting_readers,
        id,
        user.0.scope(),
        user.0.read_version,
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    let actor = actor_among(&user, &kept.members);
    let store::minutes_page::MinutesPageData { minutes: m, items, entries, comments, .. } = kept.data.clone();
    let m = m.ok_or(ApiError::NotFound)?;
    if !minutes::can_read(m.status, actor) {
        return Err(ApiError::NotFound);
    }
    let comments = if minutes::can_read_comments(actor) { comments } else { Vec::new() };
    let comments_close_on = match m.sent_at {
        Some(sent) => {
            let cal = state.calendar.get(&state.db).await?;
            Some(minutes::window(&cal, &state.config.deadline_settings(), local_date(sent)).closes_on)
        }
        None => None,
    };
    let items = items
        .into_iter()
        .map(|i| MinutesItemJson {
            entries: entries
                .iter()
                .filter(|e| e.minutes_item_id == i.id)
                .map(|e| EntryJson {
                    id: e.id,
                    kind: e.kind,
                    text: e.text.clone(),
                    outcome: e.outcome,
                    owner_id: e.owner_id,
                    owner_name: e.owner_name.clone(),
                    due_on: e.due_on,
                })
                .collect(),
            comments: comments
                .iter()
                .filter(|c| c.minutes_item_id == Some(i.id))
                .map(|c| CommentJson {
                    id: c.id,
                    author: c.author.clone(),
                    body: c.body.clone(),
                    received_at: c.received_at,
                    resolution: c.resolution,
                    reply: c.reply.clone(),
                })
                .collect(),
            id: i.id,
            number: i.number,
            title: i.title,
            is_decision_item: i.is_decision_item,
            body: i.body,
        })
        .collect();
    Ok(Json(MinutesJson {
        url: format!("{}/moeder/{id}/referat", state.config.base_url()),
        meeting_id: id,
        status: m.status,
        version: m.version,
        sent_at: m.sent_at,
        comments_close_on,
        worked_in_at: m.worked_in_at,
        approved_at: m.approved_at,
        party_summary: m.party_summary,
        items,
    }))
}

#[derive(Serialize, ToSchema)]
#[schema(as = Decision)]
pub struct DecisionJson {
    id: i64,
    meeting_id: i64,
    decided_on: NaiveDate,
    text: String,
    #[schema(required)]
    outcome: Option<Outcome>,
    #[schema(required)]
    responsible: Option<String>,
    /// The minutes item the decision came from (R5).
    #[schema(required)]
    minutes_item_id: Option<i64>,
}

/// A group's decisions register, newest first (R5).
///
/// Any token holder who may read the group.
#[utoipa::path(get, path = "/api/v1/groups/{id}/decisions", operation_id = "listDecisions", tag = "minutes",
    params(("id" = i64, Path, description = "The group's id.")),
    responses(
        (status = 200, description = "The decisions.", body = Vec<DecisionJson>),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
pub async fn decisions(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<DecisionJson>>, ApiError> {
    groups::readable(&state.db, groups::GroupKey::Id(id), user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    let filter = register::DecisionFilter { group_id: Some(id), ..Default::default() };
    let rows = register::decisions(&state.db, user.0.scope(), &filter).await?;
    Ok(Json(
        rows.into_iter()
            .map(|d| DecisionJson {
                id: d.id,
                meeting_id: d.meeting_id,
                decided_on: d.decided_on,
                text: d.text,
                outcome: d.outcome,
                responsible: d.responsible,
                minutes_item_id: d.minutes_item_id,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
#[schema(as = Action)]
pub struct ActionJson {
    id: i64,
    #[schema(required)]
    meeting_id: Option<i64>,
    title: String,
    owner_id: i64,
    owner: String,
    due_on: NaiveDate,
    status: ActionStatus,
    note: String,
    /// Open and past its due date (C4).
    overdue: bool,
    /// The minutes item the action came from (R5).
    #[schema(required)]
    minutes_item_id: Option<i64>,
}

/// A group's action list, open actions first by due date (C4).
///
/// Any token holder who may read the group.
#[utoipa::path(get, path = "/api/v1/groups/{id}/actions", operation_id = "listActions", tag = "minutes",
    params(("id" = i64, Path, description = "The group's id.")),
    responses(
        (status = 200, description = "The actions.", body = Vec<ActionJson>),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
pub async fn actions(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<ActionJson>>, ApiError> {
    groups::readable(&state.db, groups::GroupKey::Id(id), user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    let today = local_date(state.clock.now());
    let rows = register::actions(&state.db, user.0.scope(), Some(id)).await?;
    Ok(Json(
        rows.into_iter()
            .map(|a| ActionJson {
                overdue: minutes::is_overdue(a.status, a.due_on, today),
                id: a.id,
                meeting_id: a.meeting_id,
                title: a.title,
                owner_id: a.owner_id,
                owner: a.owner,
                due_on: a.due_on,
                status: a.status,
                note: a.note,
                minutes_item_id: a.minutes_item_id,
            })
            .collect(),
    ))
}
