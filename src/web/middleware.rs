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

/// Logs what the error page hides from the user, with the request it belongs to.
pub async fn log_errors(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
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
