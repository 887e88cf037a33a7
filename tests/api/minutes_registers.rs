//! What the minutes feed (R5, C1, R3, R4): a decision names a change request and approving the
//! minutes moves it, not before; "Ingen bemærkninger" lets the secretariat close the window early.

use reqwest::StatusCode;

use crate::helpers::*;
use crate::minutes::{held_meeting, item_ids};

fn local(y: i32, m: u32, d: u32, h: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono_tz::Europe::Copenhagen.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap().with_timezone(&chrono::Utc)
}

/// A change request of the group, in the status given, with its value stated (C1).
async fn request(app: &TestApp, group: &str, reference: &str, status: &str) -> i64 {
    let group = group_id(app, group).await;
    sqlx::query_scalar(
        "INSERT INTO change_requests (group_id, reference, title, business_need, value, beneficiaries, status)
         VALUES ($1, $2, 'Eksport af fund som GeoJSON', 'Data ud', 'Sparer tid', 'Kommunerne', $3) RETURNING id",
    )
    .bind(group)
    .bind(reference)
    .bind(status)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn status(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM change_requests WHERE id = $1").bind(id).fetch_one(&app.db).await.unwrap()
}

/// Sends the minutes, lets the window run out, and works the (no) comments in.
async fn to_worked_in(app: &TestApp, base: &str) {
    let secretariat = app.login_as(SECRETARIAT).await;
    assert_eq!(post(app, &secretariat, &format!("{base}/udsend"), &[]).await.status(), StatusCode::SEE_OTHER);
    app.set_time(local(2027, 4, 1, 9));
    let secretariat = app.login_as(SECRETARIAT).await;
    assert_eq!(post(app, &secretariat, &format!("{base}/indarbejdet"), &[]).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_decision_naming_a_change_request_moves_it_when_the_minutes_are_approved_and_not_before_r5_c1() {
    let app = spawn_app().await;
    let id = held_meeting(&app).await;
    let base = format!("/moeder/{id}/referat");
    app.set_time(local(2027, 3, 18, 10));
    let secretariat = app.login_as(SECRETARIAT).await;
    assert_eq!(post(&app, &secretariat, &base, &[]).await.status(), StatusCode::SEE_OTHER);
    let item = item_ids(&app, id).await[0];
    let entry = format!("{base}/punkter/{item}/poster");
    let ready = request(&app, "natur", "ÆØ-2027-901", "ready_for_decision").await;
    let refused = request(&app, "natur", "ÆØ-2027-902", "ready_for_decision").await;
    let described = request(&app, "natur", "ÆØ-2027-903", "described").await;
    let elsewhere = request(&app, "vand", "ÆØ-2027-904", "ready_for_decision").await;

    // The secretariat chooses among the group's undecided requests on the minutes page.
    let page = app.get(&secretariat, &base).await.text().await.unwrap();
    assert!(page.contains("ÆØ-2027-901") && page.contains("ÆØ-2027-903"), "the group's own requests");
    assert!(!page.contains("ÆØ-2027-904"), "not another group's");

    // C1 at linking: a request that is not ready cannot be approved; the message names C1 and the text stays.
    let text = "Faggruppen godkender eksporten";
    let r = post(
        &app,
        &secretariat,
        &entry,
        &[("kind", "decision"), ("text", text), ("outcome", "approved"), ("change_request_id", &described.to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("C1") && body.contains("Klar til beslutning") && body.contains(text), "{body}");
    // Only a decision with an outcome names a request.
    let r = post(
        &app,
        &secretariat,
        &entry,
        &[("kind", "agreement"), ("text", "Aftale"), ("change_request_id", &ready.to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Kun en beslutning kan gælde et ændringsønske."));
    // Another group's request is not there to link (404), and nothing was stored.
    let r = post(
        &app,
        &secretariat,
        &entry,
        &[("kind", "decision"), ("text", text), ("outcome", "approved"), ("change_request_id", &elsewhere.to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM minutes_entries WHERE minutes_item_id = $1")
        .bind(item)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 0, "nothing half-saved");

    for (request, outcome) in [(ready, "approved"), (refused, "rejected"), (described, "postponed")] {
        let fields = [("kind", "decision"), ("text", text), ("outcome", outcome)];
        let id = request.to_string();
        let r = post(&app, &secretariat, &entry, &[&fields[..], &[("change_request_id", id.as_str())]].concat()).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{outcome}");
    }
    let page = app.get(&secretariat, &base).await.text().await.unwrap();
    assert!(page.contains(&format!("href=\"/aendringsoensker/{ready}\"")), "the entry links its request");

    // Not before approval.
    to_worked_in(&app, &base).await;
    assert_eq!(status(&app, ready).await, "ready_for_decision");
    assert_eq!(status(&app, refused).await, "ready_for_decision");

    // A member cannot approve; the secretariat's approval moves the requests, with the decision in their history.
    let member = app.login_as(MEMBER).await;
    assert_eq!(post(&app, &member, &format!("{base}/godkend"), &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(status(&app, ready).await, "ready_for_decision");
    let secretariat = app.login_as(SECRETARIAT).await;
    assert_eq!(post(&app, &secretariat, &format!("{base}/godkend"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(status(&app, ready).await, "approved");
    assert_eq!(status(&app, refused).await, "rejected");
    assert_eq!(status(&app, described).await, "described", "a postponement moves nothing");
    let linked: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT s.to_status, d.meeting_id FROM change_request_status_changes s JOIN decisions d ON d.id = s.decision_id
         WHERE s.change_request_id = $1",
    )
    .bind(ready)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(linked, vec![("approved".to_owned(), Some(id))], "the step keeps the decision it came from");
    let history = app.get(&secretariat, &format!("/aendringsoensker/{ready}")).await.text().await.unwrap();
    assert!(history.contains("Besluttet på mødet 17.03.2027") && history.contains(text), "history shows it");
    let postponed = app.get(&secretariat, &format!("/aendringsoensker/{described}")).await.text().await.unwrap();
    assert!(postponed.contains(text), "the postponement is in the request's history too");

    // A correction approved again moves nothing twice.
    assert_eq!(
        post(&app, &secretariat, &format!("{base}/ret"), &[("reason", "Stavefejl")]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(post(&app, &secretariat, &format!("{base}/godkend"), &[]).await.status(), StatusCode::SEE_OTHER);
    let steps: i64 =
        sqlx::query_scalar("SELECT count(*) FROM change_request_status_changes WHERE change_request_id = $1")
            .bind(ready)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(steps, 1);
}

#[tokio::test]
async fn approval_is_refused_with_c1_named_when_a_linked_request_moved_on_meanwhile_and_nothing_is_stored() {
    let app = spawn_app().await;
    let id = held_meeting(&app).await;
    let base = format!("/moeder/{id}/referat");
    app.set_time(local(2027, 3, 18, 10));
    let secretariat = app.login_as(SECRETARIAT).await;
    assert_eq!(post(&app, &secretariat, &base, &[]).await.status(), StatusCode::SEE_OTHER);
    let item = item_ids(&app, id).await[0];
    let ready = request(&app, "natur", "ÆØ-2027-911", "ready_for_decision").await;
    let fields = [
        ("kind", "decision"),
        ("text", "Godkendt"),
        ("outcome", "approved"),
        ("change_request_id", &ready.to_string()),
    ];
    assert_eq!(
        post(&app, &secretariat, &format!("{base}/punkter/{item}/poster"), &fields).await.status(),
        StatusCode::SEE_OTHER
    );
    to_worked_in(&app, &base).await;
    sqlx::query("UPDATE change_requests SET status = 'rejected' WHERE id = $1")
        .bind(ready)
        .execute(&app.db)
        .await
        .unwrap();
    let secretariat = app.login_as(SECRETARIAT).await;
    let r = post(&app, &secretariat, &format!("{base}/godkend"), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("C1") && body.contains("ÆØ-2027-911"), "{body}");
    let approved: String = sqlx::query_scalar("SELECT status FROM minutes WHERE meeting_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(approved, "worked_in", "nothing half-saved");
}

#[tokio::test]
async fn when_every_member_and_the_chair_has_answered_the_secretariat_may_close_the_window_early_r3_r4() {
    let app = spawn_app().await;
    app.set_time(local(2027, 3, 18, 10));
    let id = held_meeting(&app).await;
    let base = format!("/moeder/{id}/referat");
    let secretariat = app.login_as(SECRETARIAT).await;
    assert_eq!(post(&app, &secretariat, &base, &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(post(&app, &secretariat, &format!("{base}/udsend"), &[]).await.status(), StatusCode::SEE_OTHER);
    let none = format!("{base}/ingen-bemaerkninger");

    // A member answers once; a second answer changes nothing.
    let member = app.login_as(MEMBER).await;
    let page = app.get(&member, &base).await.text().await.unwrap();
    assert!(page.contains(&none), "the member is offered the answer");
    for _ in 0..2 {
        assert_eq!(post(&app, &member, &none, &[]).await.status(), StatusCode::SEE_OTHER);
    }
    let page = app.get(&member, &base).await.text().await.unwrap();
    assert!(page.contains("Du har givet dit svar på referatet") && !page.contains(&format!("action=\"{none}\"")));
    let answers: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM minutes_no_remarks n JOIN minutes m ON m.id = n.minutes_id WHERE m.meeting_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(answers, 1);

    // Nobody else answers for the group: an outsider learns nothing, the secretariat is told why not.
    crate::minutes::account_for(&app, "mads.iversen@mst.example").await;
    let outsider = app.login_as("mads.iversen@mst.example").await;
    assert_eq!(post(&app, &outsider, &none, &[]).await.status(), StatusCode::NOT_FOUND);
    let own = post(&app, &secretariat, &none, &[]).await;
    assert_eq!(own.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(own.text().await.unwrap().contains("R3"));

    // While anyone is still to be heard from, the window holds (R3), and the secretariat sees whom it waits for.
    let early = post(&app, &secretariat, &format!("{base}/indarbejdet"), &[]).await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.text().await.unwrap().contains("R3"));
    let page = app.get(&secretariat, &base).await.text().await.unwrap();
    assert!(page.contains("Mangler svar fra:") && page.contains("Rasmus"), "the chair and members not heard from");

    // Everyone but the chair has answered (or commented); the chair's answer is the last one awaited.
    sqlx::query(
        "INSERT INTO minutes_no_remarks (minutes_id, person_id, answered_at)
         SELECT mi.id, ms.person_id, now() FROM minutes mi JOIN meetings m ON m.id = mi.meeting_id
         JOIN memberships ms ON ms.group_id = m.group_id AND ms.status = 'active' AND ms.role = 'member'
         WHERE mi.meeting_id = $1 ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .execute(&app.db)
    .await
    .unwrap();
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE subject LIKE 'Alle har svaret%'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(before, 0);
    let chair = app.login_as(CHAIR).await;
    assert_eq!(post(&app, &chair, &none, &[]).await.status(), StatusCode::SEE_OTHER);
    let told: Vec<(String, String)> =
        sqlx::query_as("SELECT to_address, body_text FROM outbox WHERE subject LIKE 'Alle har svaret%'")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert!(told.iter().any(|(to, _)| to == SECRETARIAT), "the secretariat is told: {told:?}");
    assert!(told.iter().all(|(_, text)| text.contains(&base)), "with a link to the minutes");
    let page = app.get(&secretariat, &base).await.text().await.unwrap();
    assert!(page.contains("Alle medlemmer og forpersonen har svaret"));

    // R4: the secretariat closes the window before its end (18 March; it runs to 30 March).
    assert_eq!(post(&app, &secretariat, &format!("{base}/indarbejdet"), &[]).await.status(), StatusCode::SEE_OTHER);
    let status: String = sqlx::query_scalar("SELECT status FROM minutes WHERE meeting_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(status, "worked_in");
}

async fn finds(app: &TestApp, client: &reqwest::Client, q: &str) -> bool {
    let response = client.get(app.url("/soeg")).query(&[("q", q)]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{q}");
    response.text().await.unwrap().contains("Blæksprutterne")
}

#[tokio::test]
async fn search_finds_the_minutes_items_and_the_parties_summary_under_the_minutes_read_rules_r3_o5() {
    let app = spawn_app().await;
    app.set_time(local(2027, 3, 18, 10));
    crate::minutes::account_for(&app, "mads.iversen@mst.example").await;
    let id = held_meeting(&app).await;
    let base = format!("/moeder/{id}/referat");
    let secretariat = app.login_as(SECRETARIAT).await;
    assert_eq!(post(&app, &secretariat, &base, &[]).await.status(), StatusCode::SEE_OTHER);
    let item = item_ids(&app, id).await[0];
    let text = [("text", "Blæksprutterne i fjorden blev kortlagt af regionerne.")];
    assert_eq!(
        post(&app, &secretariat, &format!("{base}/punkter/{item}"), &text).await.status(),
        StatusCode::SEE_OTHER
    );
    let summary = [("text", "Kommunerne melder om Blæksprutterne i havnene.")];
    assert_eq!(post(&app, &secretariat, &format!("{base}/parter"), &summary).await.status(), StatusCode::SEE_OTHER);

    // A draft: the secretariat's alone. Both a word form of the item's text and the summary's find it.
    let member = app.login_as(MEMBER).await;
    let outsider = app.login_as("mads.iversen@mst.example").await;
    assert!(finds(&app, &secretariat, "blæksprutte fjord").await && finds(&app, &secretariat, "havnene").await);
    assert!(!finds(&app, &member, "blæksprutte").await, "a member finds no draft");

    // Sent: the group's members; not another group's member.
    assert_eq!(post(&app, &secretariat, &format!("{base}/udsend"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(finds(&app, &member, "blæksprutte fjord").await && finds(&app, &member, "havnene").await);
    assert!(!finds(&app, &outsider, "blæksprutte").await, "sent minutes are the group's");

    // Approved: whoever may read the (internal) group.
    app.set_time(local(2027, 4, 1, 9));
    let secretariat = app.login_as(SECRETARIAT).await;
    assert_eq!(post(&app, &secretariat, &format!("{base}/indarbejdet"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(post(&app, &secretariat, &format!("{base}/godkend"), &[]).await.status(), StatusCode::SEE_OTHER);
    let outsider = app.login_as("mads.iversen@mst.example").await;
    assert!(finds(&app, &outsider, "blæksprutte").await, "approved minutes of an internal group");
    let hit = outsider.get(app.url("/soeg")).query(&[("q", "fjorden")]).send().await.unwrap().text().await.unwrap();
    assert!(hit.contains(&format!("{base}#punkt-{item}")), "the hit links the item");
}
