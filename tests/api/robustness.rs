//! The requests an attack found answering 500, each now a 4xx that says what is wrong (issue 11, item 7),
//! the smaller hardening of item 8, and a database outage answered 503.

use reqwest::StatusCode;
use samarbejdsrum::config::Config;
use serde_json::{Value, json};

use crate::helpers::*;

async fn people_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM people").fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn nul_bytes_in_a_path_query_or_field_are_a_danish_400() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    for path in ["/medlemmer/%00", "/personer?q=%00", "/grupper/natur%00"] {
        let response = app.get(&client, path).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        assert!(response.text().await.unwrap().contains("ugyldigt tegn"), "{path}");
    }
    let anonymous = app.client();
    let token_for = app.csrf(&anonymous, "/login").await;
    let response = app
        .post_form(&anonymous, "/login", &[("csrf_token", &token_for), ("email", "a\u{0}@b.dk"), ("password", "x")])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("«email»"), "the field is named");
}

#[tokio::test]
async fn overlong_names_unknown_keys_and_out_of_range_values_are_refused_and_nothing_is_saved() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    let before = people_count(&app).await;
    let token = app.csrf(&client, "/personer/ny").await;
    let long_name = "N".repeat(201);
    for (field, value, message) in [
        ("name", long_name.as_str(), "højst have 200 tegn"),
        ("name", "To\r\nlinjer", "én linje"),
        ("organisation_id", "9999999", "findes ikke"),
    ] {
        let mut form = vec![("csrf_token", token.as_str()), ("name", "Ny Person"), ("email", "ny@example.dk")];
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let response = app.post_form(&client, "/personer", &form).await;
        assert!(response.status().is_client_error(), "{field}={value:.20}: {}", response.status());
        assert!(response.text().await.unwrap().contains(message), "{field}: {message}");
    }
    assert_eq!(people_count(&app).await, before, "nothing half-saved");

    // Out-of-range numbers and dates in the query and in forms.
    assert_eq!(app.get(&client, "/grupper/natur/moeder?aar=2147483647").await.status(), StatusCode::OK);
    let person: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(MEMBER).fetch_one(&app.db).await.unwrap();
    let token = app.csrf(&client, &format!("/personer/{person}")).await;
    for (field, value) in [("hours", "10000000"), ("starts_on", "-5000-01-01")] {
        let mut form = vec![("csrf_token", token.as_str()), ("description", "Opgave"), ("starts_on", "2027-01-01")];
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let response = app.post_form(&client, &format!("/personer/{person}/frikoeb"), &form).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}");
    }
}

#[tokio::test]
async fn the_person_form_and_the_api_refuse_the_same_fields_with_the_same_words() {
    let app = spawn_app().await;
    let browser = app.login_as(SECRETARIAT).await;
    let token = api_token(&app, SECRETARIAT).await;
    let api = reqwest::Client::new();
    let before = people_count(&app).await;
    let long_name = "N".repeat(201);
    let long_phone = "1".repeat(51);
    let long_notes = "kompetence ".repeat(400);
    for (field, value) in [
        ("name", long_name.as_str()),
        ("name", "   "),
        ("email", "ikke-en-adresse"),
        ("phone", long_phone.as_str()),
        ("competences", long_notes.as_str()),
    ] {
        let mut body = json!({ "name": "Ny Person", "email": "ny@example.dk" });
        body[field] = json!(value);
        let response = api.post(app.url("/api/v1/people")).bearer_auth(&token).json(&body).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "API {field}={value:.20}");
        let error: Value = response.json().await.unwrap();
        let message = error["error"]["fields"][field].as_str().unwrap_or_else(|| panic!("{error}")).to_owned();

        let csrf = app.csrf(&browser, "/personer/ny").await;
        let mut form = vec![("csrf_token", csrf.as_str()), ("name", "Ny Person"), ("email", "ny@example.dk")];
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let response = app.post_form(&browser, "/personer", &form).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "form {field}={value:.20}");
        let page = response.text().await.unwrap();
        assert!(page.contains(&message), "the form says what the API says for {field}: {message}");
    }
    assert_eq!(people_count(&app).await, before, "nothing saved by either door");
}

#[tokio::test]
async fn the_api_names_the_field_it_refuses_with_422_or_409() {
    let app = spawn_app().await;
    let token = api_token(&app, SECRETARIAT).await;
    let client = reqwest::Client::new();
    let before_api = people_count(&app).await;
    let cases = [
        (json!({ "name": "Ny\u{0}Person", "email": "ny@example.dk" }), "name"),
        (json!({ "name": "Ny\r\nBcc: x", "email": "ny@example.dk" }), "name"),
        (json!({ "name": "N".repeat(60_000), "email": "ny@example.dk" }), "name"),
    ];
    for (body, field) in cases {
        let response = client.post(app.url("/api/v1/people")).bearer_auth(&token).json(&body).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(response.headers()["cache-control"], "no-store");
        let error: Value = response.json().await.unwrap();
        assert!(error["error"]["fields"][field].is_string(), "{error}");
    }
    // Well formed, but the stored data stands in the way: 409, naming the field all the same.
    let unknown = json!({ "name": "Ny Person", "email": "ny@example.dk", "organisation_id": 9_999_999 });
    let response = client.post(app.url("/api/v1/people")).bearer_auth(&token).json(&unknown).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT, "an organisation that is not there");
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], "conflict", "{error}");
    assert!(error["error"]["fields"]["organisation_id"].is_string(), "{error}");
    assert_eq!(people_count(&app).await, before_api, "nothing saved");

    let natur = group_id(&app, "natur").await;
    let meeting = json!({ "kind": "working", "title": "Link", "format": "online",
        "starts_at": "2027-03-31T10:00:00+02:00", "ends_at": "2027-03-31T11:00:00+02:00",
        "online_link": "javascript:alert(1)" });
    let url = app.url(&format!("/api/v1/groups/{natur}/meetings"));
    let response = client.post(url).bearer_auth(&token).json(&meeting).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "only http(s) links become links (T3)");
    let error: Value = response.json().await.unwrap();
    assert!(error["error"]["fields"]["online_link"].is_string(), "{error}");
}

#[tokio::test]
async fn a_sub_item_must_hang_under_an_item_of_the_same_agenda_a4() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    let draft: i64 = sqlx::query_scalar("SELECT meeting_id FROM agendas WHERE status = 'draft' LIMIT 1")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let foreign: i64 = sqlx::query_scalar(
        "SELECT i.id FROM agenda_items i JOIN agendas a ON a.id = i.agenda_id WHERE a.meeting_id <> $1 LIMIT 1",
    )
    .bind(draft)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM agenda_items").fetch_one(&app.db).await.unwrap()
    };
    let before = count().await;
    let token = app.csrf(&client, &format!("/moeder/{draft}")).await;
    let parent = foreign.to_string();
    let form = [("csrf_token", token.as_str()), ("title", "Underpunkt"), ("parent_id", parent.as_str())];
    let response = app.post_form(&client, &format!("/moeder/{draft}/dagsorden/punkter"), &form).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("hovedpunkter"));
    assert_eq!(count().await, before);
}

#[tokio::test]
async fn over_https_the_cookie_is_host_bound_and_hsts_is_sent() {
    let mut config = Config::for_tests(fresh_database().await);
    config.base_url = Some("https://samarbejdsrum.example".into());
    let app = spawn_with(config).await;
    let response = app.get(&app.client(), "/login").await;
    assert_eq!(response.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-samarbejdsrum_session="), "{cookie}");
    assert!(cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"), "{cookie}");

    let plain = spawn_app().await;
    let response = plain.get(&plain.client(), "/login").await;
    assert!(response.headers().get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
}

#[tokio::test]
async fn while_the_database_is_away_pages_and_api_answer_503_not_500() {
    let app = spawn_app().await;
    let client = app.login_as(MEMBER).await;
    let token = api_token(&app, MEMBER).await;
    app.db.close().await;
    let page = app.get(&client, "/grupper").await;
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.text().await.unwrap().contains("prøv igen"));
    let api = reqwest::Client::new().get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
    let public = reqwest::Client::new().get(app.url("/api/v1/groups")).send().await.unwrap();
    assert_eq!(public.status(), StatusCode::SERVICE_UNAVAILABLE);
}

/// The pool does not ping PostgreSQL before every statement (`db::connect`): a connection broken
/// meanwhile fails its next statement. That request answers 503 ("prøv igen"), never 500, the broken
/// connection leaves the pool, and the pages answer again within one request per pooled connection.
#[tokio::test]
async fn after_postgresql_drops_the_apps_connections_a_few_requests_answer_503_then_pages_work_again() {
    let app = spawn_app().await;
    let client = app.login_as(MEMBER).await;
    for _ in 0..4 {
        assert_eq!(app.get(&client, "/").await.status(), StatusCode::OK, "warm: the pool holds connections");
    }
    let dropped: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                               WHERE datname = current_database() AND pid <> pg_backend_pid()) t",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(dropped >= 1, "the app's connections were dropped");
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let status = app.get(&client, "/").await.status();
        statuses.push(status);
        if status == StatusCode::OK {
            break;
        }
    }
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::SERVICE_UNAVAILABLE),
        "503 or 200, never 500: {statuses:?}"
    );
    assert_eq!(statuses.last(), Some(&StatusCode::OK), "the pages work again: {statuses:?}");
    assert_eq!(app.get(&client, "/").await.status(), StatusCode::OK);
}
