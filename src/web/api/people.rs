//! People over the API (M8): the secretariat reads and writes the register; a person reads themself.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;

use super::{ApiError, ApiUser};
use crate::domain::access::Viewer;
use crate::domain::email::Email;
use crate::domain::input;
use crate::state::AppState;
use crate::store::people::{self, Person, PersonInput, SaveError};

#[derive(Deserialize, Default)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
}

/// GET /api/v1/people (secretariat)
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<SearchParams>,
) -> Result<Json<Vec<Person>>, ApiError> {
    user.require(Viewer::can_see_people_register)?;
    Ok(Json(people::search(&state.db, &params.q, None).await?))
}

/// GET /api/v1/people/{id} (secretariat, or the person themself)
pub async fn get(State(state): State<AppState>, user: ApiUser, Path(id): Path<i64>) -> Result<Json<Person>, ApiError> {
    if !(user.viewer().can_see_people_register() || user.0.person_id == id) {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(people::get(&state.db, id).await?.ok_or(ApiError::NotFound)?))
}

#[derive(Deserialize)]
pub struct PersonJson {
    name: String,
    email: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    organisation_id: Option<i64>,
    #[serde(default)]
    management_level: bool,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    competences: String,
    #[serde(default)]
    education: String,
    #[serde(default)]
    networks: String,
}

impl PersonJson {
    fn validate(self) -> Result<PersonInput, ApiError> {
        let mut invalid = Vec::new();
        let mut line = |field: &'static str, value: &str, max: usize| {
            input::one_line(value, max).map_err(|m| invalid.push((field, m))).unwrap_or_default()
        };
        let name = line("name", &self.name, 200);
        let title = line("title", &self.title, 200);
        let phone = line("phone", &self.phone, 50);
        if name.is_empty() && !invalid.iter().any(|(f, _)| *f == "name") {
            invalid.push(("name", "Skriv personens navn.".to_owned()));
        }
        let email = Email::parse(&self.email).map_err(|m| invalid.push(("email", m.to_owned()))).ok();
        match email {
            Some(email) if invalid.is_empty() => Ok(PersonInput {
                name,
                title,
                organisation_id: self.organisation_id,
                management_level: self.management_level,
                email: email.to_string(),
                phone,
                competences: self.competences.trim().into(),
                education: self.education.trim().into(),
                networks: self.networks.trim().into(),
            }),
            _ => Err(ApiError::Invalid(invalid)),
        }
    }
}

fn save_error(e: SaveError) -> ApiError {
    match e {
        SaveError::EmailTaken => {
            ApiError::Invalid(vec![("email", "Der findes allerede en person med denne e-mailadresse.".into())])
        }
        SaveError::UnknownOrganisation => {
            ApiError::Invalid(vec![("organisation_id", "Organisationen findes ikke.".into())])
        }
        SaveError::Db(e) => e.into(),
    }
}

/// POST /api/v1/people (secretariat)
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    body: Result<Json<PersonJson>, JsonRejection>,
) -> Result<(StatusCode, Json<Person>), ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    let input = body.validate()?;
    let id = people::create(&state.db, &user.actor(), &input).await.map_err(save_error)?;
    Ok((StatusCode::CREATED, Json(people::get(&state.db, id).await?.ok_or(ApiError::NotFound)?)))
}

/// PUT /api/v1/people/{id} (secretariat)
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<PersonJson>, JsonRejection>,
) -> Result<Json<Person>, ApiError> {
    user.require(Viewer::is_secretariat)?;
    let Json(body) = body?;
    let input = body.validate()?;
    if !people::update(&state.db, &user.actor(), id, &input).await.map_err(save_error)? {
        return Err(ApiError::NotFound);
    }
    Ok(Json(people::get(&state.db, id).await?.ok_or(ApiError::NotFound)?))
}
