//! The JSON API for integrations (`/api/v1/...`), authenticated with personal API tokens.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

use super::auth::ApiUser;
use crate::domain::access::GlobalRole;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unauthorized")]
    Unauthorized,
    #[error(transparent)]
    Internal(#[from] sqlx::Error),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                Json(json!({ "error": { "code": "unauthorized", "message": "Manglende eller ugyldig API-nøgle." } })),
            )
                .into_response(),
            ApiError::Internal(err) => {
                let mut response = (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(json!({ "error": { "code": "internal", "message": "Der skete en uventet fejl." } })),
                )
                    .into_response();
                response.extensions_mut().insert(super::error::InternalErrorReport(err.to_string()));
                response
            }
        }
    }
}

#[derive(Serialize)]
pub struct Me {
    id: i64,
    name: String,
    email: String,
    role: GlobalRole,
}

/// GET /api/v1/me: the person the token belongs to.
pub async fn me(ApiUser(user): ApiUser) -> Json<Me> {
    Json(Me {
        id: user.person_id,
        name: user.name,
        email: user.email,
        role: user.role,
    })
}
