//! Signing in through the organisation's identity provider, against a real OpenID Provider
//! (oidc-provider, run with Node from tests/oidc-provider): the first sign-in binds by verified
//! e-mail, later ones by subject; state, code, nonce, audience and expiry are each checked; closed
//! and unknown accounts are refused; signing out reaches the provider; password sign-in can be
//! turned off for all but break-glass administrators.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

/// The provider's people: subject → claims. Rasmus Friis's verified e-mail is a demo member's.
fn accounts() -> serde_json::Value {
    json!({
        "rasmus-sub": { "email": MEMBER, "email_verified": true, "name": "Rasmus Friis" },
        "ubekraeftet": { "email": CHAIR, "email_verified": false, "name": "Uden bekræftelse" },
        "ukendt": { "email": "ny.person@kommune.example", "email_verified": true, "name": "Ny Person" },
        "admin-sub": { "email": ADMIN, "email_verified": true, "name": "Administrator" },
        // As Microsoft Entra ID sends it: an e-mail, no email_verified.
        "entra-stil": { "email": SUBSTITUTE, "name": "Suppleant" },
    })
}

pub struct Provider {
    child: Child,
    pub issuer: String,
}

impl Provider {
    fn free_port() -> u16 {
        TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    }

    /// Starts the provider for an app at `app_url`, and waits until it answers.
    pub async fn start(port: u16, app_url: &str) -> Provider {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oidc-provider");
        let mut child = Command::new("node")
            .arg("provider.mjs")
            .current_dir(dir)
            .env("PORT", port.to_string())
            .env("REDIRECT_URI", format!("{app_url}/login/oidc/callback"))
            .env("POST_LOGOUT_URI", format!("{app_url}/login"))
            .env("ACCOUNTS", accounts().to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs tests/oidc-provider (scripts/test installs it)");
        let issuer = format!("http://127.0.0.1:{port}");
        let probe = reqwest::Client::new();
        for _ in 0..100 {
            if probe.get(format!("{issuer}/.well-known/openid-configuration")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if probe.get(format!("{issuer}/.well-known/openid-configuration")).send().await.is_err() {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the OpenID Provider did not start");
        }
        Provider { child, issuer }
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn configure(config: &mut Config, port: u16) {
    config.oidc_issuer = Some(format!("http://127.0.0.1:{port}"));
    config.oidc_client_id = Some("samarbejdsrum".into());
    config.oidc_client_secret = Some("test-hemmelighed".into());
    config.oidc_label = "Kommunens login".into();
}

/// An app configured with the provider, and the provider.
async fn app_with_provider() -> (TestApp, Provider) {
    app_with_provider_and(|_| {}).await
}

async fn app_with_provider_and(change: impl FnOnce(&mut Config)) -> (TestApp, Provider) {
    let port = Provider::free_port();
    let mut config = Config::for_tests(fresh_database().await);
    configure(&mut config, port);
    change(&mut config);
    let app = spawn_with(config).await;
    let provider = Provider::start(port, &app.address).await;
    (app, provider)
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// Follows the provider's redirects and signs in on its own login page as `subject`, until it sends
/// the browser back to the app; returns the callback URL. `tamper` may change the authorization
/// request on its way to the provider.
async fn through_provider(
    client: &reqwest::Client,
    authorize: String,
    provider: &Provider,
    subject: &str,
    tamper: impl Fn(String) -> String,
) -> String {
    let mut url = tamper(authorize);
    for _ in 0..10 {
        let response = client.get(&url).send().await.unwrap_or_else(|e| panic!("{url}: {e}"));
        if !response.status().is_redirection() {
            let html = response.text().await.unwrap();
            assert!(html.contains("name=\"login\""), "the provider's login page: {html}");
            let action = html.split("action=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
            let response = client
                .post(absolute(&provider.issuer, &action))
                .form(&[("prompt", "login"), ("login", subject), ("password", "hvad-som-helst")])
                .send()
                .await
                .unwrap();
            assert!(response.status().is_redirection(), "the provider took the login");
            url = absolute(&provider.issuer, &location(&response));
            continue;
        }
        let next = absolute(&provider.issuer, &location(&response));
        if next.contains("/login/oidc/callback") {
            return next;
        }
        url = next;
    }
    panic!("the provider never sent the browser back");
}

fn absolute(issuer: &str, location: &str) -> String {
    if location.starts_with("http") { location.to_owned() } else { format!("{issuer}{location}") }
}

/// Starts a sign-in at the app: the provider's authorization URL.
async fn start(app: &TestApp, client: &reqwest::Client) -> String {
    let response = app.get(client, "/login/oidc").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    location(&response)
}

/// The whole sign-in as `subject`: the app's answer to the callback.
async fn sign_in(app: &TestApp, client: &reqwest::Client, provider: &Provider, subject: &str) -> reqwest::Response {
    let authorize = start(app, client).await;
    let callback = through_provider(client, authorize, provider, subject, |u| u).await;
    client.get(callback).send().await.unwrap()
}

async fn bound_subject(app: &TestApp, email: &str) -> Option<String> {
    sqlx::query_scalar(
        "SELECT a.oidc_subject FROM accounts a JOIN people p ON p.id = a.person_id WHERE lower(p.email) = lower($1)",
    )
    .bind(email)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn refusals(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'oidc_login_refused'")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The reason the audit log gives for the latest refusal.
async fn last_refusal(app: &TestApp) -> String {
    sqlx::query_scalar(
        "SELECT after->>'reason' FROM audit_log WHERE action = 'oidc_login_refused' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn signed_in_as(app: &TestApp, client: &reqwest::Client) -> Option<String> {
    let response = app.get(client, "/profil").await;
    if response.status() != StatusCode::OK {
        return None;
    }
    let html = response.text().await.unwrap();
    Some(html)
}

#[tokio::test]
async fn the_first_sign_in_binds_by_verified_email_and_later_ones_by_subject() {
    let (app, provider) = app_with_provider().await;
    let client = app.client();
    let login = app.get(&client, "/login").await.text().await.unwrap();
    assert!(login.contains("Log ind med Kommunens login"), "the button above the password form");

    let response = sign_in(&app, &client, &provider, "rasmus-sub").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{:?}", response.text().await);
    assert_eq!(location(&response), "/");
    assert!(signed_in_as(&app, &client).await.unwrap().contains("Rasmus Friis"));
    assert_eq!(bound_subject(&app, MEMBER).await.as_deref(), Some("rasmus-sub"));

    // The e-mail here changes; the provider's subject still finds the account.
    sqlx::query("UPDATE people SET email = 'rasmus.friis@ny-kommune.example' WHERE lower(email) = lower($1)")
        .bind(MEMBER)
        .execute(&app.db)
        .await
        .unwrap();
    let again = app.client();
    let response = sign_in(&app, &again, &provider, "rasmus-sub").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(signed_in_as(&app, &again).await.unwrap().contains("Rasmus Friis"));
    let logins: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'login' AND after->>'method' = 'oidc'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(logins, 2, "each sign-in is in the audit log");
    app.stop().await;
}

#[tokio::test]
async fn unverified_and_unknown_emails_and_closed_accounts_are_refused_in_danish() {
    let (app, provider) = app_with_provider().await;
    let cases = [
        ("ubekraeftet", "Du har ingen konto i Samarbejdsrum endnu"),
        ("ukendt", "Bed sekretariatet om at oprette dig"),
    ];
    for (subject, message) in cases {
        let client = app.client();
        let response = sign_in(&app, &client, &provider, subject).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{subject}");
        assert!(response.text().await.unwrap().contains(message), "{subject}");
        assert!(signed_in_as(&app, &client).await.is_none(), "{subject} is not signed in");
    }
    assert_eq!(bound_subject(&app, CHAIR).await, None, "an unverified e-mail binds nothing");

    // A closed account cannot sign in this way either, bound or not.
    sqlx::query(
        "UPDATE accounts SET active = false WHERE person_id = (SELECT id FROM people WHERE lower(email) = lower($1))",
    )
    .bind(MEMBER)
    .execute(&app.db)
    .await
    .unwrap();
    let client = app.client();
    let response = sign_in(&app, &client, &provider, "rasmus-sub").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("Din konto i Samarbejdsrum er lukket"));
    assert!(refusals(&app).await >= 3, "each refusal is in the audit log");
    app.stop().await;
}

#[tokio::test]
async fn a_wrong_state_a_replayed_code_a_wrong_nonce_another_audience_and_an_expired_token_are_refused() {
    let (app, provider) = app_with_provider().await;

    // A wrong state.
    let client = app.client();
    let callback = through_provider(&client, start(&app, &client).await, &provider, "rasmus-sub", |u| u).await;
    let forged = callback.replace("state=", "state=x");
    let response = client.get(forged).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("Log ind blev afbrudt eller er udløbet"));

    // A replayed code: used once, then offered again with a fresh sign-in's state.
    let client = app.client();
    let callback = through_provider(&client, start(&app, &client).await, &provider, "rasmus-sub", |u| u).await;
    assert_eq!(client.get(&callback).send().await.unwrap().status(), StatusCode::SEE_OTHER);
    let code = callback.split("code=").nth(1).unwrap().split('&').next().unwrap().to_owned();
    let replayer = app.client();
    let fresh = through_provider(&replayer, start(&app, &replayer).await, &provider, "rasmus-sub", |u| u).await;
    let own = fresh.split("code=").nth(1).unwrap().split('&').next().unwrap().to_owned();
    let response = replayer.get(fresh.replace(&own, &code)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "the provider refuses a code twice");
    assert!(last_refusal(&app).await.contains("refused the code"), "{}", last_refusal(&app).await);
    assert!(response.text().await.unwrap().contains("kunne ikke bekræfte, hvem du er"));

    // A wrong nonce: the request reaches the provider with another nonce than the one kept here.
    let client = app.client();
    let authorize = start(&app, &client).await;
    let callback = through_provider(&client, authorize, &provider, "rasmus-sub", |u| {
        let nonce = u.split("nonce=").nth(1).unwrap().split('&').next().unwrap().to_owned();
        u.replace(&format!("nonce={nonce}"), "nonce=en-anden-nonce")
    })
    .await;
    let response = client.get(callback).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "a token for another sign-in");
    assert!(last_refusal(&app).await.to_lowercase().contains("nonce"), "{}", last_refusal(&app).await);
    assert!(signed_in_as(&app, &client).await.is_none());

    // Another audience: the provider issues the code to another client, whose token this app must not take.
    let client = app.client();
    let authorize = start(&app, &client).await;
    let callback = through_provider(&client, authorize, &provider, "rasmus-sub", |u| {
        u.replace("client_id=samarbejdsrum", "client_id=andet-system")
    })
    .await;
    assert_eq!(client.get(callback).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert!(last_refusal(&app).await.contains("refused the code"), "{}", last_refusal(&app).await);
    assert!(signed_in_as(&app, &client).await.is_none());

    // An expired token: the server's clock has passed the ID token's hour by the time it is checked.
    let client = app.client();
    let callback = through_provider(&client, start(&app, &client).await, &provider, "rasmus-sub", |u| u).await;
    app.set_time(chrono::Utc::now() + chrono::Duration::hours(2));
    let response = client.get(callback).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "an expired ID token");
    assert!(last_refusal(&app).await.to_lowercase().contains("expire"), "{}", last_refusal(&app).await);
    assert!(signed_in_as(&app, &client).await.is_none());
    assert!(refusals(&app).await >= 5, "each refusal is in the audit log");
    app.stop().await;
}

#[tokio::test]
async fn signing_out_ends_the_session_here_and_at_the_provider() {
    let (app, provider) = app_with_provider().await;
    let client = app.client();
    assert_eq!(sign_in(&app, &client, &provider, "rasmus-sub").await.status(), StatusCode::SEE_OTHER);
    let token = app.csrf(&client, "/profil").await;
    let response = app.post_form(&client, "/logout", &[("csrf_token", &token)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    assert!(to.starts_with(&format!("{}/session/end?", provider.issuer)), "{to}");
    assert!(to.contains("id_token_hint=") && to.contains("post_logout_redirect_uri="), "{to}");
    assert!(signed_in_as(&app, &client).await.is_none(), "signed out here at once");
    let end = client.get(&to).send().await.unwrap();
    assert!(end.status().is_success(), "the provider's own sign-out page answers: {}", end.status());
    app.stop().await;
}

#[tokio::test]
async fn with_password_sign_in_off_only_break_glass_administrators_use_a_password() {
    let (app, _provider) = app_with_provider().await;
    let admin = app.login_as(ADMIN).await;
    let token = app.csrf(&admin, "/administration").await;
    let admin_id: i64 = sqlx::query_scalar("SELECT id FROM people WHERE lower(email) = lower($1)")
        .bind(ADMIN)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let response =
        app.post_form(&admin, "/administration/log-ind", &[("csrf_token", &token), ("password_sign_in", "off")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let page = app.get(&app.client(), "/login").await.text().await.unwrap();
    assert!(page.contains("Nødadgang for administratorer"), "the password form folds away");
    let secretariat = app.client();
    let response = app.try_login(&secretariat, SECRETARIAT, DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("Log ind med Kommunens login"));
    let response = app.try_login(&app.client(), ADMIN, DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "not break-glass yet");

    let response = app
        .post_form(
            &admin,
            &format!("/administration/log-ind/noedadgang/{admin_id}"),
            &[("csrf_token", &token), ("break_glass", "on")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = app.try_login(&app.client(), ADMIN, DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "the break-glass administrator gets in");

    // Only administrators change it.
    let secretariat = {
        app.post_form(&admin, "/administration/log-ind", &[("csrf_token", &token), ("password_sign_in", "on")]).await;
        app.login_as(SECRETARIAT).await
    };
    let token = app.csrf(&secretariat, "/profil").await;
    let response = app
        .post_form(&secretariat, "/administration/log-ind", &[("csrf_token", &token), ("password_sign_in", "off")])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    app.stop().await;
}

#[tokio::test]
async fn without_a_provider_there_is_no_provider_button_and_no_provider_routes() {
    let app = spawn_app().await;
    let page = app.get(&app.client(), "/login").await.text().await.unwrap();
    assert!(!page.contains("/login/oidc"));
    assert_eq!(app.get(&app.client(), "/login/oidc").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&app.client(), "/login/oidc/callback?code=x&state=y").await.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

/// A returning person's sign-in costs what a password sign-in does: the session's read, the login by
/// identity with its audit line, the account, and the session's renewal.
#[tokio::test]
async fn a_returning_persons_callback_stays_within_the_statement_budget() {
    let port = Provider::free_port();
    let Some((app, proxy)) = crate::statement_budget::spawn_counted_with(|c| configure(c, port)).await else {
        return;
    };
    let provider = Provider::start(port, &app.address).await;
    let first = app.client();
    assert_eq!(sign_in(&app, &first, &provider, "rasmus-sub").await.status(), StatusCode::SEE_OTHER);
    let client = app.client();
    let callback = through_provider(&client, start(&app, &client).await, &provider, "rasmus-sub", |u| u).await;
    let before = proxy.statements();
    assert_eq!(client.get(callback).send().await.unwrap().status(), StatusCode::SEE_OTHER);
    let used = proxy.statements() - before;
    eprintln!("statement budget: {used:>2} for a returning sign-in through the provider");
    assert!(used <= crate::statement_budget::BUDGET, "the callback issued {used} statements");
    app.stop().await;
}

/// In Chromium: the login page's button, the provider's own login page, and back signed in.
#[tokio::test]
async fn a_member_signs_in_through_the_providers_login_page_in_the_browser() {
    use fantoccini::Locator;

    let (app, _provider) = app_with_provider().await;
    let driver = crate::browser::Driver::start();
    let browser = driver.client().await;
    browser.goto(&app.url("/login")).await.unwrap();
    browser.find(Locator::LinkText("Log ind med Kommunens login")).await.unwrap().click().await.unwrap();
    let login = browser.wait().for_element(Locator::Css("input[name=login]")).await.unwrap();
    login.send_keys("rasmus-sub").await.unwrap();
    browser.find(Locator::Css("input[name=password]")).await.unwrap().send_keys("hvad-som-helst").await.unwrap();
    browser.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css(".user-menu")).await.unwrap();
    let header = browser.find(Locator::Css(".user-menu")).await.unwrap().text().await.unwrap();
    assert!(header.contains("Rasmus Friis"), "{header}");
    assert_eq!(browser.current_url().await.unwrap().path(), "/");
    browser.close().await.unwrap();
    app.stop().await;
}

/// The provider rotates its signing keys (here: it restarts with new ones): a token signed with a
/// key this server has not seen makes it read the provider's keys again, and the sign-in works.
#[tokio::test]
async fn new_signing_keys_at_the_provider_are_fetched_when_a_token_names_one() {
    let (app, provider) = app_with_provider().await;
    let first = app.client();
    assert_eq!(sign_in(&app, &first, &provider, "rasmus-sub").await.status(), StatusCode::SEE_OTHER);
    let port: u16 = provider.issuer.rsplit(':').next().unwrap().parse().unwrap();
    drop(provider);
    let provider = Provider::start(port, &app.address).await;
    let second = app.client();
    let response = sign_in(&app, &second, &provider, "rasmus-sub").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{:?}", response.text().await);
    assert!(signed_in_as(&app, &second).await.unwrap().contains("Rasmus Friis"));
    app.stop().await;
}

/// An e-mail claim without `email_verified` binds nothing, unless the installation says its
/// provider's e-mails are the organisation's own (OIDC_EMAIL_VERIFIED_BY_PROVIDER, for Entra ID).
#[tokio::test]
async fn an_email_without_email_verified_binds_only_where_the_provider_is_trusted_for_it() {
    let (app, provider) = app_with_provider().await;
    let client = app.client();
    assert_eq!(sign_in(&app, &client, &provider, "entra-stil").await.status(), StatusCode::FORBIDDEN);
    app.stop().await;
    drop(provider);

    let (app, provider) = app_with_provider_and(|c| c.oidc_email_verified_by_provider = true).await;
    let client = app.client();
    assert_eq!(sign_in(&app, &client, &provider, "entra-stil").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(bound_subject(&app, SUBSTITUTE).await.as_deref(), Some("entra-stil"));
    let refused = app.client();
    let response = sign_in(&app, &refused, &provider, "ubekraeftet").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "an explicit email_verified: false still refuses");
    app.stop().await;
}
