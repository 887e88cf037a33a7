//! The deadline engine and the outbox (D3, A1-A3, R2, T4): each reminder once on its working day,
//! sent over real SMTP exactly once, through failures, crashes and two instances.

use chrono::{DateTime, Duration, Utc};
use samarbejdsrum::jobs::{deadlines, mailer};
use samarbejdsrum::mail::Mailer;
use samarbejdsrum::store::outbox;

use crate::helpers::*;
use crate::smtp::SmtpServer;

fn local(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    samarbejdsrum::domain::calendar::local_to_utc(
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        chrono::NaiveTime::from_hms_opt(h, 0, 0).unwrap(),
    )
    .unwrap()
}

async fn queued_for(app: &TestApp, meeting: i64, kind: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT to_address FROM outbox WHERE kind = $1 AND idempotency_key LIKE '%:' || $2 || ':%' ORDER BY to_address",
    )
    .bind(kind)
    .bind(meeting.to_string())
    .fetch_all(&app.db)
    .await
    .unwrap()
}

async fn natur_emails(app: &TestApp, roles: &[&str]) -> Vec<String> {
    let roles: Vec<String> = roles.iter().map(|r| r.to_string()).collect();
    sqlx::query_scalar(
        "SELECT p.email FROM memberships m JOIN people p ON p.id = m.person_id JOIN groups g ON g.id = m.group_id
         WHERE g.slug = 'natur' AND m.status = 'active' AND m.role = ANY($1) ORDER BY p.email",
    )
    .bind(roles)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

pub async fn plan_natur_meeting(app: &TestApp) -> i64 {
    let natur = group_id(app, "natur").await;
    let new = samarbejdsrum::store::meetings::NewMeeting {
        group_id: natur,
        kind: samarbejdsrum::domain::meeting_codes::MeetingKind::Ordinary,
        title: String::new(),
        starts_at: local(2027, 3, 31, 13),
        ends_at: local(2027, 3, 31, 16),
        format: samarbejdsrum::domain::meeting_codes::MeetingFormat::Physical,
        location: "Lokale 2".into(),
        online_link: String::new(),
        cycle_number: Some(1),
    };
    samarbejdsrum::store::meetings::create(
        &app.db,
        &samarbejdsrum::store::audit::Actor::cli(),
        &new,
        chrono::Utc::now(),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn each_reminder_kind_is_queued_once_on_its_working_day() {
    let app = spawn_app().await;
    let id = plan_natur_meeting(&app).await;
    let scan = |at: DateTime<Utc>| {
        app.set_time(at);
        deadlines::run_once(&app.state)
    };

    // A3: items are due Friday 12 March; from Wednesday 10 March that is two working days away.
    scan(local(2027, 3, 9, 9)).await.unwrap();
    assert!(queued_for(&app, id, "agenda_items").await.is_empty(), "three working days before: not yet");
    scan(local(2027, 3, 10, 9)).await.unwrap();
    let members = natur_emails(&app, &["chair", "member"]).await;
    assert_eq!(queued_for(&app, id, "agenda_items").await, members);
    let (text, html): (String, Option<String>) =
        sqlx::query_as("SELECT body_text, body_html FROM outbox WHERE kind = 'agenda_items' LIMIT 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(text.contains("fredag 12. marts 2027") && text.contains(&format!("/moeder/{id}")), "{text}");
    assert!(!text.contains("(A3)"), "a member's reminder names no rule code: {text}");
    assert!(html.is_some_and(|h| h.contains("<a href=") && h.contains("fredag 12. marts 2027")), "an HTML part too");
    assert_eq!(scan(local(2027, 3, 10, 15)).await.unwrap(), 0, "a second scan queues nothing");
    scan(local(2027, 3, 11, 9)).await.unwrap();
    assert_eq!(queued_for(&app, id, "agenda_items").await.len(), members.len(), "nor does the next day");

    // A1: the draft is due at the chair on Wednesday 17 March.
    scan(local(2027, 3, 15, 9)).await.unwrap();
    let secretariat = natur_emails(&app, &["secretariat"]).await;
    assert_eq!(queued_for(&app, id, "agenda_to_chair").await, secretariat);

    // The chair is asked to approve once the draft is sent.
    let agenda = samarbejdsrum::store::agendas::create_from_template(
        &app.db,
        &samarbejdsrum::store::audit::Actor::cli(),
        id,
        &samarbejdsrum::domain::agenda_template::standard_agenda(),
    )
    .await
    .unwrap()
    .unwrap();
    app.set_time(local(2027, 3, 16, 10));
    samarbejdsrum::store::agendas::transition(
        &app.db,
        &samarbejdsrum::store::audit::Actor::cli(),
        agenda,
        samarbejdsrum::domain::agenda_workflow::AgendaStatus::Draft,
        samarbejdsrum::domain::agenda_workflow::AgendaStatus::SentToChair,
        None,
        None,
        None,
        app.state.clock.now(),
    )
    .await
    .unwrap();
    scan(local(2027, 3, 16, 11)).await.unwrap();
    assert_eq!(queued_for(&app, id, "agenda_approval").await, Vec::<String>::new(), "not yet near 19 March");
    scan(local(2027, 3, 17, 11)).await.unwrap();
    assert_eq!(queued_for(&app, id, "agenda_approval").await, vec![CHAIR.to_owned()]);

    // A2: not published by Friday 19 March: a late reminder on Monday 22 March (after the soon one).
    scan(local(2027, 3, 22, 9)).await.unwrap();
    let published: Vec<String> = sqlx::query_scalar("SELECT idempotency_key FROM outbox WHERE kind = 'agenda_published_due' AND idempotency_key LIKE '%:' || $1 || ':%' ORDER BY idempotency_key")
        .bind(id.to_string())
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert!(published.iter().any(|k| k.contains(":late:")), "{published:?}");
    assert!(published.iter().all(|k| k.contains(":2027-03-19:")));

    // R2: the minutes are due Wednesday 7 April; on Monday 5 April they are due soon.
    scan(local(2027, 4, 1, 9)).await.unwrap();
    assert!(queued_for(&app, id, "minutes").await.is_empty());
    scan(local(2027, 4, 5, 9)).await.unwrap();
    assert_eq!(queued_for(&app, id, "minutes").await, secretariat);
    let last: Option<DateTime<Utc>> = outbox::last_job_run(&app.db, "deadline_scan").await.unwrap();
    assert_eq!(last, Some(local(2027, 4, 5, 9)));
}

async fn queue_mails(app: &TestApp, n: usize) {
    let mut conn = app.db.acquire().await.unwrap();
    for i in 0..n {
        let key = format!("test:{i}");
        let mail = outbox::NewMail {
            idempotency_key: &key,
            kind: samarbejdsrum::domain::notifications::MailKind::Test,
            to_person_id: None,
            to_address: &format!("modtager{i}@dmp.example"),
            subject: &format!("Besked {i}"),
            body_text: "Hej",
            body_html: None,
            ics: (i == 0).then_some("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
            queued_at: Utc::now(),
        };
        assert!(outbox::enqueue(&mut conn, mail).await.unwrap());
    }
}

#[tokio::test]
async fn queued_mail_goes_out_over_smtp_once() {
    let app = spawn_app().await;
    let smtp = SmtpServer::start().await;
    let mailer = Mailer::from_url(&smtp.url(), "Samarbejdsrum <noreply@samarbejdsrum.local>")
        .unwrap()
        .replies_to(Some("Sekretariatet <faggrupper@dmp.example>"))
        .unwrap();
    queue_mails(&app, 3).await;
    app.set_time(Utc::now());
    assert_eq!(mailer::run_once(&app.state, &mailer).await.unwrap(), 3);
    assert_eq!(mailer::run_once(&app.state, &mailer).await.unwrap(), 0);
    let received = smtp.received();
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|m| m.data.contains("Message-ID: <") && m.data.contains("@samarbejdsrum>")));
    // RFC 3834: auto-responders leave them alone; replies reach the secretariat's mailbox.
    assert!(received.iter().all(|m| m.data.contains("Auto-Submitted: auto-generated")));
    assert!(received.iter().all(|m| m.data.contains("Reply-To: Sekretariatet <faggrupper@dmp.example>")));
    assert_eq!(
        received.iter().filter(|m| m.data.contains("Content-Type: text/calendar")).count(),
        1,
        "the invitation is attached"
    );
    let counts = outbox::counts(&app.db).await.unwrap();
    assert_eq!((counts.queued, counts.sent), (0, 3));
}

#[tokio::test]
async fn a_failing_smtp_server_is_retried_with_backoff_and_the_mail_goes_out_once() {
    let app = spawn_app().await;
    let smtp = SmtpServer::start().await;
    let mailer = Mailer::from_url(&smtp.url(), "Samarbejdsrum <noreply@samarbejdsrum.local>").unwrap();
    queue_mails(&app, 1).await;
    smtp.refuse_next(2);
    let start = Utc::now();
    app.set_time(start);
    assert_eq!(mailer::run_once(&app.state, &mailer).await.unwrap(), 0);
    assert_eq!(mailer::run_once(&app.state, &mailer).await.unwrap(), 0, "not retried before the backoff");
    app.set_time(start + Duration::seconds(31));
    assert_eq!(mailer::run_once(&app.state, &mailer).await.unwrap(), 0, "second refusal");
    app.set_time(start + Duration::seconds(31 + 59));
    assert_eq!(mailer::run_once(&app.state, &mailer).await.unwrap(), 0, "backoff doubled to a minute");
    app.set_time(start + Duration::seconds(31 + 61));
    assert_eq!(mailer::run_once(&app.state, &mailer).await.unwrap(), 1);
    assert_eq!(smtp.received().len(), 1);
    let (status, attempts): (String, i32) =
        sqlx::query_as("SELECT status, attempts FROM outbox").fetch_one(&app.db).await.unwrap();
    assert_eq!((status.as_str(), attempts), ("sent", 3));
}

#[tokio::test]
async fn a_mail_that_keeps_failing_is_marked_failed_and_shown_to_the_secretariat() {
    let app = spawn_app().await;
    let smtp = SmtpServer::start().await;
    let mailer = Mailer::from_url(&smtp.url(), "Samarbejdsrum <noreply@samarbejdsrum.local>").unwrap();
    queue_mails(&app, 1).await;
    smtp.refuse_next(100);
    let mut now = Utc::now();
    for _ in 0..mailer::MAX_ATTEMPTS {
        app.set_time(now);
        mailer::run_once(&app.state, &mailer).await.unwrap();
        now += Duration::hours(2);
    }
    let status: String = sqlx::query_scalar("SELECT status FROM outbox").fetch_one(&app.db).await.unwrap();
    assert_eq!(status, "failed");
    app.set_time(Utc::now());
    let page = app.get(&app.login_as(SECRETARIAT).await, "/udbakke").await.text().await.unwrap();
    assert!(page.contains("Fejlet") && page.contains("451"), "the error is shown");
}

/// Issue 18 item 8: a sender killed after its claim holds back only the one message it had in flight,
/// for one short lease; every other queued mail goes out at once, and digests stay one mail per recipient.
#[tokio::test]
async fn a_sender_that_dies_between_claim_and_send_holds_back_only_its_one_message_for_a_short_lease() {
    let app = spawn_app().await;
    let smtp = SmtpServer::start().await;
    let mailer = Mailer::from_url(&smtp.url(), "Samarbejdsrum <noreply@samarbejdsrum.local>").unwrap();
    queue_mails(&app, 25).await;
    // Two recipients take their mail as a digest: three rows for one, two for the other.
    sqlx::query(
        "UPDATE outbox SET digest = true,
                to_address = CASE WHEN idempotency_key IN ('test:20', 'test:21', 'test:22') THEN 'samler1@dmp.example'
                                  ELSE 'samler2@dmp.example' END
         WHERE idempotency_key IN ('test:20', 'test:21', 'test:22', 'test:23', 'test:24')",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let now = Utc::now();
    app.set_time(now);
    // The first sender claims one message and is killed before sending it.
    let in_flight = outbox::claim_next(&app.db, now, mailer::LEASE_SECS).await.unwrap();
    assert_eq!(in_flight.len(), 1, "one message at a time");
    const { assert!(mailer::LEASE_SECS <= 60, "the lease is what one send can take") };

    assert_eq!(mailer::run_once(&app.state, &mailer).await.unwrap(), 24, "everything else goes out at once");
    let received = smtp.received();
    assert_eq!(received.len(), 19 + 2, "nineteen single mails and one digest per recipient");
    for (to, n) in [("samler1@dmp.example", 3), ("samler2@dmp.example", 2)] {
        let digests: Vec<_> = received.iter().filter(|m| m.to == [to.to_owned()]).collect();
        assert_eq!(digests.len(), 1, "one digest for {to}");
        assert!(digests[0].data.contains(&format!("Subject: Samarbejdsrum: {n} beskeder")), "{}", digests[0].data);
    }
    let dead = &in_flight[0].to_address;
    assert!(!received.iter().any(|m| m.to.contains(dead)), "the claimed one waits for its lease");

    app.set_time(now + Duration::seconds(i64::from(mailer::LEASE_SECS) - 1));
    assert_eq!(mailer::run_once(&app.state, &mailer).await.unwrap(), 0, "not before the lease runs out");
    app.set_time(now + Duration::seconds(i64::from(mailer::LEASE_SECS) + 1));
    assert_eq!(mailer::run_once(&app.state, &mailer).await.unwrap(), 1, "the lease ran out");
    assert_eq!(smtp.received().len(), 22);
    assert!(smtp.received().iter().any(|m| m.to.contains(dead)));
    let counts = outbox::counts(&app.db).await.unwrap();
    assert_eq!((counts.queued, counts.sent), (0, 25));
}

#[tokio::test]
async fn two_instances_send_each_mail_exactly_once() {
    let first = spawn_app().await;
    let second = spawn_app_on(first.database_url.clone()).await;
    let smtp = SmtpServer::start().await;
    let mailer = Mailer::from_url(&smtp.url(), "Samarbejdsrum <noreply@samarbejdsrum.local>").unwrap();
    queue_mails(&first, 40).await;
    first.set_time(Utc::now());
    second.set_time(Utc::now());
    let (a, b) = tokio::join!(mailer::run_once(&first.state, &mailer), mailer::run_once(&second.state, &mailer));
    assert_eq!(a.unwrap() + b.unwrap(), 40);
    let mut to: Vec<String> = smtp.received().into_iter().flat_map(|m| m.to).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 40, "no mail twice, none lost");
    assert_eq!(smtp.received().len(), 40);

    // Two scanners at once queue each reminder once.
    let id = plan_natur_meeting(&first).await;
    first.set_time(local(2027, 3, 10, 9));
    second.set_time(local(2027, 3, 10, 9));
    let (x, y) = tokio::join!(deadlines::run_once(&first.state), deadlines::run_once(&second.state));
    let members = natur_emails(&first, &["chair", "member"]).await;
    assert_eq!(x.unwrap() + y.unwrap(), members.len());
    assert_eq!(queued_for(&first, id, "agenda_items").await, members);
}

async fn plan_natur_meeting_at(app: &TestApp, starts_at: DateTime<Utc>) -> i64 {
    let new = samarbejdsrum::store::meetings::NewMeeting {
        group_id: group_id(app, "natur").await,
        kind: samarbejdsrum::domain::meeting_codes::MeetingKind::Ordinary,
        title: String::new(),
        starts_at,
        ends_at: starts_at + Duration::minutes(20),
        format: samarbejdsrum::domain::meeting_codes::MeetingFormat::Physical,
        location: "Lokale 2".into(),
        online_link: String::new(),
        cycle_number: None,
    };
    samarbejdsrum::store::meetings::create(
        &app.db,
        &samarbejdsrum::store::audit::Actor::cli(),
        &new,
        chrono::Utc::now(),
    )
    .await
    .unwrap()
}

/// Issue 12: the scan reads only the meetings of the days whose deadlines can be due. On Wednesday
/// 20 October 2027 those run from Wednesday 29 September (minutes due 6 October, 14 days late: R2) to
/// Friday 5 November (items due Friday 22 October, two working days ahead: A3), in summer time at one
/// end and winter time at the other. A meeting just inside either end is reminded; the days beyond
/// have nothing due. Reminders that hang on a sending reach meetings beyond those days: minutes sent
/// 14 October whose comment window closes Thursday 21 October (R3), an agenda with the chair (A1).
#[tokio::test]
async fn meetings_at_the_edges_of_the_days_a_scan_reads_are_reminded_d3_r2_a3() {
    let app = spawn_app().await;
    let at = |m: u32, d: u32, h: u32, min: u32| {
        samarbejdsrum::domain::calendar::local_to_utc(
            chrono::NaiveDate::from_ymd_opt(2027, m, d).unwrap(),
            chrono::NaiveTime::from_hms_opt(h, min, 0).unwrap(),
        )
        .unwrap()
    };
    let first_day = plan_natur_meeting_at(&app, at(9, 29, 0, 0)).await;
    let day_before = plan_natur_meeting_at(&app, at(9, 28, 23, 30)).await;
    let last_day = plan_natur_meeting_at(&app, at(11, 5, 23, 30)).await;
    let day_after = plan_natur_meeting_at(&app, at(11, 6, 0, 0)).await;
    let minutes_out = plan_natur_meeting_at(&app, at(9, 22, 13, 0)).await;
    sqlx::query("INSERT INTO minutes (meeting_id, status, sent_at) VALUES ($1, 'sent', $2)")
        .bind(minutes_out)
        .bind(at(10, 14, 10, 0))
        .execute(&app.db)
        .await
        .unwrap();
    let with_chair = plan_natur_meeting_at(&app, at(10, 29, 13, 0)).await;
    sqlx::query("INSERT INTO agendas (meeting_id, status, sent_to_chair_at) VALUES ($1, 'sent_to_chair', $2)")
        .bind(with_chair)
        .bind(at(10, 19, 10, 0))
        .execute(&app.db)
        .await
        .unwrap();
    app.set_time(local(2027, 10, 20, 9));
    deadlines::run_once(&app.state).await.unwrap();
    let secretariat = natur_emails(&app, &["secretariat"]).await;
    let members = natur_emails(&app, &["chair", "member"]).await;
    assert_eq!(queued_for(&app, first_day, "minutes").await, secretariat, "R2, late since 6 October");
    assert_eq!(queued_for(&app, last_day, "agenda_items").await, members, "A3, due Friday 22 October");
    let readers = natur_emails(&app, &["chair", "member", "substitute"]).await;
    assert_eq!(queued_for(&app, minutes_out, "minutes_comments").await, readers, "R3, closes Thursday 21 October");
    assert_eq!(queued_for(&app, with_chair, "agenda_approval").await, vec![CHAIR.to_owned()], "A1");
    for id in [day_before, day_after] {
        let keys: Vec<String> =
            sqlx::query_scalar("SELECT idempotency_key FROM outbox WHERE idempotency_key LIKE '%:' || $1 || ':%'")
                .bind(id.to_string())
                .fetch_all(&app.db)
                .await
                .unwrap();
        assert_eq!(keys, Vec::<String>::new(), "nothing is due for meeting {id}");
    }
}

#[tokio::test]
async fn a_yearly_duty_on_the_annual_plan_is_reminded_before_its_meeting_y2_y3_b3() {
    let app = spawn_app().await;
    let id = plan_natur_meeting(&app).await;
    let natur = group_id(&app, "natur").await;
    samarbejdsrum::store::meetings::place_topic(
        &app.db,
        &samarbejdsrum::store::audit::Actor::cli(),
        samarbejdsrum::domain::ids::GroupId(natur),
        2027,
        "data_agreement",
        "Dataansvarsaftalen",
        Some(samarbejdsrum::domain::ids::MeetingId(id)),
    )
    .await
    .unwrap();
    app.set_time(local(2027, 3, 10, 9));
    deadlines::run_once(&app.state).await.unwrap();
    let subjects: Vec<String> = sqlx::query_scalar("SELECT subject FROM outbox WHERE kind = 'yearly_data_agreement'")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(subjects.len(), natur_emails(&app, &["secretariat"]).await.len());
    assert!(subjects[0].starts_with("Påmindelse: Dataansvarsaftalen senest fredag 12. marts 2027"), "{}", subjects[0]);
    assert_eq!(deadlines::run_once(&app.state).await.unwrap(), 0);
}

#[tokio::test]
async fn a_person_can_switch_a_reminder_off_or_take_it_as_a_morning_digest_d3() {
    let app = spawn_app().await;
    let id = plan_natur_meeting(&app).await;
    for (who, mode) in [(MEMBER, "off"), (CHAIR, "digest")] {
        let client = app.login_as(who).await;
        let token = app.csrf(&client, "/profil").await;
        let response =
            app.post_form(&client, "/profil/notifikationer", &[("csrf_token", &token), ("agenda_items", mode)]).await;
        assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER);
        let page = app.get(&client, "/profil").await.text().await.unwrap();
        assert!(page.contains(&format!("<option value=\"{mode}\" selected>")), "{who} sees the choice");
    }
    app.set_time(local(2027, 3, 10, 9));
    deadlines::run_once(&app.state).await.unwrap();
    let queued = queued_for(&app, id, "agenda_items").await;
    assert!(!queued.contains(&MEMBER.to_owned()), "switched off");
    assert!(queued.contains(&CHAIR.to_owned()));
    let due: DateTime<Utc> =
        sqlx::query_scalar("SELECT next_attempt_at FROM outbox WHERE kind = 'agenda_items' AND to_address = $1")
            .bind(CHAIR)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(due, local(2027, 3, 11, 7), "the digest goes out at 07:00 the next morning");

    let smtp = SmtpServer::start().await;
    let mailer = Mailer::from_url(&smtp.url(), "Samarbejdsrum <noreply@samarbejdsrum.local>").unwrap();
    app.set_time(local(2027, 3, 10, 12));
    mailer::run_once(&app.state, &mailer).await.unwrap();
    assert!(!smtp.received().iter().any(|m| m.to.contains(&CHAIR.to_owned())), "not before the digest hour");
    app.set_time(local(2027, 3, 11, 7));
    mailer::run_once(&app.state, &mailer).await.unwrap();
    let to_chair: Vec<_> = smtp.received().into_iter().filter(|m| m.to.contains(&CHAIR.to_owned())).collect();
    assert_eq!(to_chair.len(), 1);
    assert!(to_chair[0].data.contains("Subject: Samarbejdsrum: 1 besked"), "{}", to_chair[0].data);
}

/// The test app's own check (helpers.rs, `queued_mail_problems`): a mail of a kind no step queues, or
/// one with a template left unrendered, fails the test that left it.
#[tokio::test]
#[should_panic(expected = "no step queues a mail of this kind")]
async fn the_test_app_fails_a_test_that_leaves_a_mail_of_a_misspelt_kind() {
    let app = spawn_app().await;
    sqlx::query(
        "INSERT INTO outbox (idempotency_key, kind, to_address, subject, body_text)
         VALUES ('x', 'agenda_aproval', 'a@dmp.example', 'Emne', 'Tekst')",
    )
    .execute(&app.db)
    .await
    .unwrap();
}

#[tokio::test]
#[should_panic(expected = "a blank or unrendered subject or body")]
async fn the_test_app_fails_a_test_that_leaves_a_mail_with_an_unrendered_template() {
    let app = spawn_app().await;
    sqlx::query(
        "INSERT INTO outbox (idempotency_key, kind, to_address, subject, body_text)
         VALUES ('x', 'agenda_approval', 'a@dmp.example', 'Emne', 'Hej {{ name }}')",
    )
    .execute(&app.db)
    .await
    .unwrap();
}
