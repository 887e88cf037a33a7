//! Minutes and what they feed (R1-R5, C4, D3): the workflow through the pages with each step's
//! permission, bad input, the comment window over Easter, approval feeding the registers, versions.

use chrono::{DateTime, TimeZone, Utc};
use reqwest::StatusCode;
use samarbejdsrum::domain::access::GlobalRole;
use samarbejdsrum::store::accounts::{self, NewAccount};
use samarbejdsrum::store::audit::Actor;

use crate::helpers::*;

/// A member of Vand, not of Natur.
const OUTSIDER: &str = "mads.iversen@mst.example";

fn local(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Copenhagen.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap().with_timezone(&Utc)
}

async fn scalar(app: &TestApp, sql: &str, bind: i64) -> i64 {
    sqlx::query_scalar(sql).bind(bind).fetch_one(&app.db).await.unwrap()
}

pub async fn account_for(app: &TestApp, email: &str) {
    let hash = samarbejdsrum::security::password::hash(DEMO_PASSWORD.into()).await.unwrap();
    let new = NewAccount { email, name: "", role: GlobalRole::User, password_hash: &hash };
    accounts::upsert(&app.db, &Actor::cli(), new).await.unwrap();
}

/// A Natur meeting held Wednesday 17 March 2027 with a published agenda: a decision item and a plain one.
pub async fn held_meeting(app: &TestApp) -> i64 {
    let group = group_id(app, "natur").await;
    let meeting: i64 = sqlx::query_scalar(
        "INSERT INTO meetings (group_id, kind, title, starts_at, ends_at, format, status)
         VALUES ($1, 'ordinary', 'Referatmøde – Natur', $2, $3, 'online', 'held') RETURNING id",
    )
    .bind(group)
    .bind(local(2027, 3, 17, 13))
    .bind(local(2027, 3, 17, 16))
    .fetch_one(&app.db)
    .await
    .unwrap();
    let chair: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(CHAIR).fetch_one(&app.db).await.unwrap();
    let agenda: i64 = sqlx::query_scalar(
        "INSERT INTO agendas (meeting_id, status, sent_to_chair_at, approved_at, approved_by, published_at)
         VALUES ($1, 'published', now(), now(), $2, now()) RETURNING id",
    )
    .bind(meeting)
    .bind(chair)
    .fetch_one(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO agenda_items (agenda_id, position, title, is_decision, responsible_id)
         VALUES ($1, 0, 'Godkendelse af ÆØ-2027-004', true, $2), ($1, 1, 'Status fra Parterne', false, NULL)",
    )
    .bind(agenda)
    .bind(chair)
    .execute(&app.db)
    .await
    .unwrap();
    meeting
}

pub async fn item_ids(app: &TestApp, meeting: i64) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT i.id FROM minutes_items i JOIN minutes mi ON mi.id = i.minutes_id WHERE mi.meeting_id = $1 ORDER BY i.position",
    )
    .bind(meeting)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

async fn count(app: &TestApp, sql: &str, bind: i64) -> i64 {
    scalar(app, sql, bind).await
}

async fn person(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(email).fetch_one(&app.db).await.unwrap()
}

/// Fresh sessions at the test clock's time: secretariat, member, substitute, chair, outsider.
async fn sign_in(app: &TestApp) -> [reqwest::Client; 5] {
    [
        app.login_as(SECRETARIAT).await,
        app.login_as(MEMBER).await,
        app.login_as(SUBSTITUTE).await,
        app.login_as(CHAIR).await,
        app.login_as(OUTSIDER).await,
    ]
}

const ENTRIES: &str = "SELECT count(*) FROM minutes_entries e JOIN minutes_items i ON i.id = e.minutes_item_id
                       JOIN minutes mi ON mi.id = i.minutes_id WHERE mi.meeting_id = $1";

#[tokio::test]
async fn minutes_go_from_draft_through_comments_to_approval_and_feed_the_registers_r1_r5_c4() {
    let app = spawn_app().await;
    account_for(&app, OUTSIDER).await;
    let id = held_meeting(&app).await;
    let base = format!("/moeder/{id}/referat");
    app.set_time(local(2027, 3, 18, 10));
    let [secretariat, member, substitute, chair, outsider] = sign_in(&app).await;
    let anonymous = app.client();

    // R1: only the secretariat writes minutes; nobody sees them before they exist.
    assert_eq!(app.get(&member, &base).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(post(&app, &member, &base, &[]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(post(&app, &secretariat, &base, &[]).await.status(), StatusCode::SEE_OTHER);
    let items = item_ids(&app, id).await;
    assert_eq!(items.len(), 2, "one item per agenda item");
    let (decision_item, parties_item) = (items[0], items[1]);
    let meeting_page = app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(meeting_page.contains(&base), "the meeting page links the minutes once they exist");

    // A draft is the secretariat's alone (R3, O5).
    for (who, client) in [("member", &member), ("chair", &chair), ("outsider", &outsider)] {
        assert_eq!(app.get(client, &base).await.status(), StatusCode::NOT_FOUND, "{who} reads no draft");
    }
    let to_login = app.get(&anonymous, &base).await;
    assert!(to_login.status() == StatusCode::SEE_OTHER || to_login.status() == StatusCode::UNAUTHORIZED);

    // Bad input: a message beside the field, nothing half-saved.
    let entry = format!("{base}/punkter/{decision_item}/poster");
    let owner = person(&app, MEMBER).await.to_string();
    let outsider_id = person(&app, OUTSIDER).await.to_string();
    for (fields, message) in [
        (vec![("kind", "decision"), ("text", "  "), ("outcome", "approved")], "Skriv beslutningen."),
        (vec![("kind", "decision"), ("text", "Godkendt")], "Vælg beslutningens udfald"),
        (vec![("kind", "action"), ("text", "Gør noget"), ("due_on", "2027-04-15")], "Vælg en ansvarlig fra gruppen."),
        (
            vec![("kind", "action"), ("text", "Gør noget"), ("owner_id", &outsider_id), ("due_on", "2027-04-15")],
            "Vælg en ansvarlig fra gruppen.",
        ),
        (vec![("kind", "action"), ("text", "Gør noget"), ("owner_id", &owner)], "Skriv en frist"),
        (
            vec![("kind", "action"), ("text", "Gør noget"), ("owner_id", &owner), ("due_on", "2027-03-16")],
            "Fristen kan ikke ligge før mødet.",
        ),
    ] {
        let response = post(&app, &secretariat, &entry, &fields).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        let page = response.text().await.unwrap();
        assert!(page.contains(message), "{message} for {fields:?}");
        assert!(page.contains("autofocus"), "the error summary takes the focus, so the page opens at it");
        assert!(page.contains("Gør noget") || !fields.iter().any(|(_, v)| *v == "Gør noget"), "input kept");
    }
    assert_eq!(count(&app, ENTRIES, id).await, 0, "nothing half-saved");
    assert_eq!(
        post(&app, &member, &entry, &[("kind", "agreement"), ("text", "Hemmelig aftale")]).await.status(),
        StatusCode::NOT_FOUND,
        "members do not even see the draft"
    );

    for fields in [
        vec![("kind", "decision"), ("text", "ÆØ-2027-004 er godkendt."), ("outcome", "approved")],
        vec![
            ("kind", "action"),
            ("text", "Beskriv målgruppen for eksporten"),
            ("owner_id", &owner),
            ("due_on", "2027-04-15"),
        ],
        vec![("kind", "agreement"), ("text", "Næste møde holdes i Aarhus.")],
    ] {
        assert_eq!(post(&app, &secretariat, &entry, &fields).await.status(), StatusCode::SEE_OTHER, "{fields:?}");
    }
    let text = [("text", "Faggruppen drøftede værdien grundigt.")];
    assert_eq!(
        post(&app, &secretariat, &format!("{base}/punkter/{decision_item}"), &text).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post(&app, &secretariat, &format!("{base}/punkter"), &[("title", "Eventuelt")]).await.status(),
        StatusCode::SEE_OTHER,
        "an extra item"
    );
    assert_eq!(item_ids(&app, id).await.len(), 3);
    let extra: String = sqlx::query_scalar("SELECT number FROM minutes_items WHERE title = 'Eventuelt'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(extra, "3", "R1: an extra item is numbered on from the agenda's two");

    // R2: sending is the secretariat's, mails every active member and substitute once, text and HTML.
    assert_eq!(post(&app, &member, &format!("{base}/udsend"), &[]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(post(&app, &chair, &format!("{base}/udsend"), &[]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(post(&app, &secretariat, &format!("{base}/udsend"), &[]).await.status(), StatusCode::SEE_OTHER);
    let second = post(&app, &secretariat, &format!("{base}/udsend"), &[]).await;
    assert_eq!(second.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(second.text().await.unwrap().contains("R2"));
    let active = count(
        &app,
        "SELECT count(*) FROM memberships WHERE group_id = (SELECT group_id FROM meetings WHERE id = $1) AND status = 'active'",
        id,
    )
    .await;
    let sent: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT to_address, body_text, body_html FROM outbox WHERE kind = 'minutes_sent'")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(sent.len() as i64, active, "every active member and substitute, once");
    assert!(sent.iter().any(|(to, _, _)| to == SUBSTITUTE) && sent.iter().any(|(to, _, _)| to == MEMBER));
    assert!(
        sent.iter().all(|(_, text, html)| text.contains(&base) && html.as_deref().is_some_and(|h| h.contains(&base)))
    );
    assert!(sent[0].1.contains("30. marts 2027"), "the window spans Easter: {}", sent[0].1);
    assert!(sent[0].1.contains("- Beslutning (punkt 1): ÆØ-2027-004 er godkendt. (Godkendt)"), "{}", sent[0].1);
    assert!(
        sent[0].1.contains(
            "- Aktion (punkt 1): Beskriv målgruppen for eksporten – ansvarlig Rasmus Friis, senest 15.04.2027"
        )
    );
    assert!(!sent[0].1.contains("Næste møde holdes i Aarhus."), "agreements stay in the minutes");

    // R4: approval before the comments are worked in is refused.
    let early = post(&app, &secretariat, &format!("{base}/godkend"), &[]).await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.text().await.unwrap().contains("R4"));
    assert_eq!(count(&app, "SELECT count(*) FROM decisions WHERE minutes_entry_id IS NOT NULL AND $1 > 0", 1).await, 0);
    assert!(!app.get(&member, "/aktioner").await.text().await.unwrap().contains("Beskriv målgruppen for eksporten"));

    // R3: the group reads the sent minutes and comments per item; outsiders see nothing.
    let read = app.get(&member, &base).await.text().await.unwrap();
    assert!(read.contains("ÆØ-2027-004 er godkendt.") && read.contains("Bemærkninger modtages til og med"));
    assert_eq!(app.get(&outsider, &base).await.status(), StatusCode::NOT_FOUND);
    let comments = format!("{base}/bemaerkninger");
    let p = parties_item.to_string();
    let d = decision_item.to_string();
    assert_eq!(
        post(&app, &outsider, &comments, &[("minutes_item_id", &p), ("body", "Udefra")]).await.status(),
        StatusCode::NOT_FOUND
    );
    for (client, body) in [(&substitute, "Suppleantens bemærkning"), (&chair, "Forpersonens bemærkning")] {
        let r = post(&app, client, &comments, &[("minutes_item_id", &p), ("body", body)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{body}");
    }
    let other_item = scalar(
        &app,
        "SELECT min(id) FROM minutes_items WHERE minutes_id <> (SELECT id FROM minutes WHERE meeting_id = $1)",
        id,
    )
    .await;
    let wrong =
        post(&app, &member, &comments, &[("minutes_item_id", &other_item.to_string()), ("body", "Forkert punkt")])
            .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().await.unwrap().contains("Vælg et punkt i dette referat."));
    let empty = post(&app, &member, &comments, &[("minutes_item_id", &d), ("body", " ")]).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The window closes Tuesday 30 March: Easter (25, 26, 28, 29 March) is closed (D1).
    app.set_time(local(2027, 3, 30, 23));
    let [_, member, _, _, _] = sign_in(&app).await;
    assert_eq!(
        post(&app, &member, &comments, &[("minutes_item_id", &d), ("body", "Sidste dag")]).await.status(),
        StatusCode::SEE_OTHER
    );
    app.set_time(local(2027, 3, 31, 8));
    let [secretariat, member, _substitute, chair, outsider] = sign_in(&app).await;
    let late = post(&app, &member, &comments, &[("minutes_item_id", &d), ("body", "For sent")]).await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY, "a comment after the window is refused (R3)");
    let late = late.text().await.unwrap();
    assert!(late.contains("Fristen for bemærkninger udløb"), "the refusal says why (the code is the secretariat's)");
    let stored = count(
        &app,
        "SELECT count(*) FROM minutes_comments WHERE minutes_id = (SELECT id FROM minutes WHERE meeting_id = $1)",
        id,
    )
    .await;
    assert_eq!(stored, 3);

    // R4: every comment handled before the comments count as worked in; only the secretariat handles them.
    let refused = post(&app, &secretariat, &format!("{base}/indarbejdet"), &[]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("R4"));
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM minutes_comments WHERE minutes_id = (SELECT id FROM minutes WHERE meeting_id = $1) ORDER BY id",
    )
    .bind(id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let resolve = |c: i64| format!("{base}/bemaerkninger/{c}");
    assert_eq!(
        post(&app, &member, &resolve(ids[0]), &[("resolution", "incorporated")]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&app, &secretariat, &resolve(ids[0]), &[("resolution", "answered"), ("reply", "")]).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "an answer needs its reply"
    );
    for (c, fields) in [
        (ids[0], vec![("resolution", "incorporated"), ("reply", "Rettet i punkt 2.")]),
        (ids[1], vec![("resolution", "answered"), ("reply", "Det står i bilaget.")]),
        (ids[2], vec![("resolution", "incorporated"), ("reply", "")]),
    ] {
        assert_eq!(post(&app, &secretariat, &resolve(c), &fields).await.status(), StatusCode::SEE_OTHER);
    }
    // R4: whoever wrote a comment hears how it was handled, with the secretariat's reply.
    let handled: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT o.to_address, o.subject, o.body_text FROM outbox o WHERE o.kind = 'minutes_comment_handled' ORDER BY o.id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let authors: Vec<String> = sqlx::query_scalar(
        "SELECT p.email FROM minutes_comments c JOIN people p ON p.id = c.person_id WHERE c.id = ANY($1) ORDER BY c.id",
    )
    .bind(&ids)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(handled.iter().map(|(to, _, _)| to.clone()).collect::<Vec<_>>(), authors, "each author, once a comment");
    assert!(handled[0].1.starts_with("Din bemærkning er indarbejdet i referatet"), "{}", handled[0].1);
    assert!(handled[0].2.contains("Rettet i punkt 2."), "{}", handled[0].2);
    assert!(handled[1].1.starts_with("Din bemærkning er besvaret af sekretariatet"), "{}", handled[1].1);
    assert!(handled[1].2.contains("Det står i bilaget."), "{}", handled[1].2);
    assert_eq!(post(&app, &secretariat, &format!("{base}/indarbejdet"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(post(&app, &chair, &format!("{base}/godkend"), &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(post(&app, &secretariat, &format!("{base}/godkend"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(post(&app, &secretariat, &format!("{base}/godkend"), &[]).await.status(), StatusCode::SEE_OTHER);
    let approved_mails = count(&app, "SELECT count(*) FROM outbox WHERE kind = 'minutes_approved' AND $1 > 0", 1).await;
    assert_eq!(approved_mails, active, "a second approval sends nothing");
    let who: String = sqlx::query_scalar(
        "SELECT p.email FROM minutes mi JOIN people p ON p.id = mi.approved_by WHERE mi.meeting_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(who, SECRETARIAT, "the step records who");

    // R5: the registers hold the decision and the action, linked to their minutes item.
    let linked = count(
        &app,
        "SELECT count(*) FROM decisions WHERE minutes_item_id = $1 AND outcome = 'approved'",
        decision_item,
    )
    .await;
    assert_eq!(linked, 1);
    let action = count(&app, "SELECT id FROM actions WHERE minutes_item_id = $1", decision_item).await;
    let actions = app.get(&member, "/aktioner").await.text().await.unwrap();
    assert!(actions.contains("Beskriv målgruppen for eksporten"));
    let decisions = app.get(&member, "/beslutninger?q=004&aar=2027").await.text().await.unwrap();
    assert!(decisions.contains("ÆØ-2027-004 er godkendt."));
    assert!(
        !app.get(&member, "/beslutninger?aar=2026").await.text().await.unwrap().contains("ÆØ-2027-004 er godkendt.")
    );
    assert!(
        app.get(&member, "/grupper/natur/beslutninger")
            .await
            .text()
            .await
            .unwrap()
            .contains("ÆØ-2027-004 er godkendt.")
    );
    assert!(app.get(&member, "/grupper/natur/referater").await.text().await.unwrap().contains(&base));
    // Approved minutes are read-only; a correction is a new version, the approved one stays readable.
    let locked = post(&app, &secretariat, &entry, &[("kind", "agreement"), ("text", "Efterrationalisering")]).await;
    assert_eq!(locked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(locked.text().await.unwrap().contains("R4"));
    assert_eq!(
        post(&app, &secretariat, &format!("{base}/ret"), &[("reason", "Stavefejl i punkt 1")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let v1 = app.get(&member, &format!("{base}/versioner/1")).await;
    assert_eq!(v1.status(), StatusCode::OK);
    assert!(v1.text().await.unwrap().contains("ÆØ-2027-004 er godkendt."));
    assert_eq!(app.get(&member, &format!("{base}/udskrift")).await.status(), StatusCode::OK);

    // C4: the owner closes the action; another member or an outsider may not.
    let close = format!("/aktioner/{action}/luk");
    assert_eq!(post(&app, &outsider, &close, &[("status", "done")]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(post(&app, &chair, &close, &[("status", "done")]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        post(&app, &member, &close, &[("status", "done"), ("note", "Sendt til sekretariatet")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let again = post(&app, &secretariat, &close, &[("status", "dropped")]).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().await.unwrap().contains("C4"));
    let told = count(&app, "SELECT count(*) FROM outbox WHERE kind = 'action_closed' AND $1 > 0", 1).await;
    assert_eq!(told, 0, "an owner who closes their own action is not told of it");
}

#[tokio::test]
async fn an_owner_whose_action_the_secretariat_closed_is_told_with_the_note_c4() {
    let app = spawn_app().await;
    let action: i64 = sqlx::query_scalar(
        "INSERT INTO actions (group_id, title, owner_id, due_on)
         SELECT g.id, 'Skriv høringssvar', p.id, DATE '2027-05-01' FROM groups g, people p
         WHERE g.slug = 'natur' AND p.email = $1 RETURNING id",
    )
    .bind(MEMBER)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let secretariat = app.login_as(SECRETARIAT).await;
    let close = format!("/aktioner/{action}/luk");
    let fields = [("status", "dropped"), ("note", "Høringen er aflyst.")];
    assert_eq!(post(&app, &secretariat, &close, &fields).await.status(), StatusCode::SEE_OTHER);
    let told: Vec<(String, String, String)> =
        sqlx::query_as("SELECT to_address, subject, body_text FROM outbox WHERE kind = 'action_closed'")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(told.len(), 1, "{told:?}");
    let (to, subject, body) = &told[0];
    assert_eq!(to, MEMBER);
    assert_eq!(subject, "Din aktion er droppet: Skriv høringssvar");
    assert!(body.contains("Høringen er aflyst.") && body.contains(&format!("/aktioner#aktion-{action}")), "{body}");
}

#[tokio::test]
async fn the_meeting_page_and_the_deadline_overview_show_the_minutes_steps_r2_r3_r4_d3() {
    let app = spawn_app().await;
    let id = held_meeting(&app).await;
    app.set_time(local(2027, 3, 18, 10));
    let secretariat = app.login_as(SECRETARIAT).await;
    post(&app, &secretariat, &format!("/moeder/{id}/referat"), &[]).await;
    post(&app, &secretariat, &format!("/moeder/{id}/referat/udsend"), &[]).await;
    let page = app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap();
    for label in ["Udsendelse af referat", "Bemærkninger til referatet", "Indarbejdelse af bemærkninger"] {
        assert!(page.contains(label), "{label}");
    }
    assert!(page.contains("Sendt til bemærkninger"));
    let overview = app.get(&secretariat, "/frister").await.text().await.unwrap();
    assert!(overview.contains("Bemærkninger til referatet") && overview.contains("Indarbejdelse af bemærkninger"));
    let home = app.get(&app.login_as(MEMBER).await, "/").await.text().await.unwrap();
    assert!(home.contains(&format!("/moeder/{id}/referat")) && home.contains("Bemærkninger til referatet"));
}

#[tokio::test]
async fn the_demo_minutes_in_their_comment_window_show_the_members_comment_and_the_entries() {
    let app = spawn_app().await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM meetings WHERE title = 'Faggruppemøde II – Natur'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let page = app.get(&app.login_as(SUBSTITUTE).await, &format!("/moeder/{id}/referat")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("kvalitetssikringen sker inden for 14 dage") && page.contains("SMS-notifikation"));
    assert!(page.contains("Send bemærkning"), "the window is open");
}

async fn queued(app: &TestApp, kind: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT to_address FROM outbox WHERE kind = $1 ORDER BY id")
        .bind(kind)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_r3_r4_and_c4_reminders_go_out_once_each_over_smtp_d3() {
    use samarbejdsrum::jobs::{deadlines, mailer};
    let app = spawn_app().await;
    let smtp = crate::smtp::SmtpServer::start().await;
    let sender =
        samarbejdsrum::mail::Mailer::from_url(&smtp.url(), "Samarbejdsrum <noreply@samarbejdsrum.local>").unwrap();
    let id = held_meeting(&app).await;
    sqlx::query("INSERT INTO minutes (meeting_id, status, sent_at) VALUES ($1, 'sent', $2)")
        .bind(id)
        .bind(local(2027, 3, 18, 10))
        .execute(&app.db)
        .await
        .unwrap();

    // R3: the window closes Tuesday 30 March (Easter in between); on Good Friday it closes soon.
    app.set_time(local(2027, 3, 22, 9));
    deadlines::run_once(&app.state).await.unwrap();
    assert!(queued(&app, "minutes_comments").await.is_empty(), "three working days before (23, 24, 30 March)");
    app.set_time(local(2027, 3, 26, 9));
    deadlines::run_once(&app.state).await.unwrap();
    app.set_time(local(2027, 3, 30, 9));
    deadlines::run_once(&app.state).await.unwrap();
    let r3 = queued(&app, "minutes_comments").await;
    assert!(r3.contains(&MEMBER.to_owned()) && r3.contains(&SUBSTITUTE.to_owned()) && r3.contains(&CHAIR.to_owned()));
    let mut unique = r3.clone();
    unique.dedup();
    assert_eq!(r3.len(), unique.len(), "once per member: {r3:?}");
    assert!(!r3.contains(&SECRETARIAT.to_owned()));

    // R4: the comments are worked in by Tuesday 6 April: soon on Friday 2 April, late on Wednesday 7.
    app.set_time(local(2027, 4, 2, 9));
    deadlines::run_once(&app.state).await.unwrap();
    deadlines::run_once(&app.state).await.unwrap();
    app.set_time(local(2027, 4, 7, 9));
    deadlines::run_once(&app.state).await.unwrap();
    let r4: Vec<String> =
        sqlx::query_scalar("SELECT idempotency_key FROM outbox WHERE kind = 'minutes_work_in' ORDER BY id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(r4.iter().filter(|k| k.contains(":soon:")).count(), r4.iter().filter(|k| k.contains(":late:")).count());
    assert!(!r4.is_empty() && queued(&app, "minutes_work_in").await.contains(&SECRETARIAT.to_owned()));

    // C4: the owner hears of an action due soon once; a changed due date is a new reminder; late too.
    let owner = person(&app, MEMBER).await;
    let action: i64 = sqlx::query_scalar(
        "INSERT INTO actions (group_id, title, owner_id, due_on) VALUES ($1, 'Send høringssvar', $2, '2027-04-20') RETURNING id",
    )
    .bind(group_id(&app, "natur").await)
    .bind(owner)
    .fetch_one(&app.db)
    .await
    .unwrap();
    app.set_time(local(2027, 4, 16, 9));
    deadlines::run_once(&app.state).await.unwrap();
    deadlines::run_once(&app.state).await.unwrap();
    assert_eq!(queued(&app, "action_due").await, vec![MEMBER.to_owned()], "once per due date and owner");
    sqlx::query("UPDATE actions SET due_on = '2027-04-19' WHERE id = $1").bind(action).execute(&app.db).await.unwrap();
    deadlines::run_once(&app.state).await.unwrap();
    assert_eq!(queued(&app, "action_due").await.len(), 2, "a changed due date is a new reminder");
    app.set_time(local(2027, 4, 21, 9));
    deadlines::run_once(&app.state).await.unwrap();
    assert_eq!(queued(&app, "action_due").await.len(), 3, "overdue");
    sqlx::query("UPDATE actions SET status = 'done', done_at = now() WHERE id = $1")
        .bind(action)
        .execute(&app.db)
        .await
        .unwrap();
    app.set_time(local(2027, 4, 22, 9));
    deadlines::run_once(&app.state).await.unwrap();
    assert_eq!(queued(&app, "action_due").await.len(), 3, "a closed action is not reminded");

    // Everything queued goes out over SMTP, once.
    while mailer::run_once(&app.state, &sender).await.unwrap() > 0 {}
    let ours: Vec<(String, String)> = sqlx::query_as(
        "SELECT to_address, status FROM outbox WHERE kind IN ('minutes_comments', 'minutes_work_in', 'action_due')",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(ours.iter().all(|(_, status)| status == "sent"), "{ours:?}");
    let received = smtp.received();
    for (to, _) in &ours {
        assert!(received.iter().any(|m| m.to.iter().any(|r| r.contains(to.as_str()))), "{to} got it over SMTP");
    }
    assert_eq!(mailer::run_once(&app.state, &sender).await.unwrap(), 0);
}

#[tokio::test]
async fn the_api_reads_minutes_decisions_and_actions_with_the_pages_read_rules_and_the_feed_links_approved_minutes() {
    let app = spawn_app().await;
    account_for(&app, OUTSIDER).await;
    let natur = group_id(&app, "natur").await;
    let sent: i64 = sqlx::query_scalar("SELECT id FROM meetings WHERE title = 'Faggruppemøde II – Natur'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let approved: i64 = sqlx::query_scalar("SELECT id FROM meetings WHERE title = 'Faggruppemøde I – Natur'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let api = reqwest::Client::new();
    let get = |token: String, path: String| {
        let request = api.get(app.url(&path)).bearer_auth(token);
        async move { request.send().await.unwrap() }
    };
    let member = api_token(&app, MEMBER).await;
    let outsider = api_token(&app, OUTSIDER).await;

    let minutes = get(member.clone(), format!("/api/v1/meetings/{sent}/minutes")).await;
    assert_eq!(minutes.status(), StatusCode::OK);
    let minutes: serde_json::Value = minutes.json().await.unwrap();
    assert_eq!(minutes["status"], "sent");
    let items = minutes["items"].as_array().unwrap();
    assert!(items.iter().any(|i| !i["comments"].as_array().unwrap().is_empty()), "the group sees comments");
    assert!(items.iter().any(|i| i["entries"].as_array().unwrap().iter().any(|e| e["kind"] == "action")));
    assert_eq!(
        get(outsider.clone(), format!("/api/v1/meetings/{sent}/minutes")).await.status(),
        StatusCode::NOT_FOUND,
        "unpublished minutes are the group's (O5)"
    );
    let public: serde_json::Value =
        get(outsider.clone(), format!("/api/v1/meetings/{approved}/minutes")).await.json().await.unwrap();
    assert_eq!(public["status"], "approved");
    assert!(public["items"].as_array().unwrap().iter().all(|i| i["comments"].as_array().unwrap().is_empty()));

    let decisions: serde_json::Value =
        get(member.clone(), format!("/api/v1/groups/{natur}/decisions")).await.json().await.unwrap();
    assert!(!decisions.as_array().unwrap().is_empty());
    let text = decisions.to_string();
    assert!(!text.contains("SMS-notifikation"), "Natur II's decisions wait for approval (R5): {text}");
    let actions: serde_json::Value =
        get(member.clone(), format!("/api/v1/groups/{natur}/actions")).await.json().await.unwrap();
    assert!(actions.as_array().unwrap().iter().any(|a| a["overdue"] == true), "the demo has an overdue action");
    sqlx::query("UPDATE groups SET confidentiality = 'confidential' WHERE id = $1")
        .bind(natur)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(get(outsider.clone(), format!("/api/v1/groups/{natur}/actions")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(get(outsider, format!("/api/v1/groups/{natur}/decisions")).await.status(), StatusCode::NOT_FOUND);

    // R3: the personal calendar feed links the approved minutes from the meeting.
    let client = app.login_as(MEMBER).await;
    let token = app.csrf(&client, "/profil").await;
    app.post_form(&client, "/profil/kalender", &[("csrf_token", &token)]).await;
    let profile = app.get(&client, "/profil").await.text().await.unwrap();
    let start = profile.find("<code id=\"new-feed\">").unwrap() + "<code id=\"new-feed\">".len();
    let url = profile[start..start + profile[start..].find('<').unwrap()].to_owned();
    let feed = app.get(&app.client(), url.trim_start_matches(&app.address)).await.text().await.unwrap();
    let unfolded = feed.replace("\r\n ", "");
    assert!(unfolded.contains(&format!("/moeder/{approved}/referat")), "approved minutes linked");
    assert!(!unfolded.contains(&format!("/moeder/{sent}/referat")), "unapproved minutes not linked");
}

mod in_the_browser {
    use fantoccini::{Client, Locator};

    use super::*;
    use crate::browser::{Driver, log_out, sign_in};

    async fn click(browser: &Client, xpath: &str) {
        match browser.find(Locator::XPath(xpath)).await {
            Ok(e) => e.click().await.unwrap(),
            Err(e) => {
                let page = browser.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
                panic!("{xpath}: {e}\n{page}");
            }
        }
    }

    async fn badge(browser: &Client, text: &str) {
        let xpath = format!("//span[contains(@class,'badge') and normalize-space(.)='{text}']");
        browser.wait().for_element(Locator::XPath(&xpath)).await.unwrap();
    }

    /// R1-R5, C4: the secretariat writes and sends, a member comments, the secretariat works the
    /// comment in and approves, and the member reads the approved minutes and finds the new action.
    #[tokio::test]
    async fn the_whole_minutes_cycle_in_the_browser_r1_r5_c4() {
        let app = spawn_app().await;
        let id = held_meeting(&app).await;
        app.set_time(local(2027, 3, 18, 10));
        let driver = Driver::start();
        let browser = driver.client().await;

        sign_in(&browser, &app, SECRETARIAT).await;
        browser.goto(&app.url(&format!("/moeder/{id}"))).await.unwrap();
        click(&browser, "//button[normalize-space(.)='Opret referat ud fra dagsordenen']").await;
        browser.wait().for_element(Locator::Css("ol.minutes")).await.unwrap();
        let items = item_ids(&app, id).await;
        let (first, parties) = (items[0], items[1]);
        click(&browser, &format!("//li[@id='punkt-{first}']//summary")).await;
        browser.find(Locator::Css(&format!("#kind-{first}"))).await.unwrap().select_by_value("action").await.unwrap();
        browser
            .find(Locator::Css(&format!("#text-{first}")))
            .await
            .unwrap()
            .send_keys("Send eksportønsket i høring")
            .await
            .unwrap();
        let member = person(&app, MEMBER).await.to_string();
        browser.find(Locator::Css(&format!("#owner-{first}"))).await.unwrap().select_by_value(&member).await.unwrap();
        let set_due = format!("document.getElementById('due-{first}').value = '2027-04-30'; return null;");
        browser.execute(&set_due, vec![]).await.unwrap();
        click(&browser, "//button[normalize-space(.)='Tilføj til punkt 1']").await;
        browser
            .wait()
            .for_element(Locator::XPath(
                "//ul[contains(@class,'entries')]//li[contains(., 'Send eksportønsket i høring')]",
            ))
            .await
            .unwrap();
        click(&browser, "//button[normalize-space(.)='Send til bemærkninger (R2)']").await;
        badge(&browser, "Sendt til bemærkninger").await;
        log_out(&browser).await;

        sign_in(&browser, &app, MEMBER).await;
        browser.goto(&app.url(&format!("/moeder/{id}/referat"))).await.unwrap();
        // The comment box opens behind its item's "Giv bemærkning", one form per item.
        click(
            &browser,
            &format!("//li[@id='punkt-{parties}']//summary[starts-with(normalize-space(.), 'Giv bemærkning')]"),
        )
        .await;
        browser
            .find(Locator::Css(&format!("#comment-{parties}")))
            .await
            .unwrap()
            .send_keys("Region Midtjylland deltog også i drøftelsen.")
            .await
            .unwrap();
        click(&browser, &format!("//form[.//textarea[@id='comment-{parties}']]//button")).await;
        browser
            .wait()
            .for_element(Locator::XPath("//div[contains(@class,'comment')]//p[contains(., 'Region Midtjylland')]"))
            .await
            .unwrap();
        log_out(&browser).await;

        // The window closes Tuesday 30 March (Easter); the secretariat works the comment in after it.
        app.set_time(local(2027, 3, 31, 9));
        sign_in(&browser, &app, SECRETARIAT).await;
        browser.goto(&app.url(&format!("/moeder/{id}/referat"))).await.unwrap();
        let comment = count(&app, "SELECT max(id) FROM minutes_comments WHERE minutes_item_id = $1", parties).await;
        click(&browser, &format!("//div[@id='bemaerkning-{comment}']//summary")).await;
        browser
            .find(Locator::Css(&format!("#reply-{comment}")))
            .await
            .unwrap()
            .send_keys("Tilføjet under punkt 2.")
            .await
            .unwrap();
        click(&browser, &format!("//form[.//textarea[@id='reply-{comment}']]//button")).await;
        badge(&browser, "Indarbejdet").await;
        click(&browser, "//button[normalize-space(.)='Bemærkninger er indarbejdet (R4)']").await;
        badge(&browser, "Bemærkninger indarbejdet").await;
        click(&browser, "//button[normalize-space(.)='Godkend og offentliggør']").await;
        badge(&browser, "Godkendt og offentliggjort").await;
        log_out(&browser).await;

        sign_in(&browser, &app, MEMBER).await;
        browser.goto(&app.url(&format!("/moeder/{id}/referat"))).await.unwrap();
        badge(&browser, "Godkendt og offentliggjort").await;
        let minutes = browser.find(Locator::Css("ol.minutes")).await.unwrap().text().await.unwrap();
        assert!(
            minutes.contains("Send eksportønsket i høring") && minutes.contains("Tilføjet under punkt 2."),
            "{minutes}"
        );
        browser.goto(&app.url("/aktioner")).await.unwrap();
        let list = browser.find(Locator::Css("table.data")).await.unwrap().text().await.unwrap();
        assert!(list.contains("Send eksportønsket i høring"), "{list}");
        browser.close().await.unwrap();
    }
}
