//! A real installation starts with DEMO_DATA=false: the reference data that belongs to the product (the
//! DMP and OS2 group kinds with their rule sets and charter templates, O2, S1, S2) is there all the same,
//! so a secretariat can create its first group from the browser.

use reqwest::StatusCode;
use samarbejdsrum::domain::access::GlobalRole;
use samarbejdsrum::store::accounts::{self, NewAccount};
use samarbejdsrum::store::audit::Actor;
use sqlx::PgPool;

use crate::helpers::*;

/// A database with the schema and nothing else, as `migrate` leaves a new installation.
async fn bare_database() -> String {
    let url = fresh_database().await;
    let pool = PgPool::connect(&url).await.unwrap();
    sqlx::raw_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;").execute(&pool).await.unwrap();
    samarbejdsrum::db::migrate(&pool).await.unwrap();
    pool.close().await;
    url
}

#[tokio::test]
async fn a_bare_installation_has_the_group_kinds_and_its_secretariat_creates_a_group_o2_s1_s2() {
    let app = spawn_app_on(bare_database().await).await;
    let groups: i64 = sqlx::query_scalar("SELECT count(*) FROM groups").fetch_one(&app.db).await.unwrap();
    assert_eq!(groups, 0, "no demo data");
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT code FROM group_kinds ORDER BY code").fetch_all(&app.db).await.unwrap();
    assert!(kinds.len() >= 4, "the DMP and OS2 kinds ship with the product: {kinds:?}");
    let caps: (Option<i32>, Option<i32>, Option<i32>) =
        sqlx::query_as("SELECT max_members, max_per_party, max_secretariat FROM group_kinds WHERE code = 'faggruppe'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(caps, (Some(11), Some(3), Some(2)), "M2's caps come with the kind");

    let hash = samarbejdsrum::security::password::hash(DEMO_PASSWORD.into()).await.unwrap();
    let new = NewAccount {
        email: "sekretariat@ny.example",
        name: "Ny Sekretær",
        role: GlobalRole::Secretariat,
        password_hash: &hash,
    };
    accounts::upsert(&app.db, &Actor::cli(), new).await.unwrap();
    let client = app.login_as("sekretariat@ny.example").await;
    let form = app.get(&client, "/grupper/ny").await.text().await.unwrap();
    assert!(form.contains("Faggruppe"), "the kinds are offered");
    let kind: i64 =
        sqlx::query_scalar("SELECT id FROM group_kinds WHERE code = 'faggruppe'").fetch_one(&app.db).await.unwrap();
    let token = app.csrf(&client, "/grupper/ny").await;
    let kind = kind.to_string();
    let fields = [
        ("csrf_token", token.as_str()),
        ("kind_id", kind.as_str()),
        ("slug", "luft"),
        ("name", "Faggruppe Luft"),
        ("purpose", "Luftkvalitet"),
        ("confidentiality", "internal"),
        ("status", "active"),
    ];
    let response = app.post_form(&client, "/grupper", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let charter = app.get(&client, "/grupper/luft/kommissorium").await.text().await.unwrap();
    assert!(
        charter.contains("Faggruppe Luft") || charter.contains("Kommissorium"),
        "S2: a draft from the kind's template"
    );
}
