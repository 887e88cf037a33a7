//! Sessions: kept in PostgreSQL (shared by instances), with absolute time-out and password-change logout.

use chrono::{Duration, Utc};
use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn two_instances_on_one_database_share_sessions() {
    let first = spawn_app().await;
    let second = spawn_app_on(first.database_url.clone()).await;
    let response = first.try_login(&first.client(), SECRETARIAT, DEMO_PASSWORD).await;
    let cookie = format!("samarbejdsrum_session={}", session_cookie(&response).expect("cookie at sign-in"));
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions").fetch_one(&first.db).await.unwrap();
    assert!(stored >= 1, "the session is stored in PostgreSQL");
    // The cookie signed in on the first instance, presented to the second (as a load balancer would).
    let response = second.client().get(second.url("/")).header("cookie", cookie).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("Mine grupper"));
}

#[tokio::test]
async fn a_session_ends_after_the_absolute_time_out_however_active() {
    let app = spawn_app().await;
    let client = app.login_as(MEMBER).await;
    app.set_time(Utc::now() + Duration::hours(11));
    assert_eq!(app.get(&client, "/").await.status(), StatusCode::OK);
    app.set_time(Utc::now() + Duration::hours(13));
    let response = app.get(&client, "/").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(response.headers()["location"].to_str().unwrap().starts_with("/login"));
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_expires_when_idle() {
    let app = spawn_app().await;
    let response = app.get(&app.client(), "/login").await;
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Max-Age=7200"), "idle time-out of 120 minutes: {cookie}");
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions_but_keeps_this_one() {
    let app = spawn_app().await;
    let here = app.login_as(MEMBER).await;
    let elsewhere = app.login_as(MEMBER).await;
    let token = app.csrf(&here, "/profil").await;
    let fields = [
        ("csrf_token", token.as_str()),
        ("current_password", DEMO_PASSWORD),
        ("new_password", "en helt ny og lang kode"),
        ("new_password_repeat", "en helt ny og lang kode"),
    ];
    let response = app.post_form(&here, "/profil/adgangskode", &fields).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("Din adgangskode er skiftet"));
    assert_eq!(app.get(&here, "/").await.status(), StatusCode::OK);
    assert_eq!(app.get(&elsewhere, "/").await.status(), StatusCode::SEE_OTHER);
    // The new password works, the old does not.
    assert_eq!(app.try_login(&app.client(), MEMBER, "en helt ny og lang kode").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.try_login(&app.client(), MEMBER, DEMO_PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'password_changed'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);
}
