//! The registers a group steers by, over the API (C1-C3, B1-B3, A8): read for dashboards and the website,
//! and change requests written with the same parser, store functions and rules as the pages. A group the
//! token holder may not read (O5, M5, checked in SQL) answers 404 like a missing one.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::responses::{BadRequest, Forbidden, Invalid, NotFound, RefusedOrConflict, Unauthorized};
use super::{ApiError, ApiPath, ApiUser};
use crate::app;
use crate::domain::access::Viewer;
use crate::domain::calendar::local_date;
use crate::domain::change_requests::{Priority, RequestDraft, Status};
use crate::domain::composition::SeatStatus;
use crate::domain::input;
use crate::domain::operations::{EntryState, OperationalKind};
use crate::domain::roadmap::{Horizon, InitiativeStatus};
use crate::state::AppState;
use crate::store::{budgets, change_requests as register, groups, memberships, roadmap, solutions};

async fn readable_group(state: &AppState, user: &ApiUser, id: i64) -> Result<groups::Group, ApiError> {
    groups::readable(&state.db, groups::GroupKey::Id(id), user.0.scope()).await?.ok_or(ApiError::NotFound)
}

/// A change request in a list (C1).
#[derive(Serialize, ToSchema)]
#[schema(as = ChangeRequestSummary)]
pub struct SummaryJson {
    id: i64,
    /// The register's number, e.g. `ÆØ-2026-013`.
    reference: String,
    title: String,
    priority: Priority,
    status: Status,
    /// The status's Danish label.
    status_label: &'static str,
    /// The linked roadmap initiative's title.
    #[schema(required)]
    initiative: Option<String>,
    /// In kroner, as a decimal string.
    #[schema(value_type = Option<String>, required)]
    cost: Option<Decimal>,
}

/// A change request with every field (C1).
#[derive(Serialize, ToSchema)]
#[schema(as = ChangeRequest)]
pub struct DetailJson {
    id: i64,
    group_id: i64,
    reference: String,
    title: String,
    /// The business need: what is the point.
    need: String,
    /// The value: what good does it do.
    value: String,
    /// For whom.
    beneficiaries: String,
    priority: Priority,
    status: Status,
    status_label: &'static str,
    /// The statuses the workflow allows next (C1).
    next_statuses: Vec<Status>,
    #[schema(required)]
    initiative_id: Option<i64>,
    #[schema(required)]
    initiative: Option<String>,
    vendor_estimate: String,
    #[schema(value_type = Option<String>, required)]
    cost: Option<Decimal>,
    learning: String,
    /// A7: why it is not ready against last meeting's agreements.
    not_ready_note: String,
}

impl From<register::Detail> for DetailJson {
    fn from(c: register::Detail) -> Self {
        DetailJson {
            id: c.id,
            group_id: c.group_id,
            reference: c.reference,
            title: c.title,
            need: c.business_need,
            value: c.value,
            beneficiaries: c.beneficiaries,
            priority: c.priority,
            status_label: c.status.label(),
            next_statuses: c.status.next().to_vec(),
            status: c.status,
            initiative_id: c.initiative_id,
            initiative: c.initiative,
            vendor_estimate: c.vendor_estimate,
            cost: c.cost,
            learning: c.learning,
            not_ready_note: c.not_ready_note,
        }
    }
}

/// The change requests of a group (C1).
///
/// Any token holder who may read the group.
#[utoipa::path(get, path = "/api/v1/groups/{id}/change-requests", operation_id = "listChangeRequests",
    tag = "registers",
    params(("id" = i64, Path, description = "The group's id.")),
    responses(
        (status = 200, description = "The group's change requests by number.", body = Vec<SummaryJson>),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
pub async fn list_change_requests(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<SummaryJson>>, ApiError> {
    let group = readable_group(&state, &user, id).await?;
    let filter = register::Filter { group_id: Some(group.id), ..Default::default() };
    let rows = register::list(&state.db, user.0.scope(), &filter).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| SummaryJson {
                id: r.id,
                reference: r.reference,
                title: r.title,
                priority: r.priority,
                status_label: r.status.label(),
                status: r.status,
                initiative: r.initiative,
                cost: r.cost,
            })
            .collect(),
    ))
}

/// One change request (C1).
///
/// Any token holder who may read its group.
#[utoipa::path(get, path = "/api/v1/change-requests/{id}", operation_id = "getChangeRequest", tag = "registers",
    params(("id" = i64, Path, description = "The change request's id.")),
    responses(
        (status = 200, description = "The change request.", body = DetailJson),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
pub async fn get_change_request(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DetailJson>, ApiError> {
    let c = register::get(&state.db, id, user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(c.into()))
}

/// A change request as written (C1). A member's proposal takes `title`, `need`, `value`, `beneficiaries` and
/// `priority`; the secretariat's fields are ignored for members. The form parses the same draft.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ChangeRequestInput)]
pub struct DraftJson {
    /// Must not be blank; one line, at most 200 characters.
    #[serde(default)]
    #[schema(required, max_length = 200)]
    title: String,
    /// The business need: what is the point.
    #[serde(default)]
    #[schema(default = "")]
    need: String,
    /// The value: what good does it do.
    #[serde(default)]
    #[schema(default = "")]
    value: String,
    /// For whom.
    #[serde(default)]
    #[schema(default = "")]
    beneficiaries: String,
    /// `low`, `medium` or `high`.
    #[serde(default)]
    #[schema(value_type = Priority, required)]
    priority: String,
    /// Secretariat only: a roadmap initiative of the same group.
    #[serde(default)]
    #[serde(deserialize_with = "super::body_values::optional_whole_number")]
    initiative_id: Option<i64>,
    /// Secretariat only.
    #[serde(default)]
    #[schema(default = "")]
    vendor_estimate: String,
    /// Secretariat only: kroner, e.g. `185000.50` or `185.000,50`.
    #[serde(default)]
    cost: Option<String>,
    /// Secretariat only.
    #[serde(default)]
    #[schema(default = "")]
    learning: String,
    /// Secretariat only (A7).
    #[serde(default)]
    #[schema(default = "")]
    not_ready_note: String,
}

impl From<DraftJson> for RequestDraft {
    fn from(j: DraftJson) -> Self {
        RequestDraft {
            title: j.title,
            business_need: j.need,
            value: j.value,
            beneficiaries: j.beneficiaries,
            priority: j.priority,
            initiative_id: j.initiative_id.map(|i| i.to_string()).unwrap_or_default(),
            vendor_estimate: j.vendor_estimate,
            cost: j.cost.unwrap_or_default(),
            learning: j.learning,
            not_ready_note: j.not_ready_note,
        }
    }
}

/// C1: the secretariat, and the group's active members, may propose (as on the page).
async fn may_propose(state: &AppState, user: &ApiUser, group_id: i64) -> Result<bool, ApiError> {
    if user.viewer().is_secretariat() {
        return Ok(true);
    }
    let members = memberships::of_group(&state.db, group_id).await?;
    Ok(members.iter().any(|m| m.person_id == user.0.person_id && m.status == SeatStatus::Active))
}

/// Propose or register a change request (C1).
///
/// The secretariat, or an active member of the group (whose request starts as an idea with the first five
/// fields). A blank title is a 422 naming the field.
#[utoipa::path(post, path = "/api/v1/groups/{id}/change-requests", operation_id = "createChangeRequest",
    tag = "registers",
    params(("id" = i64, Path, description = "The group's id.")),
    request_body(content = DraftJson, description = "The new change request."),
    responses(
        (status = 201, description = "The change request, numbered for the year.", body = DetailJson),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = RefusedOrConflict),
        (status = 422, response = Invalid),
    )
)]
pub async fn create_change_request(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: Result<Json<DraftJson>, JsonRejection>,
) -> Result<(StatusCode, Json<DetailJson>), ApiError> {
    let group = readable_group(&state, &user, id).await?;
    if !may_propose(&state, &user, group.id).await? {
        return Err(ApiError::Forbidden);
    }
    let Json(body) = body?;
    let input = RequestDraft::from(body).parse(user.viewer().is_secretariat()).map_err(ApiError::Invalid)?;
    let new_id =
        app::change_requests::propose(&state, &user.actor(), &group, user.viewer().is_secretariat(), &input).await?;
    let c = register::get(&state.db, new_id, user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// Edit a change request's fields (C1); the status moves by its own operation.
///
/// Secretariat only.
#[utoipa::path(put, path = "/api/v1/change-requests/{id}", operation_id = "updateChangeRequest", tag = "registers",
    params(("id" = i64, Path, description = "The change request's id.")),
    request_body(content = DraftJson, description = "Every field of the request."),
    responses(
        (status = 200, description = "The change request as saved.", body = DetailJson),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = RefusedOrConflict),
        (status = 422, response = Invalid),
    )
)]
pub async fn update_change_request(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: Result<Json<DraftJson>, JsonRejection>,
) -> Result<Json<DetailJson>, ApiError> {
    let before = register::get(&state.db, id, user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    let input = RequestDraft::from(body).parse(true).map_err(ApiError::Invalid)?;
    app::change_requests::update(&state, &user.actor(), &before, &input).await?;
    let c = register::get(&state.db, id, user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(c.into()))
}

/// A status step (C1).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ChangeRequestStep)]
pub struct StepJson {
    /// The next status; only one forward step the workflow allows.
    #[serde(default)]
    #[schema(value_type = Status, required)]
    status: String,
    /// Recorded in the history.
    #[serde(default)]
    #[schema(default = "")]
    note: String,
}

/// Move a change request one step on in its workflow (C1).
///
/// Secretariat only. A step the workflow does not allow is refused with rule `C1`.
#[utoipa::path(post, path = "/api/v1/change-requests/{id}/status", operation_id = "stepChangeRequest",
    tag = "registers",
    params(("id" = i64, Path, description = "The change request's id.")),
    request_body(content = StepJson, description = "The next status and a note."),
    responses(
        (status = 200, description = "The change request after the step.", body = DetailJson),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = RefusedOrConflict),
        (status = 422, response = Invalid),
    )
)]
pub async fn step_change_request(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: Result<Json<StepJson>, JsonRejection>,
) -> Result<Json<DetailJson>, ApiError> {
    let before = register::get(&state.db, id, user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    let mut invalid = Vec::new();
    let to = Status::parse(body.status.trim());
    if to.is_none() {
        invalid.push(("status", "Ukendt status.".to_owned()));
    }
    let note = input::text(&body.note, 2000).map_err(|m| invalid.push(("note", m.into()))).unwrap_or_default();
    let (Some(to), true) = (to, invalid.is_empty()) else { return Err(ApiError::Invalid(invalid)) };
    app::change_requests::step(&state, &user.actor(), &before, to, &note).await?;
    let c = register::get(&state.db, id, user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(c.into()))
}

/// A change request linked to an initiative.
#[derive(Serialize, ToSchema)]
pub struct LinkedRequestJson {
    id: i64,
    reference: String,
    title: String,
    status: Status,
    status_label: &'static str,
}

/// A roadmap initiative (C3).
#[derive(Serialize, ToSchema)]
#[schema(as = Initiative)]
pub struct InitiativeJson {
    id: i64,
    title: String,
    description: String,
    start_year: i32,
    end_year: i32,
    /// Seen from this year: `I år`, `Næste år` or `Om 3–4 år`.
    horizon: &'static str,
    status: InitiativeStatus,
    status_label: &'static str,
    change_requests: Vec<LinkedRequestJson>,
}

/// The group's roadmap: initiatives with their change requests (C3).
///
/// Any token holder who may read the group.
#[utoipa::path(get, path = "/api/v1/groups/{id}/roadmap", operation_id = "getRoadmap", tag = "registers",
    params(("id" = i64, Path, description = "The group's id.")),
    responses(
        (status = 200, description = "The initiatives in roadmap order.", body = Vec<InitiativeJson>),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
pub async fn roadmap(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<InitiativeJson>>, ApiError> {
    let group = readable_group(&state, &user, id).await?;
    let (initiatives, requests) =
        tokio::try_join!(roadmap::of_group(&state.db, group.id), roadmap::linked_requests(&state.db, group.id))?;
    let this_year = local_date(state.clock.now()).year();
    Ok(Json(
        initiatives
            .into_iter()
            .map(|i| InitiativeJson {
                horizon: Horizon::of(i.start_year, this_year).label(),
                status_label: i.status.label(),
                change_requests: requests
                    .iter()
                    .filter(|r| r.initiative_id == i.id)
                    .map(|r| LinkedRequestJson {
                        id: r.id,
                        reference: r.reference.clone(),
                        title: r.title.clone(),
                        status: r.status,
                        status_label: r.status.label(),
                    })
                    .collect(),
                id: i.id,
                title: i.title,
                description: i.description,
                start_year: i.start_year,
                end_year: i.end_year,
                status: i.status,
            })
            .collect(),
    ))
}

/// A disposition of the budget (B3).
#[derive(Serialize, ToSchema)]
pub struct DispositionJson {
    id: i64,
    description: String,
    #[schema(value_type = String)]
    amount: Decimal,
    #[schema(value_type = String)]
    spent: Decimal,
    disposed_on: NaiveDate,
    #[schema(required)]
    change_request_id: Option<i64>,
    #[schema(required)]
    change_request: Option<String>,
    #[schema(required)]
    initiative: Option<String>,
}

/// A group's budget for a year (B1-B3). Amounts in kroner as decimal strings.
#[derive(Serialize, ToSchema)]
#[schema(as = Budget)]
pub struct BudgetJson {
    year: i32,
    #[schema(value_type = String)]
    amount: Decimal,
    #[schema(value_type = String)]
    transfers_in: Decimal,
    #[schema(value_type = String)]
    transfers_out: Decimal,
    #[schema(value_type = String)]
    disposed: Decimal,
    #[schema(value_type = String)]
    spent: Decimal,
    /// Budget plus transfers in minus transfers out, minus disposed; never negative (B2).
    #[schema(value_type = String)]
    undisposed: Decimal,
    set_by: String,
    set_on: NaiveDate,
    dispositions: Vec<DispositionJson>,
}

/// The group's budget for a year (B1-B3).
///
/// Any token holder who may read the group. A year without a budget answers 404.
#[utoipa::path(get, path = "/api/v1/groups/{id}/budgets/{year}", operation_id = "getBudget", tag = "registers",
    params(("id" = i64, Path, description = "The group's id."), ("year" = i32, Path, description = "The budget year.")),
    responses(
        (status = 200, description = "The budget with its dispositions.", body = BudgetJson),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
pub async fn budget(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath((id, year)): ApiPath<(i64, i32)>,
) -> Result<Json<BudgetJson>, ApiError> {
    let group = readable_group(&state, &user, id).await?;
    let (lines, dispositions) =
        tokio::try_join!(budgets::of_group(&state.db, group.id), budgets::dispositions(&state.db, group.id))?;
    let line = lines.into_iter().find(|b| b.position.year == year).ok_or(ApiError::NotFound)?;
    let p = &line.position;
    Ok(Json(BudgetJson {
        year,
        amount: p.amount,
        transfers_in: p.transfers_in,
        transfers_out: p.transfers_out,
        disposed: p.disposed,
        spent: p.spent,
        undisposed: p.undisposed(),
        set_by: line.set_by.clone(),
        set_on: line.set_on,
        dispositions: dispositions
            .into_iter()
            .filter(|d| d.year == year)
            .map(|d| DispositionJson {
                id: d.id,
                description: d.description,
                amount: d.amount,
                spent: d.spent,
                disposed_on: d.disposed_on,
                change_request_id: d.change_request_id,
                change_request: d.reference,
                initiative: d.initiative,
            })
            .collect(),
    }))
}

/// An operational status entry of a solution (A8).
#[derive(Serialize, ToSchema)]
#[schema(as = OperationalEntry)]
pub struct OperationJson {
    solution_id: i64,
    solution: String,
    kind: OperationalKind,
    kind_label: &'static str,
    reported_on: NaiveDate,
    summary: String,
    #[schema(required)]
    count: Option<i32>,
    status: EntryState,
}

/// The operational status of the group's solutions (A8, O4), newest first.
///
/// Any token holder who may read the group.
#[utoipa::path(get, path = "/api/v1/groups/{id}/operations", operation_id = "listOperations", tag = "registers",
    params(("id" = i64, Path, description = "The group's id.")),
    responses(
        (status = 200, description = "Errors, support, releases and incidents.", body = Vec<OperationJson>),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
pub async fn operations(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<OperationJson>>, ApiError> {
    let group = readable_group(&state, &user, id).await?;
    let entries = solutions::entries_of_group(&state.db, group.id).await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| OperationJson {
                solution_id: e.solution_id,
                solution: e.solution,
                kind_label: e.kind.label(),
                kind: e.kind,
                reported_on: e.reported_on,
                summary: e.summary,
                count: e.count,
                status: e.status,
            })
            .collect(),
    ))
}
