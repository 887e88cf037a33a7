//! The person's own page: change password, personal API tokens.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::{self, Ctx};
use super::error::AppError;
use super::forms::FieldErrors;
use super::layout::{Layout, Nav};
use crate::domain::access::GlobalRole;
use crate::domain::ids::TokenId;
use crate::domain::input;
use crate::domain::notifications::{MailKind, Mode, Roles, receives};
use crate::security::{password, password_policy};
use crate::state::AppState;
use crate::store::{accounts, api_tokens, calendar, notifications, people, personal_data, second_factors};
use crate::text;

struct TokenView {
    id: i64,
    label: String,
    prefix: String,
    created: String,
    last_used: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    l: Layout,
    email: String,
    role: &'static str,
    tokens: Vec<TokenView>,
    new_token: String,
    token_label: String,
    notice: String,
    errors: FieldErrors,
    feeds: Vec<(i64, String, bool)>,
    new_feed_url: String,
    notifications: Vec<(&'static str, &'static str, String)>,
    /// The person's own contact details, which they keep themselves.
    phone: String,
    competences: String,
    /// The second factor: `None` when not set up, else the recovery codes left.
    second_factor: Option<i64>,
}

impl ProfilePage {
    async fn load(state: &AppState, ctx: &Ctx) -> Result<ProfilePage, AppError> {
        let person = people::get(&state.db, ctx.user.person_id).await?;
        let tokens = api_tokens::list_for(&state.db, ctx.user.person_id)
            .await?
            .into_iter()
            .map(|t| TokenView {
                id: t.id,
                label: t.label,
                prefix: t.prefix,
                created: text::datetime(t.created_at),
                last_used: t.last_used_at.map(text::datetime).unwrap_or_else(|| "Aldrig".into()),
                revoked: t.revoked_at.is_some(),
            })
            .collect();
        let second_factor = match second_factors::of(&state.db, ctx.user.person_id).await? {
            Some(f) if f.confirmed => Some(second_factors::unused_recovery_codes(&state.db, ctx.user.person_id).await?),
            _ => None,
        };
        Ok(ProfilePage {
            second_factor,
            l: ctx.layout(Nav::Profile, "Min profil"),
            email: ctx.user.email.clone(),
            role: ctx.user.role.label(),
            tokens,
            new_token: String::new(),
            token_label: String::new(),
            notice: String::new(),
            errors: FieldErrors::default(),
            feeds: calendar::feeds(&state.db, ctx.user.person_id)
                .await?
                .into_iter()
                .map(|f| (f.id, text::datetime(f.created_at), f.revoked_at.is_some()))
                .collect(),
            notifications: {
                let chosen = notifications::modes(&state.db, ctx.user.person_id).await?;
                let roles = roles(state, ctx).await?;
                MailKind::SETTABLE
                    .into_iter()
                    .filter(|&kind| receives(roles, kind))
                    .map(|kind| {
                        let label = kind.label();
                        let mode = chosen
                            .iter()
                            .find(|(k, _)| k == kind.as_str())
                            .map(|(_, m)| m.clone())
                            .unwrap_or_else(|| "immediate".into());
                        // The rule code in the label is the secretariat's working word (A3, R3 ...).
                        let label = match (ctx.viewer().is_secretariat(), label.rfind(" (")) {
                            (false, Some(at)) => &label[..at],
                            _ => label,
                        };
                        (kind.as_str(), label, mode)
                    })
                    .collect()
            },
            phone: person.as_ref().map(|p| p.phone.clone()).unwrap_or_default(),
            competences: person.map(|p| p.competences).unwrap_or_default(),
            // The secret is shown once, straight after it was made, then forgotten.
            new_feed_url: match ctx.session.remove::<String>("new_feed").await {
                Ok(Some(secret)) => format!("{}/kalender/{secret}.ics", state.config.base_url()),
                _ => String::new(),
            },
        })
    }

    fn respond(self, status: StatusCode) -> Result<Response, AppError> {
        Ok((status, Html(self.render()?)).into_response())
    }
}

/// The kinds of mail this person can receive, from their group roles and their global role.
async fn roles(state: &AppState, ctx: &Ctx) -> Result<Roles, AppError> {
    let mut roles = notifications::roles(&state.db, ctx.user.person_id).await?;
    roles.secretariat |= matches!(ctx.user.role, GlobalRole::Secretariat | GlobalRole::Admin);
    roles.administrator = ctx.user.role == GlobalRole::Admin;
    Ok(roles)
}

#[derive(Deserialize, Default)]
pub struct ContactForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    competences: String,
}

/// POST /profil/oplysninger: the person's own phone and competences (M8 keeps the rest).
pub async fn save_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ContactForm>,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::default();
    let phone = input::one_line(&form.phone, 40).unwrap_or_else(|m| {
        errors.add("phone", m);
        String::new()
    });
    let competences = input::text(&form.competences, 2_000).unwrap_or_else(|m| {
        errors.add("competences", m);
        String::new()
    });
    if !errors.is_empty() {
        let mut page = ProfilePage::load(&state, &ctx).await?;
        (page.phone, page.competences, page.errors) = (form.phone, form.competences, errors);
        return page.respond(StatusCode::UNPROCESSABLE_ENTITY);
    }
    people::set_own_contact(&state.db, &ctx.actor(), ctx.user.person_id, &phone, &competences).await?;
    Ok(Redirect::to("/profil#oplysninger").into_response())
}

/// GET /profil/mine-data.json: everything stored about the person, as a file to keep or take
/// elsewhere (GDPR articles 15 and 20).
pub async fn own_data(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let data = personal_data::export(&state.db, ctx.user.person_id).await?.ok_or(AppError::NotFound)?;
    let body = serde_json::to_string_pretty(&data).map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"mine-oplysninger.json\"".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// GET /profil
pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ProfilePage::load(&state, &ctx).await?.respond(StatusCode::OK)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_repeat: String,
    /// The checkbox "Tilbagekald også alle mine API-nøgler og kalenderlinks".
    revoke_credentials: Option<String>,
}

/// POST /profil/adgangskode: a new password ends every other session of the account and, when asked,
/// revokes every API token and calendar feed of the person in the same transaction.
pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let account = accounts::by_id(&state.db, ctx.user.person_id).await?.ok_or(AppError::Forbidden)?;
    let mut errors = FieldErrors::default();
    if !password::verify(form.current_password.clone(), account.password_hash.clone()).await? {
        errors.add("current_password", "Den nuværende adgangskode er forkert.");
    }
    if let Some(msg) = password_policy::policy_error(&form.new_password, &account.email, &account.name) {
        errors.add("new_password", msg);
    } else if form.new_password != form.new_password_repeat {
        errors.add("new_password_repeat", "De to nye adgangskoder er ikke ens.");
    }
    if !errors.is_empty() {
        let mut page = ProfilePage::load(&state, &ctx).await?;
        page.errors = errors;
        return page.respond(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let hash = password::hash(form.new_password).await?;
    let revoke = form.revoke_credentials.is_some();
    let changed_at = accounts::set_password(&state.db, &ctx.actor(), ctx.user.person_id, &hash, revoke).await?;
    auth::renew_stamp(&ctx.session, changed_at).await?;
    let mut page = ProfilePage::load(&state, &ctx).await?;
    page.l = Layout::for_user(&ctx.user, auth::csrf_token(&ctx.session).await?, Nav::Profile, "Min profil");
    page.notice = if revoke {
        "Din adgangskode er skiftet, og alle dine API-nøgler og kalenderlinks er tilbagekaldt. Andre steder, \
         du var logget ind, er nu logget ud."
            .into()
    } else {
        "Din adgangskode er skiftet. Andre steder, du var logget ind, er nu logget ud.".into()
    };
    page.respond(StatusCode::OK)
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    label: String,
}

/// POST /profil/api-noegler: the secret is shown on this response only.
pub async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    let label = form.label.trim();
    let mut errors = FieldErrors::default();
    if label.is_empty() {
        errors.add("label", "Giv nøglen et navn, så du kan kende den igen.");
    } else if label.chars().count() > 100 {
        errors.add("label", "Navnet må højst have 100 tegn.");
    }
    if !errors.is_empty() {
        let mut page = ProfilePage::load(&state, &ctx).await?;
        page.token_label = form.label;
        page.errors = errors;
        return page.respond(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let secret = api_tokens::create(&state.db, &ctx.actor(), ctx.user.person_id, label).await?;
    let mut page = ProfilePage::load(&state, &ctx).await?;
    page.new_token = secret;
    page.respond(StatusCode::OK)
}

/// POST /profil/api-noegler/{id}/tilbagekald
pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<TokenId>,
) -> Result<Redirect, AppError> {
    if !api_tokens::revoke(&state.db, &ctx.actor(), ctx.person(), id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/profil"))
}

/// POST /profil/notifikationer (D3): immediate, daily digest or off for each kind of mail.
pub async fn save_notifications(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let mut choices = Vec::new();
    let roles = roles(&state, &ctx).await?;
    for kind in MailKind::SETTABLE.into_iter().filter(|&kind| receives(roles, kind)) {
        if let Some((_, value)) = fields.iter().find(|(k, _)| k == kind.as_str()) {
            let mode = Mode::parse(value).ok_or_else(|| AppError::BadRequest("Ukendt valg.".into()))?;
            choices.push((kind, mode));
        }
    }
    notifications::save(&state.db, &ctx.actor(), ctx.user.person_id, &choices).await?;
    Ok(Redirect::to("/profil#notifikationer").into_response())
}
