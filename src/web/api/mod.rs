//! The JSON API for integrations (`/api/v1/...`). Writes and non-public reads authenticate with
//! personal API tokens; the member directory (M7) is public. A refused rule answers 422 with
//! `{"error": {"code": "refused", "rule": "M2", "message": "..."}}`. The OpenAPI document is generated
//! from the handlers' `#[utoipa::path]` attributes and the JSON types (`openapi.rs`).

mod body_values;
pub mod groups;
pub mod meetings;
pub mod minutes;
pub mod openapi;
mod path;
pub mod people;
pub mod registers;
mod responses;
mod user;

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::access::GlobalRole;
use crate::domain::field_errors::FieldErrors;
use crate::domain::refusal::Refusal;
use crate::store;
use crate::store::db_error::{self, DbProblem};
pub use path::{ApiPath, ApiQuery};
pub use user::ApiUser;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The body itself is invalid: a field's shape, length or format, what the schema says (422).
    #[error("invalid: {0:?}")]
    Invalid(Vec<(&'static str, String)>),
    /// The body is well formed, but the stored data stands in its way: a value in use already, a chosen
    /// reference that does not exist or is retired, a meeting no longer planned (409).
    #[error("conflict: {0:?}")]
    Conflict(Vec<(&'static str, String)>),
    #[error("refused by {}", .0.rule)]
    Refused(Refusal),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("database unavailable")]
    Unavailable,
    /// A fault of this program or its database; the log keeps what, the client reads only that.
    #[error(transparent)]
    Internal(anyhow::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        match db_error::classify(&e) {
            Some(DbProblem::Unavailable) => ApiError::Unavailable,
            Some(DbProblem::BadInput { field, message }) => {
                ApiError::Invalid(vec![(field.unwrap_or("body"), message.into())])
            }
            None => ApiError::Internal(e.into()),
        }
    }
}

impl From<store::Error> for ApiError {
    fn from(e: store::Error) -> Self {
        match e {
            store::Error::Refused(r) => ApiError::Refused(r),
            store::Error::NotFound => ApiError::NotFound,
            store::Error::Taken(field) => ApiError::Conflict(vec![(field, "Værdien er allerede i brug.".into())]),
            store::Error::Unknown(field) => ApiError::Conflict(vec![(field, "Den valgte værdi findes ikke.".into())]),
            store::Error::Retired(field) => {
                ApiError::Conflict(vec![(field, "Den valgte værdi er udgået og kan ikke vælges (O1).".into())])
            }
            store::Error::Db(e) => e.into(),
        }
    }
}

impl From<crate::app::Error> for ApiError {
    fn from(e: crate::app::Error) -> Self {
        match e {
            crate::app::Error::Store(e) => e.into(),
            crate::app::Error::Mail(e) => ApiError::Internal(e.into()),
        }
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::Invalid(errors.into_pairs())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        ApiError::BadRequest(format!("Ugyldig JSON: {}", e.body_text()))
    }
}

/// The body of every error answer: `rule` comes with code `refused`, `fields` with codes `invalid` and
/// `conflict`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
struct ErrorBody {
    #[schema(inline)]
    error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
struct ErrorDetail {
    code: ErrorCode,
    /// A Danish message for people.
    message: String,
    /// With code `refused`: the domain rule that refused the change, e.g. `M2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    rule: Option<&'static str>,
    /// With codes `invalid` and `conflict`: a message per field.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    fields: Option<BTreeMap<&'static str, String>>,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
enum ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Invalid,
    Conflict,
    Refused,
    Unavailable,
    Internal,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            // A rule of the charters refuses what the stored data makes of the request (RFC 9110 15.5.10).
            ApiError::Conflict(_) | ApiError::Refused(_) => StatusCode::CONFLICT,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the client reads; never an internal message.
    fn body(&self) -> ErrorBody {
        let detail = |code, message: &str| ErrorDetail { code, message: message.to_owned(), rule: None, fields: None };
        let error = match self {
            ApiError::Unauthorized => detail(ErrorCode::Unauthorized, "Manglende eller ugyldig API-nøgle."),
            ApiError::Forbidden => detail(ErrorCode::Forbidden, "Din rolle giver ikke adgang til denne handling."),
            ApiError::NotFound => detail(ErrorCode::NotFound, "Findes ikke."),
            ApiError::BadRequest(msg) => detail(ErrorCode::BadRequest, msg),
            ApiError::Unavailable => {
                detail(ErrorCode::Unavailable, "Databasen svarer ikke lige nu. Intet er gemt; prøv igen om et øjeblik.")
            }
            ApiError::Invalid(fields) => ErrorDetail {
                fields: Some(fields.iter().map(|(field, message)| (*field, message.clone())).collect()),
                ..detail(ErrorCode::Invalid, "Ugyldige felter.")
            },
            ApiError::Conflict(fields) => ErrorDetail {
                fields: Some(fields.iter().map(|(field, message)| (*field, message.clone())).collect()),
                ..detail(ErrorCode::Conflict, "Ændringen strider mod de gemte data.")
            },
            ApiError::Refused(r) => ErrorDetail { rule: Some(r.rule), ..detail(ErrorCode::Refused, &r.message) },
            ApiError::Internal(_) => detail(ErrorCode::Internal, "Der skete en uventet fejl."),
        };
        ErrorBody { error }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status(), Json(self.body())).into_response();
        match self {
            ApiError::Unauthorized => {
                response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
            }
            ApiError::Internal(err) => {
                response.extensions_mut().insert(super::error::InternalErrorReport(format!("{err:#}")));
            }
            _ => {}
        }
        response
    }
}

/// The person a token belongs to.
#[derive(Serialize, ToSchema)]
pub struct Me {
    /// The person's id.
    id: i64,
    name: String,
    #[schema(format = Email)]
    email: String,
    /// The installation-wide role. `admin` and `secretariat` may use the secretariat's operations.
    role: GlobalRole,
}

/// The person the API token belongs to.
///
/// Any token holder.
#[utoipa::path(get, path = "/api/v1/me", operation_id = "getMe", tag = "me",
    responses(
        (status = 200, description = "The token's owner.", body = Me),
        (status = 401, response = responses::Unauthorized),
    )
)]
pub async fn me(ApiUser(user): ApiUser) -> Json<Me> {
    Json(Me { id: user.person_id, name: user.name, email: user.email, role: user.role })
}
