//! `spawn_app()` and the clients that talk to it.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use samarbejdsrum::Application;
pub use samarbejdsrum::config::Config;
use samarbejdsrum::devdb::{Cluster, Durability};
use samarbejdsrum::domain::clock::TestClock;
use sqlx::{Connection, PgConnection, PgPool};
use tokio_util::sync::CancellationToken;

use crate::page_checks::capture::Proxy;

pub const DEMO_PASSWORD: &str = samarbejdsrum::store::demo::DEMO_PASSWORD;
pub const ADMIN: &str = "admin@dmp.example";
pub const SECRETARIAT: &str = "sekretariat@dmp.example";
pub const CHAIR: &str = "forperson.natur@mst.example";
pub const MEMBER: &str = "medlem.natur@aarhus.example";
pub const SUBSTITUTE: &str = "suppleant.natur@rm.example";

/// The server all tests share, and the template database each test copies.
struct TestServer {
    /// URL of the server with `{db}` in place of the database name.
    url_pattern: String,
    template: String,
}

impl TestServer {
    fn url(&self, db: &str) -> String {
        self.url_pattern.replace("{db}", db)
    }
}

static SERVER: OnceLock<TestServer> = OnceLock::new();

/// TEST_DATABASE_URL (any server, its database part ignored) or a private, fast, throwaway cluster
/// under target/test-var/pg, shared by every test of the run (scripts/test stops it afterwards).
fn server() -> &'static TestServer {
    SERVER.get_or_init(|| {
        std::thread::spawn(|| {
            let url_pattern = match std::env::var("TEST_DATABASE_URL") {
                Ok(url) => with_database(&url, "{db}"),
                Err(_) => {
                    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-var/pg");
                    let cluster =
                        Cluster::ensure_running(&dir, Durability::FastForTests).expect("test PostgreSQL cluster");
                    cluster.url("{db}")
                }
            };
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let template = rt.block_on(prepare_template(&url_pattern));
            TestServer { url_pattern, template }
        })
        .join()
        .expect("test database set-up failed")
    })
}

fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map(|(b, q)| (b, Some(q))).unwrap_or((url, None));
    let base = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

/// Migrates and fills a template once per run; leftovers of earlier runs are dropped first.
async fn prepare_template(url_pattern: &str) -> String {
    let mut admin =
        PgConnection::connect(&url_pattern.replace("{db}", "postgres")).await.expect("connect to postgres db");
    let old: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 't\\_%' OR datname LIKE 'tpl\\_%'")
            .fetch_all(&mut admin)
            .await
            .unwrap();
    for db in old {
        sqlx::query(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)")).execute(&mut admin).await.unwrap();
    }
    let template = format!("tpl_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE \"{template}\"")).execute(&mut admin).await.unwrap();
    let pool = PgPool::connect(&url_pattern.replace("{db}", &template)).await.unwrap();
    samarbejdsrum::db::migrate(&pool).await.unwrap();
    samarbejdsrum::store::demo::load(&pool).await.expect("demo data loads");
    pool.close().await;
    template
}

/// A fresh database with the demo data, for one test.
pub async fn fresh_database() -> String {
    let server = server();
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&server.url("postgres")).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE \"{name}\" TEMPLATE \"{}\"", server.template))
        .execute(&mut admin)
        .await
        .unwrap();
    server.url(&name)
}

pub struct TestApp {
    /// The recording proxy in front of the app (see page_checks::capture); links in mail point here too.
    pub address: String,
    /// The running app's state, for driving its background jobs' `run_once` with the test clock.
    pub state: samarbejdsrum::state::AppState,
    pub db: PgPool,
    pub database_url: String,
    pub clock: TestClock,
    shutdown: CancellationToken,
    handle: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    proxy: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_on(fresh_database().await).await
}

/// Another instance against the same database, as behind a load balancer.
pub async fn spawn_app_on(database_url: String) -> TestApp {
    spawn_with(Config::for_tests(database_url)).await
}

/// An instance behind a trusted proxy: each client says where it comes from in X-Forwarded-For.
pub async fn spawn_app_behind_proxy() -> TestApp {
    let config = Config { trust_forwarded_for: true, ..Config::for_tests(fresh_database().await) };
    spawn_with(config).await
}

pub async fn spawn_with(mut config: Config) -> TestApp {
    let database_url = config.database_url.clone().expect("tests always name their database");
    let clock = TestClock::at(Utc::now());
    let proxy = Proxy::bind().await;
    let address = proxy.address();
    config.base_url.get_or_insert_with(|| address.clone());
    let app = Application::build(config, Arc::new(clock.clone())).await.expect("app builds");
    let upstream = format!("http://127.0.0.1:{}", app.port());
    let db = app.state().db.clone();
    let state = app.state().clone();
    let shutdown = CancellationToken::new();
    let handle = tokio::spawn(app.run_until_stopped(shutdown.clone()));
    let proxy = tokio::spawn(proxy.serve(upstream, shutdown.clone()));
    TestApp { address, state, db, database_url, clock, shutdown, handle: Some(handle), proxy: Some(proxy) }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A browser-like client: cookies kept, redirects not followed (tests look at them).
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap()
    }

    /// A browser-like client at another address (for an app from `spawn_app_behind_proxy`).
    pub fn client_from(&self, address: &str) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-forwarded-for", address.parse().unwrap());
        reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).default_headers(headers).build().unwrap()
    }

    pub async fn get(&self, client: &reqwest::Client, path: &str) -> reqwest::Response {
        client.get(self.url(path)).send().await.unwrap()
    }

    /// Fetches a page and returns the CSRF token of its first form.
    pub async fn csrf(&self, client: &reqwest::Client, path: &str) -> String {
        let html = self.get(client, path).await.text().await.unwrap();
        csrf_in(&html).unwrap_or_else(|| panic!("no csrf token on {path}"))
    }

    pub async fn post_form(&self, client: &reqwest::Client, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        client.post(self.url(path)).form(fields).send().await.unwrap()
    }

    /// Posts a multipart upload form as a browser would: the CSRF token first, then the file as `fil`.
    pub async fn upload(&self, client: &reqwest::Client, path: &str, name: &str, bytes: &[u8]) -> reqwest::Response {
        let token = self.csrf(client, "/profil").await;
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token)
            .part("fil", reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned()));
        client.post(self.url(path)).multipart(form).send().await.unwrap()
    }

    /// Posts the login form as a browser would; returns the response (303 on success).
    pub async fn try_login(&self, client: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
        let token = self.csrf(client, "/login").await;
        self.post_form(client, "/login", &[("csrf_token", &token), ("email", email), ("password", password)]).await
    }

    pub async fn login_as(&self, email: &str) -> reqwest::Client {
        let client = self.client();
        let response = self.try_login(&client, email, DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "login as {email} failed");
        client
    }

    pub fn set_time(&self, now: DateTime<Utc>) {
        self.clock.set(now);
    }

    pub async fn stop(mut self) {
        self.shutdown.cancel();
        if let Some(handle) = self.handle.take() {
            handle.await.unwrap().unwrap();
        }
        if let Some(proxy) = self.proxy.take() {
            proxy.await.unwrap().unwrap();
        }
    }
}

impl Drop for TestApp {
    /// Stops the app, then fails the test if its outbox holds mail no step should queue (`queued_mail_problems`).
    fn drop(&mut self) {
        self.shutdown.cancel();
        if std::thread::panicking() {
            return;
        }
        let url = self.database_url.clone();
        let problems = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(queued_mail_problems(&url))
        })
        .join()
        .expect("the outbox check ran");
        assert!(problems.is_empty(), "the outbox holds mail no step should queue:\n{}", problems.join("\n"));
    }
}

/// What is wrong with the mail a test left in its outbox: a kind no step queues (a misspelt code), or
/// a subject or body that is blank or holds an unrendered template. (That nobody is told twice of one
/// event is the outbox's idempotency key's to hold: the same words may rightly go out twice, as when a
/// draft is sent to the chair again.)
async fn queued_mail_problems(database_url: &str) -> Vec<String> {
    let Ok(pool) = PgPool::connect(database_url).await else { return Vec::new() };
    let mails: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT kind, to_address, subject, body_text FROM outbox ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap_or_default();
    pool.close().await;
    let mut problems = Vec::new();
    for (kind, to, subject, body) in mails {
        let unrendered = |t: &str| t.contains("{{") || t.contains("{%") || t.contains("}}");
        if samarbejdsrum::domain::notifications::MailKind::parse(&kind).is_none() {
            problems.push(format!("{kind} to {to}: no step queues a mail of this kind"));
        }
        if subject.trim().is_empty() || body.trim().is_empty() || unrendered(&subject) || unrendered(&body) {
            problems.push(format!("{kind} to {to}: a blank or unrendered subject or body: {subject:?}"));
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

pub fn csrf_in(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// The session cookie's value as the client holds it.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("samarbejdsrum_session="))
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim_start_matches("samarbejdsrum_session=").to_owned())
}

/// A personal API token for a demo person, made the way the profile page makes one.
pub async fn api_token(app: &TestApp, email: &str) -> String {
    let person_id: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(email).fetch_one(&app.db).await.unwrap();
    let actor = samarbejdsrum::store::audit::Actor::cli();
    samarbejdsrum::store::api_tokens::create(&app.db, &actor, person_id, "test").await.unwrap()
}

/// A new person in the register, working for the named organisation.
pub async fn new_person(app: &TestApp, name: &str, email: &str, organisation: &str, management_level: bool) -> i64 {
    let organisation_id: i64 = sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1")
        .bind(organisation)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let input = samarbejdsrum::store::people::PersonInput {
        name: name.into(),
        email: email.into(),
        organisation_id: Some(organisation_id),
        management_level,
        ..Default::default()
    };
    samarbejdsrum::store::people::create(&app.db, &samarbejdsrum::store::audit::Actor::cli(), &input).await.unwrap()
}

pub async fn group_id(app: &TestApp, slug: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM groups WHERE slug = $1").bind(slug).fetch_one(&app.db).await.unwrap()
}

pub async fn membership_status(app: &TestApp, group: &str, person_id: i64) -> String {
    sqlx::query_scalar(
        "SELECT m.status FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.slug = $1 AND m.person_id = $2 ORDER BY m.id DESC LIMIT 1",
    )
    .bind(group)
    .bind(person_id)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

/// Posts a form as a browser does after opening `page`: that page's CSRF token, then the fields.
pub async fn post_from(
    app: &TestApp,
    client: &reqwest::Client,
    page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let token = app.csrf(client, page).await;
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    app.post_form(client, path, &all).await
}

/// Posts a form with the session's CSRF token (read from the profile page, which every signed-in
/// person may open).
pub async fn post(app: &TestApp, client: &reqwest::Client, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    post_from(app, client, "/profil", path, fields).await
}

/// Posts one of a meeting's forms from the meeting page to `/moeder/{meeting}{path}`.
pub async fn post_meeting(
    app: &TestApp,
    client: &reqwest::Client,
    meeting: i64,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    post_from(app, client, &format!("/moeder/{meeting}"), &format!("/moeder/{meeting}{path}"), fields).await
}

/// An ordinary meeting of `group` on `date`, 13-16 in a meeting room, planned by the secretariat.
pub async fn new_meeting(app: &TestApp, group: &str, date: &str) -> i64 {
    let client = app.login_as(SECRETARIAT).await;
    let fields = [
        ("kind", "ordinary"),
        ("cycle_number", "1"),
        ("date", date),
        ("start", "13:00"),
        ("end", "16:00"),
        ("format", "physical"),
        ("location", "Miljøportalen, mødelokale 2"),
    ];
    let page = format!("/grupper/{group}/moeder");
    let response = post_from(app, &client, &page, &page, &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap()
}

/// One API request with a bearer token and an optional JSON body: the status and the JSON answer (null
/// when the answer is not JSON).
pub async fn api_call(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> (reqwest::StatusCode, serde_json::Value) {
    let mut request = app.client().request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(serde_json::Value::Null))
}
