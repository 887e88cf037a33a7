//! Passwords and the credentials beside them (issue 11): the password rule on the profile page.

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
        (ADMIN, "Adgangskoden må ikke være din e-mailadresse."),
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
