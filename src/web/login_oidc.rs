//! Signing in through the organisation's identity provider (OpenID Connect): the start, which sends
//! the browser to the provider, and the callback, which checks what comes back and finds the account.
//! An account is found by the provider's issuer and subject; the first time, by a verified e-mail of
//! an existing, active account (no one registers themselves). Every refusal is a Danish sentence on
//! the login page and an audit line, never a 500.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::auth::{self, CurrentUser};
use super::error::AppError;
use super::login::{LoginPage, request_id};
use super::redirect::safe_next;
use crate::security::oidc::{Identity, Oidc, OidcError};
use crate::security::tokens;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::{accounts, sign_in};

#[derive(Deserialize)]
pub struct StartParams {
    next: Option<String>,
}

/// GET /login/oidc: to the provider, with state, nonce and a PKCE challenge kept in the session.
pub async fn start(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    session: Session,
    Query(q): Query<StartParams>,
) -> Result<Response, AppError> {
    let oidc = state.oidc.clone().ok_or(AppError::NotFound)?;
    let next = safe_next(q.next.as_deref()).to_owned();
    if user.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    match oidc.start(next).await {
        Ok((url, flow)) => {
            auth::begin_provider_flow(&session, &flow).await?;
            Ok(Redirect::to(url.as_str()).into_response())
        }
        Err(e) => {
            let message = format!("{} svarer ikke lige nu. Prøv igen om lidt.", oidc.label());
            refused(&state, &session, &HeaderMap::new(), StatusCode::SERVICE_UNAVAILABLE, &message, &e.to_string())
                .await
        }
    }
}

#[derive(Deserialize)]
pub struct CallbackParams {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Why a sign-in through the provider was refused: what the person reads, and the audit log's reason.
struct Refused {
    status: StatusCode,
    message: String,
    reason: String,
}

impl Refused {
    fn new(status: StatusCode, message: impl Into<String>, reason: impl Into<String>) -> Self {
        Refused { status, message: message.into(), reason: reason.into() }
    }
}

/// GET /login/oidc/callback
pub async fn callback(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Query(q): Query<CallbackParams>,
) -> Result<Response, AppError> {
    let oidc = state.oidc.clone().ok_or(AppError::NotFound)?;
    let flow = auth::take_provider_flow(&session).await?;
    match finish(&state, &oidc, &session, &headers, flow, q).await? {
        Ok(next) => Ok(Redirect::to(&next).into_response()),
        Err(r) => refused(&state, &session, &headers, r.status, &r.message, &r.reason).await,
    }
}

async fn finish(
    state: &AppState,
    oidc: &Oidc,
    session: &Session,
    headers: &HeaderMap,
    flow: Option<crate::security::oidc::Flow>,
    q: CallbackParams,
) -> Result<Result<String, Refused>, AppError> {
    let again = "Log ind blev afbrudt eller er udløbet. Prøv igen.";
    if let Some(error) = q.error {
        return Ok(Err(Refused::new(StatusCode::UNAUTHORIZED, again, format!("the provider answered {error}"))));
    }
    let Some(flow) = flow else {
        return Ok(Err(Refused::new(StatusCode::BAD_REQUEST, again, "no sign-in under way in this session")));
    };
    let state_matches = q.state.as_deref().is_some_and(|s| tokens::constant_time_eq(s, &flow.state));
    let (Some(code), true) = (q.code.filter(|c| !c.is_empty() && c.len() <= 2048), state_matches) else {
        return Ok(Err(Refused::new(StatusCode::BAD_REQUEST, again, "state did not match, or no code")));
    };
    let identity = match oidc.finish(&flow, &code).await {
        Ok(identity) => identity,
        Err(e @ OidcError::Discovery(_)) => {
            let message = format!("{} svarer ikke lige nu. Prøv igen om lidt.", oidc.label());
            return Ok(Err(Refused::new(StatusCode::SERVICE_UNAVAILABLE, message, e.to_string())));
        }
        Err(e) => {
            let message = format!("{} kunne ikke bekræfte, hvem du er. Prøv igen.", oidc.label());
            return Ok(Err(Refused::new(StatusCode::UNAUTHORIZED, message, e.to_string())));
        }
    };
    let now = state.clock.now();
    let account = match account_for(state, headers, &identity, now).await? {
        Ok(account) => account,
        Err(refused) => return Ok(Err(refused)),
    };
    auth::sign_in(session, &account, now).await?;
    auth::remember_provider_id_token(session, &identity.id_token).await?;
    Ok(Ok(flow.next))
}

/// The account of the person the provider vouches for, with the sign-in recorded: found by their
/// identity (one statement, the usual case), or, the first time, by their verified e-mail and bound
/// to the identity.
async fn account_for(
    state: &AppState,
    headers: &HeaderMap,
    identity: &Identity,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Result<crate::store::account_row::Account, Refused>, AppError> {
    let unknown = "Du har ingen konto i Samarbejdsrum endnu. Bed sekretariatet om at oprette dig med den e-mail, \
                   din organisation bruger.";
    let closed = "Din konto i Samarbejdsrum er lukket. Kontakt sekretariatet, hvis du skal have adgang igen.";
    let request = request_id(headers);
    let returning =
        sign_in::login_by_identity(&state.db, &identity.issuer, &identity.subject, request.as_deref(), now).await?;
    if let Some(person_id) = returning {
        return match accounts::by_id(&state.db, person_id).await? {
            Some(account) => Ok(Ok(account)),
            None => Ok(Err(Refused::new(StatusCode::FORBIDDEN, unknown, "the bound account is gone"))),
        };
    }
    if sign_in::person_of_identity(&state.db, &identity.issuer, &identity.subject).await?.is_some() {
        return Ok(Err(Refused::new(StatusCode::FORBIDDEN, closed, "the account is closed")));
    }
    let (Some(email), true) = (identity.email.as_deref(), identity.email_verified) else {
        let reason = "no verified e-mail claim for an identity not yet bound";
        return Ok(Err(Refused::new(StatusCode::FORBIDDEN, unknown, reason)));
    };
    let Some(account) = accounts::by_email(&state.db, email).await? else {
        return Ok(Err(Refused::new(StatusCode::FORBIDDEN, unknown, "no account with the verified e-mail")));
    };
    if !account.active {
        return Ok(Err(Refused::new(StatusCode::FORBIDDEN, closed, "the account is closed")));
    }
    let actor = Actor { person_id: Some(account.person_id), label: account.name.clone(), request_id: request };
    if !sign_in::bind_identity(&state.db, &actor, account.person_id, &identity.issuer, &identity.subject).await? {
        return Ok(Err(Refused::new(
            StatusCode::FORBIDDEN,
            "Din konto er allerede knyttet til et andet login hos din organisation. Kontakt sekretariatet.",
            "the account with this e-mail is bound to another identity",
        )));
    }
    sign_in::record_login(&state.db, &actor, account.person_id, now).await?;
    Ok(Ok(account))
}

/// The login page with the refusal, and the reason in the audit log.
async fn refused(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    status: StatusCode,
    message: &str,
    reason: &str,
) -> Result<Response, AppError> {
    tracing::info!(reason, "sign-in through the identity provider refused");
    crate::observability::sign_in_refused("identity_provider");
    let actor =
        Actor { person_id: None, label: "log ind via identitetsudbyder".into(), request_id: request_id(headers) };
    sign_in::record_refusal(&state.db, &actor, reason).await?;
    let page = LoginPage::new(state, auth::csrf_token(session).await?, "/".into(), message).await?;
    Ok((status, Html(page.render()?)).into_response())
}
