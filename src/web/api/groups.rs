//! Groups and memberships over the API. The same store functions (and so the same domain rules)
//! serve the forms.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::responses::{Invalid, NotFound, Refused, RefusedOrConflict, SecretariatWrite, Unauthorized};
use super::{ApiError, ApiPath, ApiQuery, ApiUser};
use crate::app;
use crate::domain::access::{Confidentiality, GroupRole, Viewer};
use crate::domain::calendar::local_date;
use crate::domain::composition::SeatStatus;
use crate::domain::field_errors::FieldErrors;
use crate::domain::group::{self, GroupDraft, GroupStatus};
use crate::domain::ids::{MeetingId, MembershipId};
use crate::domain::paging::{self, PageNumber};
use crate::state::AppState;
use crate::store::memberships::{self, NewMembership};
use crate::store::read_cache::{self, Stamp};
use crate::store::{self, groups, people};

#[derive(Serialize, ToSchema)]
#[schema(as = Group)]
pub struct GroupJson {
    id: i64,
    /// Short name used in URLs (a-z, 0-9 and hyphen).
    slug: String,
    name: String,
    /// The group kind's code, e.g. `faggruppe`.
    kind: String,
    /// The group kind's display name, e.g. `Faggruppe`.
    kind_name: String,
    purpose: String,
    status: GroupStatus,
}

impl From<groups::Group> for GroupJson {
    fn from(g: groups::Group) -> Self {
        GroupJson {
            id: g.id,
            slug: g.slug,
            name: g.name,
            kind: g.kind_code,
            kind_name: g.kind_name,
            purpose: g.purpose,
            status: g.status,
        }
    }
}

/// M7: a group of the public directory, or not found.
async fn directory_group(state: &AppState, id: i64) -> Result<groups::Group, ApiError> {
    groups::in_directory(&state.db, Some(groups::GroupKey::Id(id)), None).await?.pop().ok_or(ApiError::NotFound)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// The page, from 1 (100 groups a page); absent: the first.
    #[serde(default)]
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1_000_000)]
    page: String,
}

/// List the groups of the public member directory (M7), 100 a page.
///
/// Public: no token needed. Lists active groups that are not confidential, by kind and name. When more
/// follow, the answer has a `Link` header with `rel="next"`. Each answer carries an `ETag`; a request
/// with that value in `If-None-Match` is answered 304 while the directory is unchanged.
#[utoipa::path(get, path = "/api/v1/groups", operation_id = "listGroups", tag = "groups", security(),
    params(ListQuery, ("If-None-Match" = Option<String>, Header, description = "An `ETag` of an earlier answer.")),
    responses(
        (status = 200, description = "A page of the directory's groups.", body = Vec<GroupJson>,
         headers(("Link" = String, description = "The next page, `rel=\"next\"`, when there is one."),
                 ("ETag" = String, description = "This answer's version, for `If-None-Match`."))),
        (status = 304, description = "The directory's page is unchanged since the answer with this `ETag`.",
         headers(("ETag" = String, description = "The current version."))),
        (status = 422, response = Invalid),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let page = PageNumber::parse(&query.page).map_err(|message| {
        let mut errors = FieldErrors::default();
        errors.add("page", message);
        errors
    })?;
    // The directory changes a few times a year and is read by every site that shows it: the page's
    // JSON is kept until anything changes (`store::read_cache`).
    let any = read_cache::any_version(&state.db, None).await?;
    let stamp = Stamp([any, 0, 0]);
    // The version of everything, the page and this release's shape of the JSON: public data, so
    // anyone may keep it and ask again with If-None-Match (RFC 9110 13.1.2, weak comparison).
    let etag = format!("W/\"{}-{any}-{}\"", env!("CARGO_PKG_VERSION"), page.get());
    let validators = [(header::ETAG, etag.clone()), (header::CACHE_CONTROL, "public, no-cache".to_owned())];
    if unchanged(&headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, validators).into_response());
    }
    let kept = state
        .kept
        .public_groups
        .get_or_load(page.get(), stamp, || async {
            let (listed, more) = paging::cut(groups::in_directory(&state.db, None, Some(page)).await?);
            let listed: Vec<GroupJson> = listed.into_iter().map(GroupJson::from).collect();
            let body = serde_json::to_vec(&listed).map_err(|e| ApiError::Internal(e.into()))?;
            Ok::<_, ApiError>(Some((Bytes::from(body), more)))
        })
        .await?
        .ok_or(ApiError::NotFound)?;
    let (body, more) = (kept.0.clone(), kept.1);
    let json = [(header::CONTENT_TYPE, "application/json")];
    if more {
        let next = format!("</api/v1/groups?page={}>; rel=\"next\"", page.get() + 1);
        return Ok((json, validators, [(header::LINK, next)], body).into_response());
    }
    Ok((json, validators, body).into_response())
}

/// Whether If-None-Match names `etag` (or is `*`), compared weakly: `W/` prefixes are ignored.
fn unchanged(headers: &HeaderMap, etag: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == "*" || opaque(tag) == opaque(etag))
}

/// An active member as shown in the public member directory (M7).
#[derive(Serialize, ToSchema)]
pub struct DirectoryEntry {
    name: String,
    title: String,
    /// The organisation's name.
    #[schema(required)]
    organisation: Option<String>,
    /// The name of the party represented.
    #[schema(required)]
    party: Option<String>,
    role: GroupRole,
    /// The role's Danish label, e.g. `Forperson`, `Medlem`, `Suppleant`.
    role_label: &'static str,
    email: String,
    phone: String,
    competences: String,
}

/// List the active members of a directory group (M7).
///
/// Public: no token needed. Only active members are listed; confidential and closed groups answer 404.
#[utoipa::path(get, path = "/api/v1/groups/{id}/members", operation_id = "listGroupMembers", tag = "groups",
    security(),
    params(("id" = i64, Path, description = "The group's id.")),
    responses(
        (status = 200, description = "The group's active members.", body = Vec<DirectoryEntry>),
        (status = 404, response = NotFound),
    )
)]
pub async fn members(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<DirectoryEntry>>, ApiError> {
    let group = directory_group(&state, id).await?;
    let members = memberships::directory(&state.db, group.id).await?;
    Ok(Json(
        members
            .into_iter()
            .map(|m| DirectoryEntry {
                role_label: m.role.label(),
                name: m.name,
                title: m.title,
                organisation: m.organisation,
                party: m.party_name,
                role: m.role,
                email: m.email,
                phone: m.phone,
                competences: m.competences,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewGroup)]
pub struct NewGroupJson {
    /// The code of an existing group kind, e.g. `faggruppe` (an unknown one is a 409).
    #[schema(min_length = 1)]
    kind: String,
    /// Trimmed and lowercased; 1-60 characters of a-z, 0-9 and hyphen; unique (a taken one is a 409).
    #[schema(examples("digital-forvaltning"))]
    slug: String,
    /// Must not be blank.
    name: String,
    #[serde(default)]
    #[schema(default = "")]
    purpose: String,
    /// Who may read the group's data (O5). Absent or null: `internal`.
    #[serde(default)]
    confidentiality: Option<Confidentiality>,
}

/// Create a group.
///
/// Secretariat only (the admin and secretariat roles).
#[utoipa::path(post, path = "/api/v1/groups", operation_id = "createGroup", tag = "groups",
    request_body(content = NewGroupJson, description = "The new group."),
    responses(
        (status = 201, description = "The group was created.", body = GroupJson),
        SecretariatWrite,
        (status = 422, response = Invalid),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    body: Result<Json<NewGroupJson>, JsonRejection>,
) -> Result<(StatusCode, Json<GroupJson>), ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    let kind = groups::kinds(&state.db).await?.into_iter().find(|k| k.code == body.kind);
    let input = GroupDraft {
        kind_id: kind.as_ref().map(|k| k.id),
        kind_field: "kind",
        slug: &body.slug,
        name: &body.name,
        purpose: &body.purpose,
        status: Some(GroupStatus::Active),
        confidentiality: Some(body.confidentiality.unwrap_or(Confidentiality::Internal)),
    }
    .parse_new()
    .map_err(|errors| {
        // A well-formed kind that names no kind there is conflicts with the reference data (409).
        let unknown_kind = kind.is_none() && !body.kind.is_empty();
        if unknown_kind && errors.has("kind") && errors.messages().count() == 1 {
            ApiError::Conflict(errors.into_pairs())
        } else {
            errors.into()
        }
    })?;
    let id = match app::groups::create(&state, &user.actor(), &input).await {
        Ok(id) => id,
        Err(app::Error::Store(store::Error::Taken(_))) => {
            return Err(ApiError::Conflict(vec![("slug", group::SLUG_TAKEN.into())]));
        }
        Err(e) => return Err(e.into()),
    };
    let group =
        groups::readable(&state.db, groups::GroupKey::Id(id), user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(group.into())))
}

#[derive(Serialize, ToSchema)]
#[schema(as = Membership)]
pub struct MembershipJson {
    /// The membership's id.
    id: i64,
    group_id: i64,
    person_id: i64,
    /// The person's name.
    name: String,
    role: GroupRole,
    /// The party represented.
    #[schema(required)]
    party_id: Option<i64>,
    /// The name of the party represented.
    #[schema(required)]
    party: Option<String>,
    status: SeatStatus,
    #[schema(required)]
    nominated_on: Option<NaiveDate>,
    #[schema(required)]
    approved_on: Option<NaiveDate>,
    #[schema(required)]
    starts_on: Option<NaiveDate>,
    #[schema(required)]
    ends_on: Option<NaiveDate>,
}

impl From<memberships::Member> for MembershipJson {
    fn from(m: memberships::Member) -> Self {
        MembershipJson {
            id: m.membership_id,
            group_id: m.group_id,
            person_id: m.person_id,
            name: m.name,
            role: m.role,
            party_id: m.party_id,
            party: m.party_name,
            status: m.status,
            nominated_on: m.nominated_on,
            approved_on: m.approved_on,
            starts_on: m.starts_on,
            ends_on: m.ends_on,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = Memberships)]
pub struct MembershipsJson {
    memberships: Vec<MembershipJson>,
    /// Composition rules the group does not yet meet (M3, M6); they warn but do not refuse.
    warnings: Vec<crate::domain::composition::Warning>,
}

/// List a group's memberships, nominations included, with composition warnings.
///
/// Any token holder who may read the group.
#[utoipa::path(get, path = "/api/v1/groups/{id}/memberships", operation_id = "listGroupMemberships",
    tag = "memberships",
    params(("id" = i64, Path, description = "The group's id.")),
    responses(
        (status = 200, body = MembershipsJson,
            description = "The group's memberships (nominated, active and ended) and the warnings of rules M3 and M6."),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
pub async fn memberships(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MembershipsJson>, ApiError> {
    let group =
        groups::readable(&state.db, groups::GroupKey::Id(id), user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    let members = memberships::of_group(&state.db, group.id).await?;
    let rules = groups::rules(&mut *state.db.acquire().await?, group.id).await?;
    let seats: Vec<_> = members.iter().map(memberships::Member::seat).collect();
    let warnings = crate::domain::composition::warnings(&rules, &seats);
    Ok(Json(MembershipsJson { memberships: members.into_iter().map(Into::into).collect(), warnings }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewMembership)]
pub struct NewMembershipJson {
    /// An existing person.
    #[serde(deserialize_with = "super::body_values::whole_number")]
    person_id: i64,
    #[schema(value_type = GroupRole)]
    role: String,
    /// The party represented. Absent or null: the person's own party.
    #[serde(default)]
    #[serde(deserialize_with = "super::body_values::optional_whole_number")]
    party_id: Option<i64>,
    /// Absent or null: today.
    #[serde(default)]
    #[schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    #[serde(deserialize_with = "super::body_values::optional_date")]
    starts_on: Option<NaiveDate>,
}

async fn membership_json(state: &AppState, group_id: i64, id: i64) -> Result<MembershipJson, ApiError> {
    memberships::of_group(&state.db, group_id)
        .await?
        .into_iter()
        .find(|m| m.membership_id == id)
        .map(Into::into)
        .ok_or(ApiError::NotFound)
}

/// Appoint or nominate a person to the group (M2-M5).
///
/// Secretariat only. Party members and substitutes of group kinds that require staff-group approval start as
/// `nominated` (M5); other seats start `active` if the composition rules allow it.
#[utoipa::path(post, path = "/api/v1/groups/{id}/memberships", operation_id = "appointMember", tag = "memberships",
    params(("id" = i64, Path, description = "The group's id.")),
    request_body(content = NewMembershipJson, description = "The person, role and party of the new seat."),
    responses(
        (status = 201, description = "The membership was created.", body = MembershipJson),
        SecretariatWrite,
        (status = 404, response = NotFound),
        (status = 409, response = RefusedOrConflict),
        (status = 422, response = Invalid),
    )
)]
pub async fn appoint(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: Result<Json<NewMembershipJson>, JsonRejection>,
) -> Result<(StatusCode, Json<MembershipJson>), ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    let role = GroupRole::parse(&body.role).ok_or_else(|| ApiError::Invalid(vec![("role", "Ukendt rolle.".into())]))?;
    people::get(&state.db, body.person_id)
        .await?
        .ok_or_else(|| ApiError::Conflict(vec![("person_id", "Personen findes ikke.".into())]))?;
    let new = NewMembership {
        group_id: id,
        person_id: body.person_id,
        role,
        party_id: body.party_id,
        starts_on: body.starts_on.unwrap_or_else(|| local_date(state.clock.now())),
    };
    let (membership_id, _) = app::memberships::appoint(&state, &user.actor(), user.0.scope(), &new).await?;
    Ok((StatusCode::CREATED, Json(membership_json(&state, id, membership_id).await?)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Approve)]
pub struct ApproveJson {
    #[schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    #[serde(deserialize_with = "super::body_values::date")]
    approved_on: NaiveDate,
    /// The staff-group meeting that approved the nomination.
    #[serde(default)]
    #[serde(deserialize_with = "super::body_values::optional_whole_number")]
    staff_meeting_id: Option<i64>,
}

/// Approve a nomination; the seat becomes active (M5).
///
/// Secretariat only. Only a nominated membership can be approved, and only if the composition rules allow the seat.
#[utoipa::path(post, path = "/api/v1/memberships/{id}/approve", operation_id = "approveMembership",
    tag = "memberships",
    params(("id" = i64, Path, description = "The membership's id.")),
    request_body(content = ApproveJson, description = "The approval date and, optionally, the staff-group meeting."),
    responses(
        (status = 200, description = "The approved, now active membership.", body = MembershipJson),
        SecretariatWrite,
        (status = 404, response = NotFound),
        (status = 409, response = Refused),
    )
)]
pub async fn approve(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: Result<Json<ApproveJson>, JsonRejection>,
) -> Result<Json<MembershipJson>, ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    let staff_meeting = body.staff_meeting_id.map(MeetingId);
    app::memberships::approve(&state, &user.actor(), MembershipId(id), body.approved_on, staff_meeting).await?;
    let group_id = memberships::group_id_of(&state.db, id).await?;
    Ok(Json(membership_json(&state, group_id, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = End)]
pub struct EndJson {
    /// Absent or null: today. Never before the membership's start.
    #[serde(default)]
    #[schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    #[serde(deserialize_with = "super::body_values::optional_date")]
    ends_on: Option<NaiveDate>,
}

/// End a membership; the history is kept.
///
/// Secretariat only. A membership that does not exist or has already ended answers 404.
#[utoipa::path(post, path = "/api/v1/memberships/{id}/end", operation_id = "endMembership", tag = "memberships",
    params(("id" = i64, Path, description = "The membership's id.")),
    request_body(content = EndJson, description = "The end date; send `{}` to end it today."),
    responses(
        (status = 204, description = "The membership was ended."),
        SecretariatWrite,
        (status = 404, response = NotFound),
    )
)]
pub async fn end(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: Result<Json<EndJson>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    let ends_on = body.ends_on.unwrap_or_else(|| local_date(state.clock.now()));
    app::memberships::end(&state, &user.actor(), id, ends_on).await?;
    Ok(StatusCode::NO_CONTENT)
}
