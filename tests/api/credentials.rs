//! Passwords and the credentials beside them (issue 11): the password rule on the profile page, API
//! tokens and calendar feeds of deactivated accounts, and revoking them all with a password change.

use reqwest::StatusCode;

use crate::helpers::*;

async fn stored_hash(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT a.password_hash FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.email = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn change_password(app: &TestApp, client: &reqwest::Client, new: &str, revoke: bool) -> reqwest::Response {
    let token = app.csrf(client, "/profil").await;
    let mut fields = vec![
        ("csrf_token", token.as_str()),
        ("current_password", DEMO_PASSWORD),
        ("new_password", new),
        ("new_password_repeat", new),
    ];
    if revoke {
        fields.push(("revoke_credentials", "ja"));
    }
    app.post_form(client, "/profil/adgangskode", &fields).await
}

/// A calendar feed made on the profile page; returns its path.
async fn calendar_feed(app: &TestApp, client: &reqwest::Client) -> String {
    let token = app.csrf(client, "/profil").await;
    app.post_form(client, "/profil/kalender", &[("csrf_token", &token)]).await;
    let profile = app.get(client, "/profil").await.text().await.unwrap();
    let start = profile.find("<code id=\"new-feed\">").expect("feed url shown once") + "<code id=\"new-feed\">".len();
    let url = &profile[start..start + profile[start..].find('<').unwrap()];
    url.trim_start_matches(&app.address).to_owned()
}

async fn api_status(app: &TestApp, token: &str) -> StatusCode {
    reqwest::Client::new().get(app.url("/api/v1/me")).bearer_auth(token).send().await.unwrap().status()
}

#[tokio::test]
async fn a_short_common_or_repeated_new_password_is_refused_in_danish_and_nothing_changes() {
    let app = spawn_app().await;
    let admin = app.login_as(ADMIN).await;
    let before = stored_hash(&app, ADMIN).await;
    let cases = [
        ("1234567890", "Adgangskoden skal have mindst 15 tegn."),
        ("aaaaaaaaaa", "Adgangskoden skal have mindst 15 tegn."),
        ("aaaaaaaaaaaaaaaaaaaa", "tegnfølge, der gentages"),
        ("123456789012345", "en række som 12345"),
        ("ManchesterUnited", "for almindelig og findes på lister over lækkede adgangskoder"),
        ("Velkommen2026!!!", "for almindelig"),
        (ADMIN, "Adgangskoden må ikke indeholde din e-mailadresse"),
        ("Jakob Winther er min chef", "Adgangskoden må ikke indeholde dit navn."),
        ("demo-samarbejde", "demo-adgangskoden"),
    ];
    for (new, message) in cases {
        let response = change_password(&app, &admin, new, false).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{new}");
        let html = response.text().await.unwrap();
        assert!(html.contains(message), "{new}: {message}");
        assert!(html.contains("id=\"e-new_password\""), "the message stands next to the field");
    }
    assert_eq!(stored_hash(&app, ADMIN).await, before, "nothing changed");
    assert_eq!(app.try_login(&app.client(), ADMIN, DEMO_PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_deactivated_accounts_api_token_and_calendar_feed_stop_working() {
    let app = spawn_app().await;
    let member = app.login_as(MEMBER).await;
    let token = api_token(&app, MEMBER).await;
    let feed = calendar_feed(&app, &member).await;
    assert_eq!(api_status(&app, &token).await, StatusCode::OK);
    assert_eq!(app.get(&app.client(), &feed).await.status(), StatusCode::OK);

    sqlx::query("UPDATE accounts SET active = false WHERE person_id = (SELECT id FROM people WHERE email = $1)")
        .bind(MEMBER)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(api_status(&app, &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get(&app.client(), &feed).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn changing_the_password_with_the_revoke_box_ticked_revokes_every_token_and_feed() {
    let app = spawn_app().await;
    let member = app.login_as(MEMBER).await;
    let profile = app.get(&member, "/profil").await.text().await.unwrap();
    assert!(profile.contains("Tilbagekald også alle mine API-nøgler og kalenderlinks"));

    // Without the box, they keep working.
    let token = api_token(&app, MEMBER).await;
    let feed = calendar_feed(&app, &member).await;
    let response = change_password(&app, &member, "en første ny adgangssætning", false).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(api_status(&app, &token).await, StatusCode::OK);
    assert_eq!(app.get(&app.client(), &feed).await.status(), StatusCode::OK);

    let other_token = api_token(&app, MEMBER).await;
    let chair_token = api_token(&app, CHAIR).await;
    let token_form = app.csrf(&member, "/profil").await;
    let fields = [
        ("csrf_token", token_form.as_str()),
        ("current_password", "en første ny adgangssætning"),
        ("new_password", "en anden ny adgangssætning"),
        ("new_password_repeat", "en anden ny adgangssætning"),
        ("revoke_credentials", "ja"),
    ];
    let response = app.post_form(&member, "/profil/adgangskode", &fields).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("alle dine API-nøgler og kalenderlinks er tilbagekaldt"));
    assert_eq!(api_status(&app, &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(api_status(&app, &other_token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get(&app.client(), &feed).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(api_status(&app, &chair_token).await, StatusCode::OK, "another person's token is untouched");
    let live: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM api_tokens t JOIN people p ON p.id = t.person_id
                 WHERE p.email = $1 AND t.revoked_at IS NULL)
              + (SELECT count(*) FROM calendar_feeds f JOIN people p ON p.id = f.person_id
                 WHERE p.email = $1 AND f.revoked_at IS NULL)",
    )
    .bind(MEMBER)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(live, 0);
}
