//! Health, security headers, static files, compression, graceful shutdown.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    let client = app.client();
    let response = app.get(&client, "/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "ok");
    let response = app.get(&client, "/readyz").await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.db.close().await;
    let response = app.get(&app.client(), "/readyz").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn every_page_carries_the_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    for path in ["/login", "/healthz", "/findes-ikke", "/static/css/app.css"] {
        let response = app.get(&app.client(), path).await;
        let h = response.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'")
                && csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert!(h.contains_key("x-request-id"), "{path}");
    }
}

#[tokio::test]
async fn pages_are_danish_and_accessible_in_their_frame() {
    let app = spawn_app().await;
    let html = app.get(&app.client(), "/login").await.text().await.unwrap();
    assert!(html.contains("<html lang=\"da\">"));
    assert!(html.contains("class=\"skip-link\""));
    assert!(html.contains("<label for=\"f-email\">E-mail</label>"));
    assert!(html.contains("<label for=\"f-password\">Adgangskode</label>"));
    assert!(!html.contains("<script"), "works without JavaScript");
}

#[tokio::test]
async fn static_files_are_cached_and_compressed() {
    let app = spawn_app().await;
    let response =
        app.client().get(app.url("/static/css/app.css")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "public, max-age=86400");
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let response =
        app.client().get(app.url("/static/css/print.css")).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(response.headers()["content-encoding"], "br");
}

#[tokio::test]
async fn shutdown_finishes_and_stops_serving() {
    let app = spawn_app().await;
    let url = app.url("/healthz");
    assert_eq!(reqwest::get(&url).await.unwrap().status(), StatusCode::OK);
    app.stop().await;
    assert!(reqwest::get(&url).await.is_err(), "the port is closed after shutdown");
}
