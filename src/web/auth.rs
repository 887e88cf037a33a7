//! Who is asking: session sign-in (with idle and absolute time-outs) and CSRF tokens. API tokens are read
//! by `api::ApiUser`.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::Method;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use tower_sessions::Session;

use super::error::AppError;
use super::layout::{Layout, Nav};
use crate::domain::access::{GlobalRole, GroupRole, GroupScope, Viewer};
use crate::domain::ids::PersonId;
use crate::security::tokens;
use crate::state::AppState;
use crate::store::account_row::Account;
use crate::store::accounts;
use crate::store::audit::Actor;
use crate::store::sessions::{self, AccountNow, SessionAccount};

const USER_ID: &str = sessions::PERSON;
/// The account's `password_changed_at` at sign-in: a password change ends every other session.
const AUTH_STAMP: &str = "auth_stamp";
const SIGNED_IN_AT: &str = "signed_in_at";
const CSRF: &str = "csrf";

/// A signed-in person with an active account.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub person_id: i64,
    pub name: String,
    pub email: String,
    pub role: GlobalRole,
    /// Their foremost role in a group, which the header's badge shows for a user without a global role.
    pub group_role: Option<GroupRole>,
    /// The read version raised by every change, read with the session (`store::sessions`): a kept page
    /// learns from it that nothing changed without asking the database again. None when it was not
    /// read with the account (an API token, a session saved before the version was kept with it).
    pub read_version: Option<i64>,
}

impl CurrentUser {
    pub fn viewer(&self) -> Viewer {
        Viewer::Person { role: self.role }
    }

    /// The person as the account rules see them (`domain::account_rights`).
    pub fn acting(&self) -> crate::domain::account_rights::Acting {
        crate::domain::account_rights::Acting { person_id: self.person_id, role: self.role }
    }

    /// O5, M5: what of the groups this person may read; every query that lists group data takes it.
    pub fn scope(&self) -> GroupScope {
        GroupScope::of(&self.viewer(), Some(self.person_id))
    }

    pub(super) fn from_account(account: Account) -> Self {
        CurrentUser {
            person_id: account.person_id,
            name: account.name,
            email: account.email,
            role: account.role,
            group_role: account.group_role,
            read_version: None,
        }
    }
}

// Here rather than in layout.rs, so that the layout knows nothing of sign-in and web/ has no import circle.
impl Layout {
    pub fn for_user(user: &CurrentUser, csrf: String, current: Nav, title: impl Into<String>) -> Layout {
        let mut layout = Layout::for_person(&user.name, user.role, csrf, current, title);
        if let (Some(badge), GlobalRole::User) = (layout.user.as_mut(), user.role) {
            // Who they are here: Forperson, Medlem, Suppleant or Sekretariat, not "Bruger".
            badge.role_label = user.group_role.map(GroupRole::label).unwrap_or("Deltager");
        }
        layout
    }
}

/// Sessions live in PostgreSQL: a store that fails is the database being away (503), not a bug.
fn session_error(e: tower_sessions::session::Error) -> AppError {
    tracing::warn!(error = %e, "session store unavailable");
    AppError::Unavailable
}

async fn session_of(parts: &mut Parts, state: &AppState) -> Result<Session, AppError> {
    Session::from_request_parts(parts, state)
        .await
        .map_err(|(_, msg)| AppError::Internal(anyhow::anyhow!("session layer missing: {msg}")))
}

/// Starts a signed-in session: a new session id (against fixation), the account's stamp, a new CSRF token.
pub async fn sign_in(session: &Session, account: &Account, now: DateTime<Utc>) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.remove_value(PENDING_SIGN_IN).await.map_err(session_error)?;
    session.insert(USER_ID, account.person_id).await.map_err(session_error)?;
    session.insert(AUTH_STAMP, account.password_changed_at.timestamp_micros()).await.map_err(session_error)?;
    session.insert(SIGNED_IN_AT, now.timestamp()).await.map_err(session_error)?;
    session.insert(CSRF, tokens::random_secret()).await.map_err(session_error)?;
    Ok(())
}

/// Keeps this session signed in after the person changed their own password.
pub async fn renew_stamp(session: &Session, changed_at: DateTime<Utc>) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.insert(AUTH_STAMP, changed_at.timestamp_micros()).await.map_err(session_error)
}

/// After a sign-in through the identity provider: its ID token, the hint for signing out there.
const PROVIDER_ID_TOKEN: &str = "oidc_id_token";
/// A sign-in through the provider under way: what the callback must find again.
const PROVIDER_FLOW: &str = "oidc_flow";

pub async fn remember_provider_id_token(session: &Session, id_token: &str) -> Result<(), AppError> {
    session.insert(PROVIDER_ID_TOKEN, id_token).await.map_err(session_error)
}

pub async fn provider_id_token(session: &Session) -> Result<Option<String>, AppError> {
    session.get::<String>(PROVIDER_ID_TOKEN).await.map_err(session_error)
}

pub async fn begin_provider_flow(session: &Session, flow: &crate::security::oidc::Flow) -> Result<(), AppError> {
    session.insert(PROVIDER_FLOW, flow).await.map_err(session_error)
}

/// The flow under way, taken out of the session: each may be finished once.
pub async fn take_provider_flow(session: &Session) -> Result<Option<crate::security::oidc::Flow>, AppError> {
    session.remove::<crate::security::oidc::Flow>(PROVIDER_FLOW).await.map_err(session_error)
}

/// A password accepted that still waits for its second factor.
const PENDING_SIGN_IN: &str = "pending_sign_in";

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PendingSignIn {
    pub person_id: i64,
    pub email: String,
    pub next: String,
    pub started_at: DateTime<Utc>,
}

pub async fn await_second_factor(session: &Session, pending: &PendingSignIn) -> Result<(), AppError> {
    session.insert(PENDING_SIGN_IN, pending).await.map_err(session_error)
}

pub async fn pending_sign_in(session: &Session) -> Result<Option<PendingSignIn>, AppError> {
    session.get::<PendingSignIn>(PENDING_SIGN_IN).await.map_err(session_error)
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

/// The session's CSRF token, created on first need.
pub async fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session.get::<String>(CSRF).await.map_err(session_error)? {
        return Ok(token);
    }
    let token = tokens::random_secret();
    session.insert(CSRF, &token).await.map_err(session_error)?;
    Ok(token)
}

pub async fn csrf_matches(session: &Session, submitted: &str) -> Result<bool, AppError> {
    let stored = session.get::<String>(CSRF).await.map_err(session_error)?;
    Ok(stored.is_some_and(|s| tokens::constant_time_eq(&s, submitted)))
}

async fn signed_in_user(parts: &mut Parts, state: &AppState) -> Result<Option<CurrentUser>, AppError> {
    let session = session_of(parts, state).await?;
    let Some(person_id) = session.get::<i64>(USER_ID).await.map_err(session_error)? else {
        return Ok(None);
    };
    // The account as the session's own statement read it; a session saved before that was kept with
    // it reads the account on its own.
    let read_with_session = session
        .get::<SessionAccount>(sessions::ACCOUNT)
        .await
        .map_err(session_error)?
        .filter(|s| s.person_id == person_id);
    let (account, read_version) = match read_with_session {
        Some(read) => (read.account, Some(read.read_version)),
        None => (accounts::by_id(&state.db, person_id).await?.as_ref().map(AccountNow::of), None),
    };
    // Only a read may trust the version read before it: a form's handler that changes something and then
    // draws a page must see its own change, so it reads the versions afresh.
    let read_version = read_version.filter(|_| matches!(parts.method, Method::GET | Method::HEAD));
    let stamp = session.get::<i64>(AUTH_STAMP).await.map_err(session_error)?;
    let signed_in_at = session.get::<i64>(SIGNED_IN_AT).await.map_err(session_error)?.unwrap_or(0);
    let expired = state.clock.now().timestamp() - signed_in_at > state.config.session_max().num_seconds();
    match account {
        Some(account) if account.active && !expired && stamp == Some(account.password_stamp) => {
            let user = CurrentUser {
                person_id,
                name: account.name,
                email: account.email,
                role: account.role,
                group_role: account.group_role,
                read_version,
            };
            if let Some(slot) = parts.extensions.get::<super::error_page::SignedInSlot>() {
                slot.fill(&user);
            }
            Ok(Some(user))
        }
        _ => {
            session.flush().await.map_err(session_error)?;
            Ok(None)
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match signed_in_user(parts, state).await? {
            Some(user) => Ok(user),
            None => {
                let back_to = if parts.method == Method::GET {
                    parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into())
                } else {
                    "/".into()
                };
                Err(AppError::SignInRequired { back_to })
            }
        }
    }
}

impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        signed_in_user(parts, state).await
    }
}

/// Everything a signed-in page needs: the person, their session's CSRF token, and who to audit.
pub struct Ctx {
    pub user: CurrentUser,
    pub session: Session,
    pub csrf: String,
    request_id: Option<String>,
}

impl Ctx {
    pub fn layout(&self, nav: Nav, title: impl Into<String>) -> Layout {
        Layout::for_user(&self.user, self.csrf.clone(), nav, title)
    }

    pub fn actor(&self) -> Actor {
        Actor {
            person_id: Some(self.user.person_id),
            label: self.user.name.clone(),
            request_id: self.request_id.clone(),
        }
    }

    pub fn viewer(&self) -> Viewer {
        self.user.viewer()
    }

    /// The signed-in person, as the use cases take them.
    pub fn person(&self) -> PersonId {
        PersonId(self.user.person_id)
    }

    pub fn scope(&self) -> GroupScope {
        self.user.scope()
    }

    /// Refuses unless the rule of `allowed` holds for this person (checked on the server, always).
    pub fn require(&self, allowed: impl FnOnce(&Viewer) -> bool) -> Result<(), AppError> {
        if allowed(&self.viewer()) { Ok(()) } else { Err(AppError::Forbidden) }
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        let session = session_of(parts, state).await?;
        let csrf = csrf_token(&session).await?;
        let request_id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
        Ok(Ctx { user, session, csrf, request_id })
    }
}
