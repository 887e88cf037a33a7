//! Personal API tokens: created once, stored hashed, used as Bearer, revocable, last use recorded.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

async fn create_token(app: &TestApp, client: &reqwest::Client, label: &str) -> String {
    let token = app.csrf(client, "/profil").await;
    let response = app.post_form(client, "/profil/api-noegler", &[("csrf_token", &token), ("label", label)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    let start = html.find("<code id=\"new-token\">").expect("token shown once") + "<code id=\"new-token\">".len();
    html[start..start + html[start..].find('<').unwrap()].to_owned()
}

#[tokio::test]
async fn a_token_from_the_profile_page_identifies_its_person_on_the_api() {
    let app = spawn_app().await;
    let client = app.login_as(CHAIR).await;
    let secret = create_token(&app, &client, "Hjemmesiden").await;
    assert!(secret.starts_with("sr_"));

    let response = reqwest::Client::new().get(app.url("/api/v1/me")).bearer_auth(&secret).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["email"], CHAIR);
    assert_eq!(me["role"], "user");

    let (stored, last_used): (Vec<u8>, Option<chrono::DateTime<chrono::Utc>>) =
        sqlx::query_as("SELECT token_hash, last_used_at FROM api_tokens").fetch_one(&app.db).await.unwrap();
    assert_ne!(stored, secret.as_bytes(), "only a hash is stored");
    assert!(last_used.is_some(), "last use is recorded");

    let page = app.get(&client, "/profil").await.text().await.unwrap();
    assert!(!page.contains(&secret), "the secret is never shown again");
    assert!(page.contains("Hjemmesiden"));
}

#[tokio::test]
async fn a_revoked_token_no_longer_works() {
    let app = spawn_app().await;
    let client = app.login_as(MEMBER).await;
    let secret = create_token(&app, &client, "Script").await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM api_tokens").fetch_one(&app.db).await.unwrap();
    let token = app.csrf(&client, "/profil").await;
    let response =
        app.post_form(&client, &format!("/profil/api-noegler/{id}/tilbagekald"), &[("csrf_token", &token)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = reqwest::Client::new().get(app.url("/api/v1/me")).bearer_auth(&secret).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn nobody_revokes_another_persons_token() {
    let app = spawn_app().await;
    let owner = app.login_as(MEMBER).await;
    let secret = create_token(&app, &owner, "Mit script").await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM api_tokens").fetch_one(&app.db).await.unwrap();
    let other = app.login_as(CHAIR).await;
    let token = app.csrf(&other, "/profil").await;
    let response =
        app.post_form(&other, &format!("/profil/api-noegler/{id}/tilbagekald"), &[("csrf_token", &token)]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = reqwest::Client::new().get(app.url("/api/v1/me")).bearer_auth(&secret).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_api_refuses_missing_and_wrong_tokens_as_json() {
    let app = spawn_app().await;
    let response = reqwest::Client::new().get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
    let response = reqwest::Client::new().get(app.url("/api/v1/me")).bearer_auth("sr_forkert").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_browser_session_does_not_open_the_api() {
    let app = spawn_app().await;
    let client = app.login_as(ADMIN).await;
    assert_eq!(app.get(&client, "/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
}
