//! The embedded PostgreSQL cluster is private (issue 11): it trusts whoever reaches its socket, so no
//! other local user may reach it, also when an earlier version left its folder open.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use samarbejdsrum::devdb::{Cluster, Durability, PRIVATE_MODE};

use crate::helpers::fresh_database;

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(2) == Some("0")))
        .unwrap_or(false)
}

fn psql() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).map(|d| d.join("psql")).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut installed: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin/psql"))
        .collect();
    installed.sort();
    on_path.into_iter().chain(installed.into_iter().rev()).find(|p| p.is_file())
}

/// `psql -h SOCKET_DIR -U postgres -c 'SELECT 1'`, as this process or as another OS user.
fn connect(psql: &Path, socket_dir: &Path, as_user: Option<&str>) -> Output {
    let mut command = match as_user {
        Some(user) => {
            let mut c = Command::new("runuser");
            c.args(["-u", user, "--"]).arg(psql);
            c
        }
        None => Command::new(psql),
    };
    command
        .arg("-h")
        .arg(socket_dir)
        .args(["-U", "postgres", "-d", "postgres", "-w", "-tAc", "SELECT 1"])
        .current_dir("/")
        .env_remove("PGPASSWORD")
        .output()
        .expect("psql runs")
}

#[tokio::test]
async fn another_local_user_cannot_connect_to_the_private_cluster_even_if_an_old_version_left_it_open() {
    if !is_root() {
        eprintln!("skipped: acting as another OS user (runuser -u nobody) needs root");
        return;
    }
    if std::env::var_os("TEST_DATABASE_URL").is_some() {
        eprintln!("skipped: TEST_DATABASE_URL points the tests at another server, not the private cluster");
        return;
    }
    let Some(psql) = psql() else {
        eprintln!("skipped: no psql on this machine");
        return;
    };
    fresh_database().await; // the shared test cluster runs
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-var/pg");

    // Earlier versions left the socket folder open to every local user; the next start closes it.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let cluster = {
        let dir = dir.clone();
        tokio::task::spawn_blocking(move || Cluster::ensure_running(&dir, Durability::FastForTests)).await.unwrap()
    };
    cluster.expect("the running cluster is reused");
    assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, PRIVATE_MODE);

    let own = connect(&psql, &dir, None);
    assert!(own.status.success(), "the app's own account connects: {}", String::from_utf8_lossy(&own.stderr));
    assert_eq!(String::from_utf8_lossy(&own.stdout).trim(), "1");

    let other = connect(&psql, &dir, Some("nobody"));
    let stderr = String::from_utf8_lossy(&other.stderr);
    assert!(
        !other.status.success(),
        "nobody connected to the private cluster: {}",
        String::from_utf8_lossy(&other.stdout)
    );
    assert!(stderr.contains("Permission denied"), "refused by the file system, not by chance: {stderr}");
}

#[tokio::test]
async fn the_server_signs_in_to_its_private_cluster_as_a_role_that_only_reads_and_writes_rows() {
    if std::env::var_os("TEST_DATABASE_URL").is_some() {
        eprintln!("skipped: TEST_DATABASE_URL points the tests at another server, not a private cluster");
        return;
    }
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/embedded-{}", uuid::Uuid::new_v4().simple()));
    let mut config = samarbejdsrum::config::Config::for_tests(String::new());
    config.database_url = None;
    config.data_dir = dir.clone();
    config.demo_data = true;
    let clock = std::sync::Arc::new(samarbejdsrum::domain::clock::TestClock::at(chrono::Utc::now()));
    let app = samarbejdsrum::Application::build(config, clock).await.expect("the app starts on its private cluster");
    assert!(app.demo_loaded);
    let db = app.state().db.clone();

    let (user, superuser, create_role, create_db, reads_files): (String, bool, bool, bool, bool) = sqlx::query_as(
        "SELECT current_user::text, rolsuper, rolcreaterole, rolcreatedb,
                pg_has_role(current_user, 'pg_read_server_files', 'member')
                OR pg_has_role(current_user, 'pg_write_server_files', 'member')
                OR pg_has_role(current_user, 'pg_execute_server_program', 'member')
         FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(user, samarbejdsrum::devdb::APP_ROLE);
    assert!(!superuser && !create_role && !create_db && !reads_files);

    // Rows, yes; the schema and the server's files, no.
    let people: i64 = sqlx::query_scalar("SELECT count(*) FROM people").fetch_one(&db).await.unwrap();
    assert!(people > 0);
    sqlx::query("UPDATE people SET phone = phone WHERE id = (SELECT min(id) FROM people)").execute(&db).await.unwrap();
    for forbidden in [
        "CREATE TABLE stolen (x text)",
        "DROP TABLE audit_log",
        "ALTER TABLE people ADD COLUMN x text",
        "SELECT pg_read_file('/etc/passwd')",
        "COPY people TO '/tmp/people.csv'",
        "CREATE ROLE intruder LOGIN SUPERUSER",
    ] {
        assert!(sqlx::query(forbidden).execute(&db).await.is_err(), "{forbidden} was allowed");
    }
    let owners: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT pg_get_userbyid(c.relowner)::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v')",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(owners, [samarbejdsrum::devdb::OWNER_ROLE], "the migrations' owner holds the schema");

    db.close().await;
    drop(app);
    let cluster = Cluster::existing(&dir.join("pg")).unwrap();
    tokio::task::spawn_blocking(move || cluster.stop()).await.unwrap().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
