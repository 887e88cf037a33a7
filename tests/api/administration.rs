//! What an administrator keeps from the browser: the installation's closed days (D1), the group kinds'
//! rules and templates (M2-M6, S2), and closing an account.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

async fn agenda_due(app: &TestApp, token: &str, meeting: i64) -> String {
    let body: Value = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/meetings/{meeting}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["deadlines"]["agenda_published_due"].as_str().unwrap_or_else(|| panic!("{body}")).to_owned()
}

#[tokio::test]
async fn an_extra_closed_day_moves_every_deadline_at_once_and_can_be_removed_d1() {
    let app = spawn_app().await;
    let admin = app.login_as(ADMIN).await;
    let token = api_token(&app, ADMIN).await;
    let meeting: i64 = sqlx::query_scalar(
        "SELECT id FROM meetings WHERE kind = 'ordinary' AND starts_at > now() + interval '20 days' ORDER BY starts_at LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let before = agenda_due(&app, &token, meeting).await;
    let csrf = app.csrf(&admin, "/administration").await;
    let form = [("csrf_token", csrf.as_str()), ("day", before.as_str()), ("reason", "Institutionens egen lukkedag")];
    assert_eq!(app.post_form(&admin, "/administration/lukkedage", &form).await.status(), StatusCode::SEE_OTHER);
    let moved = agenda_due(&app, &token, meeting).await;
    assert!(moved < before, "A2's deadline moves to the working day before the closed {before}: {moved}");
    let page = app.get(&admin, "/administration").await.text().await.unwrap();
    assert!(page.contains("Institutionens egen lukkedag"));

    let again = app.post_form(&admin, "/administration/lukkedage", &form).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST, "a day is closed once");
    let bad = [("csrf_token", csrf.as_str()), ("day", "-5000-01-01"), ("reason", "x")];
    assert_eq!(app.post_form(&admin, "/administration/lukkedage", &bad).await.status(), StatusCode::BAD_REQUEST);

    let remove = format!("/administration/lukkedage/{before}/slet");
    assert_eq!(app.post_form(&admin, &remove, &[("csrf_token", &csrf)]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(agenda_due(&app, &token, meeting).await, before);

    let secretariat = app.login_as(SECRETARIAT).await;
    let csrf = app.csrf(&secretariat, "/profil").await;
    let form = [("csrf_token", csrf.as_str()), ("day", "2027-05-01"), ("reason", "1. maj")];
    assert_eq!(
        app.post_form(&secretariat, "/administration/lukkedage", &form).await.status(),
        StatusCode::FORBIDDEN,
        "closed days are the administrator's"
    );
}

#[tokio::test]
async fn a_closed_account_loses_its_session_and_api_token_at_once_and_can_be_reopened() {
    let app = spawn_app().await;
    let admin = app.login_as(ADMIN).await;
    let member = app.login_as(MEMBER).await;
    let token = api_token(&app, MEMBER).await;
    let person: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(MEMBER).fetch_one(&app.db).await.unwrap();
    let csrf = app.csrf(&admin, "/administration").await;
    let close = format!("/administration/brugere/{person}/luk");
    assert_eq!(app.post_form(&admin, &close, &[("csrf_token", &csrf)]).await.status(), StatusCode::SEE_OTHER);

    let page = app.get(&member, "/").await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER, "the open session ends at its next request");
    let me = reqwest::Client::new().get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    assert_ne!(app.try_login(&app.client(), MEMBER, DEMO_PASSWORD).await.status(), StatusCode::SEE_OTHER);

    let reopen = format!("/administration/brugere/{person}/genaabn");
    assert_eq!(app.post_form(&admin, &reopen, &[("csrf_token", &csrf)]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.try_login(&app.client(), MEMBER, DEMO_PASSWORD).await.status(), StatusCode::SEE_OTHER);

    let admin_id: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(ADMIN).fetch_one(&app.db).await.unwrap();
    let own = format!("/administration/brugere/{admin_id}/luk");
    assert_eq!(app.post_form(&admin, &own, &[("csrf_token", &csrf)]).await.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_administrator_edits_a_group_kinds_rules_and_every_group_of_the_kind_follows_m2_s2() {
    let app = spawn_app().await;
    let admin = app.login_as(ADMIN).await;
    let form_page = app.get(&admin, "/administration/gruppetyper/faggruppe").await.text().await.unwrap();
    assert!(form_page.contains("value=\"11\""), "the current cap is shown");
    let csrf = app.csrf(&admin, "/administration/gruppetyper/faggruppe").await;
    let post = |fields: Vec<(&'static str, String)>| {
        let (app, admin, csrf) = (&app, admin.clone(), csrf.clone());
        async move {
            let mut all: Vec<(&str, String)> = vec![("csrf_token", csrf)];
            all.extend(fields);
            let all: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(&admin, "/administration/gruppetyper/faggruppe", &all).await
        }
    };
    let bad =
        post(vec![("name", "Faggruppe".into()), ("max_members", "5".into()), ("max_per_party", "9".into())]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("flere pladser end gruppen"), "M2: a party cannot exceed the group");

    let fields = vec![
        ("name", "Faggruppe".to_owned()),
        ("max_members", "12".into()),
        ("max_per_party", "2".into()),
        ("max_secretariat", "2".into()),
        ("chair_management_level", "ja".into()),
        ("chair_from_party", "ja".into()),
        ("requires_staff_approval", "ja".into()),
        ("expects_substitutes", "ja".into()),
        ("charter_template", "Kommissorium for [FAGGRUPPE], ny skabelon".into()),
        ("responsibilities", "Løsningerne".into()),
    ];
    assert_eq!(post(fields).await.status(), StatusCode::SEE_OTHER);
    let natur = group_id(&app, "natur").await;
    let mut conn = app.db.acquire().await.unwrap();
    let rules = samarbejdsrum::store::groups::rules(&mut conn, natur).await.unwrap();
    assert_eq!((rules.max_members, rules.max_per_party), (Some(12), Some(2)), "the group follows its kind");
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'group_kind_updated'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);
}

/// The audit log reads as Danish sentences ("Anna aflyste mødet", "møde 4") with a link to what was
/// changed, not as stored codes ("login · account #39").
#[tokio::test]
async fn the_audit_log_reads_in_danish_and_links_to_what_changed() {
    use samarbejdsrum::domain::audit_codes::{AuditAction, AuditEntity};
    use samarbejdsrum::store::audit::{self, Actor, Change};

    let app = spawn_app().await;
    let admin = app.login_as(ADMIN).await;
    let meeting: i64 = sqlx::query_scalar("SELECT min(id) FROM meetings").fetch_one(&app.db).await.unwrap();
    let mut conn = app.db.acquire().await.unwrap();
    let actor = Actor { person_id: None, label: "Prøvesekretær".into(), request_id: None };
    audit::record(&mut conn, &actor, Change::of(AuditAction::MeetingCancelled, AuditEntity::Meeting, meeting))
        .await
        .unwrap();
    drop(conn);

    let html = app.get(&admin, "/administration").await.text().await.unwrap();
    let log = html.split("id=\"audit-heading\"").nth(1).expect("the audit log is on the page");
    assert!(log.contains("Prøvesekretær aflyste mødet"), "{log}");
    assert!(log.contains(&format!("<a href=\"/moeder/{meeting}\">møde {meeting}</a>")), "{log}");
    assert!(log.contains("loggede ind"), "the administrator's own sign-in reads in Danish: {log}");
    for code in ["login", "meeting_cancelled", "account #", "meeting #"] {
        assert!(!log.contains(code), "a stored code on the page: {code}");
    }
    app.stop().await;
}
