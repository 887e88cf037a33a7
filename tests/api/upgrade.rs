//! Upgrades keep the data: the demo installation as an earlier release left it (schema 0033,
//! tests/fixtures/upgrade) is restored, migrated to the current schema, and read on the pages.

use std::process::Command;

use reqwest::StatusCode;

use crate::helpers::*;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/upgrade/demo-schema-0033.dump");

#[tokio::test]
async fn the_demo_installation_at_schema_0033_migrates_and_reads_as_before() {
    let beside = fresh_database().await;
    let name = format!("u_{}", uuid::Uuid::new_v4().simple());
    let (head, query) = beside.split_once('?').unwrap();
    let url = format!("{}/{name}?{query}", &head[..head.rfind('/').unwrap()]);
    let out = Command::new(env!("CARGO_BIN_EXE_samarbejdsrum"))
        .args(["restore", FIXTURE])
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));

    let app = spawn_app_on(url).await;
    let latest: i64 = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations").fetch_one(&app.db).await.unwrap();
    assert!(latest > 33, "migrated past 0033 to {latest}");
    let secretariat = app.login_as(SECRETARIAT).await;

    let groups: Vec<(String, String)> =
        sqlx::query_as("SELECT slug, name FROM groups ORDER BY id").fetch_all(&app.db).await.unwrap();
    assert_eq!(groups.len(), 8, "the fixture's eight groups");
    let list = app.get(&secretariat, "/grupper").await.text().await.unwrap();
    for (slug, name) in &groups {
        assert!(list.contains(name.as_str()), "{name} is listed");
        assert_eq!(app.get(&secretariat, &format!("/grupper/{slug}")).await.status(), StatusCode::OK, "{slug}");
    }
    let meetings: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM meetings ORDER BY id").fetch_all(&app.db).await.unwrap();
    assert_eq!(meetings.len(), 24);
    for id in &meetings {
        assert_eq!(app.get(&secretariat, &format!("/moeder/{id}")).await.status(), StatusCode::OK, "meeting {id}");
    }
    // Agendas and minutes written before the upgrade read with their items.
    let agendas: Vec<(i64, String)> = sqlx::query_as(
        "SELECT a.meeting_id, i.title FROM agendas a JOIN agenda_items i ON i.agenda_id = a.id
         WHERE a.status = 'published' ORDER BY a.meeting_id, i.position LIMIT 5",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(!agendas.is_empty(), "the fixture has published agendas");
    for (meeting, title) in &agendas {
        let page = app.get(&secretariat, &format!("/moeder/{meeting}/dagsorden")).await.text().await.unwrap();
        assert!(page.contains(&askama_escape(title)), "meeting {meeting}'s agenda shows {title}");
    }
    let minutes: Vec<i64> =
        sqlx::query_scalar("SELECT meeting_id FROM minutes ORDER BY meeting_id").fetch_all(&app.db).await.unwrap();
    assert_eq!(minutes.len(), 8);
    for meeting in &minutes {
        let response = app.get(&secretariat, &format!("/moeder/{meeting}/referat")).await;
        assert_eq!(response.status(), StatusCode::OK, "meeting {meeting}'s minutes");
    }
    // The attachment's bytes are the ones stored before the upgrade.
    let (meeting, document): (i64, i64) =
        sqlx::query_as("SELECT meeting_id, id FROM documents WHERE filename = 'Bilag før opgraderingen.pdf'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let file = app.get(&secretariat, &format!("/moeder/{meeting}/bilag/{document}")).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.bytes().await.unwrap().as_ref(), "%PDF-1.4 bilag fra version 0033, æøå".as_bytes());
    app.stop().await;
}

/// Item titles as the pages write them (askama escapes &, <, >, " and ').
fn askama_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// A migration that fails leaves the database as it was (each runs in its own transaction), and the
/// server says so and does not start. Here the newest migration's last statement fails: the tables
/// its first statements made are gone again.
#[tokio::test]
async fn a_failing_migration_changes_nothing_and_the_server_refuses_to_start() {
    let url = fresh_database().await;
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    // As before migration 0041, except that the column its last statement adds is there already.
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 41").execute(&pool).await.unwrap();
    sqlx::query("DROP TABLE recovery_codes, second_factors").execute(&pool).await.unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_samarbejdsrum"))
        .arg("serve")
        .env("DATABASE_URL", &url)
        .env("BIND", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(!out.status.success(), "the server does not start");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("migrating the database failed") && said.contains("41"), "it says why: {said}");
    let (made, recorded): (bool, i64) = sqlx::query_as(
        "SELECT to_regclass('public.second_factors') IS NOT NULL, (SELECT count(*) FROM _sqlx_migrations WHERE version = 41)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(!made, "the migration's first tables were rolled back with it");
    assert_eq!(recorded, 0, "and it is not recorded as applied");
    pool.close().await;
}
