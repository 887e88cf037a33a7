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

/// The session's one statement reads its account too (store::sessions): the stored row names the
/// person, never the account it was read with, and a session saved before the person was stored beside
/// it (migration 0043) still signs in, reading the account on its own.
#[tokio::test]
async fn a_session_stores_its_person_but_never_the_account_read_with_it() {
    let app = spawn_app().await;
    let client = app.login_as(MEMBER).await;
    // A password change saves the session under a new id (against fixation) after loading it with its
    // account: what is stored must still be the bare session.
    let token = app.csrf(&client, "/profil").await;
    let fields = [
        ("csrf_token", token.as_str()),
        ("current_password", DEMO_PASSWORD),
        ("new_password", "en helt ny og lang kode"),
        ("new_password_repeat", "en helt ny og lang kode"),
    ];
    assert_eq!(app.post_form(&client, "/profil/adgangskode", &fields).await.status(), StatusCode::OK);
    assert_eq!(app.get(&client, "/").await.status(), StatusCode::OK);
    let rows: Vec<(Option<i64>, Vec<u8>)> =
        sqlx::query_as("SELECT person_id, data FROM sessions WHERE person_id IS NOT NULL")
            .fetch_all(&app.db)
            .await
            .unwrap();
    let member: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(MEMBER).fetch_one(&app.db).await.unwrap();
    assert!(rows.iter().any(|(person, _)| *person == Some(member)), "the session names its person");
    for (_, data) in &rows {
        assert!(!data.windows(8).any(|w| w == b"_account"), "the account read with a session is never stored");
    }

    sqlx::query("UPDATE sessions SET person_id = NULL").execute(&app.db).await.unwrap();
    let response = app.get(&client, "/").await;
    assert_eq!(response.status(), StatusCode::OK, "an older session still signs in");
    assert!(response.text().await.unwrap().contains("Mine grupper"));

    sqlx::query("UPDATE accounts SET active = false WHERE person_id = $1").bind(member).execute(&app.db).await.unwrap();
    assert_eq!(app.get(&client, "/").await.status(), StatusCode::SEE_OTHER, "a closed account is signed out at once");
}
