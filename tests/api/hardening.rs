//! The smaller holes of an attack on the running app (issue 18 items 2, 6 and 9): secrets in logged
//! paths, credentials revived by reopening an account, the input guard's media types, the upload form's
//! token, file names that lie about their type, and the audit line of an ended membership.

use std::process::{Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test]
async fn a_link_secret_in_a_path_never_reaches_the_log_at_the_default_level() {
    let database_url = fresh_database().await;
    let port = free_port();
    let log_path = std::env::temp_dir().join(format!("samarbejdsrum-log-{port}.txt"));
    let log = std::fs::File::create(&log_path).unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_samarbejdsrum"))
        .env("DATABASE_URL", &database_url)
        .env("BIND", format!("127.0.0.1:{port}"))
        .env_remove("RUST_LOG")
        .env_remove("SMTP_URL")
        .env("SCAN_INTERVAL_SECONDS", "3600")
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut ready = false;
    for _ in 0..100 {
        if client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "the server started");

    let secrets = ["Zq8reset0secret0in0the0path0x", "Ev9confirm0secret0in0the0pathx", "Ob7objection0secret0in0pathxx"];
    let stale = "samarbejdsrum_session=c3RhbGUtc2Vzc2lvbi1pZC10aGF0LWRvZXMtbm90LWV4aXN0";
    for (path, secret) in ["/adgangskode/", "/e-mail/bekraeft/", "/e-mail/indsigelse/"].iter().zip(secrets) {
        let response = client.get(format!("{base}{path}{secret}")).header("cookie", stale).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::GONE, "{path}");
        let posted = client.post(format!("{base}{path}{secret}")).header("cookie", stale).send().await.unwrap();
        assert!(posted.status().is_client_error(), "{path}");
    }
    let _ = server.kill();
    let _ = server.wait();
    let logged = std::fs::read_to_string(&log_path).unwrap();
    let _ = std::fs::remove_file(&log_path);
    assert!(logged.contains("/adgangskode/[redacted]"), "the stale session was logged, path masked:\n{logged}");
    for secret in secrets {
        assert!(!logged.contains(secret), "{secret} is in the log:\n{logged}");
    }
}

#[tokio::test]
async fn closing_an_account_revokes_its_tokens_and_feeds_for_good_so_reopening_revives_none() {
    let app = spawn_app().await;
    let token = api_token(&app, MEMBER).await;
    let member = app.login_as(MEMBER).await;
    let csrf = app.csrf(&member, "/profil").await;
    assert_eq!(
        app.post_form(&member, "/profil/kalender", &[("csrf_token", &csrf)]).await.status(),
        StatusCode::SEE_OTHER
    );
    let feeds: i64 =
        sqlx::query_scalar("SELECT count(*) FROM calendar_feeds f JOIN people p ON p.id = f.person_id WHERE p.email = $1 AND f.revoked_at IS NULL")
            .bind(MEMBER)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(feeds, 1);
    let me = |token: String| {
        let app = &app;
        async move { app.client().get(app.url("/api/v1/me")).bearer_auth(token).send().await.unwrap().status() }
    };
    assert_eq!(me(token.clone()).await, StatusCode::OK);

    let id: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(MEMBER).fetch_one(&app.db).await.unwrap();
    let admin = app.login_as(ADMIN).await;
    let csrf = app.csrf(&admin, "/administration").await;
    for action in ["luk", "genaabn"] {
        let response =
            app.post_form(&admin, &format!("/administration/brugere/{id}/{action}"), &[("csrf_token", &csrf)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{action}");
    }
    assert_eq!(me(token).await, StatusCode::UNAUTHORIZED, "the old token stays revoked");
    let live: i64 =
        sqlx::query_scalar("SELECT count(*) FROM calendar_feeds WHERE person_id = $1 AND revoked_at IS NULL")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(live, 0, "and so does the calendar feed");
    app.login_as(MEMBER).await;
}

#[tokio::test]
async fn json_in_any_spelling_of_its_media_type_passes_the_input_guard() {
    let app = spawn_app().await;
    let token = api_token(&app, SECRETARIAT).await;
    for content_type in ["APPLICATION/JSON", "Application/Json; charset=utf-8", "application/vnd.api+json"] {
        let response = app
            .client()
            .post(app.url("/api/v1/people"))
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(json!({ "name": "Nul\u{0}Byte", "email": "nul@example.dk" }).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{content_type}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["error"]["fields"]["name"].as_str().unwrap().contains("NUL"), "{content_type}: {body}");
    }
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM people WHERE email = 'nul@example.dk'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    token_in_query: bool,
    name: &str,
) -> reqwest::Response {
    let token = app.csrf(client, "/profil").await;
    let mut form = reqwest::multipart::Form::new();
    let url = if token_in_query {
        app.url(&format!("{path}?csrf_token={token}"))
    } else {
        form = form.text("csrf_token", token);
        app.url(path)
    };
    let form = form.part("fil", reqwest::multipart::Part::bytes(b"%PDF-1.7".to_vec()).file_name(name.to_owned()));
    client.post(url).multipart(form).send().await.unwrap()
}

#[tokio::test]
async fn the_upload_form_carries_its_token_in_the_body_and_file_names_say_what_is_wrong_t7() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let meeting: i64 = sqlx::query_scalar(
        "SELECT m.id FROM meetings m JOIN groups g ON g.id = m.group_id WHERE g.slug = 'natur' ORDER BY m.starts_at LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let path = format!("/moeder/{meeting}/bilag");
    let page = app.get(&secretariat, &format!("/moeder/{meeting}")).await.text().await.unwrap();
    assert!(!page.contains("?csrf_token="), "no token in a form's address");

    assert_eq!(upload(&app, &secretariat, &path, true, "i-adressen.pdf").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(upload(&app, &secretariat, &path, false, "i-formularen.pdf").await.status(), StatusCode::SEE_OTHER);

    for (name, says) in [
        ("Referat\u{202E}fdp.exe", "vender teksten om"),
        (&*format!("{}.pdf", "a".repeat(252)), "for langt"),
        ("..", "mangler et navn"),
    ] {
        let response = upload(&app, &secretariat, &path, false, name).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let text = response.text().await.unwrap();
        assert!(text.contains(says), "{name}: {says}");
    }
    let names: Vec<String> = sqlx::query_scalar("SELECT filename FROM documents WHERE meeting_id = $1")
        .bind(meeting)
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert!(names.contains(&"i-formularen.pdf".to_owned()), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("i-adressen") || n.contains("fdp") || n.starts_with("aaaa")), "{names:?}");
}

#[tokio::test]
async fn an_ended_membership_is_audited_with_the_end_date_it_was_stored_with() {
    let app = spawn_app().await;
    let token = api_token(&app, SECRETARIAT).await;
    let (membership, starts_on): (i64, chrono::NaiveDate) = sqlx::query_as(
        "SELECT ms.id, ms.starts_on FROM memberships ms JOIN people p ON p.id = ms.person_id
         WHERE p.email = $1 AND ms.status = 'active' AND ms.starts_on IS NOT NULL LIMIT 1",
    )
    .bind(MEMBER)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let response = app
        .client()
        .post(app.url(&format!("/api/v1/memberships/{membership}/end")))
        .bearer_auth(&token)
        .json(&json!({ "ends_on": "1900-01-01" }))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let stored: chrono::NaiveDate = sqlx::query_scalar("SELECT ends_on FROM memberships WHERE id = $1")
        .bind(membership)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, starts_on);
    let audited: String = sqlx::query_scalar(
        "SELECT after->>'ends_on' FROM audit_log WHERE action = 'member_ended' AND entity_id = $1::text",
    )
    .bind(membership)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, stored.to_string());
}
