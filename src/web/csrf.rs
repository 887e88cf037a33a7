//! CSRF protection for every form in one place: a state-changing request from a browser must carry
//! the session's token: the form field `csrf_token` (in URL-encoded and multipart bodies alike), or the
//! header `x-csrf-token`. Never the query string, which ends up in logs and Referer headers.
//! The JSON API is exempt: it authenticates with Bearer tokens only, never with the cookie.

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_sessions::Session;

use super::auth::csrf_matches;
use super::error::AppError;
use crate::state::AppState;

pub const FIELD: &str = "csrf_token";
const HEADER: &str = "x-csrf-token";
/// URL-encoded forms are small; multipart uploads are bounded by the attachment limit.
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

pub async fn verify(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Result<Response, AppError> {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || request.uri().path().starts_with("/api/") {
        return Ok(next.run(request).await);
    }
    let (parts, body) = request.into_parts();
    let media_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| ct.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let header_token = parts.headers.get(HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (submitted, body) = match media_type.as_str() {
        "application/x-www-form-urlencoded" => {
            let bytes = to_bytes(body, MAX_FORM_BYTES)
                .await
                .map_err(|_| AppError::BadRequest("Formularen er for stor.".into()))?;
            let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
            let token = fields.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v);
            (token.or(header_token), Body::from(bytes))
        }
        "multipart/form-data" => {
            let limit = state.config.max_attachment_mb as usize * 1024 * 1024 + 64 * 1024;
            // Nothing is stored from a body over the limit, so it is refused before its token is read.
            let bytes = to_bytes(body, limit).await.map_err(|_| AppError::Refused {
                rule: "T7",
                message: format!(
                    "Filen er for stor (højst {} MB). Vælg en mindre fil.",
                    state.config.max_attachment_mb
                ),
            })?;
            let token = multipart_token(&parts.headers, bytes.clone()).await;
            (token.or(header_token), Body::from(bytes))
        }
        _ => (header_token, body),
    };
    match submitted {
        Some(token) if csrf_matches(&session, &token).await? => Ok(next.run(Request::from_parts(parts, body)).await),
        _ => Err(AppError::Csrf),
    }
}

/// The token field of a multipart form (the forms put it first, so the file after it is not parsed here).
async fn multipart_token(headers: &HeaderMap, bytes: Bytes) -> Option<String> {
    let mut request = Request::new(Body::from(bytes));
    *request.headers_mut() = headers.clone();
    let mut form = Multipart::from_request(request, &()).await.ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(FIELD) {
            return field.text().await.ok();
        }
    }
    None
}
