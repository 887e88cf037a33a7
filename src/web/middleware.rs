//! Cross-cutting layers: security headers, error logging, the client's address.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::set_header::SetResponseHeaderLayer;

use super::error::InternalErrorReport;

/// CSP without inline script or style; no framing; no MIME sniffing; no full referrers to other sites.
pub fn security_headers() -> [SetResponseHeaderLayer<HeaderValue>; 5] {
    let csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
               object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    [
        SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp)),
        SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")),
        SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ),
    ]
}

/// The routes whose last segment is a secret (a link to set a password or confirm an address, a
/// calendar feed's file name): whoever reads it can use it, so logs never hold it.
const SECRET_TAILS: [&str; 4] = ["/adgangskode/", "/e-mail/bekraeft/", "/e-mail/indsigelse/", "/kalender/"];

/// The path as it may be logged: the secret segment of a [`SECRET_TAILS`] route is masked.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in SECRET_TAILS {
        if let Some(rest) = path.strip_prefix(prefix)
            && !rest.is_empty()
        {
            return format!("{prefix}[redacted]").into();
        }
    }
    path.into()
}

/// Logs what the error page hides from the user, with the request it belongs to.
pub async fn log_errors(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = loggable_path(request.uri().path()).into_owned();
    let response = next.run(request).await;
    if let Some(InternalErrorReport(detail)) = response.extensions().get::<InternalErrorReport>() {
        tracing::error!(%method, %path, error = %detail, "request failed");
    }
    response
}

/// The client's address for rate limiting: the socket peer, or the first X-Forwarded-For entry when
/// the app runs behind a trusted load balancer.
pub fn client_address(
    request_headers: &axum::http::HeaderMap,
    peer: Option<ConnectInfo<SocketAddr>>,
    trust_forwarded: bool,
) -> String {
    if trust_forwarded
        && let Some(first) = request_headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    {
        return first.to_owned();
    }
    peer.map(|ConnectInfo(addr)| addr.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn secrets_in_paths_are_masked_and_other_paths_kept() {
        assert_eq!(loggable_path("/adgangskode/abc123"), "/adgangskode/[redacted]");
        assert_eq!(loggable_path("/e-mail/bekraeft/s3cret"), "/e-mail/bekraeft/[redacted]");
        assert_eq!(loggable_path("/e-mail/indsigelse/s3cret"), "/e-mail/indsigelse/[redacted]");
        assert_eq!(loggable_path("/kalender/token.ics"), "/kalender/[redacted]");
        assert_eq!(loggable_path("/moeder/43"), "/moeder/43");
        assert_eq!(loggable_path("/adgangskode/"), "/adgangskode/");
    }
}
