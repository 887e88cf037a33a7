//! The operator's metrics: Prometheus text at /metrics, only on METRICS_BIND or with the bearer
//! token; requests counted by route template, never by id; the outbox, the pool and refused sign-ins.

use reqwest::StatusCode;

use crate::helpers::*;

const TOKEN: &str = "drift-hemmelighed";

async fn meeting(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT id FROM meetings ORDER BY id LIMIT 1").fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn with_a_token_the_metrics_count_routes_by_template_and_read_the_outbox_and_the_pool() {
    let app =
        spawn_with(Config { metrics_token: Some(TOKEN.into()), ..Config::for_tests(fresh_database().await) }).await;
    let client = app.client();
    assert_eq!(app.get(&client, "/metrics").await.status(), StatusCode::UNAUTHORIZED);
    let wrong = client.get(app.url("/metrics")).bearer_auth("gaet").send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);

    let secretariat = app.login_as(SECRETARIAT).await;
    let id = meeting(&app).await;
    assert_eq!(app.get(&secretariat, &format!("/moeder/{id}")).await.status(), StatusCode::OK);
    assert_eq!(app.try_login(&app.client(), MEMBER, "forkert-kode").await.status(), StatusCode::UNAUTHORIZED);

    let response = client.get(app.url("/metrics")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = response.text().await.unwrap();
    for expected in [
        r#"samarbejdsrum_http_requests_total{route="/moeder/{id}",method="GET",status="200"}"#,
        r#"samarbejdsrum_http_request_duration_seconds_bucket{route="/moeder/{id}",method="GET",le="0.1"}"#,
        r#"samarbejdsrum_sign_in_refusals_total{reason="wrong_password"}"#,
        r#"samarbejdsrum_outbox_mails{status="queued"}"#,
        "samarbejdsrum_outbox_oldest_queued_age_seconds",
        "samarbejdsrum_db_pool_in_use",
    ] {
        assert!(text.contains(expected), "the metrics hold {expected}:\n{text}");
    }
    assert!(!text.contains(&format!("/moeder/{id}\"")), "a route's template, never its id");
    let families = prometheus_parse(&text);
    for family in
        ["samarbejdsrum_http_requests", "samarbejdsrum_http_request_duration_seconds", "samarbejdsrum_outbox_mails"]
    {
        assert!(families.iter().any(|f| f == family), "Prometheus' parser reads {family}: {families:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn without_a_token_the_apps_own_metrics_are_not_found_and_metrics_bind_serves_them() {
    let app = spawn_app().await;
    assert_eq!(app.get(&app.client(), "/metrics").await.status(), StatusCode::NOT_FOUND);
    app.stop().await;

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let bind = format!("127.0.0.1:{port}").parse().unwrap();
    let app = spawn_with(Config { metrics_bind: Some(bind), ..Config::for_tests(fresh_database().await) }).await;
    let mut answered = None;
    for _ in 0..50 {
        if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/metrics")).await {
            answered = Some(r);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let response = answered.expect("the metrics listener answers");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("samarbejdsrum_outbox_mails"));
    assert_eq!(app.get(&app.client(), "/metrics").await.status(), StatusCode::NOT_FOUND, "not on the app's listener");
    app.stop().await;
}

/// The metric families Prometheus' own Python parser (Debian's python3-prometheus-client) reads.
fn prometheus_parse(text: &str) -> Vec<String> {
    use std::io::Write;
    let script = "import sys\nfrom prometheus_client.parser import text_string_to_metric_families as parse\n\
                  for f in parse(sys.stdin.read()): print(f.name)";
    let mut child = std::process::Command::new("/usr/bin/python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 with python3-prometheus-client");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the text parses: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_owned).collect()
}
