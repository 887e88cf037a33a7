//! Accounts without a command line (issue 10): invitations from the person's page, "Glemt adgangskode?"
//! on the login page, and single-use links that expire, stored hashed.

use chrono::Duration;
use reqwest::StatusCode;

use crate::helpers::*;

const NEW_PASSWORD: &str = "blå kaffekop på tredje sal";

/// The link of the newest account mail to an address, as the person would click it.
async fn link_in_mail(app: &TestApp, email: &str) -> String {
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

async fn choose(app: &TestApp, client: &reqwest::Client, link: &str, password: &str) -> reqwest::Response {
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
    assert_eq!(account_mails(&app, MEMBER).await, 3, "three reset mails an hour at most");
}
