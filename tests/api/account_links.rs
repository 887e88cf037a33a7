//! Accounts without a command line (issue 10): invitations from the person's page, "Glemt adgangskode?"
//! on the login page, and single-use links that expire, stored hashed.

use chrono::Duration;
use reqwest::StatusCode;
use samarbejdsrum::domain::clock::Clock;

use crate::helpers::*;

const NEW_PASSWORD: &str = "blå kaffekop på tredje sal";

/// Waits until every "Glemt adgangskode?" request is processed: the form answers at once and a spawned
/// step does the work; the periodic step is run here too, as the jobs would.
pub async fn settle_reset_requests(app: &TestApp) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        samarbejdsrum::jobs::password_resets::run_once(&app.state).await.unwrap();
        let pending: i64 =
            sqlx::query_scalar("SELECT count(*) FROM password_reset_requests WHERE processed_at IS NULL")
                .fetch_one(&app.db)
                .await
                .unwrap();
        if pending == 0 {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{pending} reset requests still waiting");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// The link of the newest account mail to an address, as the person would click it.
pub async fn link_in_mail(app: &TestApp, email: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body_text FROM outbox WHERE kind = 'account' AND to_address = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(email)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let start = body.find("/adgangskode/").expect("the mail carries the link");
    body[start..].split_whitespace().next().unwrap().to_owned()
}

async fn account_mails(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM outbox WHERE kind = 'account' AND to_address = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

pub async fn choose(app: &TestApp, client: &reqwest::Client, link: &str, password: &str) -> reqwest::Response {
    let token = app.csrf(client, link).await;
    let form = [("csrf_token", token.as_str()), ("new_password", password), ("new_password_repeat", password)];
    app.post_form(client, link, &form).await
}

#[tokio::test]
async fn an_invited_person_chooses_a_password_once_and_signs_in() {
    let app = spawn_app().await;
    let person = new_person(&app, "Ny Kollega", "ny.kollega@odense.example", "Odense Kommune", false).await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let token = app.csrf(&secretariat, &format!("/personer/{person}")).await;
    let invite = format!("/personer/{person}/invitation");
    assert_eq!(app.post_form(&secretariat, &invite, &[("csrf_token", &token)]).await.status(), StatusCode::SEE_OTHER);
    let link = link_in_mail(&app, "ny.kollega@odense.example").await;
    let secret = link.trim_start_matches("/adgangskode/");
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM account_links WHERE secret_hash = sha256($1::bytea)")
        .bind(secret.as_bytes())
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 1, "only a hash of the secret is kept");
    let plain: i64 = sqlx::query_scalar("SELECT count(*) FROM account_links WHERE encode(secret_hash, 'escape') = $1")
        .bind(secret)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(plain, 0);

    let visitor = app.client();
    let page = app.get(&visitor, &link).await.text().await.unwrap();
    assert!(page.contains("Velkommen til Samarbejdsrum") && page.contains("ny.kollega@odense.example"));
    let weak = choose(&app, &visitor, &link, "1234567890").await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text().await.unwrap().contains("mindst 15 tegn"));
    assert_eq!(choose(&app, &visitor, &link, NEW_PASSWORD).await.status(), StatusCode::OK);

    let signed_in = app.try_login(&app.client(), "ny.kollega@odense.example", NEW_PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let again = app.get(&app.client(), &link).await;
    assert_eq!(again.status(), StatusCode::GONE);
    assert!(again.text().await.unwrap().contains("allerede brugt"));
}

#[tokio::test]
async fn an_invitation_expires_after_72_hours_and_a_new_one_replaces_it() {
    let app = spawn_app().await;
    let person = new_person(&app, "Sen Kollega", "sen.kollega@aarhus.example", "Aarhus Kommune", false).await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let invite = format!("/personer/{person}/invitation");
    let token = app.csrf(&secretariat, &format!("/personer/{person}")).await;
    app.post_form(&secretariat, &invite, &[("csrf_token", &token)]).await;
    let first = link_in_mail(&app, "sen.kollega@aarhus.example").await;
    app.set_time(chrono::Utc::now() + Duration::hours(73));
    let expired = app.get(&app.client(), &first).await;
    assert_eq!(expired.status(), StatusCode::GONE);
    assert!(expired.text().await.unwrap().contains("udløbet"));

    let secretariat = app.login_as(SECRETARIAT).await;
    let token = app.csrf(&secretariat, &format!("/personer/{person}")).await;
    assert_eq!(app.post_form(&secretariat, &invite, &[("csrf_token", &token)]).await.status(), StatusCode::SEE_OTHER);
    let second = link_in_mail(&app, "sen.kollega@aarhus.example").await;
    assert_ne!(first, second);
    assert_eq!(app.get(&app.client(), &second).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_reset_answers_the_same_for_any_address_mails_only_a_real_account_and_is_limited() {
    let app = spawn_app().await;
    let ask = |email: &'static str| {
        let app = &app;
        async move {
            let client = app.client();
            let token = app.csrf(&client, "/glemt-adgangskode").await;
            let response =
                app.post_form(&client, "/glemt-adgangskode", &[("csrf_token", &token), ("email", email)]).await;
            (response.status(), response.text().await.unwrap())
        }
    };
    let login = app.get(&app.client(), "/login").await.text().await.unwrap();
    assert!(login.contains("href=\"/glemt-adgangskode\""), "the login page offers it");
    let (known_status, known) = ask(MEMBER).await;
    let (unknown_status, unknown) = ask("ingen.konto@example.dk").await;
    assert_eq!((known_status, unknown_status), (StatusCode::OK, StatusCode::OK));
    let answer = |html: &str| html.contains("Hvis adressen hører til en konto");
    assert!(answer(&known) && answer(&unknown), "the same answer, whatever the address");
    settle_reset_requests(&app).await;
    assert_eq!(account_mails(&app, MEMBER).await, 1);
    assert_eq!(account_mails(&app, "ingen.konto@example.dk").await, 0);

    let member = app.login_as(MEMBER).await;
    let link = link_in_mail(&app, MEMBER).await;
    assert_eq!(choose(&app, &app.client(), &link, NEW_PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(app.get(&member, "/").await.status(), StatusCode::SEE_OTHER, "other sessions end with the old password");
    assert_ne!(app.try_login(&app.client(), MEMBER, DEMO_PASSWORD).await.status(), StatusCode::SEE_OTHER);

    for _ in 0..4 {
        ask(MEMBER).await;
    }
    settle_reset_requests(&app).await;
    assert_eq!(account_mails(&app, MEMBER).await, 3, "three reset mails an hour at most");
}

/// Issue 18 item 4: the per-client limit counts every request, for an address with an account or not,
/// and the refusal says when to come back.
#[tokio::test]
async fn eleven_reset_requests_for_unknown_addresses_from_one_client_get_429_with_retry_after() {
    let app = spawn_app_behind_proxy().await;
    let client = app.client_from("203.0.113.40");
    for i in 0..11 {
        let token = app.csrf(&client, "/glemt-adgangskode").await;
        let email = format!("ingen.konto.{i}@example.dk");
        let response = app.post_form(&client, "/glemt-adgangskode", &[("csrf_token", &token), ("email", &email)]).await;
        if i < 10 {
            assert_eq!(response.status(), StatusCode::OK, "request {}", i + 1);
            continue;
        }
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "the eleventh");
        let retry: i64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!(retry > 0 && retry <= 3600, "{retry}");
        let html = response.text().await.unwrap();
        assert!(html.contains("for mange links til ny adgangskode"), "{html}");
    }
    let recorded: i64 =
        sqlx::query_scalar("SELECT count(*) FROM password_reset_requests").fetch_one(&app.db).await.unwrap();
    assert_eq!(recorded, 10, "the refused one is not recorded");

    // Another client is not held back, and an hour later this one may ask again.
    let other = app.client_from("203.0.113.41");
    let token = app.csrf(&other, "/glemt-adgangskode").await;
    let response = app.post_form(&other, "/glemt-adgangskode", &[("csrf_token", &token), ("email", MEMBER)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    app.set_time(app.clock.now() + Duration::minutes(61));
    let token = app.csrf(&client, "/glemt-adgangskode").await;
    let response = app.post_form(&client, "/glemt-adgangskode", &[("csrf_token", &token), ("email", MEMBER)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    settle_reset_requests(&app).await;
    assert_eq!(account_mails(&app, MEMBER).await, 2);
}
