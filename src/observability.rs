//! The operator's metrics recorder (metrics + metrics-exporter-prometheus), shared by the pages,
//! the API and the background jobs; `web::metrics` counts requests and serves what is recorded here.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub const REQUESTS: &str = "samarbejdsrum_http_requests_total";
pub const LATENCY: &str = "samarbejdsrum_http_request_duration_seconds";

/// The process's one recorder: every app in the process (tests start several) shares it.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(LATENCY.into()), &buckets)
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        // Another recorder installed first (a test harness) leaves this one rendering nothing new.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Installs the recorder and keeps its histograms drained, whether or not anyone scrapes.
pub fn install(shutdown: tokio_util::sync::CancellationToken) -> tokio::task::JoinHandle<()> {
    let handle = handle();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tokio::select! {
                _ = tick.tick() => handle.run_upkeep(),
                _ = shutdown.cancelled() => break,
            }
        }
    })
}

/// A sign-in refused (wrong password, throttled, a provider's answer not accepted, a wrong code).
pub fn sign_in_refused(reason: &'static str) {
    metrics::counter!("samarbejdsrum_sign_in_refusals_total", "reason" => reason).increment(1);
}

/// A mail the SMTP server did not take.
pub fn mail_failed() {
    metrics::counter!("samarbejdsrum_mail_failures_total").increment(1);
}

/// A deadline scan's length (its time is read from the database, shared by every instance).
pub fn deadline_scan_took(elapsed: Duration) {
    metrics::gauge!("samarbejdsrum_deadline_scan_duration_seconds").set(elapsed.as_secs_f64());
}
