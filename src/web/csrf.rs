//! CSRF protection for every form in one place: a state-changing request from a browser must carry
//! the session's token (form field `csrf_token`, or header `x-csrf-token` for multipart uploads).
//! The JSON API is exempt: it authenticates with Bearer tokens only, never with the cookie.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_sessions::Session;

use super::auth::csrf_matches;
use super::error::AppError;

pub const FIELD: &str = "csrf_token";
const HEADER: &str = "x-csrf-token";
/// Forms are small; uploads go as multipart and are not buffered here.
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

pub async fn verify(session: Session, request: Request, next: Next) -> Result<Response, AppError> {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || request.uri().path().starts_with("/api/") {
        return Ok(next.run(request).await);
    }
    let (parts, body) = request.into_parts();
    let is_urlencoded = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    // Multipart uploads are not buffered here: their token comes in a header or the query string.
    let query_token = parts.uri.query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v)
    });
    let header_token = parts.headers.get(HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned).or(query_token);
    let (submitted, body) = if is_urlencoded {
        let bytes =
            to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| AppError::BadRequest("Formularen er for stor.".into()))?;
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        let token = fields.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v);
        (token.or(header_token), Body::from(bytes))
    } else {
        (header_token, body)
    };
    match submitted {
        Some(token) if csrf_matches(&session, &token).await? => Ok(next.run(Request::from_parts(parts, body)).await),
        _ => Err(AppError::Csrf),
    }
}
