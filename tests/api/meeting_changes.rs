//! Moving, changing and cancelling a meeting (issue 10 item 3): deadlines move with it (D2, D3),
//! reminders for old dates are withdrawn, and everyone who got the agenda (A2) is sent one updated
//! invitation (same UID, higher SEQUENCE) or one cancellation, over real SMTP. Attachments are replaced
//! or removed (T7), meetings across groups are planned with their participants (T1), one meeting input
//! serves forms and API (issue 13 item 6), and the API's `ics_url` answers its Bearer token.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use mailparse::MailHeaderMap;
use reqwest::StatusCode;
use samarbejdsrum::jobs::{deadlines, mailer};
use samarbejdsrum::mail::Mailer;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::smtp::{Received, SmtpServer};

fn local(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    samarbejdsrum::domain::calendar::local_to_utc(
        NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        NaiveTime::from_hms_opt(h, 0, 0).unwrap(),
    )
    .unwrap()
}

fn meeting_fields<'a>(date: &'a str, start: &'a str, end: &'a str, format: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "ordinary"),
        ("cycle_number", "1"),
        ("date", date),
        ("start", start),
        ("end", end),
        ("format", format),
        ("location", "Miljøportalen, mødelokale 2"),
    ]
}

/// Natur's meeting on 31 March 2027 with its agenda published to the participants, the clock on
/// 11 March 2027 (a working day before the A3 deadline of 12 March), every mail so far sent.
async fn published_meeting(app: &TestApp, mailer: &Mailer) -> i64 {
    sqlx::query("DELETE FROM notification_settings").execute(&app.db).await.unwrap();
    app.set_time(local(2027, 3, 11, 9));
    let secretariat = app.login_as(SECRETARIAT).await;
    let chair = app.login_as(CHAIR).await;
    let fields = meeting_fields("2027-03-31", "13:00", "16:00", "physical");
    let response = post_from(app, &secretariat, "/grupper/natur/moeder", "/grupper/natur/moeder", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id: i64 = response.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let page = format!("/moeder/{id}");
    for (client, action) in
        [(&secretariat, ""), (&secretariat, "/send-til-forperson"), (&chair, "/godkend"), (&secretariat, "/udsend")]
    {
        let response = post_from(app, client, &page, &format!("{page}/dagsorden{action}"), &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "agenda step {action}");
    }
    send_all(app, mailer).await;
    id
}

async fn send_all(app: &TestApp, mailer: &Mailer) {
    while mailer::run_once(&app.state, mailer).await.unwrap() > 0 {}
}

async fn agenda_recipients(app: &TestApp, meeting: i64) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT o.to_address FROM outbox o JOIN agendas a ON o.idempotency_key LIKE 'agenda_published:' || a.id || ':%'
         WHERE a.meeting_id = $1 ORDER BY o.to_address",
    )
    .bind(meeting)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

/// The calendar part of a received mail as a mail program reads it (MIME, by mailparse), unfolded,
/// and its Content-Type line.
fn calendar_of(mail: &Received) -> Option<(String, String)> {
    let parsed = mailparse::parse_mail(mail.data.as_bytes()).ok()?;
    let part = parsed.parts().find(|p| p.ctype.mimetype == "text/calendar")?;
    let content_type = part.headers.get_first_value("Content-Type")?;
    let ics = part.get_body().ok()?;
    Some((ics.replace("\r\n", "\n").replace("\n ", ""), format!("Content-Type: {content_type}")))
}

/// The body of a received mail's part of `mimetype`, decoded, with plain line ends.
fn part_of(mail: &mailparse::ParsedMail<'_>, mimetype: &str) -> Option<String> {
    let part = mail.parts().find(|p| p.ctype.mimetype == mimetype)?;
    Some(part.get_body().ok()?.replace("\r\n", "\n"))
}

fn property(ics: &str, name: &str) -> String {
    ics.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .unwrap_or_else(|| panic!("no {name} in {ics}"))
        .trim()
        .to_owned()
}

/// The invitations that update a meeting already sent (SEQUENCE above 0), by recipient.
fn updated(smtp: &SmtpServer) -> Vec<(String, String, String)> {
    invitations(smtp, "REQUEST").into_iter().filter(|(_, ics, _)| property(ics, "SEQUENCE") != "0").collect()
}

/// The received mails with a calendar of `method`, by recipient.
fn invitations(smtp: &SmtpServer, method: &str) -> Vec<(String, String, String)> {
    let mut found: Vec<(String, String, String)> = smtp
        .received()
        .iter()
        .filter_map(|m| {
            let (ics, content_type) = calendar_of(m)?;
            (property(&ics, "METHOD") == method).then(|| (m.to.join(","), ics, content_type))
        })
        .collect();
    found.sort();
    found
}

async fn queued_reminders(app: &TestApp, meeting: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE status = 'queued' AND idempotency_key ~ ('^[a-z_]+:(soon|late):' || $1 || ':')",
    )
    .bind(meeting.to_string())
    .fetch_one(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_moved_meeting_moves_its_deadlines_and_sends_one_updated_invitation_per_agenda_recipient_d2_a2() {
    let app = spawn_app().await;
    let smtp = SmtpServer::start().await;
    let mailer = Mailer::from_url(&smtp.url(), "Samarbejdsrum <noreply@samarbejdsrum.local>").unwrap();
    let id = published_meeting(&app, &mailer).await;
    let recipients = agenda_recipients(&app, id).await;
    assert!(recipients.len() >= 3, "{recipients:?}");
    // One way throughout (README): every mailed invitation is an iTIP REQUEST, a cancellation a CANCEL.
    assert!(invitations(&smtp, "PUBLISH").is_empty());
    let published = invitations(&smtp, "REQUEST");
    assert_eq!(published.len(), recipients.len(), "the agenda carried the first invitation");
    let uid = property(&published[0].1, "UID");
    assert_eq!(property(&published[0].1, "SEQUENCE"), "0");

    // D3: the A3 reminder is queued for the old date, then the meeting moves two weeks on.
    assert!(deadlines::run_once(&app.state).await.unwrap() > 0);
    assert!(queued_reminders(&app, id).await > 0, "a reminder waits for 12 March");
    let secretariat = app.login_as(SECRETARIAT).await;
    let edit = format!("/moeder/{id}/rediger");
    let form = app.get(&secretariat, &edit).await.text().await.unwrap();
    assert!(form.contains("value=\"2027-03-31\"") && form.contains("value=\"13:00\""), "the form shows the meeting");
    let moved = meeting_fields("2027-04-14", "10:00", "12:00", "hybrid");
    let response = post_from(&app, &secretariat, &edit, &edit, &moved).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(queued_reminders(&app, id).await, 0, "reminders for the old dates are withdrawn");
    assert_eq!(deadlines::run_once(&app.state).await.unwrap(), 0, "the new dates are not due yet");
    // The reminders follow the new dates: the day before the new A3 deadline (31 March) it is queued.
    app.set_time(local(2027, 3, 30, 9));
    assert!(deadlines::run_once(&app.state).await.unwrap() > 0);
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT idempotency_key FROM outbox WHERE status = 'queued' AND idempotency_key LIKE 'agenda_items:soon:' || $1 || ':%'",
    )
    .bind(id.to_string())
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(!keys.is_empty() && keys.iter().all(|k| k.contains(":2027-03-31:")), "{keys:?}");
    let secretariat = app.login_as(SECRETARIAT).await;

    // D2: every deadline follows the meeting (14 April 2027: items 31 March, agenda 7 April).
    let token = api_token(&app, SECRETARIAT).await;
    let json: Value = app
        .client()
        .get(app.url(&format!("/api/v1/meetings/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json["deadlines"]["agenda_items_due"], "2027-03-31");
    assert_eq!(json["deadlines"]["agenda_published_due"], "2027-04-07");
    assert_eq!(json["format"], "hybrid");
    assert_eq!(json["sequence"], 1);
    let page = app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(page.contains("onsdag 7. april 2027"), "the page shows the moved A2 deadline");

    // The mail says what changed, as it was and as it is now, and not what stayed.
    let text: String = sqlx::query_scalar(
        "SELECT body_text FROM outbox WHERE kind = 'meeting_changed' AND to_address = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(MEMBER)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(
        text.contains("Tidspunkt: onsdag 31. marts 2027 kl. 13:00–16:00 → onsdag 14. april 2027 kl. 10:00"),
        "{text}"
    );
    assert!(text.contains("Sted: ") && !text.contains("Titel: "), "{text}");
    // One updated invitation per participant who got the agenda: same UID, higher SEQUENCE.
    send_all(&app, &mailer).await;
    let updates = updated(&smtp);
    let to: Vec<String> = updates.iter().map(|(to, _, _)| to.clone()).collect();
    assert_eq!(to, recipients, "exactly one to each who got the agenda");
    for (to, ics, content_type) in &updates {
        assert_eq!(property(ics, "UID"), uid, "{to}: same event");
        assert_eq!(property(ics, "SEQUENCE"), "1", "{to}: a higher sequence");
        assert!(property(ics, "DTSTART;TZID=Europe/Copenhagen").starts_with("20270414T100000"), "{ics}");
        assert!(content_type.contains("method=REQUEST"), "{content_type}");
        assert!(ics.contains(&format!("RSVP=FALSE:mailto:{to}")), "{to} is the attendee: {ics}");
        assert!(ics.contains("ORGANIZER:mailto:"), "{ics}");
    }
    // Sending the same form again changes nothing and mails nobody.
    assert_eq!(post_from(&app, &secretariat, &edit, &edit, &moved).await.status(), StatusCode::SEE_OTHER);
    send_all(&app, &mailer).await;
    assert_eq!(updated(&smtp).len(), recipients.len());
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'meeting_updated' AND entity_id = $1")
            .bind(id.to_string())
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_cancellation_sends_method_cancel_once_shows_the_reason_and_stops_reminders() {
    let app = spawn_app().await;
    let smtp = SmtpServer::start().await;
    let mailer = Mailer::from_url(&smtp.url(), "Samarbejdsrum <noreply@samarbejdsrum.local>").unwrap();
    let id = published_meeting(&app, &mailer).await;
    let recipients = agenda_recipients(&app, id).await;
    assert!(deadlines::run_once(&app.state).await.unwrap() > 0);
    let secretariat = app.login_as(SECRETARIAT).await;
    let edit = format!("/moeder/{id}/rediger");
    let cancel = format!("/moeder/{id}/aflys");

    let blank = post_from(&app, &secretariat, &edit, &cancel, &[("reason", "  ")]).await;
    assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY, "a cancellation needs its reason");
    assert!(blank.text().await.unwrap().contains("Skriv hvorfor mødet aflyses"));
    let reason = "Forpersonen er syg; vi finder en ny dato.";
    // First the confirmation: who will be told, and nothing is done yet.
    let asked = post_from(&app, &secretariat, &edit, &cancel, &[("reason", reason)]).await;
    assert_eq!(asked.status(), StatusCode::OK);
    let asked = asked.text().await.unwrap();
    assert!(asked.contains(&format!("{} personer, der har fået dagsordenen", recipients.len())), "{asked}");
    assert!(
        asked.contains("Forpersonen er syg; vi finder en ny dato.")
            && asked.contains("name=\"confirmed\" value=\"ja\"")
    );
    let status: String =
        sqlx::query_scalar("SELECT status FROM meetings WHERE id = $1").bind(id).fetch_one(&app.db).await.unwrap();
    assert_eq!(status, "planned", "asking changes nothing");
    let confirmed = [("reason", reason), ("confirmed", "ja")];
    assert_eq!(post_from(&app, &secretariat, &edit, &cancel, &confirmed).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(queued_reminders(&app, id).await, 0, "queued reminders are withdrawn");
    app.set_time(local(2027, 3, 22, 9));
    let secretariat = app.login_as(SECRETARIAT).await;
    deadlines::run_once(&app.state).await.unwrap();
    assert_eq!(queued_reminders(&app, id).await, 0, "a cancelled meeting is reminded of nothing");

    let page = app.get(&app.login_as(MEMBER).await, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(page.contains("Mødet er aflyst.") && page.contains("Forpersonen er syg; vi finder en ny dato."));
    let list = app.get(&secretariat, "/moeder").await.text().await.unwrap();
    assert!(list.contains("Aflyst"), "the list says so: {list}");

    send_all(&app, &mailer).await;
    let cancellations = invitations(&smtp, "CANCEL");
    let to: Vec<String> = cancellations.iter().map(|(to, _, _)| to.clone()).collect();
    assert_eq!(to, recipients, "one cancellation to each who got the agenda");
    for (_, ics, content_type) in &cancellations {
        assert_eq!(property(ics, "STATUS"), "CANCELLED");
        assert_eq!(property(ics, "SEQUENCE"), "1");
        assert_eq!(property(ics, "UID"), format!("meeting-{id}@samarbejdsrum.local"));
        assert!(content_type.contains("method=CANCEL"));
    }
    // Once only: a second cancellation (or an edit) of a cancelled meeting is refused and mails nobody.
    assert_eq!(post_from(&app, &secretariat, &edit, &cancel, &confirmed).await.status(), StatusCode::CONFLICT);
    let moved = meeting_fields("2027-04-14", "10:00", "12:00", "online");
    assert_eq!(post_from(&app, &secretariat, &edit, &edit, &moved).await.status(), StatusCode::CONFLICT);
    send_all(&app, &mailer).await;
    assert_eq!(invitations(&smtp, "CANCEL").len(), recipients.len());
    assert!(updated(&smtp).is_empty(), "no update after the cancellation");

    // The .ics download and the calendar feed carry the same UID and SEQUENCE, cancelled.
    let ics = app.get(&secretariat, &format!("/moeder/{id}/kalender.ics")).await.text().await.unwrap();
    let ics = ics.replace("\r\n ", "");
    assert_eq!(property(&ics, "STATUS"), "CANCELLED");
    assert_eq!(property(&ics, "SEQUENCE"), "1");
    let member = app.login_as(MEMBER).await;
    let token = app.csrf(&member, "/profil").await;
    app.post_form(&member, "/profil/kalender", &[("csrf_token", &token)]).await;
    let profile = app.get(&member, "/profil").await.text().await.unwrap();
    let start = profile.find("<code id=\"new-feed\">").expect("feed url") + "<code id=\"new-feed\">".len();
    let url = profile[start..start + profile[start..].find('<').unwrap()].to_owned();
    let feed = app.get(&app.client(), url.trim_start_matches(&app.address)).await.text().await.unwrap();
    let feed = feed.replace("\r\n ", "");
    let event = feed
        .split("BEGIN:VEVENT")
        .find(|e| e.contains(&format!("UID:meeting-{id}@samarbejdsrum.local")))
        .expect("the cancelled meeting is in the feed");
    assert_eq!(property(event, "STATUS"), "CANCELLED");
    assert_eq!(property(event, "SEQUENCE"), "1", "the feed's event has the mails' sequence");
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'meeting_cancelled' AND entity_id = $1 AND after->>'reason' = $2",
    )
    .bind(id.to_string())
    .bind(reason)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn only_the_secretariat_edits_or_cancels_a_meeting_in_pages_and_api() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let fields = meeting_fields("2027-05-12", "13:00", "16:00", "physical");
    let response = post_from(&app, &secretariat, "/grupper/natur/moeder", "/grupper/natur/moeder", &fields).await;
    let id: i64 = response.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let moved = meeting_fields("2027-05-19", "13:00", "16:00", "physical");
    for email in [CHAIR, MEMBER, SUBSTITUTE] {
        let client = app.login_as(email).await;
        let page = format!("/moeder/{id}");
        assert_eq!(app.get(&client, &format!("/moeder/{id}/rediger")).await.status(), StatusCode::FORBIDDEN);
        let edit = post_from(&app, &client, &page, &format!("/moeder/{id}/rediger"), &moved).await;
        assert_eq!(edit.status(), StatusCode::FORBIDDEN, "{email} edits");
        let cancel =
            post_from(&app, &client, &page, &format!("/moeder/{id}/aflys"), &[("reason", "Nej"), ("confirmed", "ja")])
                .await;
        assert_eq!(cancel.status(), StatusCode::FORBIDDEN, "{email} cancels");
        let token = api_token(&app, email).await;
        let put = app
            .client()
            .put(app.url(&format!("/api/v1/meetings/{id}")))
            .bearer_auth(&token)
            .json(&json!({"kind": "ordinary", "starts_at": "2027-05-19T13:00:00+02:00", "ends_at": "2027-05-19T16:00:00+02:00", "format": "physical"}))
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), StatusCode::FORBIDDEN, "{email} over the API");
        let cancel = app
            .client()
            .post(app.url(&format!("/api/v1/meetings/{id}/cancel")))
            .bearer_auth(&token)
            .json(&json!({"reason": "Nej"}))
            .send()
            .await
            .unwrap();
        assert_eq!(cancel.status(), StatusCode::FORBIDDEN);
    }
    let (status, sequence): (String, i32) = sqlx::query_as("SELECT status, sequence FROM meetings WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!((status.as_str(), sequence), ("planned", 0), "nothing changed");

    // The secretariat's token moves and cancels it over the API.
    let token = api_token(&app, SECRETARIAT).await;
    let put: Value = app
        .client()
        .put(app.url(&format!("/api/v1/meetings/{id}")))
        .bearer_auth(&token)
        .json(&json!({"kind": "ordinary", "starts_at": "2027-05-19T13:00:00+02:00", "ends_at": "2027-05-19T16:00:00+02:00", "format": "online", "cycle_number": 2}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!((put["sequence"].as_i64(), put["format"].as_str()), (Some(1), Some("online")), "{put}");
    let cancelled: Value = app
        .client()
        .post(app.url(&format!("/api/v1/meetings/{id}/cancel")))
        .bearer_auth(&token)
        .json(&json!({"reason": "Aflyst over API'et"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancel_reason"], "Aflyst over API'et");
    let again = app
        .client()
        .post(app.url(&format!("/api/v1/meetings/{id}/cancel")))
        .bearer_auth(&token)
        .json(&json!({"reason": "Igen"}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT, "a cancelled meeting is cancelled once");
}

#[tokio::test]
async fn bad_meeting_input_comes_back_with_the_text_in_danish_and_is_422_on_the_api() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let fields = meeting_fields("2027-05-12", "13:00", "16:00", "physical");
    let response = post_from(&app, &secretariat, "/grupper/natur/moeder", "/grupper/natur/moeder", &fields).await;
    let id: i64 = response.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let edit = format!("/moeder/{id}/rediger");
    let cases = [
        (
            meeting_fields("2027-05-13", "15:00", "14:00", "physical"),
            "Mødet skal slutte efter det begynder.",
            "value=\"2027-05-13\"",
        ),
        (
            meeting_fields("2027-05-13", "13:00", "14:00", "teleport"),
            "Vælg fysisk, online eller hybrid.",
            "value=\"2027-05-13\"",
        ),
        (
            meeting_fields("275760-09-13", "13:00", "14:00", "online"),
            "Skriv datoen som åååå-mm-dd",
            "Miljøportalen, mødelokale 2",
        ),
    ];
    for (fields, message, kept) in cases {
        for path in [&edit, &"/grupper/natur/moeder".to_owned()] {
            let page = if path.starts_with("/moeder") { edit.clone() } else { path.to_string() };
            let response = post_from(&app, &secretariat, &page, path, &fields).await;
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}: {message}");
            let html = response.text().await.unwrap();
            assert!(html.contains(message), "{path}: {message}");
            assert!(html.contains(kept), "{path}: the input comes back");
            assert!(html.contains("class=\"field-error\""), "the message stands by its field");
        }
    }
    let token = api_token(&app, SECRETARIAT).await;
    let bodies = [
        (
            json!({"kind": "ordinary", "starts_at": "2027-05-13T15:00:00+02:00", "ends_at": "2027-05-13T14:00:00+02:00", "format": "physical"}),
            "ends_at",
        ),
        (
            json!({"kind": "ordinary", "starts_at": "2027-05-13T13:00:00+02:00", "ends_at": "2027-05-13T14:00:00+02:00", "format": "teleport"}),
            "format",
        ),
        (
            json!({"kind": "ordinary", "starts_at": "9999-05-13T13:00:00+02:00", "ends_at": "9999-05-13T14:00:00+02:00", "format": "online"}),
            "starts_at",
        ),
        (
            json!({"kind": "joint", "starts_at": "2027-05-13T13:00:00+02:00", "ends_at": "2027-05-13T14:00:00+02:00", "format": "online"}),
            "kind",
        ),
    ];
    let group = group_id(&app, "natur").await;
    for (body, field) in bodies {
        for request in [
            app.client().put(app.url(&format!("/api/v1/meetings/{id}"))),
            app.client().post(app.url(&format!("/api/v1/groups/{group}/meetings"))),
        ] {
            let response = request.bearer_auth(&token).json(&body).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
            let json: Value = response.json().await.unwrap();
            assert!(json["error"]["fields"][field].as_str().is_some_and(|m| !m.is_empty()), "{field}: {json}");
        }
    }
    let sequence: i32 =
        sqlx::query_scalar("SELECT sequence FROM meetings WHERE id = $1").bind(id).fetch_one(&app.db).await.unwrap();
    assert_eq!(sequence, 0, "nothing was stored");
}

#[tokio::test]
async fn an_attachment_is_replaced_or_removed_by_the_secretariat_and_both_are_audited_t7() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let fields = meeting_fields("2027-05-12", "13:00", "16:00", "physical");
    let response = post_from(&app, &secretariat, "/grupper/natur/moeder", "/grupper/natur/moeder", &fields).await;
    let id: i64 = response.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let old = b"%PDF-1.7\nGammel version\n";
    let new = b"%PDF-1.7\nNy version\n";
    assert_eq!(
        app.upload(&secretariat, &format!("/moeder/{id}/bilag"), "budget.pdf", old).await.status(),
        StatusCode::SEE_OTHER
    );
    let doc: i64 =
        sqlx::query_scalar("SELECT id FROM documents WHERE meeting_id = $1").bind(id).fetch_one(&app.db).await.unwrap();
    let download = format!("/moeder/{id}/bilag/{doc}");

    let member = app.login_as(MEMBER).await;
    let replace = format!("/moeder/{id}/bilag/{doc}/erstat");
    assert_eq!(app.upload(&member, &replace, "budget-v2.pdf", new).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.upload(&secretariat, &replace, "budget-v2.pdf", new).await.status(), StatusCode::SEE_OTHER);
    let got = app.get(&secretariat, &download).await;
    assert!(got.headers()["content-disposition"].to_str().unwrap().contains("budget-v2.pdf"));
    assert_eq!(got.bytes().await.unwrap().as_ref(), new, "the old file is no longer downloadable");
    let page = app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(page.contains("budget-v2.pdf") && !page.contains(">budget.pdf<"));

    let meeting_page = format!("/moeder/{id}");
    let remove = format!("/moeder/{id}/bilag/{doc}/slet");
    assert_eq!(
        post_from(&app, &member, &meeting_page, &remove, &[("confirm", "ja")]).await.status(),
        StatusCode::FORBIDDEN
    );
    let unconfirmed = post_from(&app, &secretariat, &meeting_page, &remove, &[]).await;
    assert_eq!(unconfirmed.status(), StatusCode::UNPROCESSABLE_ENTITY, "removal is confirmed");
    assert_eq!(
        post_from(&app, &secretariat, &meeting_page, &remove, &[("confirm", "ja")]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.get(&secretariat, &download).await.status(), StatusCode::NOT_FOUND);

    let audit: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT a.action, coalesce(p.email, ''), a.before->>'filename', a.after->>'filename'
         FROM audit_log a LEFT JOIN people p ON p.id = a.actor_id
         WHERE a.entity = 'document' AND a.entity_id = $1 ORDER BY a.id",
    )
    .bind(doc.to_string())
    .fetch_all(&app.db)
    .await
    .unwrap();
    let expected = [
        ("attachment_added", None, Some("budget.pdf")),
        ("attachment_replaced", Some("budget.pdf"), Some("budget-v2.pdf")),
        ("attachment_removed", Some("budget-v2.pdf"), None),
    ];
    assert_eq!(audit.len(), 3, "{audit:?}");
    for ((action, who, before, after), (e_action, e_before, e_after)) in audit.iter().zip(expected) {
        assert_eq!(action, e_action);
        assert_eq!(who, SECRETARIAT, "who");
        assert_eq!(before.as_deref(), e_before);
        assert_eq!(after.as_deref(), e_after);
    }
}

async fn participant_emails(app: &TestApp, meeting: i64) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT p.email FROM meeting_participants mp JOIN people p ON p.id = mp.person_id WHERE mp.meeting_id = $1 ORDER BY p.email",
    )
    .bind(meeting)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

async fn active_emails(app: &TestApp, filter: &str) -> Vec<String> {
    sqlx::query_scalar(&format!(
        "SELECT DISTINCT p.email FROM memberships ms JOIN people p ON p.id = ms.person_id JOIN groups g ON g.id = ms.group_id
         JOIN group_kinds k ON k.id = g.kind_id WHERE ms.status = 'active' AND g.status = 'active' AND ({filter}) ORDER BY p.email"
    ))
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn meetings_across_groups_are_planned_with_their_participants_and_the_plan_warns_without_them_t1() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let year_plan = "/grupper/natur/moeder?aar=2031";
    let plan = app.get(&secretariat, year_plan).await.text().await.unwrap();
    for missing in ["fællesmøde for alle grupper", "forpersonsmøde", "stabsgruppen og bestyrelsen"] {
        assert!(plan.contains(&format!("Der er intet {missing}")) || plan.contains(missing), "T1 warns: {missing}");
    }
    let member = app.login_as(MEMBER).await;
    assert_eq!(app.get(&member, "/moeder/ny").await.status(), StatusCode::FORBIDDEN);

    let mut ids = Vec::new();
    for kind in ["joint", "chairs", "chairs_board"] {
        let fields = [
            ("kind", kind),
            ("date", "2031-11-05"),
            ("start", "10:00"),
            ("end", "15:00"),
            ("format", "physical"),
            ("location", "Miljøportalen"),
        ];
        let response = post_from(&app, &secretariat, "/moeder/ny", "/moeder/ny", &fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{kind}");
        ids.push(response.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse::<i64>().unwrap());
    }
    let working = "k.family <> 'governance'";
    assert_eq!(
        participant_emails(&app, ids[0]).await,
        active_emails(&app, working).await,
        "joint: everyone in the groups"
    );
    assert!(participant_emails(&app, ids[0]).await.contains(&SUBSTITUTE.to_owned()), "M6: substitutes are invited");
    let chairs = active_emails(&app, "k.family <> 'governance' AND ms.role = 'chair'").await;
    assert_eq!(participant_emails(&app, ids[1]).await, chairs, "chairs' meeting: the chairs");
    assert!(chairs.contains(&CHAIR.to_owned()));
    let with_board = active_emails(
        &app,
        "(k.family <> 'governance' AND ms.role = 'chair') OR k.code IN ('stabsgruppe', 'bestyrelse')",
    )
    .await;
    assert_eq!(participant_emails(&app, ids[2]).await, with_board, "chairs with staff group and board");
    assert!(with_board.len() > chairs.len(), "the demo has a staff group or board with members");

    let page = app.get(&member, &format!("/moeder/{}", ids[0])).await.text().await.unwrap();
    assert!(page.contains("Inviterede"), "the meeting shows who is invited");
    let plan = app.get(&secretariat, year_plan).await.text().await.unwrap();
    assert!(
        !plan.contains("Der er intet fællesmøde") && !plan.contains("Der er intet forpersonsmøde"),
        "warnings gone"
    );

    // A joint meeting changed into a chairs' meeting invites the chairs instead.
    let edit = format!("/moeder/{}/rediger", ids[0]);
    let fields = [
        ("kind", "chairs"),
        ("date", "2031-11-06"),
        ("start", "10:00"),
        ("end", "15:00"),
        ("format", "physical"),
        ("location", "Miljøportalen"),
    ];
    assert_eq!(post_from(&app, &secretariat, &edit, &edit, &fields).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(participant_emails(&app, ids[0]).await, chairs);
    let ordinary =
        [("kind", "ordinary"), ("date", "2031-11-06"), ("start", "10:00"), ("end", "15:00"), ("format", "online")];
    let response = post_from(&app, &secretariat, &edit, &edit, &ordinary).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "a meeting across groups stays one");

    let wrong =
        [("kind", "ordinary"), ("date", "2031-11-05"), ("start", "10:00"), ("end", "15:00"), ("format", "physical")];
    let response = post_from(&app, &secretariat, "/moeder/ny", "/moeder/ny", &wrong).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "a group's own kind is planned in the group");
}

#[tokio::test]
async fn the_api_ics_url_answers_the_bearer_token_it_came_with() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let fields = meeting_fields("2027-05-12", "13:00", "16:00", "physical");
    let response = post_from(&app, &secretariat, "/grupper/natur/moeder", "/grupper/natur/moeder", &fields).await;
    let id: i64 = response.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let token = api_token(&app, MEMBER).await;
    let api = app.client();
    let json: Value = api
        .get(app.url(&format!("/api/v1/meetings/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ics_url = json["ics_url"].as_str().unwrap().to_owned();
    let response = api.get(&ics_url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    assert!(response.text().await.unwrap().contains(&format!("UID:meeting-{id}@samarbejdsrum.local")));
    let bad = api.get(&ics_url).bearer_auth("ikke-en-noegle").send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNAUTHORIZED);
    let none = app.client().get(&ics_url).send().await.unwrap();
    assert_eq!(none.status(), StatusCode::SEE_OTHER, "without a token or session: the login");
}

/// What people receive over SMTP through a meeting's life (the agenda, a reminder, a move and a
/// cancellation), read as a mail program and a calendar read it. Each mail is MIME with a text and an
/// HTML part that greet the recipient by name and end with a sign-off (the group's secretariat for the
/// meeting's own mails), its links absolute to BASE_URL. Each invitation is read by the icalendar
/// library's RFC 5546 parser and is iTIP as the README chooses: REQUEST, then CANCEL, one UID at the
/// installation's domain, a rising SEQUENCE, the secretariat's mailbox as ORGANIZER and the recipient
/// as the one ATTENDEE, LAST-MODIFIED never after the mail was sent.
#[tokio::test]
async fn every_mail_of_a_meetings_life_reads_as_mime_and_its_invitations_as_itip() {
    let app = spawn_app().await;
    let smtp = SmtpServer::start().await;
    let mailer = Mailer::from_url(&smtp.url(), "Samarbejdsrum <noreply@samarbejdsrum.local>").unwrap();
    let id = published_meeting(&app, &mailer).await;
    assert!(deadlines::run_once(&app.state).await.unwrap() > 0, "the A3 reminder");
    send_all(&app, &mailer).await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let edit = format!("/moeder/{id}/rediger");
    let moved = meeting_fields("2027-04-14", "10:00", "12:00", "hybrid");
    assert_eq!(post_from(&app, &secretariat, &edit, &edit, &moved).await.status(), StatusCode::SEE_OTHER);
    send_all(&app, &mailer).await;
    let cancel = format!("/moeder/{id}/aflys");
    assert_eq!(
        post_from(&app, &secretariat, &edit, &cancel, &[("reason", "Vi er for få."), ("confirmed", "ja")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    send_all(&app, &mailer).await;

    let names: std::collections::HashMap<String, String> =
        sqlx::query_as("SELECT email, name FROM people").fetch_all(&app.db).await.unwrap().into_iter().collect();
    let base = app.state.config.base_url().to_owned();
    let dir = std::env::temp_dir().join(format!("sr-ics-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut calendars = Vec::new();
    let received = smtp.received();
    assert!(received.len() > 10, "{}", received.len());
    let mut kinds = std::collections::BTreeSet::new();
    for m in &received {
        let mail = mailparse::parse_mail(m.data.as_bytes()).expect("a MIME message");
        let subject = mail.headers.get_first_value("Subject").expect("a subject");
        kinds.insert(subject.split(':').next().unwrap_or_default().to_owned());
        assert_eq!(mail.headers.get_first_value("Auto-Submitted").as_deref(), Some("auto-generated"), "{subject}");
        let text = part_of(&mail, "text/plain").unwrap_or_else(|| panic!("{subject}: no text part"));
        let html = part_of(&mail, "text/html").unwrap_or_else(|| panic!("{subject}: no HTML part"));
        let name = &names[&m.to[0]];
        assert!(text.starts_with(&format!("Kære {name}\n\n")), "{subject}: {text}");
        assert_eq!(html.matches(&format!("<p>Kære {name}</p>")).count(), 1, "{subject}: {html}");
        assert!(text.contains("\nVenlig hilsen\n") && html.contains("<p>Venlig hilsen<br>"), "{subject}: {text}");
        if ["Dagsorden:", "Påmindelse:", "Ændret:", "Aflyst:"].iter().any(|k| subject.starts_with(k)) {
            assert!(text.trim_end().ends_with("Venlig hilsen\nSekretariatet for Natur"), "{subject}: {text}");
        }
        for link in text.split_whitespace().filter(|w| w.contains("://")) {
            assert!(link.starts_with(&base), "{subject}: a link not at BASE_URL: {link}");
        }
        assert!(!text.contains("(A3)") || !subject.starts_with("Påmindelse"), "{subject}: a rule code to a member");
        if let Some(part) = mail.parts().find(|p| p.ctype.mimetype == "text/calendar") {
            let file = dir.join(format!("{}.ics", calendars.len()));
            std::fs::write(&file, part.get_body_raw().unwrap()).unwrap();
            calendars.push((file, m.to[0].clone(), part.ctype.params.get("method").cloned()));
        }
    }
    for kind in ["Dagsorden", "Påmindelse", "Ændret", "Aflyst"] {
        assert!(kinds.contains(kind), "no {kind} mail among {kinds:?}");
    }

    let output = std::process::Command::new("/usr/bin/python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools/ics_read.py"))
        .args(calendars.iter().map(|(file, _, _)| file))
        .output()
        .expect("python3 with icalendar (scripts/test installs python3-icalendar)");
    assert!(output.status.success(), "icalendar refused a calendar: {}", String::from_utf8_lossy(&output.stderr));
    let read: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let mut sequences = std::collections::BTreeMap::<String, Vec<(String, i64)>>::new();
    for ((_, to, content_method), cal) in calendars.iter().zip(&read) {
        let method = cal["method"].as_str().unwrap().to_owned();
        assert_eq!(content_method.as_deref(), Some(method.as_str()), "the MIME part names the calendar's method");
        assert_eq!(cal["version"], "2.0");
        let events = cal["events"].as_array().unwrap();
        assert_eq!(events.len(), 1, "{cal}");
        let event = &events[0];
        assert_eq!(event["uid"], format!("meeting-{id}@samarbejdsrum.local"), "{cal}");
        assert!(event["organizer"].as_str().unwrap().to_lowercase().starts_with("mailto:"), "{cal}");
        assert_eq!(event["attendees"], serde_json::json!([format!("mailto:{to}")]), "the recipient is the attendee");
        let last_modified: DateTime<Utc> = event["last_modified"].as_str().unwrap().parse().unwrap();
        assert!(last_modified <= app.state.clock.now(), "LAST-MODIFIED in the future: {cal}");
        match method.as_str() {
            "REQUEST" => assert_ne!(event["status"], "CANCELLED"),
            "CANCEL" => {
                assert_eq!(event["status"], "CANCELLED");
                assert!(event["summary"].as_str().unwrap().starts_with("Aflyst:"), "{cal}");
            }
            other => panic!("method {other}: the README chooses REQUEST and CANCEL"),
        }
        sequences.entry(to.clone()).or_default().push((method, event["sequence"].as_i64().unwrap()));
    }
    assert!(sequences.len() >= 3, "every agenda recipient's calendar was read: {sequences:?}");
    for (to, seen) in &sequences {
        let methods: Vec<&str> = seen.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(methods, ["REQUEST", "REQUEST", "CANCEL"], "{to}: invited, moved, cancelled");
        assert!(seen.windows(2).all(|w| w[0].1 < w[1].1), "{to}: SEQUENCE rises: {seen:?}");
    }
    std::fs::remove_dir_all(&dir).ok();
    app.stop().await;
}
