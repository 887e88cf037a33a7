//! The JSON API for integrations (`/api/v1/...`). Writes and non-public reads authenticate with
//! personal API tokens; the member directory (M7) is public. A refused rule answers 422 with
//! `{"error": {"rule": "M2", "message": "..."}}`. The routes are described in `openapi.json`.

pub mod groups;
pub mod meetings;
pub mod people;
mod user;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

use crate::domain::access::GlobalRole;
use crate::domain::composition::Refusal;
use crate::store::db_error::{self, DbProblem};
use crate::store::memberships::ChangeError;
pub use user::ApiUser;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid: {0:?}")]
    Invalid(Vec<(&'static str, String)>),
    #[error("refused by {}", .0.rule)]
    Refused(Refusal),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("database unavailable")]
    Unavailable,
    #[error(transparent)]
    Internal(sqlx::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        match db_error::classify(&e) {
            Some(DbProblem::Unavailable) => ApiError::Unavailable,
            Some(DbProblem::BadInput { field, message }) => {
                ApiError::Invalid(vec![(field.unwrap_or("body"), message.into())])
            }
            None => ApiError::Internal(e),
        }
    }
}

impl From<ChangeError> for ApiError {
    fn from(e: ChangeError) -> Self {
        match e {
            ChangeError::Refused(r) => ApiError::Refused(r),
            ChangeError::NotFound => ApiError::NotFound,
            ChangeError::Db(e) => e.into(),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        ApiError::BadRequest(format!("Ugyldig JSON: {}", e.body_text()))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = |status: StatusCode, code: &str, message: &str| {
            (status, Json(json!({ "error": { "code": code, "message": message } }))).into_response()
        };
        match self {
            ApiError::Unauthorized => {
                let mut r = error(StatusCode::UNAUTHORIZED, "unauthorized", "Manglende eller ugyldig API-nøgle.");
                r.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
                r
            }
            ApiError::Forbidden => {
                error(StatusCode::FORBIDDEN, "forbidden", "Din rolle giver ikke adgang til denne handling.")
            }
            ApiError::NotFound => error(StatusCode::NOT_FOUND, "not_found", "Findes ikke."),
            ApiError::BadRequest(msg) => error(StatusCode::BAD_REQUEST, "bad_request", &msg),
            ApiError::Unavailable => error(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Databasen svarer ikke lige nu. Intet er gemt; prøv igen om et øjeblik.",
            ),
            ApiError::Invalid(fields) => {
                let fields: serde_json::Map<String, serde_json::Value> =
                    fields.into_iter().map(|(f, m)| (f.to_owned(), json!(m))).collect();
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Json(json!({ "error": { "code": "invalid", "message": "Ugyldige felter.", "fields": fields } })),
                )
                    .into_response()
            }
            ApiError::Refused(r) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "error": { "code": "refused", "rule": r.rule, "message": r.message } })),
            )
                .into_response(),
            ApiError::Internal(err) => {
                let mut r = error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Der skete en uventet fejl.");
                r.extensions_mut().insert(super::error::InternalErrorReport(err.to_string()));
                r
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
    Json(Me { id: user.person_id, name: user.name, email: user.email, role: user.role })
}

/// GET /api/v1/openapi.json
pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], include_str!("openapi.json"))
}
