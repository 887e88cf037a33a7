//! Signing in and out, CSRF, rate limits, and the audit of it all.

use reqwest::StatusCode;
use samarbejdsrum::domain::clock::Clock;

use crate::helpers::*;

#[tokio::test]
async fn the_demo_secretariat_signs_in_and_sees_the_start_page() {
    let app = spawn_app().await;
    let client = app.client();
    let response = app.try_login(&client, SECRETARIAT, DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/");
    let html = app.get(&client, "/").await.text().await.unwrap();
    assert!(html.contains("Mine grupper"), "{html}");
    assert!(html.contains("Næste møder"));
    assert!(html.contains("Faggruppe Natur") || html.contains("Natur"));
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_a_danish_message_and_keeps_the_email() {
    let app = spawn_app().await;
    let client = app.client();
    let response = app.try_login(&client, SECRETARIAT, "forkert-kode").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let html = response.text().await.unwrap();
    assert!(html.contains("Forkert e-mail eller adgangskode."));
    assert!(html.contains(&format!("value=\"{SECRETARIAT}\"")));
    assert_eq!(app.get(&client, "/").await.status(), StatusCode::SEE_OTHER, "still signed out");
}

#[tokio::test]
async fn an_unknown_email_gets_the_same_answer_as_a_wrong_password() {
    let app = spawn_app().await;
    let response = app.try_login(&app.client(), "ingen@dmp.example", DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.text().await.unwrap().contains("Forkert e-mail eller adgangskode."));
}

#[tokio::test]
async fn signing_in_returns_to_the_page_asked_for_but_never_to_another_site() {
    let app = spawn_app().await;
    let client = app.client();
    let response = app.get(&client, "/budget").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/login?next=%2Fbudget");

    let token = app.csrf(&client, "/login?next=%2Fbudget").await;
    let fields =
        [("csrf_token", token.as_str()), ("email", SECRETARIAT), ("password", DEMO_PASSWORD), ("next", "/budget")];
    let response = app.post_form(&client, "/login", &fields).await;
    assert_eq!(response.headers()["location"], "/budget");

    let other = app.client();
    let token = app.csrf(&other, "/login").await;
    let fields = [
        ("csrf_token", token.as_str()),
        ("email", SECRETARIAT),
        ("password", DEMO_PASSWORD),
        ("next", "//evil.example/"),
    ];
    let response = app.post_form(&other, "/login", &fields).await;
    assert_eq!(response.headers()["location"], "/");
}

#[tokio::test]
async fn a_next_with_a_tab_or_line_breaks_sends_the_browser_home_and_never_fails() {
    let app = spawn_app().await;
    for next in
        ["/\t/evil.example", "/\r\n/evil.example", "/x\r\nSet-Cookie: a=b", "/\n/evil.example", "/\\evil.example"]
    {
        let client = app.client();
        let token = app.csrf(&client, "/login").await;
        let fields =
            [("csrf_token", token.as_str()), ("email", SECRETARIAT), ("password", DEMO_PASSWORD), ("next", next)];
        let response = app.post_form(&client, "/login", &fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(response.headers()["location"], "/", "{next:?}");
    }
    let client = app.login_as(MEMBER).await;
    for next in ["%2F%09%2Fevil.example", "%2F%0D%0A%2Fevil.example", "%2F%0A"] {
        let response = app.get(&client, &format!("/login?next={next}")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next}");
        assert_eq!(response.headers()["location"], "/", "{next}");
    }
    let response = app.get(&client, "/login?next=%2Fmoeder%3Faar%3D2026").await;
    assert_eq!(response.headers()["location"], "/moeder?aar=2026", "a plain path is kept");
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let app = spawn_app().await;
    let client = app.login_as(MEMBER).await;
    let token = app.csrf(&client, "/").await;
    let response = app.post_form(&client, "/logout", &[("csrf_token", &token)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/login");
    assert_eq!(app.get(&client, "/").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_form_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let client = app.login_as(MEMBER).await;
    let response = app.post_form(&client, "/profil/api-noegler", &[("label", "uden token")]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("Formularen er udløbet"));
    let response =
        app.post_form(&client, "/profil/api-noegler", &[("label", "forkert token"), ("csrf_token", "gæt")]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let tokens: i64 = sqlx::query_scalar("SELECT count(*) FROM api_tokens").fetch_one(&app.db).await.unwrap();
    assert_eq!(tokens, 0);
    // Logging out is a form too.
    let response = app.post_form(&client, "/logout", &[]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get(&client, "/").await.status(), StatusCode::OK, "still signed in");
}

#[tokio::test]
async fn the_login_form_itself_needs_its_csrf_token() {
    let app = spawn_app().await;
    let client = app.client();
    let _ = app.get(&client, "/login").await;
    let response = app.post_form(&client, "/login", &[("email", SECRETARIAT), ("password", DEMO_PASSWORD)]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_session_id_is_renewed_at_sign_in() {
    let app = spawn_app().await;
    let client = app.client();
    let before = session_cookie(&app.get(&client, "/login").await).expect("anonymous session cookie");
    let response = app.try_login(&client, CHAIR, DEMO_PASSWORD).await;
    let after = session_cookie(&response).expect("a new cookie at sign-in");
    assert_ne!(before, after);
}

#[tokio::test]
async fn five_failed_attempts_make_that_address_wait_for_the_account_even_with_the_right_password() {
    let app = spawn_app().await;
    let client = app.client();
    for _ in 0..5 {
        assert_eq!(app.try_login(&client, CHAIR, "forkert-kode").await.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app.try_login(&client, CHAIR, DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.text().await.unwrap().contains("For mange mislykkede forsøg"));
    // Another account is not affected by this account's wait.
    assert_eq!(app.try_login(&app.client(), MEMBER, DEMO_PASSWORD).await.status(), StatusCode::SEE_OTHER);
    // The wait is a delay, not a lock: half a minute later the right password gets in.
    app.set_time(app.clock.now() + chrono::Duration::seconds(30));
    assert_eq!(app.try_login(&client, CHAIR, DEMO_PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn many_failures_from_one_address_lock_that_address_across_accounts() {
    let app = spawn_app().await;
    let client = app.client();
    for i in 0..20 {
        let email = format!("ukendt{i}@dmp.example");
        assert_eq!(app.try_login(&client, &email, "forkert-kode").await.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.try_login(&client, MEMBER, DEMO_PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn sign_in_and_sign_out_are_written_to_the_audit_log() {
    let app = spawn_app().await;
    let client = app.login_as(ADMIN).await;
    let token = app.csrf(&client, "/").await;
    app.post_form(&client, "/logout", &[("csrf_token", &token)]).await;
    let actions: Vec<(String, String)> =
        sqlx::query_as("SELECT action, actor_label FROM audit_log WHERE action IN ('login', 'logout') ORDER BY id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(actions.len(), 2, "{actions:?}");
    assert_eq!(actions[0].0, "login");
    assert_eq!(actions[1].0, "logout");
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id() {
    let app = spawn_app().await;
    let hashes: Vec<String> =
        sqlx::query_scalar("SELECT password_hash FROM accounts").fetch_all(&app.db).await.unwrap();
    assert!(!hashes.is_empty());
    for hash in hashes {
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    }
}
