//! Accounts without a command line: the secretariat invites a person from their page, anyone
//! can ask for a reset link on the login page, and a single-use link (stored hashed) lets the person
//! choose a password under the password rules. The reset form answers the same, at the same cost,
//! whatever the address: it only records the request (`jobs::password_resets` does the rest).

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::net::SocketAddr;
use tower_sessions::Session;

use super::auth::{self, Ctx};
use super::error::AppError;
use super::forms::FieldErrors;
use super::layout::Layout;
use super::middleware::client_address;
use crate::app;
use crate::domain::access::{GlobalRole, Viewer};
use crate::domain::email::Email;
use crate::jobs::password_resets;
use crate::security::{password, password_policy, tokens};
use crate::state::AppState;
use crate::store::account_links::{self, LinkState, Purpose};
use crate::store::password_resets as store_resets;
use crate::store::people;

/// Reset requests per client an hour, for any address (with an account or not).
const RESETS_PER_CLIENT: i32 = 10;
const RESET_WINDOW_MINUTES: i32 = 60;

#[derive(Deserialize, Default)]
pub struct InviteForm {
    /// The global role the account gets; only an administrator's form offers it.
    #[serde(default)]
    role: String,
}

/// POST /personer/{id}/invitation: the secretariat invites a person of the register to sign in.
pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let role = match form.role.as_str() {
        "" => None,
        code => Some(GlobalRole::parse(code).ok_or_else(|| AppError::BadRequest("Vælg en af rollerne.".into()))?),
    };
    app::accounts::invite(&state, &ctx.actor(), ctx.user.acting(), id, role).await?;
    Ok(Redirect::to(&format!("/personer/{id}#adgang")).into_response())
}

#[derive(Template)]
#[template(path = "account/forgot.html")]
struct ForgotPage {
    l: Layout,
    email: String,
    errors: FieldErrors,
    sent: bool,
}

/// GET /glemt-adgangskode
pub async fn forgot_form(session: Session) -> Result<Html<String>, AppError> {
    let l = Layout::anonymous("Glemt adgangskode", auth::csrf_token(&session).await?);
    Ok(Html(ForgotPage { l, email: String::new(), errors: FieldErrors::default(), sent: false }.render()?))
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// POST /glemt-adgangskode: the same answer, at the same cost, whether or not the address has an account.
/// The request is only recorded here (one statement, which also applies the per-client limit); the
/// account lookup and the link happen in the background step (`jobs::password_resets`).
pub async fn forgot(
    State(state): State<AppState>,
    session: Session,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<ForgotForm>,
) -> Result<Response, AppError> {
    let l = Layout::anonymous("Glemt adgangskode", auth::csrf_token(&session).await?);
    let Ok(email) = Email::parse(&form.email) else {
        let mut errors = FieldErrors::default();
        errors.add("email", "Skriv den e-mailadresse, du logger ind med.");
        let page = ForgotPage { l, email: form.email, errors, sent: false };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    };
    let from = client_address(&headers, peer.map(|axum::Extension(i)| i), state.config.trust_forwarded_for);
    let now = state.clock.now();
    let recorded =
        store_resets::request(&state.db, email.as_str(), &from, now, RESETS_PER_CLIENT, RESET_WINDOW_MINUTES).await?;
    if let Err(retry_at) = recorded {
        let seconds = (retry_at - now).num_seconds().max(1);
        let minutes = (seconds + 59) / 60;
        let unit = if minutes == 1 { "minut" } else { "minutter" };
        let message = format!(
            "Der er bedt om for mange links til ny adgangskode fra denne computer. Vent {minutes} {unit}, og prøv igen."
        );
        let mut response = AppError::RateLimited(message).into_response();
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        return Ok(response);
    }
    if state.config.reset_requests_at_once {
        let background = state.clone();
        tokio::spawn(async move {
            if let Err(err) = password_resets::run_once(&background).await {
                tracing::warn!(error = %format!("{err:#}"), "password reset requests not processed; the periodic run retries");
            }
        });
    }
    Ok(Html(ForgotPage { l, email: String::new(), errors: FieldErrors::default(), sent: true }.render()?)
        .into_response())
}

#[derive(Template)]
#[template(path = "account/choose_password.html")]
struct ChoosePage {
    l: Layout,
    secret: String,
    email: String,
    problem: &'static str,
    errors: FieldErrors,
    done: bool,
}

fn problem_of(state: &LinkState) -> &'static str {
    match state {
        LinkState::Valid { .. } => "",
        LinkState::Used => "Linket er allerede brugt. Et link virker kun én gang.",
        LinkState::Expired => "Linket er udløbet.",
        LinkState::Unknown => "Linket findes ikke. Tjek, at hele adressen fra mailen kom med.",
    }
}

/// GET /adgangskode/{secret}
pub async fn choose_form(
    State(state): State<AppState>,
    session: Session,
    Path(secret): Path<String>,
) -> Result<Response, AppError> {
    let link = account_links::state(&state.db, &tokens::sha256(&secret), state.clock.now()).await?;
    let (title, email) = match &link {
        LinkState::Valid { purpose: Purpose::Invitation, email, .. } => ("Velkommen til Samarbejdsrum", email.clone()),
        LinkState::Valid { email, .. } => ("Ny adgangskode", email.clone()),
        _ => ("Linket virker ikke", String::new()),
    };
    let problem = problem_of(&link);
    let page = ChoosePage {
        l: Layout::anonymous(title, auth::csrf_token(&session).await?),
        secret,
        email,
        problem,
        errors: FieldErrors::default(),
        done: false,
    };
    let status = if problem.is_empty() { StatusCode::OK } else { StatusCode::GONE };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Deserialize)]
pub struct ChooseForm {
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_repeat: String,
}

/// POST /adgangskode/{secret}: the password rules apply (at least 15 characters, not a common one).
pub async fn choose(
    State(state): State<AppState>,
    session: Session,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Path(secret): Path<String>,
    Form(form): Form<ChooseForm>,
) -> Result<Response, AppError> {
    let hash = tokens::sha256(&secret);
    let link = account_links::state(&state.db, &hash, state.clock.now()).await?;
    let l = Layout::anonymous("Ny adgangskode", auth::csrf_token(&session).await?);
    let LinkState::Valid { email, person_id, .. } = &link else {
        let page = ChoosePage {
            l,
            secret,
            email: String::new(),
            problem: problem_of(&link),
            errors: FieldErrors::default(),
            done: false,
        };
        return Ok((StatusCode::GONE, Html(page.render()?)).into_response());
    };
    let mut errors = FieldErrors::default();
    let name = people::get(&state.db, *person_id).await?.map(|p| p.name).unwrap_or_default();
    if let Some(message) = password_policy::policy_error(&form.new_password, email, &name) {
        errors.add("new_password", message);
    } else if form.new_password != form.new_password_repeat {
        errors.add("new_password_repeat", "De to adgangskoder er ikke ens.");
    }
    if !errors.is_empty() {
        let page = ChoosePage { l, secret, email: email.clone(), problem: "", errors, done: false };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    }
    let new_hash = password::hash(form.new_password).await?;
    let from = client_address(&headers, peer.map(|axum::Extension(i)| i), state.config.trust_forwarded_for);
    match account_links::redeem(&state.db, &hash, &new_hash, &from, state.clock.now()).await {
        Ok(_) => {
            let page = ChoosePage { l, secret: String::new(), email: String::new(), problem: "", errors, done: true };
            Ok(Html(page.render()?).into_response())
        }
        Err(crate::store::Error::NotFound) => Ok(Redirect::to(&format!("/adgangskode/{secret}")).into_response()),
        Err(e) => Err(e.into()),
    }
}
