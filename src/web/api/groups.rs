//! Groups and memberships over the API. The same store functions (and so the same domain rules)
//! serve the forms.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{ApiError, ApiUser};
use crate::domain::access::{Confidentiality, GroupRole, Viewer};
use crate::domain::calendar::local_date;
use crate::state::AppState;
use crate::store::memberships::{self, NewMembership};
use crate::store::{groups, people};

#[derive(Serialize)]
pub struct GroupJson {
    id: i64,
    slug: String,
    name: String,
    kind: String,
    kind_name: String,
    purpose: String,
    status: String,
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
    groups::in_directory(&state.db, groups::DirectoryKey::Id(id)).await?.pop().ok_or(ApiError::NotFound)
}

/// GET /api/v1/groups (public)
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<GroupJson>>, ApiError> {
    let listed = groups::in_directory(&state.db, groups::DirectoryKey::All).await?;
    Ok(Json(listed.into_iter().map(GroupJson::from).collect()))
}

#[derive(Serialize)]
pub struct DirectoryEntry {
    name: String,
    title: String,
    organisation: Option<String>,
    party: Option<String>,
    role: String,
    role_label: &'static str,
    email: String,
    phone: String,
    competences: String,
}

/// GET /api/v1/groups/{id}/members (public, M7): active members only.
pub async fn members(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Vec<DirectoryEntry>>, ApiError> {
    let group = directory_group(&state, id).await?;
    let members = memberships::directory(&state.db, group.id).await?;
    Ok(Json(
        members
            .into_iter()
            .map(|m| DirectoryEntry {
                role_label: GroupRole::parse(&m.role).map(GroupRole::label).unwrap_or(""),
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

#[derive(Deserialize)]
pub struct NewGroupJson {
    kind: String,
    slug: String,
    name: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    confidentiality: Option<Confidentiality>,
}

/// POST /api/v1/groups (secretariat)
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    body: Result<Json<NewGroupJson>, JsonRejection>,
) -> Result<(StatusCode, Json<GroupJson>), ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    let kind = groups::kinds(&state.db).await?.into_iter().find(|k| k.code == body.kind);
    let mut invalid = Vec::new();
    if kind.is_none() {
        invalid.push(("kind", "Ukendt gruppetype.".to_owned()));
    }
    let slug = body.slug.trim().to_lowercase();
    if slug.is_empty()
        || slug.len() > 60
        || !slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        invalid.push(("slug", "Kortnavnet må kun indeholde a-z, 0-9 og bindestreg.".to_owned()));
    }
    if body.name.trim().is_empty() {
        invalid.push(("name", "Skriv gruppens navn.".to_owned()));
    } else if let Err(m) = crate::domain::input::one_line(&body.name, 200) {
        invalid.push(("name", m));
    }
    let Some(kind) = kind.filter(|_| invalid.is_empty()) else {
        return Err(ApiError::Invalid(invalid));
    };
    let input = groups::GroupInput {
        kind_id: kind.id,
        slug,
        name: body.name.trim().into(),
        purpose: body.purpose.trim().into(),
        confidentiality: body.confidentiality.unwrap_or(Confidentiality::Internal),
    };
    let id = match groups::create(&state.db, &user.actor(), &input).await {
        Ok(id) => id,
        Err(groups::SaveError::SlugTaken) => {
            return Err(ApiError::Invalid(vec![("slug", "Kortnavnet er allerede brugt.".into())]));
        }
        Err(groups::SaveError::Db(e)) => return Err(e.into()),
    };
    let group = groups::readable_by_id(&state.db, id, user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(group.into())))
}

#[derive(Serialize)]
pub struct MembershipJson {
    id: i64,
    group_id: i64,
    person_id: i64,
    name: String,
    role: String,
    party_id: Option<i64>,
    party: Option<String>,
    status: String,
    nominated_on: Option<NaiveDate>,
    approved_on: Option<NaiveDate>,
    starts_on: Option<NaiveDate>,
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

#[derive(Serialize)]
pub struct MembershipsJson {
    memberships: Vec<MembershipJson>,
    warnings: Vec<crate::domain::composition::Warning>,
}

/// GET /api/v1/groups/{id}/memberships (signed in): nominations and warnings included.
pub async fn memberships(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<MembershipsJson>, ApiError> {
    let group = groups::readable_by_id(&state.db, id, user.0.scope()).await?.ok_or(ApiError::NotFound)?;
    let members = memberships::of_group(&state.db, group.id).await?;
    let rules = groups::rules(&mut *state.db.acquire().await?, group.id).await?;
    let seats: Vec<_> = members.iter().map(memberships::Member::seat).collect();
    let warnings = crate::domain::composition::warnings(&rules, &seats);
    Ok(Json(MembershipsJson { memberships: members.into_iter().map(Into::into).collect(), warnings }))
}

#[derive(Deserialize)]
pub struct NewMembershipJson {
    person_id: i64,
    role: String,
    #[serde(default)]
    party_id: Option<i64>,
    #[serde(default)]
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

/// POST /api/v1/groups/{id}/memberships (secretariat): appoint or nominate (M2-M5).
pub async fn appoint(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<NewMembershipJson>, JsonRejection>,
) -> Result<(StatusCode, Json<MembershipJson>), ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    let role = GroupRole::parse(&body.role).ok_or_else(|| ApiError::Invalid(vec![("role", "Ukendt rolle.".into())]))?;
    people::get(&state.db, body.person_id)
        .await?
        .ok_or_else(|| ApiError::Invalid(vec![("person_id", "Personen findes ikke.".into())]))?;
    let new = NewMembership {
        group_id: id,
        person_id: body.person_id,
        role,
        party_id: body.party_id,
        starts_on: body.starts_on.unwrap_or_else(|| local_date(state.clock.now())),
    };
    let (membership_id, _) = memberships::appoint(&state.db, &user.actor(), &new).await?;
    Ok((StatusCode::CREATED, Json(membership_json(&state, id, membership_id).await?)))
}

#[derive(Deserialize)]
pub struct ApproveJson {
    approved_on: NaiveDate,
    #[serde(default)]
    staff_meeting_id: Option<i64>,
}

/// POST /api/v1/memberships/{id}/approve (secretariat, M5)
pub async fn approve(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<ApproveJson>, JsonRejection>,
) -> Result<Json<MembershipJson>, ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    memberships::approve(&state.db, &user.actor(), id, body.approved_on, body.staff_meeting_id).await?;
    let group_id = memberships::group_id_of(&state.db, id).await?;
    Ok(Json(membership_json(&state, group_id, id).await?))
}

#[derive(Deserialize)]
pub struct EndJson {
    #[serde(default)]
    ends_on: Option<NaiveDate>,
}

/// POST /api/v1/memberships/{id}/end (secretariat)
pub async fn end(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<EndJson>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    let ends_on = body.ends_on.unwrap_or_else(|| local_date(state.clock.now()));
    memberships::end(&state.db, &user.actor(), id, ends_on).await?;
    Ok(StatusCode::NO_CONTENT)
}
