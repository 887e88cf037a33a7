//! D3 over a whole year: Faggruppe Natur plans four meetings for 2028, then the test clock steps
//! day by day from 1 January to 31 December. Each morning the deadline scan runs; each step of each
//! meeting (items requested, the draft to the chair, approval and publication, minutes sent,
//! commented on, worked in and approved, the action closed, the yearly duties recorded done) is
//! taken through the pages on the last day its rule allows. Every reminder kind (A1, A2, A3, R2, R3,
//! R4, C4, Y2, Y3, B3) must go out on the working day the plan gives it, to the right people, exactly
//! once, and nothing may be mailed as overdue: every step was taken in time.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use reqwest::StatusCode;
use samarbejdsrum::domain::calendar::WorkingCalendar;
use samarbejdsrum::domain::deadlines::{DeadlineSettings, meeting_deadlines};
use samarbejdsrum::domain::minutes::window;
use samarbejdsrum::jobs::deadlines;

use crate::helpers::*;

fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    let t = day.and_hms_opt(hour, 0, 0).unwrap();
    chrono_tz::Europe::Copenhagen.from_local_datetime(&t).unwrap().with_timezone(&Utc)
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2028, m, d).unwrap()
}

/// One reminder as the outbox keys it: kind, phase, subject (meeting or action), due date, person.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Sent {
    on: NaiveDate,
    kind: String,
    phase: String,
    subject: i64,
    person: i64,
}

/// What the plan says: this kind about this subject goes out on this day to these people.
#[derive(Debug)]
struct Expected {
    kind: String,
    subject: i64,
    on: NaiveDate,
    to: BTreeSet<i64>,
}

/// A step through the pages as `who`, signed in afresh (a clock jump ends sessions).
async fn step(app: &TestApp, who: &str, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let client = app.login_as(who).await;
    let token = app.csrf(&client, "/profil").await;
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    let response = app.post_form(&client, path, &all).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{who} {path} {fields:?}");
    response
}

async fn person(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(email).fetch_one(&app.db).await.unwrap()
}

async fn natur(app: &TestApp, roles: &[&str]) -> BTreeSet<i64> {
    let roles: Vec<String> = roles.iter().map(|r| r.to_string()).collect();
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT m.person_id FROM memberships m JOIN groups g ON g.id = m.group_id
         WHERE g.slug = 'natur' AND m.status = 'active' AND m.role = ANY($1)",
    )
    .bind(roles)
    .fetch_all(&app.db)
    .await
    .unwrap();
    ids.into_iter().collect()
}

/// The reminders queued since `after` (reminder keys only; hand-offs and notices have others).
async fn reminders_since(app: &TestApp, after: i64, on: NaiveDate) -> (Vec<Sent>, i64) {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, idempotency_key FROM outbox WHERE id > $1 ORDER BY id")
        .bind(after)
        .fetch_all(&app.db)
        .await
        .unwrap();
    let last = rows.last().map(|r| r.0).unwrap_or(after);
    let sent = rows
        .into_iter()
        .filter_map(|(_, key)| {
            let parts: Vec<&str> = key.split(':').collect();
            let [kind, phase @ ("soon" | "late"), subject, _due, person] = parts[..] else { return None };
            Some(Sent {
                on,
                kind: kind.to_owned(),
                phase: phase.to_owned(),
                subject: subject.parse().ok()?,
                person: person.parse().ok()?,
            })
        })
        .collect();
    (sent, last)
}

struct Meeting {
    id: i64,
    day: NaiveDate,
    duty: Option<(&'static str, &'static str)>,
}

#[tokio::test]
async fn a_year_of_four_meetings_gets_each_reminder_on_its_planned_working_day_exactly_once_d3() {
    let app = spawn_app().await;
    let cal: WorkingCalendar = app.state.calendar.get(&app.db).await.unwrap();
    let settings = DeadlineSettings::default();
    let soon = |due: NaiveDate| cal.working_days_before(due, settings.due_soon_wd);
    let member_id = person(&app, MEMBER).await;
    let (chairs_and_members, readers, secretariat) = (
        natur(&app, &["chair", "member"]).await,
        natur(&app, &["chair", "member", "substitute"]).await,
        natur(&app, &["secretariat"]).await,
    );

    // Monday 3 January: the secretariat plans the year, starts each agenda and places the duties.
    app.set_time(at(day(1, 3), 10));
    let plan = [
        (day(3, 15), "1", Some(("data_agreement", "Opdatering af dataansvarsaftalen"))),
        (day(6, 14), "2", Some(("metadata_review", "Gennemgang af metadata og registreringsvejledninger"))),
        (day(9, 13), "3", Some(("budget_decision", "Beslutning om brugen af det resterende budget"))),
        (day(11, 29), "4", None),
    ];
    let mut meetings = Vec::new();
    for (date, cycle, duty) in plan {
        let date_text = date.to_string();
        let fields = [
            ("kind", "ordinary"),
            ("cycle_number", cycle),
            ("date", date_text.as_str()),
            ("start", "13:00"),
            ("end", "16:00"),
            ("format", "online"),
            ("online_link", "https://moede.example/natur"),
        ];
        let response = step(&app, SECRETARIAT, "/grupper/natur/moeder", &fields).await;
        let id: i64 = response.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
        step(&app, SECRETARIAT, &format!("/moeder/{id}/dagsorden"), &[]).await;
        if let Some((code, title)) = duty {
            let meeting = id.to_string();
            let fields = [("year", "2028"), ("code", code), ("title", title), ("meeting_id", meeting.as_str())];
            step(&app, SECRETARIAT, "/grupper/natur/aarshjul", &fields).await;
        }
        meetings.push(Meeting { id, day: date, duty });
    }

    // Each step on the last day its rule allows, and what the plan expects to be reminded when.
    let mut steps: BTreeMap<NaiveDate, Vec<(usize, &'static str)>> = BTreeMap::new();
    let mut expected: Vec<Expected> = Vec::new();
    for (n, m) in meetings.iter().enumerate() {
        let d = meeting_deadlines(&cal, &settings, m.day);
        let w = window(&cal, &settings, d.minutes_due);
        for (on, what) in [
            (d.agenda_items_due, "request"),
            (d.agenda_to_chair_due, "to_chair"),
            (d.agenda_published_due, "publish"),
            (d.minutes_due, "minutes"),
            (w.closes_on, "comment"),
            (w.work_in_by, "approve"),
        ] {
            steps.entry(on).or_default().push((n, what));
        }
        let mut expect = |kind: &str, due: NaiveDate, to: &BTreeSet<i64>| {
            expected.push(Expected { kind: kind.to_owned(), subject: m.id, on: soon(due), to: to.clone() });
        };
        expect("agenda_items", d.agenda_items_due, &chairs_and_members);
        expect("agenda_to_chair", d.agenda_to_chair_due, &secretariat);
        expect("agenda_published_due", d.agenda_published_due, &secretariat);
        expect("minutes", d.minutes_due, &secretariat);
        expect("minutes_comments", w.closes_on, &readers);
        expect("minutes_work_in", w.work_in_by, &secretariat);
        if let Some((code, _)) = m.duty {
            expect(&format!("yearly_{code}"), d.agenda_items_due, &secretariat);
        }
    }

    // The year, a day at a time: the scan at 07:00, the day's steps at 10:00.
    let mut log: Vec<Sent> = Vec::new();
    let mut last_mail: i64 =
        sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM outbox").fetch_one(&app.db).await.unwrap();
    let mut actions: Vec<(i64, NaiveDate)> = Vec::new();
    let mut today = day(1, 1);
    while today <= day(12, 31) {
        app.set_time(at(today, 7));
        deadlines::run_once(&app.state).await.unwrap();
        let (sent, last) = reminders_since(&app, last_mail, today).await;
        log.extend(sent);
        last_mail = last;
        app.set_time(at(today, 10));
        for &(n, what) in steps.get(&today).map(Vec::as_slice).unwrap_or(&[]) {
            let m = &meetings[n];
            let id = m.id;
            match what {
                "request" => {
                    let fields = [("title", "Status på artsregistreringen"), ("description", "Kort status.")];
                    step(&app, MEMBER, &format!("/moeder/{id}/punktoensker"), &fields).await;
                    if let Some((code, _)) = m.duty {
                        let topic: i64 = sqlx::query_scalar(
                            "SELECT id FROM annual_topics WHERE meeting_id = $1 AND code = $2 AND year = 2028",
                        )
                        .bind(id)
                        .bind(code)
                        .fetch_one(&app.db)
                        .await
                        .unwrap();
                        let today_text = today.to_string();
                        let mut fields = vec![("year", "2028"), ("done_on", today_text.as_str())];
                        if code == "data_agreement" {
                            fields.push(("sent_to_board_on", today_text.as_str()));
                        }
                        step(&app, SECRETARIAT, &format!("/grupper/natur/aarshjul/{topic}/udfoert"), &fields).await;
                    }
                }
                "to_chair" => {
                    step(&app, SECRETARIAT, &format!("/moeder/{id}/dagsorden/send-til-forperson"), &[]).await;
                }
                "publish" => {
                    step(&app, CHAIR, &format!("/moeder/{id}/dagsorden/godkend"), &[]).await;
                    step(&app, SECRETARIAT, &format!("/moeder/{id}/dagsorden/udsend"), &[]).await;
                }
                "minutes" => {
                    step(&app, SECRETARIAT, &format!("/moeder/{id}/referat"), &[]).await;
                    let item: i64 = sqlx::query_scalar(
                        "SELECT i.id FROM minutes_items i JOIN minutes mi ON mi.id = i.minutes_id
                         WHERE mi.meeting_id = $1 ORDER BY i.position LIMIT 1",
                    )
                    .bind(id)
                    .fetch_one(&app.db)
                    .await
                    .unwrap();
                    let due = cal.working_days_after(today, 15);
                    let (owner, due_text) = (member_id.to_string(), due.to_string());
                    let fields = [
                        ("kind", "action"),
                        ("text", "Opdatér artslisten"),
                        ("owner_id", owner.as_str()),
                        ("due_on", due_text.as_str()),
                    ];
                    step(&app, SECRETARIAT, &format!("/moeder/{id}/referat/punkter/{item}/poster"), &fields).await;
                    step(&app, SECRETARIAT, &format!("/moeder/{id}/referat/udsend"), &[]).await;
                }
                "comment" => {
                    let item: i64 = sqlx::query_scalar(
                        "SELECT i.id FROM minutes_items i JOIN minutes mi ON mi.id = i.minutes_id
                         WHERE mi.meeting_id = $1 ORDER BY i.position LIMIT 1",
                    )
                    .bind(id)
                    .fetch_one(&app.db)
                    .await
                    .unwrap();
                    let item = item.to_string();
                    let fields = [("minutes_item_id", item.as_str()), ("body", "Artslisten er fra 2026.")];
                    step(&app, MEMBER, &format!("/moeder/{id}/referat/bemaerkninger"), &fields).await;
                }
                "approve" => {
                    let comments: Vec<i64> = sqlx::query_scalar(
                        "SELECT c.id FROM minutes_comments c JOIN minutes mi ON mi.id = c.minutes_id WHERE mi.meeting_id = $1",
                    )
                    .bind(id)
                    .fetch_all(&app.db)
                    .await
                    .unwrap();
                    for c in comments {
                        let path = format!("/moeder/{id}/referat/bemaerkninger/{c}");
                        step(&app, SECRETARIAT, &path, &[("resolution", "incorporated"), ("reply", "")]).await;
                    }
                    step(&app, SECRETARIAT, &format!("/moeder/{id}/referat/indarbejdet"), &[]).await;
                    step(&app, SECRETARIAT, &format!("/moeder/{id}/referat/godkend"), &[]).await;
                    let (action, due): (i64, NaiveDate) =
                        sqlx::query_as("SELECT id, due_on FROM actions WHERE meeting_id = $1")
                            .bind(id)
                            .fetch_one(&app.db)
                            .await
                            .unwrap();
                    expected.push(Expected {
                        kind: "action_due".into(),
                        subject: action,
                        on: soon(due),
                        to: BTreeSet::from([member_id]),
                    });
                    actions.push((action, due));
                }
                _ => unreachable!(),
            }
        }
        // C4: the owner closes the action on its due date.
        for &(action, due) in actions.iter().filter(|(_, due)| *due == today) {
            let fields = [("status", "done"), ("note", "Artslisten er opdateret.")];
            step(&app, MEMBER, &format!("/aktioner/{action}/luk"), &fields).await;
            let _ = due;
        }
        today = today.checked_add_days(Days::new(1)).unwrap();
    }
    assert_eq!(actions.len(), 4, "every meeting's action came from its approved minutes");

    // Only what is about this year's meetings and actions.
    let ours: BTreeSet<i64> = meetings.iter().map(|m| m.id).chain(actions.iter().map(|a| a.0)).collect();
    let log: Vec<Sent> = log.into_iter().filter(|s| ours.contains(&s.subject)).collect();
    let overdue: Vec<&Sent> = log.iter().filter(|s| s.phase == "late").collect();
    assert!(overdue.is_empty(), "every step was taken in time, so nothing is overdue: {overdue:?}");
    for e in &expected {
        let sent: Vec<&Sent> = log.iter().filter(|s| s.kind == e.kind && s.subject == e.subject).collect();
        let days: BTreeSet<NaiveDate> = sent.iter().map(|s| s.on).collect();
        let people: Vec<i64> = sent.iter().map(|s| s.person).collect();
        assert_eq!(days, BTreeSet::from([e.on]), "{} about {} goes out on {}", e.kind, e.subject, e.on);
        assert_eq!(people.len(), e.to.len(), "{} about {}: once per person", e.kind, e.subject);
        assert_eq!(people.into_iter().collect::<BTreeSet<_>>(), e.to, "{} about {}: to whom", e.kind, e.subject);
    }
    // A1: the chair was told at once when each draft reached them (on its due day, so near the approval
    // deadline): that hand-off is the one mail, not a reminder the next morning as well.
    let chair = natur(&app, &["chair"]).await;
    for m in &meetings {
        let asked = log.iter().filter(|s| s.kind == "agenda_approval" && s.subject == m.id).count();
        assert_eq!(asked, 0, "no reminder on top of the hand-off for meeting {}", m.id);
        let handed: Vec<i64> = sqlx::query_scalar(
            "SELECT o.to_person_id FROM outbox o JOIN agendas a ON o.idempotency_key LIKE 'agenda_approval:' || a.id || ':%'
             WHERE a.meeting_id = $1",
        )
        .bind(m.id)
        .fetch_all(&app.db)
        .await
        .unwrap();
        assert_eq!(handed.len(), chair.len(), "one hand-off per chair for meeting {}", m.id);
        assert_eq!(handed.into_iter().collect::<BTreeSet<_>>(), chair, "A1 hand-off for meeting {}", m.id);
    }
    // Nothing else is reminded about these meetings than the plan names.
    let named: BTreeSet<(String, i64)> = expected.iter().map(|e| (e.kind.clone(), e.subject)).collect();
    let stray: Vec<&Sent> =
        log.iter().filter(|s| s.kind != "agenda_approval" && !named.contains(&(s.kind.clone(), s.subject))).collect();
    assert!(stray.is_empty(), "reminders the plan does not name: {stray:?}");
}
