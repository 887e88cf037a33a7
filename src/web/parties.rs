//! Parties and their organisations (O1), kept by the secretariat from the browser: add, edit, retire
//! and reactivate. A retired one stays wherever it is referenced and is left out of new choices.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::Ctx;
use super::error::AppError;
use super::forms::FieldErrors;
use super::layout::{Layout, Nav};
use crate::domain::access::Viewer;
use crate::domain::composition::PartyKind;
use crate::domain::reference;
use crate::state::AppState;
use crate::store::{self, people};

#[derive(Template)]
#[template(path = "people/parties.html")]
struct PartiesPage {
    l: Layout,
    parties: Vec<people::PartyRow>,
    /// O1: the secretariat is one party of its own; the form offers it until it exists.
    has_secretariat: bool,
    organisations: Vec<people::Organisation>,
    party_form: PartyForm,
    organisation_form: OrganisationForm,
    errors: FieldErrors,
}

impl PartiesPage {
    /// The kinds a new party may have: the secretariat only while there is none (O1).
    fn kinds(&self) -> Vec<PartyKind> {
        PartyKind::ALL.into_iter().filter(|k| *k != PartyKind::Secretariat || !self.has_secretariat).collect()
    }
}

fn has_secretariat(parties: &[people::PartyRow]) -> bool {
    parties.iter().any(|p| p.kind == PartyKind::Secretariat)
}

async fn parties_page(state: &AppState, ctx: &Ctx) -> Result<PartiesPage, AppError> {
    let (parties, organisations) = tokio::try_join!(people::parties(&state.db), people::organisations(&state.db))?;
    Ok(PartiesPage {
        l: ctx.layout(Nav::People, "Parter og organisationer"),
        has_secretariat: has_secretariat(&parties),
        parties,
        organisations,
        party_form: PartyForm::default(),
        organisation_form: OrganisationForm::default(),
        errors: FieldErrors::default(),
    })
}

/// GET /parter (O1)
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    Ok(Html(parties_page(&state, &ctx).await?.render()?))
}

#[derive(Deserialize, Default, Clone)]
pub struct PartyForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
}

/// What the store refused about a party, next to its field.
fn party_error(e: store::Error) -> Result<FieldErrors, AppError> {
    match e {
        store::Error::Taken("kind") => Ok(FieldErrors::one("kind", reference::SECRETARIAT_EXISTS)),
        store::Error::Taken("name") => Ok(FieldErrors::one("name", reference::PARTY_NAME_TAKEN)),
        store::Error::Taken(_) => Ok(FieldErrors::one("code", "Koden er allerede brugt.")),
        e => Err(e.into()),
    }
}

/// POST /parter: a party of any kind, the secretariat's own once (O1).
pub async fn add_party(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PartyForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let code = form.code.trim().to_lowercase();
    let code_ok = !code.is_empty()
        && code.len() <= 40
        && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    let parsed = reference::party(&form.name, &form.kind);
    let errors = match (code_ok, parsed) {
        (true, Ok(input)) => match people::create_party(&state.db, &ctx.actor(), &code, &input).await {
            Ok(_) => return Ok(Redirect::to("/parter").into_response()),
            Err(e) => party_error(e)?,
        },
        (ok, parsed) => {
            let mut errors = parsed.err().unwrap_or_default();
            if !ok {
                errors.add("code", "Koden må kun indeholde a-z, 0-9, - og _ (højst 40 tegn).");
            }
            errors
        }
    };
    let mut page = parties_page(&state, &ctx).await?;
    page.party_form = form;
    page.errors = errors;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

#[derive(Deserialize, Default, Clone)]
pub struct OrganisationForm {
    #[serde(default)]
    party_id: String,
    #[serde(default)]
    org_name: String,
}

/// What the store refused about an organisation, next to its field.
fn organisation_error(e: store::Error) -> Result<FieldErrors, AppError> {
    match e {
        store::Error::Taken(_) => Ok(FieldErrors::one("org_name", reference::ORGANISATION_TAKEN)),
        store::Error::Unknown(_) => Ok(FieldErrors::one("party_id", "Vælg en part.")),
        store::Error::Retired(_) => Ok(FieldErrors::one("party_id", reference::PARTY_RETIRED)),
        e => Err(e.into()),
    }
}

/// POST /parter/organisationer
pub async fn add_organisation(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<OrganisationForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let errors = match reference::organisation(&form.org_name, &form.party_id) {
        Ok(input) => match people::create_organisation(&state.db, &ctx.actor(), &input).await {
            Ok(_) => return Ok(Redirect::to("/parter").into_response()),
            Err(e) => organisation_error(e)?,
        },
        Err(errors) => errors,
    };
    let mut page = parties_page(&state, &ctx).await?;
    page.organisation_form = form;
    page.errors = errors;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "people/party_form.html")]
struct PartyEditPage {
    l: Layout,
    party: people::PartyRow,
    /// The kinds the party may take: the secretariat only if no other party is it (O1).
    kinds: Vec<PartyKind>,
    form: PartyForm,
    errors: FieldErrors,
}

async fn party_edit_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    form: Option<PartyForm>,
    errors: FieldErrors,
) -> Result<PartyEditPage, AppError> {
    let parties = people::parties(&state.db).await?;
    let party = parties.iter().find(|p| p.id == id).cloned().ok_or(AppError::NotFound)?;
    let other_secretariat = parties.iter().any(|p| p.id != id && p.kind == PartyKind::Secretariat);
    let form = form.unwrap_or_else(|| PartyForm {
        code: party.code.clone(),
        name: party.name.clone(),
        kind: party.kind.as_str().into(),
    });
    Ok(PartyEditPage {
        l: ctx.layout(Nav::People, format!("Rediger part: {}", party.name)),
        kinds: PartyKind::ALL.into_iter().filter(|k| *k != PartyKind::Secretariat || !other_secretariat).collect(),
        party,
        form,
        errors,
    })
}

/// GET /parter/{id}/rediger
pub async fn edit_party_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    Ok(Html(party_edit_page(&state, &ctx, id, None, FieldErrors::default()).await?.render()?))
}

/// POST /parter/{id}: a new name or kind (O1); the code stays, as other installations' data may use it.
pub async fn update_party(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<PartyForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let errors = match reference::party(&form.name, &form.kind) {
        Ok(input) => match people::update_party(&state.db, &ctx.actor(), id, &input).await {
            Ok(()) => return Ok(Redirect::to("/parter").into_response()),
            Err(e) => party_error(e)?,
        },
        Err(errors) => errors,
    };
    let page = party_edit_page(&state, &ctx, id, Some(form), errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

/// POST /parter/{id}/udfas: retired, kept where referenced, no new choice (O1).
pub async fn retire_party(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    people::set_party_retired(&state.db, &ctx.actor(), id, true).await?;
    Ok(Redirect::to("/parter").into_response())
}

/// POST /parter/{id}/genaktiver
pub async fn reactivate_party(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    people::set_party_retired(&state.db, &ctx.actor(), id, false).await?;
    Ok(Redirect::to("/parter").into_response())
}

#[derive(Template)]
#[template(path = "people/organisation_form.html")]
struct OrganisationEditPage {
    l: Layout,
    organisation: people::Organisation,
    /// The parties the organisation may belong to: the active ones and its present one (O1).
    parties: Vec<people::PartyRow>,
    form: OrganisationForm,
    errors: FieldErrors,
}

async fn organisation_edit_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    form: Option<OrganisationForm>,
    errors: FieldErrors,
) -> Result<OrganisationEditPage, AppError> {
    let (organisation, parties) = tokio::try_join!(people::organisation(&state.db, id), people::parties(&state.db))?;
    let organisation = organisation.ok_or(AppError::NotFound)?;
    let form = form.unwrap_or_else(|| OrganisationForm {
        party_id: organisation.party_id.to_string(),
        org_name: organisation.name.clone(),
    });
    Ok(OrganisationEditPage {
        l: ctx.layout(Nav::People, format!("Rediger organisation: {}", organisation.name)),
        parties: parties.into_iter().filter(|p| reference::offered(p.retired, p.id == organisation.party_id)).collect(),
        organisation,
        form,
        errors,
    })
}

/// GET /parter/organisationer/{id}/rediger
pub async fn edit_organisation_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    Ok(Html(organisation_edit_page(&state, &ctx, id, None, FieldErrors::default()).await?.render()?))
}

/// POST /parter/organisationer/{id}: a new name or party (O1); its people's party follows.
pub async fn update_organisation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<OrganisationForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let errors = match reference::organisation(&form.org_name, &form.party_id) {
        Ok(input) => match people::update_organisation(&state.db, &ctx.actor(), id, &input).await {
            Ok(()) => return Ok(Redirect::to("/parter").into_response()),
            Err(e) => organisation_error(e)?,
        },
        Err(errors) => errors,
    };
    let page = organisation_edit_page(&state, &ctx, id, Some(form), errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

/// POST /parter/organisationer/{id}/udfas (O1)
pub async fn retire_organisation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    people::set_organisation_retired(&state.db, &ctx.actor(), id, true).await?;
    Ok(Redirect::to("/parter").into_response())
}

/// POST /parter/organisationer/{id}/genaktiver
pub async fn reactivate_organisation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    people::set_organisation_retired(&state.db, &ctx.actor(), id, false).await?;
    Ok(Redirect::to("/parter").into_response())
}
