//! Signing in and out. Attempts are throttled per account and address, per address, and per account
//! (capped from its known addresses, a slower bucket from unknown ones: domain::login_throttle), counted
//! in the database so all instances share the limits. Every refusal carries Retry-After.
//! A sign-in is five statements: the session's read, the throttle's claim with the account,
//! the success with its audit line, and the session library's delete of the old session and insert
//! of the new one (against fixation).

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use tower_sessions::Session;

use super::auth::{self, Ctx, CurrentUser};
use super::error::AppError;
use super::forms::FieldErrors;
use super::layout::Layout;
use super::middleware::client_address;
use super::redirect::safe_next;
use crate::domain::email::Email;
use crate::domain::login_throttle;
use crate::observability;
use crate::security::password;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::{accounts, login_attempts, sign_in};

#[derive(Template)]
#[template(path = "auth/login.html")]
pub(super) struct LoginPage {
    pub(super) l: Layout,
    pub(super) email: String,
    pub(super) next: String,
    pub(super) errors: FieldErrors,
    pub(super) alert: String,
    /// "Log ind med {label}" above the password form, when a provider is configured.
    pub(super) oidc_label: Option<String>,
    /// Password sign-in is off for all but break-glass administrators: the form folds away.
    pub(super) password_off: bool,
}

impl LoginPage {
    /// The login page as `state` configures it, with `alert` at the top.
    pub(super) async fn new(state: &AppState, csrf: String, next: String, alert: &str) -> Result<Self, AppError> {
        let password_off = match state.oidc {
            Some(_) => !sign_in::password_sign_in(&state.db).await?,
            None => false,
        };
        Ok(LoginPage {
            l: Layout::anonymous("Log ind", csrf),
            email: String::new(),
            next,
            errors: FieldErrors::default(),
            alert: alert.into(),
            oidc_label: state.oidc.as_ref().map(|o| o.label().to_owned()),
            password_off,
        })
    }
}

#[derive(Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// GET /login
pub async fn form(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    session: Session,
    Query(q): Query<NextParam>,
) -> Result<Response, AppError> {
    let next = safe_next(q.next.as_deref()).to_owned();
    if user.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let page = LoginPage::new(&state, auth::csrf_token(&session).await?, next, "").await?;
    Ok(Html(page.render()?).into_response())
}

/// POST /login
pub async fn submit(
    State(state): State<AppState>,
    session: Session,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let next = safe_next(form.next.as_deref()).to_owned();
    let oidc_label = state.oidc.as_ref().map(|o| o.label().to_owned());
    let rerender = |status: StatusCode, errors: FieldErrors, alert: &str, csrf: String| -> Result<Response, AppError> {
        let page = LoginPage {
            l: Layout::anonymous("Log ind", csrf),
            email: form.email.clone(),
            next: next.clone(),
            errors,
            alert: alert.into(),
            oidc_label: oidc_label.clone(),
            // Only a break-glass administrator gets this far with the form open; the others are
            // told where to sign in instead.
            password_off: false,
        };
        Ok((status, Html(page.render()?)).into_response())
    };
    let csrf = auth::csrf_token(&session).await?;

    let mut errors = FieldErrors::default();
    let email = Email::parse(&form.email).map_err(|msg| errors.add("email", msg)).ok();
    if form.password.is_empty() {
        errors.add("password", "Skriv din adgangskode.");
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return rerender(StatusCode::UNPROCESSABLE_ENTITY, errors, "", csrf);
    };

    let address = client_address(&headers, peer.map(|Extension(info)| info), state.config.trust_forwarded_for);
    let now = state.clock.now();
    let claim = match login_attempts::claim(&state.db, email.as_str(), &address, now).await? {
        Ok(claim) => claim,
        Err(verdict) => {
            observability::sign_in_refused("throttled");
            let response =
                rerender(StatusCode::TOO_MANY_REQUESTS, FieldErrors::default(), &verdict.message(now), csrf)?;
            return Ok(with_retry_after(response, &verdict, now));
        }
    };

    if let (false, Some(oidc)) = (claim.password_allowed, &state.oidc) {
        let message = format!(
            "Log ind med {}. Adgangskoder er slået fra her, undtagen for administratorernes nødadgang.",
            oidc.label()
        );
        observability::sign_in_refused("password_sign_in_off");
        return rerender(StatusCode::FORBIDDEN, FieldErrors::default(), &message, csrf);
    }
    let stored =
        claim.account.as_ref().map(|a| a.password_hash.clone()).unwrap_or_else(|| password::DUMMY_HASH.clone());
    let password_ok = password::verify(form.password.clone(), stored).await?;
    let Some(account) = claim.account.as_ref().filter(|a| password_ok && a.active) else {
        observability::sign_in_refused("wrong_password");
        return rerender(StatusCode::UNAUTHORIZED, FieldErrors::default(), "Forkert e-mail eller adgangskode.", csrf);
    };
    let actor =
        Actor { person_id: Some(account.person_id), label: account.name.clone(), request_id: request_id(&headers) };
    if claim.second_factor {
        // The attempt stays counted as a failure until the second factor is right too.
        let pending =
            auth::PendingSignIn { person_id: account.person_id, email: account.email.clone(), next, started_at: now };
        auth::await_second_factor(&session, &pending).await?;
        return Ok(Redirect::to("/login/totrin").into_response());
    }
    login_attempts::succeeded(&state.db, &claim, &actor, now).await?;

    auth::sign_in(&session, account, now).await?;
    Ok(Redirect::to(&next).into_response())
}

/// POST /logout: ends the session here and, after a sign-in through the provider that offers it,
/// the provider's session too (RP-initiated logout), which then sends the browser back to /login.
pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Redirect, AppError> {
    let id_token = auth::provider_id_token(&ctx.session).await?;
    accounts::record_logout(&state.db, &ctx.actor()).await?;
    auth::sign_out(&ctx.session).await?;
    if let (Some(oidc), Some(id_token)) = (&state.oidc, id_token) {
        let back = format!("{}/login", state.config.base_url());
        if let Some(url) = oidc.logout_url(&id_token, &back).await {
            return Ok(Redirect::to(url.as_str()));
        }
    }
    Ok(Redirect::to("/login"))
}

/// A throttled sign-in's answer says when to try again (the password's and the second factor's).
pub(super) fn with_retry_after(
    mut response: Response,
    verdict: &login_throttle::Verdict,
    now: chrono::DateTime<chrono::Utc>,
) -> Response {
    let seconds = verdict.retry_after_seconds(now).unwrap_or(login_throttle::LOCKED_RETRY_AFTER_SECONDS);
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

pub(super) fn request_id(headers: &HeaderMap) -> Option<String> {
    headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned)
}
