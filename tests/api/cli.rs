//! The command line: create-user, create-token, send-test-mail, --help, and the embedded database.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use reqwest::StatusCode;

use crate::helpers::*;
use crate::smtp::SmtpServer;

fn samarbejdsrum(database_url: Option<&str>, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_samarbejdsrum"));
    command.args(args).env_remove("DATABASE_URL").env_remove("SMTP_URL").env("RUST_LOG", "warn");
    if let Some(url) = database_url {
        command.env("DATABASE_URL", url);
    }
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn create_user_reads_the_password_from_stdin_and_the_user_can_sign_in() {
    let app = spawn_app().await;
    let args = ["create-user", "--email", "Ny.Person@dmp.example", "--name", "Ny Person", "--role", "secretariat"];
    let out = samarbejdsrum(Some(&app.database_url), &args, "en lang nok adgangskode\n", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        app.try_login(&app.client(), "ny.person@dmp.example", "en lang nok adgangskode").await.status(),
        StatusCode::SEE_OTHER
    );
    let role: String = sqlx::query_scalar(
        "SELECT a.role FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.email = 'ny.person@dmp.example'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(role, "secretariat");
    let audited: String = sqlx::query_scalar("SELECT actor_label FROM audit_log WHERE action = 'account_created'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, "kommandolinje");
}

#[tokio::test]
async fn create_user_refuses_a_short_password_a_bad_role_and_a_password_in_argv() {
    let app = spawn_app().await;
    let out = samarbejdsrum(
        Some(&app.database_url),
        &["create-user", "--email", "a@dmp.example", "--name", "A"],
        "kort\n",
        &[],
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("mindst 15 tegn"), "{}", text(&out.stderr));
    let out = samarbejdsrum(
        Some(&app.database_url),
        &["create-user", "--email", "a@dmp.example", "--name", "A", "--role", "root"],
        "en lang nok adgangskode\n",
        &[],
    );
    assert!(!out.status.success());
    let out = samarbejdsrum(
        Some(&app.database_url),
        &["create-user", "--email", "a@dmp.example", "--name", "A", "--password", "x"],
        "",
        &[],
    );
    assert!(!out.status.success(), "there is no --password flag");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM people WHERE email = 'a@dmp.example'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn create_user_refuses_a_short_common_or_repeated_password_even_for_an_administrator() {
    let app = spawn_app().await;
    let cases = [
        ("1234567890\n", "Adgangskoden skal have mindst 15 tegn."),
        ("aaaaaaaaaaaaaaa\n", "tegnfølge, der gentages"),
        ("manchesterunited\n", "for almindelig"),
        ("Qwertyuiopasdfgh\n", "en række som"),
        ("ny.admin@dmp.example\n", "Adgangskoden må ikke indeholde din e-mailadresse"),
        ("hemmelig ny.admin 2026\n", "Adgangskoden må ikke indeholde din e-mailadresse"),
        ("admin ny hele vejen hjem\n", "Adgangskoden må ikke indeholde din e-mailadresse"),
        ("demo-samarbejde\n", "demo-adgangskoden"),
    ];
    for (password, message) in cases {
        let args = ["create-user", "--email", "ny.admin@dmp.example", "--name", "Ny Admin", "--role", "admin"];
        let out = samarbejdsrum(Some(&app.database_url), &args, password, &[]);
        assert!(!out.status.success(), "{password}");
        assert!(text(&out.stderr).contains(message), "{password}: {}", text(&out.stderr));
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM people WHERE email = 'ny.admin@dmp.example'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing was created");
}

#[tokio::test]
async fn create_token_prints_a_working_token_once() {
    let app = spawn_app().await;
    let out = samarbejdsrum(
        Some(&app.database_url),
        &["create-token", "--email", SECRETARIAT, "--label", "Integration"],
        "",
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let token = text(&out.stdout).trim().to_owned();
    assert!(token.starts_with("sr_"), "{token}");
    let response = reqwest::Client::new().get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let me: serde_json::Value = response.json().await.unwrap();
    assert_eq!(me["email"], SECRETARIAT);
}

#[tokio::test]
async fn send_test_mail_goes_over_real_smtp() {
    let app = spawn_app().await;
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let out = tokio::task::spawn_blocking(move || {
        samarbejdsrum(
            None,
            &["send-test-mail", "--to", "modtager@dmp.example"],
            "",
            &[("SMTP_URL", &url), ("DATA_DIR", "/nonexistent")],
        )
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let received = smtp.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, vec!["modtager@dmp.example".to_owned()]);
    assert_eq!(received[0].from, "noreply@samarbejdsrum.local");
    assert!(received[0].data.contains("Subject: Testmail fra Samarbejdsrum"), "{}", received[0].data);
    assert!(received[0].data.contains("Message-ID:") && received[0].data.contains("Date:"));
    drop(app);
}

#[tokio::test]
async fn send_test_mail_without_smtp_queues_the_mail_for_the_secretariat_to_see() {
    let app = spawn_app().await;
    let out = samarbejdsrum(Some(&app.database_url), &["send-test-mail", "--to", "modtager@dmp.example"], "", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let queued: String =
        sqlx::query_scalar("SELECT to_address FROM outbox WHERE status = 'queued'").fetch_one(&app.db).await.unwrap();
    assert_eq!(queued, "modtager@dmp.example");
    let secretariat = app.login_as(SECRETARIAT).await;
    let page = app.get(&secretariat, "/udbakke").await.text().await.unwrap();
    assert!(page.contains("Testmail fra Samarbejdsrum") && page.contains("I kø"));
}

#[test]
fn help_documents_every_setting() {
    let out = samarbejdsrum(None, &["--help"], "", &[]);
    let help = text(&out.stdout);
    for setting in ["DATABASE_URL", "BIND", "BASE_URL", "SMTP_URL", "DATA_DIR"] {
        assert!(help.contains(setting), "{setting} missing from --help:\n{help}");
    }
    for command in ["serve", "migrate", "demo-data", "create-user", "create-token", "send-test-mail"] {
        assert!(help.contains(command), "{command} missing from --help");
    }
}

/// With no DATABASE_URL the app makes its own cluster, and a second run reuses the running one.
#[test]
fn without_database_url_a_private_cluster_is_started_and_reused() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("target/embedded-{}", uuid::Uuid::new_v4().simple()));
    let data_dir = dir.to_str().unwrap().to_owned();
    let env = [("DATA_DIR", data_dir.as_str()), ("DEMO_DATA", "false")];
    let first = samarbejdsrum(None, &["migrate"], "", &env);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(dir.join("pg/data/PG_VERSION").exists());
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir.join("pg")), 0o700, "the socket folder is the cluster user's alone");
    assert_eq!(mode(&dir.join("pg/.s.PGSQL.5432")), 0o700, "and so is the socket");
    let second = samarbejdsrum(None, &["migrate"], "", &env);
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert!(text(&second.stderr).is_empty() || !text(&second.stderr).contains("creating"), "reused, not created again");
    let stop = samarbejdsrum(None, &["stop-db"], "", &env);
    assert!(stop.status.success(), "{}", text(&stop.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The banner the server prints at start, up to the blank line that ends it.
fn start_banner(database_url: &str, demo_data: bool) -> String {
    use std::io::BufRead;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_samarbejdsrum"))
        .env("DATABASE_URL", database_url)
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("DEMO_DATA", if demo_data { "true" } else { "false" })
        .env("RUST_LOG", "warn")
        .env_remove("SMTP_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut banner = String::new();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    while let Some(Ok(line)) = lines.next() {
        if line.trim().is_empty() && banner.contains("kører på") {
            break;
        }
        banner.push_str(&line);
        banner.push('\n');
    }
    let _ = child.kill();
    let _ = child.wait();
    banner
}

#[tokio::test]
async fn the_start_banner_offers_the_demo_login_only_where_it_signs_in() {
    let demo = fresh_database().await;
    let banner = tokio::task::spawn_blocking(move || start_banner(&demo, true)).await.unwrap();
    assert!(banner.contains("Demo-login: sekretariat@dmp.example / demo-samarbejde"), "{banner}");

    // A bare installation: a new, empty database without demo data.
    let bare = {
        let url = fresh_database().await;
        let (base, query) =
            url.split_once('?').map(|(b, q)| (b.to_owned(), format!("?{q}"))).unwrap_or((url, String::new()));
        let base = &base[..base.rfind('/').unwrap()];
        format!("{base}/t_bare{}{query}", uuid::Uuid::new_v4().simple())
    };
    let banner = tokio::task::spawn_blocking(move || start_banner(&bare, false)).await.unwrap();
    assert!(banner.contains("kører på") && !banner.contains("Demo-login"), "{banner}");
}
