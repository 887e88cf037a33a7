//! Input is bounded at the edge, before any handler sees it: no NUL in a path, query, form field or JSON
//! string (PostgreSQL text cannot hold one), and no field longer than any text the app keeps. Handlers
//! then parse their typed forms; the database's CHECKs stay the last line, not the message.

use axum::Json;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::error::AppError;

/// Longer than any text a person writes here (an agenda item's body is the longest).
pub const MAX_FIELD_CHARS: usize = 50_000;
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// What is wrong with one submitted value, if anything. Line breaks and tabs are text; other control
/// characters are not (HTML cannot even show them again when a form comes back).
fn problem(value: &str) -> Option<&'static str> {
    if value.contains('\0') {
        Some("indeholder et ugyldigt tegn (NUL)")
    } else if value.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        Some("indeholder et kontroltegn, der ikke kan gemmes")
    } else if value.chars().count() > MAX_FIELD_CHARS {
        Some("er for langt (højst 50.000 tegn)")
    } else {
        None
    }
}

pub async fn guard(request: Request, next: Next) -> Result<Response, Response> {
    let is_api = request.uri().path().starts_with("/api/");
    let path_and_query = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("");
    if path_and_query.to_ascii_lowercase().contains("%00") || path_and_query.contains('\0') {
        return Err(refuse(is_api, "adressen", "indeholder et ugyldigt tegn (NUL)"));
    }
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let (is_form, is_json) = body_kind(content_type);
    if !is_form && !is_json {
        return Ok(next.run(request).await);
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| refuse(is_api, "forespørgslen", "er for stor (højst 2 MB)"))?;
    if is_form {
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        if let Some((field, why)) = fields.iter().find_map(|(k, v)| problem(v).or(problem(k)).map(|why| (k, why))) {
            return Err(refuse(is_api, field, why));
        }
    } else if let Ok(value) = serde_json::from_slice::<Value>(&bytes)
        && let Some((field, why)) = json_problem(&value, "")
    {
        return Err(refuse(true, &field, why));
    }
    Ok(next.run(Request::from_parts(parts, Body::from(bytes))).await)
}

/// Whether a body of this media type is a URL-encoded form or JSON (`application/json` and any
/// `application/*+json`). Media types are case-insensitive (RFC 9110 §8.3.1), parameters aside.
fn body_kind(content_type: &str) -> (bool, bool) {
    let media_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let is_form = media_type == "application/x-www-form-urlencoded";
    let is_json =
        media_type == "application/json" || (media_type.starts_with("application/") && media_type.ends_with("+json"));
    (is_form, is_json)
}

/// The first string (or key) in a JSON document that breaks the bounds, with its path (`items.0.title`).
fn json_problem(value: &Value, path: &str) -> Option<(String, &'static str)> {
    let child = |key: &str| if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
    match value {
        Value::String(s) => problem(s).map(|why| (if path.is_empty() { "body".into() } else { path.into() }, why)),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| json_problem(v, &child(&i.to_string()))),
        Value::Object(map) => map
            .iter()
            .find_map(|(k, v)| problem(k).map(|why| (child("(nøgle)"), why)).or_else(|| json_problem(v, &child(k)))),
        _ => None,
    }
}

fn refuse(is_api: bool, field: &str, why: &str) -> Response {
    let shown: String = field.chars().filter(|c| !c.is_control()).take(60).collect();
    if is_api {
        let body = json!({ "error": { "code": "invalid", "message": "Ugyldige felter.", "fields": { shown.clone(): format!("Feltet {why}.") } } });
        (StatusCode::UNPROCESSABLE_ENTITY, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
    } else {
        AppError::BadRequest(format!("Feltet «{shown}» {why}. Ret teksten, og prøv igen.")).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_overlong_text_are_named_with_their_place() {
        assert_eq!(problem("Natur"), None);
        assert!(problem("a\0b").is_some());
        assert!(problem("bip\u{7}").is_some());
        assert_eq!(problem("Linje 1\r\nLinje 2\tfane"), None);
        assert!(problem(&"x".repeat(MAX_FIELD_CHARS + 1)).is_some());
        let doc = json!({ "name": "ok", "items": [{ "title": "fine" }, { "title": "bad\u{0}" }] });
        assert_eq!(json_problem(&doc, "").map(|(f, _)| f).as_deref(), Some("items.1.title"));
        assert_eq!(json_problem(&json!({ "a": [1, true, null] }), ""), None);
    }

    #[test]
    fn media_types_are_matched_whatever_their_case_and_with_suffixes() {
        assert_eq!(body_kind("APPLICATION/JSON"), (false, true));
        assert_eq!(body_kind("application/merge-patch+json; charset=utf-8"), (false, true));
        assert_eq!(body_kind("Application/X-WWW-Form-Urlencoded; charset=UTF-8"), (true, false));
        assert_eq!(body_kind("multipart/form-data; boundary=x"), (false, false));
        assert_eq!(body_kind("text/json"), (false, false));
    }
}
