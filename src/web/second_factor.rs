//! The second step of a password sign-in (a code from the authenticator app, or a recovery code),
//! enrolment in it (during sign-in when the installation requires it of staff, or from the profile),
//! and an administrator's reset of a person's second factor. Wrong codes are throttled like wrong
//! passwords: each is an attempt counted by the same rule.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use tower_sessions::Session;

use super::auth::{self, Ctx, PendingSignIn};
use super::error::AppError;
use super::forms::FieldErrors;
use super::layout::{Layout, Nav};
use super::login::{request_id, with_retry_after};
use super::middleware::client_address;
use crate::domain::access::Viewer;
use crate::security::second_factor as totp;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::{accounts, login_attempts, second_factors};

/// How long the second step may wait after the password.
const PENDING_MINUTES: i64 = 10;

#[derive(Template)]
#[template(path = "auth/second_factor.html")]
struct StepPage {
    l: Layout,
    /// Enrolling: the QR code and the secret to type by hand; otherwise just the code field.
    enrolment: Option<Enrolment>,
    action: &'static str,
    errors: FieldErrors,
    alert: String,
}

struct Enrolment {
    qr_svg: String,
    /// The secret in groups of four, as authenticator apps accept it typed.
    secret: String,
}

#[derive(Template)]
#[template(path = "auth/recovery_codes.html")]
struct RecoveryCodesPage {
    l: Layout,
    codes: Vec<String>,
    next: String,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// The enrolment of `account`, started now if it has none: its QR code and secret.
async fn enrolment(state: &AppState, person_id: i64, email: &str) -> Result<Option<Enrolment>, AppError> {
    let existing = second_factors::of(&state.db, person_id).await?;
    let secret = match existing {
        Some(e) if e.confirmed => return Ok(None),
        Some(e) => e.secret,
        None => {
            let secret = totp::new_secret();
            second_factors::begin(&state.db, person_id, &secret).await?;
            secret
        }
    };
    let url = totp::enrolment_url(&secret, email).ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad secret")))?;
    let qr_svg = totp::qr_svg(&url).ok_or_else(|| AppError::Internal(anyhow::anyhow!("no QR code")))?;
    let grouped = secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>();
    Ok(Some(Enrolment { qr_svg, secret: grouped.join(" ") }))
}

async fn pending(state: &AppState, session: &Session) -> Result<Option<PendingSignIn>, AppError> {
    let now = state.clock.now();
    Ok(auth::pending_sign_in(session)
        .await?
        .filter(|p| now - p.started_at < chrono::Duration::minutes(PENDING_MINUTES) && p.started_at <= now))
}

fn step_page(csrf: String, enrolment: Option<Enrolment>, action: &'static str) -> StepPage {
    let title = if enrolment.is_some() { "Opsæt totrinsbekræftelse" } else { "Totrinsbekræftelse" };
    StepPage {
        l: Layout::anonymous(title, csrf),
        enrolment,
        action,
        errors: FieldErrors::default(),
        alert: String::new(),
    }
}

/// GET /login/totrin
pub async fn form(State(state): State<AppState>, session: Session) -> Result<Response, AppError> {
    let Some(p) = pending(&state, &session).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let enrol = enrolment(&state, p.person_id, &p.email).await?;
    let page = step_page(auth::csrf_token(&session).await?, enrol, "/login/totrin");
    Ok(Html(page.render()?).into_response())
}

/// POST /login/totrin: the code (or a recovery code) after the password; when enrolling, the first
/// code confirms the app, and the recovery codes are shown once.
pub async fn submit(
    State(state): State<AppState>,
    session: Session,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let Some(p) = pending(&state, &session).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let csrf = auth::csrf_token(&session).await?;
    let now = state.clock.now();
    let address = client_address(&headers, peer.map(|Extension(info)| info), state.config.trust_forwarded_for);
    let claim = match login_attempts::claim(&state.db, &p.email, &address, now).await? {
        Ok(claim) => claim,
        Err(verdict) => {
            crate::observability::sign_in_refused("throttled");
            let enrol = enrolment(&state, p.person_id, &p.email).await?;
            let mut page = step_page(csrf, enrol, "/login/totrin");
            page.alert = verdict.message(now);
            let response = (StatusCode::TOO_MANY_REQUESTS, Html(page.render()?)).into_response();
            return Ok(with_retry_after(response, &verdict, now));
        }
    };
    let Some(account) = claim.account.as_ref().filter(|a| a.active && a.person_id == p.person_id) else {
        auth::sign_out(&session).await?;
        return Ok(Redirect::to("/login").into_response());
    };
    let actor =
        Actor { person_id: Some(account.person_id), label: account.name.clone(), request_id: request_id(&headers) };
    let factor = second_factors::of(&state.db, p.person_id).await?;
    let unix = now.timestamp();
    let mut recovery_codes = None;
    let accepted = match factor {
        Some(f) if f.confirmed => {
            if totp::looks_like_recovery_code(&form.code) {
                let hash = totp::recovery_hash(&form.code);
                second_factors::use_recovery_code(&state.db, &actor, p.person_id, &hash, now).await?
            } else {
                match totp::accepted_step(&f.secret, &form.code, unix, f.last_used_step) {
                    Some(step) => second_factors::use_step(&state.db, p.person_id, step).await?,
                    None => false,
                }
            }
        }
        Some(f) => match totp::accepted_step(&f.secret, &form.code, unix, None) {
            Some(step) => {
                let codes = totp::new_recovery_codes();
                let hashes: Vec<Vec<u8>> = codes.iter().map(|c| totp::recovery_hash(c)).collect();
                let confirmed = second_factors::confirm(&state.db, &actor, p.person_id, step, &hashes, now).await?;
                recovery_codes = confirmed.then_some(codes);
                confirmed
            }
            None => false,
        },
        None => false,
    };
    if !accepted {
        crate::observability::sign_in_refused("wrong_second_factor");
        let enrol = enrolment(&state, p.person_id, &p.email).await?;
        let mut page = step_page(csrf, enrol, "/login/totrin");
        page.errors
            .add("code", "Koden passer ikke. Skriv den kode, appen viser nu, eller en af dine gendannelseskoder.");
        return Ok((StatusCode::UNAUTHORIZED, Html(page.render()?)).into_response());
    }
    login_attempts::succeeded(&state.db, &claim, &actor, now).await?;
    auth::sign_in(&session, account, now).await?;
    match recovery_codes {
        Some(codes) => {
            let l = Layout::anonymous("Dine gendannelseskoder", auth::csrf_token(&session).await?);
            Ok(Html(RecoveryCodesPage { l, codes, next: p.next }.render()?).into_response())
        }
        None => Ok(Redirect::to(&p.next).into_response()),
    }
}

/// GET /profil/totrin: enrolment from the profile, for anyone who wants the second factor.
pub async fn profile_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let Some(enrol) = enrolment(&state, ctx.user.person_id, &ctx.user.email).await? else {
        return Ok(Redirect::to("/profil#totrin").into_response());
    };
    let page = StepPage {
        l: ctx.layout(Nav::Profile, "Opsæt totrinsbekræftelse"),
        enrolment: Some(enrol),
        action: "/profil/totrin",
        errors: FieldErrors::default(),
        alert: String::new(),
    };
    Ok(Html(page.render()?).into_response())
}

/// POST /profil/totrin: the first code confirms the app; the recovery codes are shown once.
pub async fn profile_confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let person_id = ctx.user.person_id;
    let Some(factor) = second_factors::of(&state.db, person_id).await?.filter(|f| !f.confirmed) else {
        return Ok(Redirect::to("/profil#totrin").into_response());
    };
    let now = state.clock.now();
    if let Some(step) = totp::accepted_step(&factor.secret, &form.code, now.timestamp(), None) {
        let codes = totp::new_recovery_codes();
        let hashes: Vec<Vec<u8>> = codes.iter().map(|c| totp::recovery_hash(c)).collect();
        if second_factors::confirm(&state.db, &ctx.actor(), person_id, step, &hashes, now).await? {
            let l = ctx.layout(Nav::Profile, "Dine gendannelseskoder");
            return Ok(Html(RecoveryCodesPage { l, codes, next: "/profil".into() }.render()?).into_response());
        }
    }
    let mut page = StepPage {
        l: ctx.layout(Nav::Profile, "Opsæt totrinsbekræftelse"),
        enrolment: enrolment(&state, person_id, &ctx.user.email).await?,
        action: "/profil/totrin",
        errors: FieldErrors::default(),
        alert: String::new(),
    };
    page.errors.add("code", "Koden passer ikke. Skriv den sekscifrede kode, appen viser nu.");
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

/// POST /personer/{id}/totrin/nulstil: an administrator removes a lost second factor (audited).
pub async fn reset(State(state): State<AppState>, ctx: Ctx, Path(person_id): Path<i64>) -> Result<Redirect, AppError> {
    ctx.require(Viewer::can_administer)?;
    if accounts::by_id(&state.db, person_id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    second_factors::reset(&state.db, &ctx.actor(), person_id).await?;
    Ok(Redirect::to(&format!("/personer/{person_id}")))
}
