//! Administration of what the product ships and an installation adjusts: the group kinds' rule sets and
//! templates (M2-M6, S1, S2) and the installation's own closed days (D1), plus closing an account.
//! Everything here is the administrator's; every change is audited.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::auth::Ctx;
use super::error::AppError;
use super::forms::FieldErrors;
use super::layout::{Layout, Nav};
use crate::domain::access::Viewer;
use crate::domain::composition::KindRules;
use crate::domain::input;
use crate::state::AppState;
use crate::store::{self, accounts, closed_days, groups};

#[derive(Deserialize, Default, Clone)]
pub struct KindForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    max_members: String,
    #[serde(default)]
    max_per_party: String,
    #[serde(default)]
    max_secretariat: String,
    #[serde(default)]
    chair_management_level: Option<String>,
    #[serde(default)]
    chair_from_party: Option<String>,
    #[serde(default)]
    requires_staff_approval: Option<String>,
    #[serde(default)]
    expects_substitutes: Option<String>,
    #[serde(default)]
    charter_template: String,
    #[serde(default)]
    responsibilities: String,
}

impl KindForm {
    fn from_settings(k: &groups::KindSettings) -> KindForm {
        let n = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
        let yes = |b: bool| b.then(|| "ja".to_owned());
        KindForm {
            name: k.name.clone(),
            max_members: n(k.rules.max_members),
            max_per_party: n(k.rules.max_per_party),
            max_secretariat: n(k.rules.max_secretariat),
            chair_management_level: yes(k.rules.chair_management_level),
            chair_from_party: yes(k.rules.chair_from_party),
            requires_staff_approval: yes(k.rules.requires_staff_approval),
            expects_substitutes: yes(k.rules.expects_substitutes),
            charter_template: k.charter_template.clone(),
            responsibilities: k.responsibilities.clone(),
        }
    }

    /// M2's caps are whole numbers from 0 (secretariat) or 1 to 100, or empty for no cap; the per-party and
    /// secretariat caps cannot exceed the group's.
    fn validate(&self) -> Result<groups::KindSettings, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut cap = |field: &'static str, value: &str, min: u32| match value.trim() {
            "" => None,
            s => match s.parse::<u32>() {
                Ok(n) if (min..=100).contains(&n) => Some(n),
                _ => {
                    errors.add(field, format!("Skriv et helt tal fra {min} til 100, eller lad feltet stå tomt."));
                    None
                }
            },
        };
        let max_members = cap("max_members", &self.max_members, 1);
        let max_per_party = cap("max_per_party", &self.max_per_party, 1);
        let max_secretariat = cap("max_secretariat", &self.max_secretariat, 0);
        if let (Some(all), Some(part)) = (max_members, max_per_party)
            && part > all
        {
            errors.add("max_per_party", "En part kan ikke have flere pladser end gruppen har (M2).");
        }
        let name = input::one_line(&self.name, 100).map_err(|m| errors.add("name", m)).unwrap_or_default();
        if name.is_empty() && errors.get("name").is_empty() {
            errors.add("name", "Skriv typens navn.");
        }
        let charter_template = input::text(&self.charter_template, 20_000)
            .map_err(|m| errors.add("charter_template", m))
            .unwrap_or_default();
        let responsibilities = input::text(&self.responsibilities, 5_000)
            .map_err(|m| errors.add("responsibilities", m))
            .unwrap_or_default();
        if !errors.is_empty() {
            return Err(errors);
        }
        let rules = KindRules {
            max_members,
            max_per_party,
            max_secretariat,
            chair_management_level: self.chair_management_level.is_some(),
            chair_from_party: self.chair_from_party.is_some(),
            requires_staff_approval: self.requires_staff_approval.is_some(),
            expects_substitutes: self.expects_substitutes.is_some(),
        };
        Ok(groups::KindSettings { name, rules, charter_template, responsibilities })
    }
}

#[derive(Template)]
#[template(path = "admin/kind.html")]
struct KindPage {
    l: Layout,
    code: String,
    form: KindForm,
    errors: FieldErrors,
}

/// GET /administration/gruppetyper/{code}
pub async fn kind_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::can_administer)?;
    let (_, settings) = groups::kind_settings(&state.db, &code).await?.ok_or(AppError::NotFound)?;
    let form = KindForm::from_settings(&settings);
    let page = KindPage {
        l: ctx.layout(Nav::Admin, format!("Gruppetype: {}", settings.name)),
        code,
        form,
        errors: FieldErrors::default(),
    };
    Ok(Html(page.render()?).into_response())
}

/// POST /administration/gruppetyper/{code}
pub async fn update_kind(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(form): Form<KindForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::can_administer)?;
    let (id, settings) = groups::kind_settings(&state.db, &code).await?.ok_or(AppError::NotFound)?;
    match form.validate() {
        Ok(new) => {
            groups::update_kind(&state.db, &ctx.actor(), id, &new).await?;
            Ok(Redirect::to("/administration#gruppetyper").into_response())
        }
        Err(errors) => {
            let l = ctx.layout(Nav::Admin, format!("Gruppetype: {}", settings.name));
            let page = KindPage { l, code, form, errors };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct ClosedDayForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    reason: String,
}

/// POST /administration/lukkedage (D1): an extra closed day; every deadline uses it at once.
pub async fn add_closed_day(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ClosedDayForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::can_administer)?;
    let day = input::date(&form.day)
        .map_err(|_| AppError::BadRequest("Skriv datoen som åååå-mm-dd (år 1900-2200).".into()))?;
    let reason = input::one_line(&form.reason, 200).map_err(|u| AppError::BadRequest(u.into()))?;
    if reason.is_empty() {
        return Err(AppError::BadRequest("Skriv hvorfor dagen er lukket, fx «1. maj».".into()));
    }
    let added = closed_days::add(&state.db, &ctx.actor(), day, &reason).await;
    state.calendar.invalidate();
    match added {
        Ok(()) => Ok(Redirect::to("/administration#lukkedage").into_response()),
        Err(store::Error::Taken(_)) => Err(AppError::BadRequest("Dagen er allerede lukket.".into())),
        Err(e) => Err(e.into()),
    }
}

/// POST /administration/lukkedage/{day}/slet
pub async fn remove_closed_day(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(day): Path<String>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::can_administer)?;
    let day: NaiveDate = input::date(&day).map_err(|_| AppError::NotFound)?;
    let removed = closed_days::remove(&state.db, &ctx.actor(), day).await;
    state.calendar.invalidate();
    removed?;
    Ok(Redirect::to("/administration#lukkedage").into_response())
}

/// POST /administration/brugere/{id}/luk and /genaabn: an administrator closes or reopens an account;
/// a closed one's sessions, API tokens and calendar feeds stop at once. Nobody closes their own.
pub async fn close_account(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    set_account(state, ctx, id, false).await
}

pub async fn reopen_account(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    set_account(state, ctx, id, true).await
}

async fn set_account(state: AppState, ctx: Ctx, id: i64, active: bool) -> Result<Response, AppError> {
    ctx.require(Viewer::can_administer)?;
    if id == ctx.user.person_id && !active {
        return Err(AppError::BadRequest("Du kan ikke lukke din egen konto.".into()));
    }
    accounts::set_active(&state.db, &ctx.actor(), id, active).await?;
    Ok(Redirect::to("/administration#brugere").into_response())
}
