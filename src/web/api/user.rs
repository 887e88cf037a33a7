//! Who is calling the API: a person authenticated with a personal API token (`Authorization: Bearer ...`).
//! It lives beside the API, not in `web/auth.rs`, because its rejection is an `ApiError` (JSON, 401).

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::ApiError;
use crate::domain::access::Viewer;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::{accounts, api_tokens};
use crate::web::auth::CurrentUser;

/// An integration authenticated with a personal API token; it acts with its owner's role.
#[derive(Debug, Clone)]
pub struct ApiUser(pub CurrentUser);

impl<S> FromRequestParts<S> for ApiUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let header = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok());
        let Some(secret) = header.and_then(|h| h.strip_prefix("Bearer ")).map(str::trim) else {
            return Err(ApiError::Unauthorized);
        };
        let person_id = api_tokens::authenticate(&state.db, secret).await?.ok_or(ApiError::Unauthorized)?;
        let account = accounts::by_id(&state.db, person_id).await?.ok_or(ApiError::Unauthorized)?;
        Ok(ApiUser(CurrentUser::from_account(account)))
    }
}

impl ApiUser {
    pub fn actor(&self) -> Actor {
        Actor { person_id: Some(self.0.person_id), label: format!("{} (API)", self.0.name), request_id: None }
    }

    pub fn viewer(&self) -> Viewer {
        self.0.viewer()
    }

    pub fn require(&self, allowed: impl FnOnce(&Viewer) -> bool) -> Result<(), ApiError> {
        if allowed(&self.viewer()) { Ok(()) } else { Err(ApiError::Forbidden) }
    }
}
