//! People over the API (M8): the secretariat reads and writes the register; a person reads themself.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::responses::{Forbidden, Invalid, NotFound, SecretariatWrite, Unauthorized};
use super::{ApiError, ApiPath, ApiQuery, ApiUser};
use crate::app::accounts;
use crate::domain::access::Viewer;
use crate::domain::field_errors::FieldErrors;
use crate::domain::person::{self, PersonDraft};
use crate::domain::reference;
use crate::state::AppState;
use crate::store;
use crate::store::people::{self, Person, PersonInput};

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Free-text filter on name, organisation, e-mail address and competences (case-insensitive
    /// substring). Empty or absent: everyone.
    #[serde(default)]
    #[param(default = "")]
    q: String,
}

/// Search the register of persons (M8).
///
/// Secretariat only.
#[utoipa::path(get, path = "/api/v1/people", operation_id = "listPeople", tag = "people",
    params(SearchParams),
    responses(
        (status = 200, description = "The matching persons, ordered by name.", body = Vec<Person>),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<Vec<Person>>, ApiError> {
    user.require(Viewer::can_see_people_register)?;
    Ok(Json(people::search(&state.db, &params.q, None).await?))
}

/// Read one person.
///
/// Secretariat, or the person themself.
#[utoipa::path(get, path = "/api/v1/people/{id}", operation_id = "getPerson", tag = "people",
    params(("id" = i64, Path, description = "The person's id.")),
    responses(
        (status = 200, description = "The person.", body = Person),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Person>, ApiError> {
    if !(user.viewer().can_see_people_register() || user.0.person_id == id) {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(people::get(&state.db, id).await?.ok_or(ApiError::NotFound)?))
}

/// A person's details, as created or replaced. Strings are trimmed.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PersonInput)]
pub struct PersonJson {
    /// Must not be blank.
    name: String,
    /// Must be a valid e-mail address not used by another person.
    #[schema(format = Email)]
    email: String,
    #[serde(default)]
    #[schema(default = "")]
    title: String,
    /// An existing organisation; the person's party follows from it (O1).
    #[serde(default)]
    #[serde(deserialize_with = "super::body_values::optional_whole_number")]
    organisation_id: Option<i64>,
    #[serde(default)]
    #[schema(default = false)]
    management_level: bool,
    #[serde(default)]
    #[schema(default = "")]
    phone: String,
    #[serde(default)]
    #[schema(default = "")]
    competences: String,
    #[serde(default)]
    #[schema(default = "")]
    education: String,
    #[serde(default)]
    #[schema(default = "")]
    networks: String,
}

impl PersonJson {
    /// Parsed as the form parses it, so a field the form refuses is a 422 here too.
    fn validate(&self) -> Result<PersonInput, ApiError> {
        Ok(PersonDraft {
            name: &self.name,
            title: &self.title,
            organisation_id: self.organisation_id,
            management_level: self.management_level,
            email: &self.email,
            phone: &self.phone,
            competences: &self.competences,
            education: &self.education,
            networks: &self.networks,
        }
        .parse(FieldErrors::default())?)
    }
}

/// A taken address or an organisation that is not there (any more) conflicts with the stored data (409).
fn save_error(e: store::Error) -> ApiError {
    match e {
        store::Error::Taken(_) => ApiError::Conflict(vec![("email", person::EMAIL_TAKEN.into())]),
        store::Error::Unknown(_) => ApiError::Conflict(vec![("organisation_id", person::UNKNOWN_ORGANISATION.into())]),
        store::Error::Retired(_) => {
            ApiError::Conflict(vec![("organisation_id", reference::ORGANISATION_RETIRED.into())])
        }
        other => other.into(),
    }
}

/// Create a person in the register.
///
/// Secretariat only. The person's party follows from the organisation (O1).
#[utoipa::path(post, path = "/api/v1/people", operation_id = "createPerson", tag = "people",
    request_body(content = PersonJson, description = "The new person."),
    responses(
        (status = 201, description = "The person was created.", body = Person),
        SecretariatWrite,
        (status = 422, response = Invalid),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    body: Result<Json<PersonJson>, JsonRejection>,
) -> Result<(StatusCode, Json<Person>), ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    let input = body.validate()?;
    let id = match crate::app::accounts::add_person(&state, &user.actor(), &input).await {
        Ok(id) => id,
        Err(crate::app::Error::Store(e)) => return Err(save_error(e)),
        Err(e) => return Err(e.into()),
    };
    Ok((StatusCode::CREATED, Json(people::get(&state.db, id).await?.ok_or(ApiError::NotFound)?)))
}

/// Replace a person's details.
///
/// Secretariat only. Every field is replaced; optional fields left out are cleared (empty string, null or false).
/// The e-mail of a person who can sign in is their login: only the person or an administrator may change it
/// (otherwise 422 with rule `Konto`), and a new one takes effect when the new address confirms it, so the
/// answer shows the address still in force.
#[utoipa::path(put, path = "/api/v1/people/{id}", operation_id = "updatePerson", tag = "people",
    params(("id" = i64, Path, description = "The person's id.")),
    request_body(content = PersonJson, description = "The person's new details."),
    responses(
        (status = 200, description = "The updated person.", body = Person),
        SecretariatWrite,
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: Result<Json<PersonJson>, JsonRejection>,
) -> Result<Json<Person>, ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    let input = body.validate()?;
    accounts::update_person(&state, &user.actor(), user.0.acting(), id, &input).await.map_err(|e| match e {
        crate::app::Error::Store(e) => save_error(e),
        other => other.into(),
    })?;
    Ok(Json(people::get(&state.db, id).await?.ok_or(ApiError::NotFound)?))
}
