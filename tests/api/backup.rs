//! Backups that restore: `samarbejdsrum backup` writes a pg_dump with its checksum; `restore` checks
//! the checksum, refuses a database with data unless --replace, restores in one transaction, and
//! migrates; the restored installation reads on its pages as before.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use reqwest::StatusCode;

use crate::helpers::*;

fn cli(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_samarbejdsrum"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env_remove("SMTP_URL")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn say(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Another, empty database on the same server.
fn empty_database(beside: &str) -> String {
    let name = format!("r_{}", uuid::Uuid::new_v4().simple());
    let (head, tail) = beside.split_once('?').map(|(h, t)| (h, Some(t))).unwrap_or((beside, None));
    let base = &head[..head.rfind('/').unwrap()];
    match tail {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

async fn counts(url: &str) -> (i64, i64, i64, i64) {
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let row: (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM groups), (SELECT count(*) FROM meetings), (SELECT count(*) FROM people),
                (SELECT count(*) FROM documents)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    row
}

/// Every table's row count and a checksum over its rows in a fixed order (attachments' bytes too).
async fn tables(url: &str) -> Vec<(String, i64, String)> {
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let names: Vec<String> =
        sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            .fetch_all(&pool)
            .await
            .unwrap();
    let mut out = Vec::new();
    for name in names {
        let (count, sum): (i64, String) = sqlx::query_as(&format!(
            "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{name}\" t"
        ))
        .fetch_one(&pool)
        .await
        .unwrap();
        out.push((name, count, sum));
    }
    pool.close().await;
    assert!(out.len() > 40, "all the schema's tables");
    out
}

fn backup_in(url: &str, dir: &Path) -> PathBuf {
    let out = cli(url, &["backup", "--to", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", say(&out));
    let dump = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "dump"))
        .expect("a .dump file");
    assert!(say(&out).contains(dump.to_str().unwrap()), "it says where it went: {}", say(&out));
    dump
}

#[tokio::test]
async fn a_backup_restores_into_an_empty_database_and_reads_on_the_pages_as_before() {
    let source = fresh_database().await;
    let app = spawn_app_on(source.clone()).await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let meeting: i64 =
        sqlx::query_scalar("SELECT id FROM meetings ORDER BY id LIMIT 1").fetch_one(&app.db).await.unwrap();
    let page = app.get(&secretariat, &format!("/moeder/{meeting}")).await.text().await.unwrap();
    let title = page.split("<h1 class=\"page-title\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let attachment = b"%PDF-1.7\nBilag med \xc3\xa6\xc3\xb8\xc3\xa5 og bytes \x00\x01\xff\n".to_vec();
    let uploaded = app.upload(&secretariat, &format!("/moeder/{meeting}/bilag"), "Bilag.pdf", &attachment).await;
    assert_eq!(uploaded.status(), StatusCode::SEE_OTHER);
    let document: i64 = sqlx::query_scalar("SELECT id FROM documents WHERE meeting_id = $1")
        .bind(meeting)
        .fetch_one(&app.db)
        .await
        .unwrap();
    app.stop().await;

    let dir = std::env::temp_dir().join(format!("sr-backup-{}", uuid::Uuid::new_v4().simple()));
    let dump = backup_in(&source, &dir);
    let name = dump.file_name().unwrap().to_str().unwrap().to_owned();
    assert!(name.starts_with("samarbejdsrum-") && name.contains("-schema-"), "named by time and schema: {name}");
    let sum = std::fs::read_to_string(format!("{}.sha256", dump.display())).unwrap();
    let digest = Command::new("sha256sum").arg(&dump).output().unwrap();
    assert_eq!(sum.split_whitespace().next(), String::from_utf8_lossy(&digest.stdout).split_whitespace().next());

    let target = empty_database(&source);
    let out = cli(&target, &["restore", dump.to_str().unwrap()]);
    assert!(out.status.success(), "{}", say(&out));
    assert_eq!(counts(&target).await, counts(&source).await, "groups, meetings, people and attachments");
    assert_eq!(tables(&target).await, tables(&source).await, "every table: the same rows, to the byte");

    let restored = spawn_app_on(target).await;
    let secretariat = restored.login_as(SECRETARIAT).await;
    let page = restored.get(&secretariat, &format!("/moeder/{meeting}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains(&title), "the meeting reads as before: {title}");
    let file = restored.get(&secretariat, &format!("/moeder/{meeting}/bilag/{document}")).await;
    assert_eq!(file.bytes().await.unwrap().as_ref(), attachment.as_slice(), "the attachment's bytes");
    restored.stop().await;
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_database_with_data_is_replaced_only_when_asked_and_a_damaged_dump_changes_nothing() {
    let source = fresh_database().await;
    let dir = std::env::temp_dir().join(format!("sr-backup-{}", uuid::Uuid::new_v4().simple()));
    let dump = backup_in(&source, &dir);
    let target = fresh_database().await;
    let pool = sqlx::PgPool::connect(&target).await.unwrap();
    sqlx::query("UPDATE groups SET name = name || ' (før)'").execute(&pool).await.unwrap();
    pool.close().await;
    let before = counts(&target).await;

    let out = cli(&target, &["restore", dump.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(say(&out).contains("not empty") && say(&out).contains("--replace"), "{}", say(&out));

    // A damaged file: refused by its checksum before anything is touched.
    let damaged = dir.join("damaged.dump");
    let mut bytes = std::fs::read(&dump).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&damaged, &bytes).unwrap();
    std::fs::copy(format!("{}.sha256", dump.display()), format!("{}.sha256", damaged.display())).unwrap();
    let out = cli(&target, &["restore", "--replace", damaged.to_str().unwrap()]);
    assert!(!out.status.success() && say(&out).contains("checksum"), "{}", say(&out));

    // A cut file with a checksum that matches it: the restore fails inside its transaction.
    let cut = dir.join("cut.dump");
    let whole = std::fs::read(&dump).unwrap();
    std::fs::write(&cut, &whole[..whole.len() * 2 / 3]).unwrap();
    let digest = Command::new("sha256sum").arg(&cut).output().unwrap();
    std::fs::write(format!("{}.sha256", cut.display()), &digest.stdout).unwrap();
    let out = cli(&target, &["restore", "--replace", cut.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", say(&out));
    assert_eq!(counts(&target).await, before, "nothing dropped, nothing half-restored");
    let pool = sqlx::PgPool::connect(&target).await.unwrap();
    let renamed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM groups WHERE name LIKE '% (før)'").fetch_one(&pool).await.unwrap();
    pool.close().await;
    assert!(renamed > 0, "the database is as it was");

    let out = cli(&target, &["restore", "--replace", dump.to_str().unwrap()]);
    assert!(out.status.success(), "{}", say(&out));
    assert!(say(&out).contains("Erstattet:"), "it says what it replaced: {}", say(&out));
    assert_eq!(counts(&target).await, counts(&source).await);
    std::fs::remove_dir_all(&dir).ok();
}

fn schedule(dir: &Path, keep: usize) -> samarbejdsrum::jobs::backups::Schedule {
    let at = chrono::NaiveTime::from_hms_opt(2, 30, 0).unwrap();
    samarbejdsrum::jobs::backups::Schedule { dir: dir.to_path_buf(), at, keep }
}

/// Copenhagen wall-clock time on a day in January (UTC+1).
fn copenhagen(day: u32, hour: u32, minute: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::Utc.with_ymd_and_hms(2027, 1, day, hour - 1, minute, 0).unwrap()
}

#[tokio::test]
async fn the_nightly_backup_is_taken_once_a_day_by_one_instance_and_old_ones_are_pruned() {
    use samarbejdsrum::jobs::backups::run_once;
    let url = fresh_database().await;
    let one = spawn_app_on(url.clone()).await;
    let two = spawn_app_on(url).await;
    let dir = std::env::temp_dir().join(format!("sr-nightly-{}", uuid::Uuid::new_v4().simple()));
    let plan = schedule(&dir, 2);

    one.set_time(copenhagen(4, 2, 0));
    assert!(!run_once(&one.state, &plan).await.unwrap(), "not before 02:30");
    for (n, day) in [4, 5, 6].into_iter().enumerate() {
        one.set_time(copenhagen(day, 3, 0));
        two.set_time(copenhagen(day, 3, 0));
        let (a, b) = tokio::join!(run_once(&one.state, &plan), run_once(&two.state, &plan));
        assert_eq!(u8::from(a.unwrap()) + u8::from(b.unwrap()), 1, "exactly one instance takes day {day}'s backup");
        assert!(!run_once(&one.state, &plan).await.unwrap(), "once a day");
        let held: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
            .fetch_one(&one.db)
            .await
            .unwrap();
        assert_eq!(held, 0, "a turn that found the backup taken lets go of the lock at once");
        let kept = samarbejdsrum::ops::backup::list(&dir).len();
        assert_eq!(kept, (n + 1).min(2), "the newest two are kept");
    }
    let admin = one.login_as(ADMIN).await;
    let page = one.get(&admin, "/administration").await.text().await.unwrap();
    assert!(page.contains("Sidste backup:") && page.contains("samarbejdsrum-"), "the administration page shows it");
    let now = one.state.clock.now();
    let read = samarbejdsrum::store::operations_metrics::read(&one.db, now).await.unwrap();
    assert_eq!(read.last_backup, Some(copenhagen(6, 3, 0)), "the metrics' backup age counts from the last one");
    one.stop().await;
    two.stop().await;
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_failed_nightly_backup_mails_the_administrators_once_and_shows_on_the_administration_page() {
    use samarbejdsrum::jobs::backups::run_once;
    let app = spawn_app().await;
    let file = std::env::temp_dir().join(format!("sr-not-a-dir-{}", uuid::Uuid::new_v4().simple()));
    std::fs::write(&file, b"a file, not a folder").unwrap();
    let plan = schedule(&file.join("backups"), 14);
    app.set_time(copenhagen(4, 3, 0));
    assert!(run_once(&app.state, &plan).await.unwrap(), "the attempt is made and recorded");
    assert!(!run_once(&app.state, &plan).await.unwrap(), "and not repeated the same night");
    let (mails, admins): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM outbox WHERE kind = 'backup_failed'),
                (SELECT count(*) FROM accounts WHERE role = 'admin' AND active)",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(mails, admins, "one mail to each administrator");
    let admin = app.login_as(ADMIN).await;
    let page = app.get(&admin, "/administration").await.text().await.unwrap();
    assert!(page.contains("mislykkedes"), "the failure shows on the administration page");
    app.stop().await;
    std::fs::remove_file(&file).ok();
}
