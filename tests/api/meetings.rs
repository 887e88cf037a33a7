//! Meetings, deadlines, agendas, requests, apologies, attendance and calendars (T1-T7, A1-A8,
//! Y1, D1-D3) through the pages and the API.

use chrono::{TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

async fn plan_meeting(
    app: &TestApp,
    client: &reqwest::Client,
    group: &str,
    date: &str,
    start: &str,
    end: &str,
    format: &str,
) -> reqwest::Response {
    let token = app.csrf(client, &format!("/grupper/{group}/moeder")).await;
    let fields = [
        ("csrf_token", token.as_str()),
        ("kind", "ordinary"),
        ("cycle_number", "1"),
        ("date", date),
        ("start", start),
        ("end", end),
        ("format", format),
        ("location", "Miljøportalen, mødelokale 2"),
    ];
    app.post_form(client, &format!("/grupper/{group}/moeder"), &fields).await
}

#[tokio::test]
async fn a_planned_meeting_shows_its_deadlines_in_danish_working_days_d2() {
    let app = spawn_app().await;
    let id = new_meeting(&app, "natur", "2027-03-31").await;
    let html = app.get(&app.login_as(SECRETARIAT).await, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(html.contains("fredag 12. marts 2027"), "agenda items due (A3): {html}");
    assert!(html.contains("onsdag 17. marts 2027"), "draft to the chair, 7 working days before (A1)");
    assert!(html.contains("fredag 19. marts 2027"), "agenda published, Easter closed (A2)");
    assert!(html.contains("onsdag 7. april 2027"), "minutes due (R2)");
    let checklist: i64 = sqlx::query_scalar("SELECT count(*) FROM meeting_checklist WHERE meeting_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(checklist, 4, "a physical meeting gets the room-and-catering checklist (T6)");
}

#[tokio::test]
async fn a_bad_meeting_form_comes_back_with_the_input_and_a_long_online_meeting_is_warned_t3() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    let response = plan_meeting(&app, &client, "natur", "2027-05-12", "16:00", "13:00", "physical").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("Mødet skal slutte efter det begynder.") && html.contains("value=\"2027-05-12\""));
    let response = plan_meeting(&app, &client, "natur", "2027-05-12", "09:00", "13:30", "online").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = app.get(&client, response.headers()["location"].to_str().unwrap()).await.text().await.unwrap();
    assert!(page.contains("T3"), "{page}");
}

#[tokio::test]
async fn the_api_plans_a_meeting_and_returns_its_deadlines_around_christmas_and_easter_d2() {
    let app = spawn_app().await;
    let token = api_token(&app, SECRETARIAT).await;
    let natur = group_id(&app, "natur").await;
    let cases = [
        ("2027-03-31T13:00:00+02:00", "2027-03-12", "2027-03-17", "2027-03-19", "2027-04-07"),
        ("2027-01-04T13:00:00+01:00", "2026-12-15", "2026-12-18", "2026-12-22", "2027-01-11"),
    ];
    for (starts_at, items, chair, published, minutes) in cases {
        let ends_at = starts_at.replace("T13:", "T16:");
        let response = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/groups/{natur}/meetings")))
            .bearer_auth(&token)
            .json(&json!({ "kind": "ordinary", "starts_at": starts_at, "ends_at": ends_at, "format": "physical", "location": "Lokale 1" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED, "{starts_at}");
        let created: Value = response.json().await.unwrap();
        let got: Value = reqwest::Client::new()
            .get(app.url(&format!("/api/v1/meetings/{}", created["id"])))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(got["deadlines"]["agenda_items_due"], items, "{starts_at}");
        assert_eq!(got["deadlines"]["agenda_to_chair_due"], chair, "{starts_at}");
        assert_eq!(got["deadlines"]["agenda_published_due"], published, "{starts_at}");
        assert_eq!(got["deadlines"]["minutes_due"], minutes, "{starts_at}");
        assert!(got["ics_url"].as_str().unwrap().ends_with("/kalender.ics"));
    }
    let response = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/groups/{natur}/meetings")))
        .bearer_auth(api_token(&app, MEMBER).await)
        .json(&json!({ "kind": "ordinary", "starts_at": "2027-03-31T13:00:00+02:00", "ends_at": "2027-03-31T16:00:00+02:00", "format": "physical" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

/// Unfolds RFC 5545 content lines (CRLF + space continues a line).
fn unfold(ics: &str) -> Vec<String> {
    assert!(ics.contains("\r\n"), "CRLF line endings");
    ics.replace("\r\n ", "").split("\r\n").filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

#[tokio::test]
async fn a_meeting_downloads_as_an_ics_file_that_parses_back() {
    let app = spawn_app().await;
    let id = new_meeting(&app, "natur", "2027-03-31").await;
    let response = app.get(&app.login_as(MEMBER).await, &format!("/moeder/{id}/kalender.ics")).await;
    assert_eq!(response.headers()["content-type"], "text/calendar; charset=utf-8");
    let lines = unfold(&response.text().await.unwrap());
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(lines.contains(&"TZID:Europe/Copenhagen".to_owned()));
    assert!(lines.contains(&"DTSTART;TZID=Europe/Copenhagen:20270331T130000".to_owned()), "{lines:?}");
    assert!(lines.contains(&"DTEND;TZID=Europe/Copenhagen:20270331T160000".to_owned()));
    assert!(lines.iter().any(|l| l == &format!("UID:meeting-{id}@samarbejdsrum.local")));
    assert!(lines.iter().any(|l| l.starts_with("SUMMARY:Natur")), "{lines:?}");
    assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 1);
}

#[tokio::test]
async fn the_agenda_goes_from_draft_to_the_chair_to_publication_and_only_then_reaches_members_a1_a2() {
    let app = spawn_app().await;
    let id = new_meeting(&app, "natur", "2027-03-31").await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let chair = app.login_as(CHAIR).await;
    let member = app.login_as(MEMBER).await;

    assert_eq!(
        post_meeting(&app, &member, id, "/dagsorden", &[]).await.status(),
        StatusCode::FORBIDDEN,
        "members do not draft"
    );
    assert_eq!(post_meeting(&app, &secretariat, id, "/dagsorden", &[]).await.status(), StatusCode::SEE_OTHER);
    let draft = app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap();
    for title in [
        "Ændringsønsker og Roadmap",
        "Nye ideer",
        "Årshjul",
        "Status fra Parterne",
        "Status fra Sekretariatet",
        "Afslutning",
    ] {
        assert!(draft.contains(title), "A4 template item {title}");
    }
    assert!(
        app.get(&member, &format!("/moeder/{id}")).await.text().await.unwrap().contains("under udarbejdelse"),
        "members do not see drafts"
    );
    assert_eq!(
        post_meeting(&app, &secretariat, id, "/dagsorden/udsend", &[]).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing goes out unapproved"
    );

    assert_eq!(
        post_meeting(&app, &secretariat, id, "/dagsorden/send-til-forperson", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let home = app.get(&chair, "/").await.text().await.unwrap();
    assert!(home.contains(&format!("/moeder/{id}#dagsorden")), "the chair's start page lists it");
    assert_eq!(
        post_meeting(&app, &member, id, "/dagsorden/godkend", &[]).await.status(),
        StatusCode::NOT_FOUND,
        "a member cannot even see it"
    );
    assert_eq!(
        post_meeting(&app, &chair, id, "/dagsorden/kommenter", &[("comment", "Flyt punkt 3 op")]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(post_meeting(&app, &chair, id, "/dagsorden/godkend", &[]).await.status(), StatusCode::SEE_OTHER);
    let response = post_meeting(&app, &chair, id, "/dagsorden/udsend", &[]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "only the secretariat publishes");
    assert!(!app.get(&member, &format!("/moeder/{id}")).await.text().await.unwrap().contains("Status fra Parterne"));

    assert_eq!(post_meeting(&app, &secretariat, id, "/dagsorden/udsend", &[]).await.status(), StatusCode::SEE_OTHER);
    let published = app.get(&member, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(
        published.contains("Status fra Parterne") && published.contains("Dagsorden udsendt")
            || published.contains("Udsendt")
    );
    let (approver, comment): (String, String) = sqlx::query_as(
        "SELECT p.email, c.body FROM agendas a JOIN people p ON p.id = a.approved_by
         JOIN agenda_chair_comments c ON c.agenda_id = a.id WHERE a.meeting_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((approver.as_str(), comment.as_str()), (CHAIR, "Flyt punkt 3 op"));
    let mails: Vec<String> = sqlx::query_scalar("SELECT to_address FROM outbox WHERE kind = 'agenda_published'")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert!(mails.contains(&MEMBER.to_owned()) && mails.contains(&CHAIR.to_owned()), "{mails:?}");
    let active: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.slug = 'natur' AND m.status = 'active'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(mails.len() as i64, active, "every approved participant, once");
    let invitations: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE kind = 'agenda_published' AND ics LIKE 'BEGIN:VCALENDAR%'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(invitations, active, "each carries the meeting as a calendar invitation");
    let printable = app.get(&member, &format!("/moeder/{id}/dagsorden")).await;
    assert_eq!(printable.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_decision_item_needs_a_responsible_person_a5() {
    let app = spawn_app().await;
    let id = new_meeting(&app, "natur", "2027-03-31").await;
    let secretariat = app.login_as(SECRETARIAT).await;
    post_meeting(&app, &secretariat, id, "/dagsorden", &[]).await;
    let response = post_meeting(
        &app,
        &secretariat,
        id,
        "/dagsorden/punkter",
        &[("title", "Godkend ÆØ-2027-004"), ("is_decision", "ja")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("Et beslutningspunkt skal have en ansvarlig person (A5)."));
    let chair: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(CHAIR).fetch_one(&app.db).await.unwrap();
    let response = post_meeting(
        &app,
        &secretariat,
        id,
        "/dagsorden/punkter",
        &[("title", "Godkend ÆØ-2027-004"), ("is_decision", "ja"), ("responsible_id", &chair.to_string())],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(
        html.contains("Godkend ÆØ-2027-004")
            && html.contains("Beslutning")
            && html.contains("Ansvarlig: Karen Vestergaard")
    );
}

#[tokio::test]
async fn a_late_request_for_an_item_is_flagged_and_the_secretariat_decides_a3() {
    let app = spawn_app().await;
    let id = new_meeting(&app, "natur", "2027-03-31").await;
    let secretariat = app.login_as(SECRETARIAT).await;
    post_meeting(&app, &secretariat, id, "/dagsorden", &[]).await;
    app.set_time(Utc.with_ymd_and_hms(2027, 3, 12, 20, 0, 0).unwrap()); // Friday 12 March, 21:00 local
    let member = app.login_as(MEMBER).await;
    assert_eq!(
        post_meeting(
            &app,
            &member,
            id,
            "/punktoensker",
            &[("title", "Naturtjek i kommunerne"), ("description", "Erfaringer")]
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    app.set_time(Utc.with_ymd_and_hms(2027, 3, 15, 8, 0, 0).unwrap()); // Monday after the deadline
    let member = app.login_as(MEMBER).await;
    let secretariat = app.login_as(SECRETARIAT).await;
    assert_eq!(
        post_meeting(
            &app,
            &member,
            id,
            "/punktoensker",
            &[("title", "Sent ønske"), ("wanted_decision", "At vi beslutter")]
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    let requests: Vec<(i64, String, bool)> =
        sqlx::query_as("SELECT id, title, late FROM agenda_item_requests WHERE meeting_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(requests.iter().map(|r| r.2).collect::<Vec<_>>(), vec![false, true]);
    let empty = post_meeting(&app, &member, id, "/punktoensker", &[("title", " ")]).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let page = app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(page.contains("For sent (A3)"));
    let late_id = requests[1].0.to_string();
    let response = post_meeting(
        &app,
        &secretariat,
        id,
        &format!("/punktoensker/{late_id}"),
        &[("decision", "afvis"), ("reason", "")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "a refusal needs a reason");
    let response =
        post_meeting(&app, &secretariat, id, &format!("/punktoensker/{late_id}"), &[("decision", "accepter")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let item: String = sqlx::query_scalar("SELECT i.presenter FROM agenda_items i JOIN agendas a ON a.id = i.agenda_id WHERE a.meeting_id = $1 AND i.title = 'Sent ønske'")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(item, "v/ Rasmus Friis");
    assert_eq!(
        post_meeting(&app, &member, id, &format!("/punktoensker/{}", requests[0].0), &[("decision", "accepter")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_apology_under_a_week_before_is_late_and_the_substitute_is_told_t4() {
    let app = spawn_app().await;
    let id = new_meeting(&app, "natur", "2027-03-31").await;
    app.set_time(Utc.with_ymd_and_hms(2027, 3, 25, 9, 0, 0).unwrap());
    let member = app.login_as(MEMBER).await;
    let response = post_meeting(&app, &member, id, "/afbud", &[("note", "Ferie")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let late: bool = sqlx::query_scalar("SELECT apology_late FROM attendance WHERE meeting_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(late, "six days before is late");
    let substitutes: Vec<String> = sqlx::query_scalar(
        "SELECT p.email FROM memberships ms JOIN people p ON p.id = ms.person_id JOIN groups g ON g.id = ms.group_id
         WHERE g.slug = 'natur' AND ms.role = 'substitute' AND ms.status = 'active'
           AND ms.party_id = (SELECT id FROM parties WHERE code = 'kommunerne')",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let told: Vec<String> = sqlx::query_scalar("SELECT to_address FROM outbox WHERE kind = 'apology_substitute'")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert!(!substitutes.is_empty());
    assert_eq!(told, substitutes, "the party's own substitute, nobody else");

    app.set_time(Utc.with_ymd_and_hms(2027, 3, 24, 9, 0, 0).unwrap());
    let chair = app.login_as(CHAIR).await;
    assert_eq!(post_meeting(&app, &chair, id, "/afbud", &[]).await.status(), StatusCode::SEE_OTHER);
    let chair_late: bool = sqlx::query_scalar("SELECT a.apology_late FROM attendance a JOIN memberships m ON m.id = a.membership_id JOIN people p ON p.id = m.person_id WHERE a.meeting_id = $1 AND p.email = $2")
        .bind(id)
        .bind(CHAIR)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(!chair_late, "exactly a week before is on time");
}

#[tokio::test]
async fn attendance_is_recorded_for_approved_members_only_and_shows_on_the_sheet_t5_m5() {
    let app = spawn_app().await;
    let id = new_meeting(&app, "jord", "2027-03-31").await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let active: Vec<i64> = sqlx::query_scalar("SELECT m.id FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.slug = 'jord' AND m.status = 'active' ORDER BY m.id")
        .fetch_all(&app.db)
        .await
        .unwrap();

    // T5: before the meeting there is no attendance to record; nobody becomes absent by not being ticked.
    let first = active[0].to_string();
    let early = post_meeting(&app, &secretariat, id, "/fremmoede", &[("listed", &first), ("attended", &first)]).await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.text().await.unwrap().contains("Fremmødet registreres, når mødet er begyndt"));
    let page = app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(!page.contains("Gem fremmøde") && page.contains("når mødet er begyndt (T5)"), "no form before");
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM attendance WHERE meeting_id = $1 AND status = 'absent'")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 0, "nothing stored");
    app.set_time("2027-03-31T12:00:00Z".parse().unwrap());
    let secretariat = app.login_as(SECRETARIAT).await;
    assert!(app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap().contains("Gem fremmøde"));

    let (nominated,): (i64,) = sqlx::query_as("SELECT m.id FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.slug = 'jord' AND m.status = 'nominated' LIMIT 1")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let response = post_meeting(
        &app,
        &secretariat,
        id,
        "/fremmoede",
        &[("listed", &nominated.to_string()), ("attended", &nominated.to_string())],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("afventer Stabsgruppens godkendelse"));
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM attendance WHERE meeting_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(rows, 0, "nothing half-saved");

    let ids: Vec<String> = active.iter().map(|i| i.to_string()).collect();
    let mut fields: Vec<(&str, &str)> = ids.iter().map(|i| ("listed", i.as_str())).collect();
    fields.push(("attended", ids[0].as_str()));
    assert_eq!(post_meeting(&app, &secretariat, id, "/fremmoede", &fields).await.status(), StatusCode::SEE_OTHER);
    let csv = app.get(&secretariat, "/grupper/jord/fremmoede.csv?aar=2027").await.text().await.unwrap();
    assert!(csv.contains("31.03.2027") && csv.contains("Deltog") && csv.contains("Fraværende"), "{csv}");
    let header = csv.lines().next().unwrap();
    assert!(
        header.split(';').skip(2).all(|c| c.starts_with("Møde") || c.len() > 11),
        "columns name the meeting: {header}"
    );
    let html = app.get(&secretariat, "/grupper/jord/fremmoede?aar=2027").await.text().await.unwrap();
    assert!(html.contains("Mødefrekvensark 2027"));
}

#[tokio::test]
async fn the_year_plan_warns_about_quarters_and_topics_and_placing_a_topic_clears_it_t1_y1() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    let html = app.get(&client, "/grupper/natur/moeder?aar=2028").await.text().await.unwrap();
    assert!(html.contains("1. kvartal 2028 (T1)"), "{html}");
    assert!(html.contains("(Y1)") && html.contains("<svg"), "årshjul drawn");
    let id = new_meeting(&app, "natur", "2028-02-16").await;
    let token = app.csrf(&client, "/grupper/natur/moeder?aar=2028").await;
    let response = app
        .post_form(
            &client,
            "/grupper/natur/aarshjul",
            &[("csrf_token", &token), ("year", "2028"), ("code", "charter_review"), ("meeting_id", &id.to_string())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = app.get(&client, "/grupper/natur/moeder?aar=2028").await.text().await.unwrap();
    assert!(!html.contains("1. kvartal 2028 (T1)"));
    let placed: Option<i64> =
        sqlx::query_scalar("SELECT meeting_id FROM annual_topics WHERE year = 2028 AND code = 'charter_review'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(placed, Some(id));
}

#[tokio::test]
async fn a_personal_calendar_feed_lists_meetings_and_deadlines_and_can_be_revoked() {
    let app = spawn_app().await;
    new_meeting(&app, "natur", "2027-03-31").await;
    let member = app.login_as(MEMBER).await;
    let token = app.csrf(&member, "/profil").await;
    assert_eq!(
        app.post_form(&member, "/profil/kalender", &[("csrf_token", &token)]).await.status(),
        StatusCode::SEE_OTHER
    );
    let profile = app.get(&member, "/profil").await.text().await.unwrap();
    let start = profile.find("<code id=\"new-feed\">").expect("feed url shown once") + "<code id=\"new-feed\">".len();
    let url = profile[start..start + profile[start..].find('<').unwrap()].to_owned();
    let path = url.trim_start_matches(&app.address).to_owned();
    assert!(path.starts_with("/kalender/"), "{url} vs {}", app.address);
    assert!(!app.get(&member, "/profil").await.text().await.unwrap().contains(&path), "shown once");

    let feed = app.get(&app.client(), &path).await;
    assert_eq!(feed.status(), StatusCode::OK);
    let lines = unfold(&feed.text().await.unwrap());
    assert!(lines.contains(&"DTSTART;TZID=Europe/Copenhagen:20270331T130000".to_owned()));
    assert!(lines.contains(&"DTSTART;VALUE=DATE:20270312".to_owned()), "the member's own A3 deadline, all day");
    assert!(!lines.contains(&"DTSTART;VALUE=DATE:20270319".to_owned()), "not the secretariat's A2 deadline");
    assert!(lines.contains(&"REFRESH-INTERVAL;VALUE=DURATION:PT1H".to_owned()), "fetched again hourly");
    // The secretariat's feed holds its own steps: the draft to the chair (A1) and the agenda out (A2).
    let secretariat = app.login_as(SECRETARIAT).await;
    let token = app.csrf(&secretariat, "/profil").await;
    app.post_form(&secretariat, "/profil/kalender", &[("csrf_token", &token)]).await;
    let profile = app.get(&secretariat, "/profil").await.text().await.unwrap();
    let start = profile.find("<code id=\"new-feed\">").expect("feed url") + "<code id=\"new-feed\">".len();
    let staff_url = profile[start..start + profile[start..].find('<').unwrap()].to_owned();
    let staff = unfold(&app.get(&app.client(), staff_url.trim_start_matches(&app.address)).await.text().await.unwrap());
    for (day, what) in [("20270317", "A1"), ("20270319", "A2")] {
        assert!(staff.contains(&format!("DTSTART;VALUE=DATE:{day}")), "{what} in the secretariat's feed");
    }
    assert!(!staff.contains(&"DTSTART;VALUE=DATE:20270312".to_owned()), "not the members' A3");
    let feed_id: i64 = sqlx::query_scalar("SELECT id FROM calendar_feeds").fetch_one(&app.db).await.unwrap();
    let token = app.csrf(&member, "/profil").await;
    app.post_form(&member, &format!("/profil/kalender/{feed_id}/tilbagekald"), &[("csrf_token", &token)]).await;
    assert_eq!(app.get(&app.client(), &path).await.status(), StatusCode::NOT_FOUND);
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    meeting: i64,
    name: &str,
    bytes: Vec<u8>,
    with_token: bool,
) -> reqwest::Response {
    let token = app.csrf(client, &format!("/moeder/{meeting}")).await;
    let mut form = reqwest::multipart::Form::new();
    if with_token {
        form = form.text("csrf_token", token);
    }
    let form = form.part("fil", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
    client.post(app.url(&format!("/moeder/{meeting}/bilag"))).multipart(form).send().await.unwrap()
}

#[tokio::test]
async fn attachments_are_checked_stored_with_the_meeting_and_downloaded_by_members_t7() {
    let app = spawn_app().await;
    let id = new_meeting(&app, "natur", "2027-03-31").await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let pdf = b"%PDF-1.7\nBilag til punkt 1.2\n".to_vec();
    assert_eq!(
        upload(&app, &secretariat, id, "Bilag 1.2 ændringsønske.pdf", pdf.clone(), true).await.status(),
        StatusCode::SEE_OTHER
    );

    let refused = upload(&app, &secretariat, id, "program.exe", b"MZ".to_vec(), true).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("kun PDF, Word"));
    let fake = upload(&app, &secretariat, id, "falsk.pdf", b"<html>".to_vec(), true).await;
    assert_eq!(fake.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let big =
        upload(&app, &secretariat, id, "stor.pdf", [b"%PDF-".to_vec(), vec![b'x'; 21 * 1024 * 1024]].concat(), true)
            .await;
    assert_eq!(big.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        upload(&app, &secretariat, id, "uden-token.pdf", pdf.clone(), false).await.status(),
        StatusCode::FORBIDDEN
    );
    let member = app.login_as(MEMBER).await;
    assert_eq!(upload(&app, &member, id, "medlem.pdf", pdf.clone(), true).await.status(), StatusCode::FORBIDDEN);
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM documents WHERE meeting_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 1, "only the valid file was stored");

    let doc: i64 =
        sqlx::query_scalar("SELECT id FROM documents WHERE meeting_id = $1").bind(id).fetch_one(&app.db).await.unwrap();
    let chair = app.login_as(CHAIR).await;
    let download = format!("/moeder/{id}/bilag/{doc}");
    let sees = |client: &reqwest::Client| {
        let (app, client) = (&app, client.clone());
        async move { app.get(&client, &format!("/moeder/{id}")).await.text().await.unwrap().contains("ændringsønske.pdf") }
    };
    // A1, A2: attachments follow their agenda: nobody but the secretariat before it goes to the chair,
    // the chair from then on, members once it is published.
    assert!(sees(&secretariat).await);
    for (who, client) in [("member", &member), ("chair", &chair)] {
        assert!(!sees(client).await, "{who} sees no attachment before there is an agenda for them");
        assert_eq!(app.get(client, &download).await.status(), StatusCode::NOT_FOUND, "{who} downloads nothing yet");
    }
    assert_eq!(post_meeting(&app, &secretariat, id, "/dagsorden", &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        post_meeting(&app, &secretariat, id, "/dagsorden/send-til-forperson", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert!(sees(&chair).await, "the chair reads the draft sent to them, with its attachments");
    assert_eq!(app.get(&member, &download).await.status(), StatusCode::NOT_FOUND, "still unpublished for members");
    assert_eq!(post_meeting(&app, &chair, id, "/dagsorden/godkend", &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&member, &download).await.status(), StatusCode::NOT_FOUND, "approved is not published");
    assert_eq!(post_meeting(&app, &secretariat, id, "/dagsorden/udsend", &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(sees(&member).await);
    let response = app.get(&member, &download).await;
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert_eq!(
        response.headers()["content-disposition"].to_str().unwrap(),
        "attachment; filename=\"Bilag 1.2 _ndrings_nske.pdf\"; filename*=UTF-8''Bilag%201.2%20%C3%A6ndrings%C3%B8nske.pdf",
        "the download keeps its spaces (%20, not +)"
    );
    assert_eq!(response.bytes().await.unwrap().to_vec(), pdf);
    assert_eq!(
        app.get(&app.client(), &format!("/moeder/{id}/bilag/{doc}")).await.status(),
        StatusCode::SEE_OTHER,
        "signed-out visitors go to the login"
    );
}

#[tokio::test]
async fn the_secretariat_sees_every_groups_deadlines_with_the_urgent_first_d3() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    let html = app.get(&client, "/frister").await.text().await.unwrap();
    assert!(html.contains("Frister pr. møde (D3)"), "{html}");
    assert!(html.contains("Udsendelse af dagsorden (A2)") && html.contains("Udsendelse af referat (R2)"));
    for group in ["Natur", "Jord"] {
        assert!(html.contains(&format!("<td>{group}</td>")), "the demo's coming {group} meeting is listed");
    }
}

/// A line break in a one-line field is refused with the field named, and the form comes back with the
/// text on one line: an `<input>` cannot hold a line break (the page checks would find it invalid).
#[tokio::test]
async fn a_line_break_in_a_one_line_field_comes_back_on_one_line() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let token = app.csrf(&secretariat, "/grupper/natur/moeder").await;
    let fields = [
        ("csrf_token", token.as_str()),
        ("kind", "ordinary"),
        ("cycle_number", "1"),
        ("title", "Temamøde\r\nBcc: x@example.dk"),
        ("date", "2027-03-10"),
        ("start", "10:00"),
        ("end", "12:00"),
        ("format", "physical"),
        ("location", "Mødelokale 2"),
    ];
    let answer = app.post_form(&secretariat, "/grupper/natur/moeder", &fields).await;
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = answer.text().await.unwrap();
    assert!(html.contains("value=\"Temamøde Bcc: x@example.dk\""), "the title is not echoed on one line");
    assert!(html.contains("id=\"e-title\""), "the title's error is not shown");
}

#[tokio::test]
async fn an_apology_is_withdrawn_until_the_meeting_starts_and_the_substitute_hears_they_are_not_needed_t4() {
    let app = spawn_app().await;
    let id = new_meeting(&app, "natur", "2027-03-31").await;
    app.set_time(Utc.with_ymd_and_hms(2027, 3, 20, 9, 0, 0).unwrap());
    let member = app.login_as(MEMBER).await;
    assert_eq!(post_meeting(&app, &member, id, "/afbud", &[("note", "Ferie")]).await.status(), StatusCode::SEE_OTHER);
    let page = app.get(&member, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(page.contains("Træk afbuddet tilbage"), "offered with the apology");

    app.set_time(Utc.with_ymd_and_hms(2027, 3, 21, 9, 0, 0).unwrap());
    let member = app.login_as(MEMBER).await;
    assert_eq!(post_meeting(&app, &member, id, "/afbud/tilbagekald", &[]).await.status(), StatusCode::SEE_OTHER);
    let apologies: i64 = sqlx::query_scalar("SELECT count(*) FROM attendance WHERE meeting_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(apologies, 0, "the apology is gone");
    let mails: Vec<(String, String)> =
        sqlx::query_as("SELECT to_address, subject FROM outbox WHERE kind = 'apology_substitute' ORDER BY id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert_eq!(mails[0].0, mails[1].0, "the same substitute");
    assert!(mails[1].1.starts_with("Afbud trukket tilbage: Rasmus Friis"), "{}", mails[1].1);
    let again = post_meeting(&app, &member, id, "/afbud/tilbagekald", &[]).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().await.unwrap().contains("Der er intet afbud at trække tilbage."));

    // A new apology is news again for the substitute; after the start it stands.
    assert_eq!(post_meeting(&app, &member, id, "/afbud", &[]).await.status(), StatusCode::SEE_OTHER);
    let told: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE kind = 'apology_substitute'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(told, 3);
    app.set_time(Utc.with_ymd_and_hms(2027, 3, 31, 12, 0, 0).unwrap());
    let member = app.login_as(MEMBER).await;
    let late = post_meeting(&app, &member, id, "/afbud/tilbagekald", &[]).await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.text().await.unwrap().contains("Mødet er begyndt"));
    assert!(!app.get(&member, &format!("/moeder/{id}")).await.text().await.unwrap().contains("Træk afbuddet tilbage"));
}

#[tokio::test]
async fn a_membership_counts_from_its_approval_so_a_new_member_is_on_no_earlier_meeting_nor_its_mail_m5_t5() {
    let app = spawn_app().await;
    let earlier = new_meeting(&app, "natur", "2027-01-20").await;
    let later = new_meeting(&app, "natur", "2027-03-31").await;
    let person = new_person(&app, "Nina Senere", "nina.senere@odense.example", "Odense Kommune", false).await;
    let token = api_token(&app, SECRETARIAT).await;
    let natur = group_id(&app, "natur").await;
    let appointed: serde_json::Value = app
        .client()
        .post(app.url(&format!("/api/v1/groups/{natur}/memberships")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "person_id": person, "role": "substitute", "starts_on": "2027-01-04" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let membership = appointed["id"].as_i64().unwrap();
    let approved = app
        .client()
        .post(app.url(&format!("/api/v1/memberships/{membership}/approve")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "approved_on": "2027-02-15" }))
        .send()
        .await
        .unwrap();
    assert!(approved.status().is_success(), "{}", approved.status());

    let secretariat = app.login_as(SECRETARIAT).await;
    let on = |id: i64| {
        let (app, secretariat) = (&app, secretariat.clone());
        async move { app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap().contains("Nina Senere") }
    };
    assert!(!on(earlier).await, "approved after the January meeting: not among its seats");
    assert!(on(later).await, "a seat at the March meeting");

    // The January minutes go to those who were members then, not to her.
    app.set_time(Utc.with_ymd_and_hms(2027, 1, 21, 9, 0, 0).unwrap());
    let secretariat = app.login_as(SECRETARIAT).await;
    assert_eq!(post_meeting(&app, &secretariat, earlier, "/referat", &[]).await.status(), StatusCode::SEE_OTHER);
    let item = [("title", "Eventuelt")];
    assert_eq!(
        post_meeting(&app, &secretariat, earlier, "/referat/punkter", &item).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(post_meeting(&app, &secretariat, earlier, "/referat/udsend", &[]).await.status(), StatusCode::SEE_OTHER);
    let to: Vec<String> = sqlx::query_scalar("SELECT to_address FROM outbox WHERE kind = 'minutes_sent'")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert!(to.contains(&MEMBER.to_owned()) && !to.contains(&"nina.senere@odense.example".to_owned()), "{to:?}");
    let sheet = app.get(&secretariat, "/grupper/natur/fremmoede.csv?aar=2027").await.text().await.unwrap();
    let header: Vec<&str> = sheet.lines().next().unwrap().split(';').collect();
    let january = header.iter().position(|c| c.ends_with(" 20.01.2027")).expect("January's meeting is a column");
    let member_row: Vec<&str> = sheet.lines().find(|l| l.starts_with("Rasmus Friis")).unwrap().split(';').collect();
    assert_eq!(member_row.len(), header.len(), "{sheet}");
    if let Some(nina) = sheet.lines().find(|l| l.starts_with("Nina Senere")) {
        let cells: Vec<&str> = nina.split(';').collect();
        assert_eq!(cells[january], "", "no mark for a meeting before she joined: {sheet}");
    }
}

#[tokio::test]
async fn a_substitute_confirms_taking_part_for_an_absent_member_of_their_party_who_is_told_m6_t4() {
    let app = spawn_app().await;
    let id = new_meeting(&app, "natur", "2027-03-31").await;
    let membership_of = |email: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT ms.id FROM memberships ms JOIN people p ON p.id = ms.person_id JOIN groups g ON g.id = ms.group_id
                 WHERE g.slug = 'natur' AND p.email = $1 AND ms.status = 'active'",
            )
            .bind(email)
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    let (anders, camilla, member, substitute) = (
        membership_of("anders.toft@rm.example").await,
        membership_of("camilla.rask@regionh.example").await,
        membership_of(MEMBER).await,
        membership_of(SUBSTITUTE).await,
    );
    for absent in [anders, member] {
        sqlx::query(
            "INSERT INTO attendance (meeting_id, membership_id, status, apology_at) VALUES ($1, $2, 'apology', now())",
        )
        .bind(id)
        .bind(absent)
        .execute(&app.db)
        .await
        .unwrap();
    }

    let client = app.login_as(SUBSTITUTE).await;
    let page = app.get(&client, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(page.contains("Jeg deltager for Anders Toft"), "offered for the own party's absent member");
    assert!(!page.contains("Jeg deltager for Rasmus Friis"), "not for another party's");
    for (absent, rule) in [(member, "M6"), (camilla, "T4")] {
        let refused = post_meeting(&app, &client, id, "/stedfortraeder", &[("for", &absent.to_string())]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{rule}");
        assert!(refused.text().await.unwrap().contains(&format!("({rule})")), "{rule}");
    }
    let confirmed = post_meeting(&app, &client, id, "/stedfortraeder", &[("for", &anders.to_string())]).await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    let page = app.get(&client, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(page.contains("Du deltager i mødet for Anders Toft") && !page.contains("Jeg deltager for"), "{page}");
    let told: Vec<String> = sqlx::query_scalar(
        "SELECT subject FROM outbox WHERE kind = 'apology_substitute' AND to_address = 'anders.toft@rm.example'",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(told.len(), 1, "the absent member hears it once: {told:?}");
    assert!(told[0].contains("deltager for dig"), "{}", told[0]);

    // The secretariat sees it on the list, and the form ticks the substitute once the meeting has begun.
    app.set_time(Utc.with_ymd_and_hms(2027, 3, 31, 12, 0, 0).unwrap());
    let secretariat = app.login_as(SECRETARIAT).await;
    let page = app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(page.contains("Deltager for Anders Toft") && page.contains("deltager i stedet"), "{page}");
    let checkbox =
        format!("id=\"att-{substitute}\" type=\"checkbox\" name=\"attended\" value=\"{substitute}\" checked");
    assert!(page.contains(&checkbox), "pre-ticked: {checkbox}");
}

/// T6 and M9: the secretariat ticks a meeting's checklist and a new member's onboarding from the
/// pages; an item or a step that does not exist is refused in Danish and nothing changes.
#[tokio::test]
async fn the_checklist_and_the_onboarding_are_ticked_and_unknown_items_refused_t6_m9() {
    let app = spawn_app().await;
    let meeting = new_meeting(&app, "natur", "2027-03-31").await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let tick = |path: String, fields: Vec<(&'static str, &'static str)>| {
        let (app, client) = (&app, secretariat.clone());
        async move {
            let token = app.csrf(&client, "/profil").await;
            let mut all = vec![("csrf_token", token.as_str())];
            all.extend(fields);
            let response = app.post_form(&client, &path, &all).await;
            let status = response.status();
            (status, response.text().await.unwrap())
        }
    };
    let done = |sql: &'static str, id: i64| {
        let db = app.db.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_one(&db).await.unwrap() }
    };
    let checklist = "SELECT count(*) FROM meeting_checklist WHERE meeting_id = $1 AND done";
    let path = format!("/moeder/{meeting}/tjekliste");
    assert_eq!(tick(path.clone(), vec![("item", "room"), ("done", "ja")]).await.0, StatusCode::SEE_OTHER);
    assert_eq!(done(checklist, meeting).await, 1);
    let (status, page) = tick(path, vec![("item", "kage"), ("done", "ja")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Ukendt punkt på mødets tjekliste."), "{page}");
    assert_eq!(done(checklist, meeting).await, 1, "nothing else is ticked");

    // A member of Natur who is still being onboarded: every step open.
    let membership: i64 = sqlx::query_scalar(
        "WITH m AS (SELECT m.id FROM memberships m JOIN groups g ON g.id = m.group_id
                    WHERE g.slug = 'natur' AND m.status = 'active' ORDER BY m.id LIMIT 1)
         INSERT INTO onboarding_steps (membership_id, step)
         SELECT m.id, s FROM m, unnest(ARRAY['intro_package', 'website_updated', 'meetings_booked', 'room_access',
                                             'staff_group_approval', 'board_informed']) s
         ON CONFLICT (membership_id, step) DO UPDATE SET done_on = NULL
         RETURNING membership_id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let onboarding = "SELECT count(*) FROM onboarding_steps WHERE membership_id = $1 AND done_on IS NOT NULL";
    let before = done(onboarding, membership).await;
    let path = format!("/grupper/natur/medlemmer/{membership}/onboarding");
    let (status, page) = tick(path.clone(), vec![("step", "kaffe"), ("done", "ja")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Ukendt trin i introduktionen"), "{page}");
    assert_eq!(done(onboarding, membership).await, before);
    let open: String =
        sqlx::query_scalar("SELECT step FROM onboarding_steps WHERE membership_id = $1 AND done_on IS NULL LIMIT 1")
            .bind(membership)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let step: &'static str = samarbejdsrum::domain::onboarding::OnboardingStep::parse(&open).unwrap().as_str();
    assert_eq!(tick(path, vec![("step", step), ("done", "ja")]).await.0, StatusCode::SEE_OTHER);
    assert_eq!(done(onboarding, membership).await, before + 1);
    let group_page = app.get(&secretariat, "/grupper/natur").await.text().await.unwrap();
    assert!(group_page.contains(samarbejdsrum::domain::onboarding::OnboardingStep::parse(step).unwrap().label()));
}
