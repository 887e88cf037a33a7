//! The second factor for password sign-in (TOTP, RFC 6238): enrolment from the profile and during
//! sign-in when required of staff, a right code, a wrong one, the same code twice in its step,
//! recovery codes once each, wrong codes throttled like passwords, and an administrator's reset.

use chrono::{DateTime, TimeZone, Utc};
use reqwest::StatusCode;
use samarbejdsrum::security::second_factor::code_at;

use crate::helpers::*;

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(seconds, 0).unwrap()
}

/// A time at the start of a 30-second step, in the app's near future.
fn step_start() -> i64 {
    (Utc::now().timestamp() / 30 + 2) * 30
}

/// The secret as the page shows it to type by hand, in groups of four.
fn secret_in(html: &str) -> String {
    let groups: Vec<&str> =
        html.split("<code class=\"secret\">").skip(1).map(|g| g.split('<').next().unwrap()).collect();
    assert!(!groups.is_empty(), "the secret to type by hand");
    groups.concat()
}

fn recovery_codes_in(html: &str) -> Vec<String> {
    html.split("<li><code>").skip(1).map(|c| c.split('<').next().unwrap().to_owned()).collect()
}

async fn post_code(app: &TestApp, client: &reqwest::Client, path: &str, code: &str) -> reqwest::Response {
    let token = app.csrf(client, path).await;
    app.post_form(client, path, &[("csrf_token", &token), ("code", code)]).await
}

/// Password first: where it sends the browser.
async fn password(app: &TestApp, client: &reqwest::Client, email: &str) -> String {
    let response = app.try_login(client, email, DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{email}'s password");
    response.headers()["location"].to_str().unwrap().to_owned()
}

async fn signed_in(app: &TestApp, client: &reqwest::Client) -> bool {
    app.get(client, "/profil").await.status() == StatusCode::OK
}

/// The member enrols from the profile; returns the secret and the recovery codes.
async fn enrol_member(app: &TestApp, now: i64) -> (String, Vec<String>) {
    app.set_time(at(now));
    let member = app.login_as(MEMBER).await;
    let page = app.get(&member, "/profil/totrin").await.text().await.unwrap();
    assert!(page.contains("<svg"), "a QR code drawn on the server");
    let secret = secret_in(&page);
    let wrong = post_code(app, &member, "/profil/totrin", "000000").await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().await.unwrap().contains("Koden passer ikke"));
    let right = post_code(app, &member, "/profil/totrin", &code_at(&secret, now).unwrap()).await;
    assert_eq!(right.status(), StatusCode::OK);
    let codes = recovery_codes_in(&right.text().await.unwrap());
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once");
    let profile = app.get(&member, "/profil").await.text().await.unwrap();
    assert!(profile.contains("10 ubrugte gendannelseskoder"));
    (secret, codes)
}

#[tokio::test]
async fn an_enrolled_member_needs_the_right_code_once_after_the_password() {
    let app = spawn_app().await;
    let now = step_start();
    let (secret, _) = enrol_member(&app, now).await;

    // Next step: the password alone does not sign in.
    let later = now + 60;
    app.set_time(at(later));
    let client = app.client();
    assert_eq!(password(&app, &client, MEMBER).await, "/login/totrin");
    assert!(!signed_in(&app, &client).await, "not signed in between the two steps");
    let wrong = post_code(&app, &client, "/login/totrin", "123456").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let code = code_at(&secret, later).unwrap();
    let right = post_code(&app, &client, "/login/totrin", &code).await;
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    assert!(signed_in(&app, &client).await);

    // The same code again in the same step is refused, even for a fresh sign-in.
    let again = app.client();
    assert_eq!(password(&app, &again, MEMBER).await, "/login/totrin");
    assert_eq!(post_code(&app, &again, "/login/totrin", &code).await.status(), StatusCode::UNAUTHORIZED);
    assert!(!signed_in(&app, &again).await);
    app.stop().await;
}

#[tokio::test]
async fn each_recovery_code_works_once() {
    let app = spawn_app().await;
    let now = step_start();
    let (_, codes) = enrol_member(&app, now).await;
    let first = app.client();
    password(&app, &first, MEMBER).await;
    let typed = codes[0].to_uppercase();
    assert_eq!(post_code(&app, &first, "/login/totrin", &typed).await.status(), StatusCode::SEE_OTHER);
    assert!(signed_in(&app, &first).await);

    let second = app.client();
    password(&app, &second, MEMBER).await;
    assert_eq!(post_code(&app, &second, "/login/totrin", &codes[0]).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(post_code(&app, &second, "/login/totrin", &codes[1]).await.status(), StatusCode::SEE_OTHER);
    let profile = app.get(&second, "/profil").await.text().await.unwrap();
    assert!(profile.contains("8 ubrugte gendannelseskoder"));
    app.stop().await;
}

#[tokio::test]
async fn when_required_an_administrator_cannot_sign_in_with_a_password_alone() {
    let app = spawn_app().await;
    let now = step_start();
    app.set_time(at(now));
    let admin = app.login_as(ADMIN).await;
    let token = app.csrf(&admin, "/administration").await;
    let set = app
        .post_form(
            &admin,
            "/administration/log-ind/totrin",
            &[("csrf_token", &token), ("second_factor_for_staff", "on")],
        )
        .await;
    assert_eq!(set.status(), StatusCode::SEE_OTHER);

    let client = app.client();
    assert_eq!(password(&app, &client, ADMIN).await, "/login/totrin");
    assert_eq!(app.get(&client, "/administration").await.status(), StatusCode::SEE_OTHER, "not signed in yet");
    let page = app.get(&client, "/login/totrin").await.text().await.unwrap();
    assert!(page.contains("Opsæt totrinsbekræftelse"), "enrolment as part of the sign-in");
    let secret = secret_in(&page);
    let done = post_code(&app, &client, "/login/totrin", &code_at(&secret, now).unwrap()).await;
    assert_eq!(done.status(), StatusCode::OK);
    assert_eq!(recovery_codes_in(&done.text().await.unwrap()).len(), 10);
    assert_eq!(app.get(&client, "/administration").await.status(), StatusCode::OK);

    // A member without a factor is not asked: the requirement is staff's.
    let member = app.client();
    assert_eq!(password(&app, &member, MEMBER).await, "/");
    app.stop().await;
}

#[tokio::test]
async fn wrong_codes_are_throttled_like_wrong_passwords() {
    let app = spawn_app().await;
    let now = step_start();
    enrol_member(&app, now).await;
    let client = app.client();
    password(&app, &client, MEMBER).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let response = post_code(&app, &client, "/login/totrin", "999999").await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(response.headers().contains_key("retry-after"));
        }
        statuses.push(response.status());
    }
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    app.stop().await;
}

#[tokio::test]
async fn an_administrator_resets_a_lost_second_factor_and_the_secretariat_cannot() {
    let app = spawn_app().await;
    let now = step_start();
    enrol_member(&app, now).await;
    let member_id: i64 = sqlx::query_scalar("SELECT id FROM people WHERE lower(email) = lower($1)")
        .bind(MEMBER)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let path = format!("/personer/{member_id}/totrin/nulstil");
    let secretariat = app.login_as(SECRETARIAT).await;
    let token = app.csrf(&secretariat, "/profil").await;
    assert_eq!(app.post_form(&secretariat, &path, &[("csrf_token", &token)]).await.status(), StatusCode::FORBIDDEN);

    let admin = app.login_as(ADMIN).await;
    let token = app.csrf(&admin, "/profil").await;
    assert_eq!(app.post_form(&admin, &path, &[("csrf_token", &token)]).await.status(), StatusCode::SEE_OTHER);
    let audit: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'second_factor_reset'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(audit, 1);
    let client = app.client();
    assert_eq!(password(&app, &client, MEMBER).await, "/", "the password alone again");
    app.stop().await;
}
