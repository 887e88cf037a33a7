//! Rules that hold on every page (issue 10 item 4): O3 is in charters (groups.rs); here M6/T2 on the
//! attendance record and the chair's approval thread (A1).

use reqwest::StatusCode;

use crate::helpers::*;

/// (membership id, role, party code) of Natur's active seats.
async fn natur_seats(app: &TestApp) -> Vec<(i64, String, Option<String>)> {
    sqlx::query_as(
        "SELECT m.id, m.role, pa.code FROM memberships m JOIN groups g ON g.id = m.group_id
         LEFT JOIN parties pa ON pa.id = m.party_id
         WHERE g.slug = 'natur' AND m.status = 'active' ORDER BY m.id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_substitute_present_beside_the_full_delegation_of_their_party_is_warned_about_only_then_m6_t2() {
    let app = spawn_app().await;
    // T5: attendance is recorded once the meeting has begun.
    app.set_time("2027-03-31T12:00:00Z".parse().unwrap());
    let id = new_meeting(&app, "natur", "2027-03-31").await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let seats = natur_seats(&app).await;
    let (substitute, _, party) =
        seats.iter().find(|(_, role, party)| role == "substitute" && party.is_some()).unwrap().clone();
    let delegation: Vec<i64> =
        seats.iter().filter(|(_, role, p)| role != "substitute" && *p == party).map(|(m, ..)| *m).collect();
    assert!(delegation.len() >= 2, "a party with a delegation: {seats:?}");
    let listed: Vec<String> = seats.iter().map(|(m, ..)| m.to_string()).collect();
    let record = |attended: Vec<i64>| {
        let listed = listed.clone();
        let secretariat = secretariat.clone();
        let app = &app;
        async move {
            let attended: Vec<String> = attended.iter().map(|m| m.to_string()).collect();
            let mut fields: Vec<(&str, &str)> = listed.iter().map(|m| ("listed", m.as_str())).collect();
            fields.extend(attended.iter().map(|m| ("attended", m.as_str())));
            let response = post_meeting(app, &secretariat, id, "/fremmoede", &fields).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "a warning, not a refusal");
            app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap()
        }
    };
    let warning = "er registreret som til stede, men hele";

    // The whole delegation and nobody else: no warning.
    let html = record(delegation.clone()).await;
    assert!(!html.contains(warning), "{html}");
    // One member absent, the substitute stands in: no warning.
    let mut stand_in = delegation[1..].to_vec();
    stand_in.push(substitute);
    let html = record(stand_in).await;
    assert!(!html.contains(warning), "{html}");
    // The full delegation and the substitute: warned, on the attendance section, and stored as recorded.
    let mut all = delegation.clone();
    all.push(substitute);
    let html = record(all).await;
    assert!(html.contains(warning) && html.contains("(M6, T2)"), "{html}");
    let section = &html[html.find("id=\"fremmoede\"").unwrap()..];
    assert!(section.contains("id=\"fremmoede-advarsler\""), "the warning is in the attendance section");
    let stored: String =
        sqlx::query_scalar("SELECT status FROM attendance WHERE meeting_id = $1 AND membership_id = $2")
            .bind(id)
            .bind(substitute)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(stored, "attended");
    // Who went on despite the warning is recorded.
    let (actor, rule): (Option<i64>, Option<String>) = sqlx::query_as(
        "SELECT actor_id, after->'warnings'->0->>'rule' FROM audit_log
         WHERE action = 'attendance_recorded' AND entity_id = $1::text ORDER BY id DESC LIMIT 1",
    )
    .bind(id.to_string())
    .fetch_one(&app.db)
    .await
    .unwrap();
    let secretariat_id: i64 = sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
        .bind(SECRETARIAT)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!((actor, rule.as_deref()), (Some(secretariat_id), Some("M6")));
}

fn local(m: u32, d: u32, h: u32) -> chrono::DateTime<chrono::Utc> {
    samarbejdsrum::domain::calendar::local_to_utc(
        chrono::NaiveDate::from_ymd_opt(2027, m, d).unwrap(),
        chrono::NaiveTime::from_hms_opt(h, 0, 0).unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn the_chairs_comments_are_a_thread_for_the_secretariat_only_each_mailed_once_and_the_sending_time_stays_a1() {
    use samarbejdsrum::jobs::{deadlines, mailer};
    use samarbejdsrum::mail::Mailer;

    let app = spawn_app().await;
    let smtp = crate::smtp::SmtpServer::start().await;
    let sender = Mailer::from_url(&smtp.url(), "Samarbejdsrum <noreply@samarbejdsrum.local>").unwrap();
    app.set_time(local(3, 1, 9));
    let id = new_meeting(&app, "natur", "2027-03-31").await;
    let secretariat = app.login_as(SECRETARIAT).await;
    assert_eq!(post_meeting(&app, &secretariat, id, "/dagsorden", &[]).await.status(), StatusCode::SEE_OTHER);
    // Sessions end after idle days; each step signs in at its own time.
    app.set_time(local(3, 16, 10));
    let secretariat = app.login_as(SECRETARIAT).await;
    let chair = app.login_as(CHAIR).await;
    assert_eq!(
        post_meeting(&app, &secretariat, id, "/dagsorden/send-til-forperson", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    // A1: the chair's reminder, once the deadline is near (Wednesday 17 March), names the approval
    // deadline (Friday 19 March), not the sending day.
    app.set_time(local(3, 17, 8));
    deadlines::run_once(&app.state).await.unwrap();
    let (subject, text): (String, String) =
        // The newest: the mail of the sending itself went out first.
        sqlx::query_as(
            "SELECT subject, body_text FROM outbox WHERE kind = 'agenda_approval' AND to_address = $1 ORDER BY id DESC LIMIT 1",
        )
            .bind(CHAIR)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(subject.contains("Dagsorden til godkendelse senest fredag 19. marts 2027"), "{subject}");
    assert!(!subject.contains("16. marts") && text.contains("Frist: fredag 19. marts 2027"), "{subject} {text}");
    // Nothing already queued (demo data, the day's reminders) is counted below.
    mailer::run_once(&app.state, &sender).await.unwrap();
    let before = smtp.received().len();

    let first = "Flyt punkt 3 op før status fra parterne";
    let second = "Husk bilaget til punkt 1.2 om VanDa";
    app.set_time(local(3, 16, 14));
    let r = post_meeting(&app, &chair, id, "/dagsorden/kommenter", &[("comment", first)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.set_time(local(3, 17, 9));
    let (secretariat, chair) = (app.login_as(SECRETARIAT).await, app.login_as(CHAIR).await);
    assert_eq!(
        post_meeting(&app, &chair, id, "/dagsorden/kommenter", &[("comment", second)]).await.status(),
        StatusCode::SEE_OTHER
    );

    let sent: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT sent_to_chair_at FROM agendas WHERE meeting_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(sent, local(3, 16, 10), "a comment does not reset the time it was sent to the chair");
    let thread: Vec<String> = sqlx::query_scalar(
        "SELECT c.body FROM agenda_chair_comments c JOIN agendas a ON a.id = c.agenda_id WHERE a.meeting_id = $1 ORDER BY c.id",
    )
    .bind(id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(thread, vec![first.to_owned(), second.to_owned()], "both comments are kept");
    for who in [&secretariat, &chair] {
        let page = app.get(who, &format!("/moeder/{id}")).await.text().await.unwrap();
        assert!(page.contains(first) && page.contains(second), "{page}");
    }

    app.set_time(local(3, 17, 10));
    assert_eq!(post_meeting(&app, &chair, id, "/dagsorden/godkend", &[]).await.status(), StatusCode::SEE_OTHER);
    // The secretariat gets one mail per comment and one for the approval, over SMTP.
    app.set_time(local(3, 17, 11));
    mailer::run_once(&app.state, &sender).await.unwrap();
    let received = smtp.received();
    let secretaries: Vec<String> = sqlx::query_scalar(
        "SELECT p.email FROM memberships m JOIN people p ON p.id = m.person_id JOIN groups g ON g.id = m.group_id
         WHERE g.slug = 'natur' AND m.status = 'active' AND m.role = 'secretariat'",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(secretaries.contains(&SECRETARIAT.to_owned()));
    for address in &secretaries {
        let kinds: Vec<String> = sqlx::query_scalar(
            "SELECT kind FROM outbox WHERE to_address = $1 AND kind LIKE 'agenda_chair_%' ORDER BY id",
        )
        .bind(address)
        .fetch_all(&app.db)
        .await
        .unwrap();
        assert_eq!(kinds, ["agenda_chair_comment", "agenda_chair_comment", "agenda_chair_approved"], "{address}");
        let got = received[before..].iter().filter(|m| m.to.iter().any(|t| t.contains(address.as_str()))).count();
        assert_eq!(got, 3, "{address}: one mail per comment and per approval");
    }
    let to_others = received[before..]
        .iter()
        .filter(|m| !m.to.iter().any(|t| secretaries.iter().any(|s| t.contains(s.as_str()))))
        .filter(|m| m.data.contains("VanDa") || m.data.contains("punkt 3 op"))
        .count();
    assert_eq!(to_others, 0, "nobody else hears the comments");

    // Published: members and substitutes read the agenda, never the chair's comments.
    assert_eq!(post_meeting(&app, &secretariat, id, "/dagsorden/udsend", &[]).await.status(), StatusCode::SEE_OTHER);
    let (member, substitute) = (app.login_as(MEMBER).await, app.login_as(SUBSTITUTE).await);
    let token = api_token(&app, MEMBER).await;
    for client in [&member, &substitute] {
        for path in [format!("/moeder/{id}"), format!("/moeder/{id}/dagsorden"), "/".to_owned(), "/moeder".to_owned()] {
            let page = app.get(client, &path).await.text().await.unwrap();
            assert!(!page.contains(first) && !page.contains(second), "{path}: {page}");
        }
    }
    let agenda = app.get(&member, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(agenda.contains("Status fra Parterne"), "the member does read the published agenda");
    let api = app.client().get(app.url(&format!("/api/v1/meetings/{id}"))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(api.status(), StatusCode::OK);
    let body = api.text().await.unwrap();
    assert!(!body.contains(first) && !body.contains(second), "{body}");
}
