//! Metrics for the operator, in Prometheus' text format (metrics + metrics-exporter-prometheus):
//! requests by route template, method and status with latency histograms, the database pool, the
//! outbox's depth and the age of its oldest queued mail, the last deadline scan's time and length,
//! the last backup's age, failed mails and refused sign-ins. `/metrics` answers only on METRICS_BIND
//! (its own listener, for the operator's network) or with METRICS_TOKEN as a bearer token; otherwise
//! it is not found.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::AppError;
use crate::observability::{LATENCY, REQUESTS, handle};
use crate::security::tokens;
use crate::state::AppState;
use crate::store::operations_metrics;

/// Counts and times each request by its route template (never the path itself: ids would make a
/// series per meeting). Added with `route_layer`, so only matched routes are counted.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let seconds = started.elapsed().as_secs_f64();
    metrics::counter!(REQUESTS, "route" => route.clone(), "method" => method.clone(), "status" => status).increment(1);
    metrics::histogram!(LATENCY, "route" => route, "method" => method).record(seconds);
    response
}

/// GET /metrics with `Authorization: Bearer METRICS_TOKEN`; not found without a token configured.
pub async fn scrape_with_token(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let Some(expected) = state.config.metrics_token.as_deref().filter(|t| !t.is_empty()) else {
        return Err(AppError::NotFound);
    };
    let given =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if !given.is_some_and(|g| tokens::constant_time_eq(g, expected)) {
        return Ok((StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "").into_response());
    }
    scrape(State(state)).await
}

/// GET /metrics on METRICS_BIND: the gauges read now, then everything in the text format.
pub async fn scrape(State(state): State<AppState>) -> Result<Response, AppError> {
    metrics::gauge!("samarbejdsrum_db_pool_connections").set(f64::from(state.db.size()));
    metrics::gauge!("samarbejdsrum_db_pool_idle").set(state.db.num_idle() as f64);
    metrics::gauge!("samarbejdsrum_db_pool_in_use").set(f64::from(state.db.size()) - state.db.num_idle() as f64);
    let now = state.clock.now();
    let o = operations_metrics::read(&state.db, now).await?;
    for (status, n) in [("queued", o.queued), ("sent", o.sent), ("failed", o.failed)] {
        metrics::gauge!("samarbejdsrum_outbox_mails", "status" => status).set(n as f64);
    }
    metrics::gauge!("samarbejdsrum_outbox_oldest_queued_age_seconds").set(o.oldest_queued_seconds);
    if let Some(at) = o.last_deadline_scan {
        metrics::gauge!("samarbejdsrum_deadline_scan_last_run_timestamp_seconds").set(at.timestamp() as f64);
    }
    if let Some(at) = o.last_backup {
        metrics::gauge!("samarbejdsrum_backup_age_seconds").set((now - at).num_seconds().max(0) as f64);
    }
    let handle = handle();
    handle.run_upkeep();
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], handle.render()).into_response())
}
