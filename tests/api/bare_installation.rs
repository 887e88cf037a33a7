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

/// The done-criterion, through the pages a secretariat uses: from an empty installation it
/// creates a group of every kind the product ships (O2, S1), registers a party, an organisation and a
/// person, invites the person (a single-use link by mail), appoints them, plans two meetings with the
/// standard agenda (A4), moves one (its deadlines follow, D2) and cancels the other with a reason.
#[tokio::test]
async fn from_an_empty_installation_the_secretariat_sets_up_groups_people_and_meetings_in_the_browser() {
    let app = spawn_app_on(bare_database().await).await;
    let hash = samarbejdsrum::security::password::hash(DEMO_PASSWORD.into()).await.unwrap();
    let first = NewAccount {
        email: "sekretariat@ny.example",
        name: "Ny Sekretær",
        role: GlobalRole::Secretariat,
        password_hash: &hash,
    };
    accounts::upsert(&app.db, &Actor::cli(), first).await.unwrap();
    let client = app.login_as("sekretariat@ny.example").await;
    // A group of every kind (O2, S1).
    let kinds: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, code FROM group_kinds ORDER BY id").fetch_all(&app.db).await.unwrap();
    assert!(kinds.len() >= 4, "{kinds:?}");
    for (id, code) in &kinds {
        let slug = format!("gruppe-{}", code.replace('_', "-"));
        let fields = vec![
            ("kind_id", id.to_string()),
            ("slug", slug.clone()),
            ("name", format!("Gruppe {code}")),
            ("purpose", String::new()),
            ("confidentiality", "internal".into()),
            ("status", "active".into()),
        ];
        let response = post_owned(&app, &client, "/grupper/ny", "/grupper", &fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "a group of kind {code}");
        assert_eq!(app.get(&client, &format!("/grupper/{slug}")).await.status(), StatusCode::OK);
    }
    let faggruppe: String = sqlx::query_scalar(
        "SELECT g.slug FROM groups g JOIN group_kinds k ON k.id = g.kind_id WHERE k.code = 'faggruppe'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    // S2: the first charter draft names the group where the kind's template had placeholders.
    let charters: Vec<String> =
        sqlx::query_scalar("SELECT body FROM charters WHERE version = 1").fetch_all(&app.db).await.unwrap();
    assert_eq!(charters.len(), kinds.len());
    assert!(
        charters.iter().all(|c| !c.contains("[FAGGRUPPE]") && !c.contains("[PRODUKT]") && !c.contains("[LØSNINGER]"))
    );
    assert!(charters.iter().any(|c| c.contains("Kommissorium for faggruppen Gruppe faggruppe")), "{charters:?}");

    // A party, an organisation and a person, invited by mail with a single-use link.
    let party = vec![("code", "kl".into()), ("name", "Kommunerne".into()), ("kind", "party".into())];
    assert_eq!(post_owned(&app, &client, "/parter", "/parter", &party).await.status(), StatusCode::SEE_OTHER);
    let party_id: i64 =
        sqlx::query_scalar("SELECT id FROM parties WHERE code = 'kl'").fetch_one(&app.db).await.unwrap();
    // O1: the secretariat's own party, once.
    let form = app.get(&client, "/parter").await.text().await.unwrap();
    assert!(form.contains("<option value=\"secretariat\""), "offered while there is none");
    let own = vec![("code", "sekretariat".into()), ("name", "Sekretariatet".into()), ("kind", "secretariat".into())];
    assert_eq!(post_owned(&app, &client, "/parter", "/parter", &own).await.status(), StatusCode::SEE_OTHER);
    let again = vec![("code", "sekretariat2".into()), ("name", "Andet".into()), ("kind", "secretariat".into())];
    let refused = post_owned(&app, &client, "/parter", "/parter", &again).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("Sekretariatet findes allerede som part (O1)."));
    assert!(!app.get(&client, "/parter").await.text().await.unwrap().contains("<option value=\"secretariat\""));
    let organisation = vec![("party_id", party_id.to_string()), ("org_name", "Ny Kommune".into())];
    assert_eq!(
        post_owned(&app, &client, "/parter", "/parter/organisationer", &organisation).await.status(),
        StatusCode::SEE_OTHER
    );
    let organisation_id: i64 =
        sqlx::query_scalar("SELECT id FROM organisations WHERE name = 'Ny Kommune'").fetch_one(&app.db).await.unwrap();
    let person = vec![
        ("name", "Ny Medlem".into()),
        ("email", "medlem@ny-kommune.example".into()),
        ("organisation_id", organisation_id.to_string()),
    ];
    let response = post_owned(&app, &client, "/personer/ny", "/personer", &person).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let person_id: i64 = sqlx::query_scalar("SELECT id FROM people WHERE email = 'medlem@ny-kommune.example'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let response =
        post_from(&app, &client, &format!("/personer/{person_id}"), &format!("/personer/{person_id}/invitation"), &[])
            .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let invitations: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE to_person_id = $1")
        .bind(person_id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(invitations, 1, "one invitation mail");

    // Appointed to the faggruppe.
    let member = vec![
        ("person_id", person_id.to_string()),
        ("role", "member".to_owned()),
        ("party_id", party_id.to_string()),
        ("starts_on", "2027-01-01".to_owned()),
    ];
    let group_page = format!("/grupper/{faggruppe}");
    let response = post_owned(&app, &client, &group_page, &format!("{group_page}/medlemmer"), &member).await;
    assert!(response.status().is_redirection(), "appointed: {}", response.status());
    let seats: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships WHERE person_id = $1")
        .bind(person_id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(seats, 1);

    // Two meetings with the standard agenda (A4); one moved, one cancelled.
    let plan = format!("/grupper/{faggruppe}/moeder");
    let mut meetings = Vec::new();
    for date in ["2027-03-31", "2027-06-16"] {
        let fields = [
            ("kind", "ordinary"),
            ("cycle_number", "1"),
            ("date", date),
            ("start", "13:00"),
            ("end", "16:00"),
            ("format", "physical"),
            ("location", "Rådhuset"),
        ];
        let response = post_from(&app, &client, &plan, &plan, &fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "meeting on {date}");
        let id: i64 = response.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
        let page = format!("/moeder/{id}");
        let response = post_from(&app, &client, &page, &format!("{page}/dagsorden"), &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let items: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM agenda_items i JOIN agendas a ON a.id = i.agenda_id WHERE a.meeting_id = $1",
        )
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert!(items >= 5, "the standard agenda ships with the product (A4): {items} items");
        meetings.push(id);
    }
    let moved = format!("/moeder/{}", meetings[0]);
    let fields = [
        ("kind", "ordinary"),
        ("title", "Faggruppemøde I"),
        ("cycle_number", "1"),
        ("date", "2027-04-07"),
        ("start", "13:00"),
        ("end", "16:00"),
        ("format", "physical"),
        ("location", "Rådhuset"),
    ];
    let response = post_from(&app, &client, &format!("{moved}/rediger"), &format!("{moved}/rediger"), &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "moved");
    let day: chrono::NaiveDate =
        sqlx::query_scalar("SELECT (starts_at AT TIME ZONE 'Europe/Copenhagen')::date FROM meetings WHERE id = $1")
            .bind(meetings[0])
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(day.to_string(), "2027-04-07");
    let page = app.get(&client, &moved).await.text().await.unwrap();
    assert!(page.contains("31. marts 2027"), "A2: the agenda deadline, 5 working days before the new date");

    let cancelled = format!("/moeder/{}", meetings[1]);
    let reason = [("reason", "Flyttes til efteråret"), ("confirmed", "ja")];
    let response = post_from(&app, &client, &cancelled, &format!("{cancelled}/aflys"), &reason).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "cancelled");
    let status: String = sqlx::query_scalar("SELECT status FROM meetings WHERE id = $1")
        .bind(meetings[1])
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(status, "cancelled");
    assert!(app.get(&client, &cancelled).await.text().await.unwrap().contains("Flyttes til efteråret"));
}

async fn post_owned(
    app: &TestApp,
    client: &reqwest::Client,
    page: &str,
    path: &str,
    fields: &[(&str, String)],
) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post_from(app, client, page, path, &fields).await
}
