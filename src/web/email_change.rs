//! The two links a change of sign-in address sends: the new address confirms it, the old one may object.
//! Each opens a page that says what will happen; only its button (a POST with the CSRF token) acts, so a
//! mail scanner that follows links changes nothing.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use tower_sessions::Session;

use super::auth;
use super::error::AppError;
use super::layout::Layout;
use crate::app::accounts;
use crate::security::tokens;
use crate::state::AppState;
use crate::store::email_changes::{Link, LinkState, Objection, Pending};
use crate::store::{self, email_changes};

#[derive(Template)]
#[template(path = "account/email_change.html")]
struct EmailChangePage {
    l: Layout,
    secret: String,
    objecting: bool,
    pending: Option<Pending>,
    problem: &'static str,
    done: &'static str,
}

fn problem_of(state: &LinkState) -> &'static str {
    match state {
        LinkState::Valid(_) => "",
        LinkState::Spent => "Linket er allerede brugt, eller ændringen er trukket tilbage.",
        LinkState::Expired => "Linket er udløbet.",
        LinkState::Unknown => "Linket findes ikke. Tjek, at hele adressen fra mailen kom med.",
    }
}

async fn page(
    session: &Session,
    secret: String,
    objecting: bool,
    link: LinkState,
    done: &'static str,
) -> Result<Response, AppError> {
    let title = if objecting { "Indsigelse mod ny e-mailadresse" } else { "Bekræft ny e-mailadresse" };
    let problem = if done.is_empty() { problem_of(&link) } else { "" };
    let status = if problem.is_empty() { StatusCode::OK } else { StatusCode::GONE };
    let pending = match link {
        LinkState::Valid(p) => Some(p),
        _ => None,
    };
    let l = Layout::anonymous(title, auth::csrf_token(session).await?);
    let page = EmailChangePage { l, secret, objecting, pending, problem, done };
    Ok((status, Html(page.render()?)).into_response())
}

/// GET /e-mail/bekraeft/{secret}
pub async fn confirm_form(
    State(state): State<AppState>,
    session: Session,
    Path(secret): Path<String>,
) -> Result<Response, AppError> {
    let link =
        email_changes::link_state(&state.db, Link::Confirmation, &tokens::sha256(&secret), state.clock.now()).await?;
    page(&session, secret, false, link, "").await
}

/// POST /e-mail/bekraeft/{secret}
pub async fn confirm(
    State(state): State<AppState>,
    session: Session,
    Path(secret): Path<String>,
) -> Result<Response, AppError> {
    match accounts::confirm_email(&state, &secret).await {
        Ok(_) => {
            page(
                &session,
                String::new(),
                false,
                LinkState::Spent,
                "Den nye adresse er bekræftet. Log ind med den fremover.",
            )
            .await
        }
        Err(crate::app::Error::Store(store::Error::NotFound)) => {
            confirm_form(State(state), session, Path(secret)).await
        }
        Err(crate::app::Error::Store(store::Error::Taken(_))) => Err(AppError::BadRequest(
            "En anden person i Samarbejdsrum har fået denne adresse i mellemtiden. Kontakt sekretariatet.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// GET /e-mail/indsigelse/{secret}
pub async fn objection_form(
    State(state): State<AppState>,
    session: Session,
    Path(secret): Path<String>,
) -> Result<Response, AppError> {
    let link =
        email_changes::link_state(&state.db, Link::Objection, &tokens::sha256(&secret), state.clock.now()).await?;
    page(&session, secret, true, link, "").await
}

/// POST /e-mail/indsigelse/{secret}
pub async fn object(
    State(state): State<AppState>,
    session: Session,
    Path(secret): Path<String>,
) -> Result<Response, AppError> {
    let done = match accounts::object_to_email_change(&state, &secret).await {
        Ok(Objection::Stopped) => "Ændringen er stoppet. Du logger fortsat ind med din hidtidige adresse.",
        Ok(Objection::Undone) => {
            "Ændringen er rullet tilbage, og alle logins på kontoen er afbrudt. Du har fået en mail med et link til at \
             vælge en ny adgangskode."
        }
        Err(crate::app::Error::Store(store::Error::NotFound)) => {
            return objection_form(State(state), session, Path(secret)).await;
        }
        Err(crate::app::Error::Store(store::Error::Taken(_))) => {
            return Err(AppError::BadRequest(
                "Den gamle adresse bruges nu af en anden person. Kontakt sekretariatet, så retter de kontoen.".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    page(&session, String::new(), true, LinkState::Spent, done).await
}
