//! Bad input: the form comes back with the user's text and a Danish message; nothing is stored.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn an_invalid_email_on_login_is_explained_and_kept() {
    let app = spawn_app().await;
    let client = app.client();
    let token = app.csrf(&client, "/login").await;
    let response = app
        .post_form(&client, "/login", &[("csrf_token", &token), ("email", "mette-uden-snabela"), ("password", "")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("E-mailadressen skal indeholde @."), "{html}");
    assert!(html.contains("Skriv din adgangskode."));
    assert!(html.contains("value=\"mette-uden-snabela\""));
    assert!(html.contains("aria-invalid=\"true\""));
}

#[tokio::test]
async fn a_token_without_a_name_is_refused_and_nothing_is_created() {
    let app = spawn_app().await;
    let client = app.login_as(MEMBER).await;
    let token = app.csrf(&client, "/profil").await;
    let response = app.post_form(&client, "/profil/api-noegler", &[("csrf_token", &token), ("label", "   ")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("Giv nøglen et navn"));
    let long = "x".repeat(101);
    let response = app.post_form(&client, "/profil/api-noegler", &[("csrf_token", &token), ("label", &long)]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains(&long), "the user's text comes back");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM api_tokens").fetch_one(&app.db).await.unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_password_change_with_mistakes_says_what_is_wrong_and_keeps_the_old_password() {
    let app = spawn_app().await;
    let client = app.login_as(MEMBER).await;
    let token = app.csrf(&client, "/profil").await;
    let cases: [(&str, &str, &str, &str); 3] = [
        (
            "forkert-nuværende",
            "en ny lang adgangskode",
            "en ny lang adgangskode",
            "Den nuværende adgangskode er forkert.",
        ),
        (DEMO_PASSWORD, "kort", "kort", "Adgangskoden skal have mindst 15 tegn."),
        (DEMO_PASSWORD, "en ny lang adgangskode", "en anden lang kode", "De to nye adgangskoder er ikke ens."),
    ];
    for (current, new, repeat, message) in cases {
        let fields = [
            ("csrf_token", token.as_str()),
            ("current_password", current),
            ("new_password", new),
            ("new_password_repeat", repeat),
        ];
        let response = app.post_form(&client, "/profil/adgangskode", &fields).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains(message), "{message}");
    }
    assert_eq!(app.try_login(&app.client(), MEMBER, DEMO_PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn garbage_in_a_form_or_path_never_gives_a_500() {
    let app = spawn_app().await;
    let client = app.login_as(MEMBER).await;
    let token = app.csrf(&client, "/profil").await;
    let response = app.post_form(&client, "/profil/api-noegler/abc/tilbagekald", &[("csrf_token", &token)]).await;
    assert!(response.status().is_client_error(), "{}", response.status());
    let response = client
        .post(app.url("/profil/api-noegler"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf_token={token}&label=%FF%FE"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error() || response.status().is_success(), "{}", response.status());
    let response = app.get(&client, "/personer?q=%25%27%3B%20DROP%20TABLE%20people%3B--").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let secretariat = app.login_as(SECRETARIAT).await;
    let response = app.get(&secretariat, "/personer?q=%25_%5C%27").await;
    assert_eq!(response.status(), StatusCode::OK);
}
