//! Y2, Y3, B3: the secretariat records the årshjul's yearly duties as done, with their dates; a done
//! duty is no longer reminded and shows as done in the plan and on the wheel.

use chrono::{DateTime, TimeZone, Utc};
use reqwest::StatusCode;
use samarbejdsrum::jobs::deadlines;
use samarbejdsrum::store::audit::Actor;
use samarbejdsrum::store::meetings::place_topic;

use crate::helpers::*;
use crate::mail::plan_natur_meeting;
use samarbejdsrum::domain::ids::{GroupId, MeetingId};

fn local(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Copenhagen.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap().with_timezone(&Utc)
}

async fn topic(app: &TestApp, group: &str, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM annual_topics WHERE group_id = $1 AND year = 2027 AND code = $2")
        .bind(group_id(app, group).await)
        .bind(code)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn done_on(app: &TestApp, id: i64) -> Option<chrono::NaiveDate> {
    sqlx::query_scalar("SELECT done_on FROM annual_topics WHERE id = $1").bind(id).fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_yearly_duty_recorded_done_is_no_longer_reminded_and_shows_on_the_plan_y2_y3() {
    let app = spawn_app().await;
    let meeting = plan_natur_meeting(&app).await;
    let natur = group_id(&app, "natur").await;
    for (code, title) in [("data_agreement", "Dataansvarsaftalen"), ("metadata_review", "Metadata og vejledninger")] {
        place_topic(&app.db, &Actor::cli(), GroupId(natur), 2027, code, title, Some(MeetingId(meeting))).await.unwrap();
    }
    let (agreement, metadata) =
        (topic(&app, "natur", "data_agreement").await, topic(&app, "natur", "metadata_review").await);
    app.set_time(local(2027, 3, 9, 9));
    let secretariat = app.login_as(SECRETARIAT).await;
    let record = |id: i64| format!("/grupper/natur/aarshjul/{id}/udfoert");
    let plan = "/grupper/natur/moeder?aar=2027";

    // Only the secretariat records a duty; a member is refused and nothing changes.
    let member = app.login_as(MEMBER).await;
    let token = app.csrf(&member, "/profil").await;
    let refused = app.post_form(&member, &record(agreement), &[("csrf_token", &token), ("year", "2027")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // Y2 is done only when the agreement has gone to the board: refused with the typed date kept.
    let token = app.csrf(&secretariat, plan).await;
    let fields = [("csrf_token", token.as_str()), ("year", "2027"), ("done_on", "2027-03-08")];
    let r = app.post_form(&secretariat, &record(agreement), &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("sendt til bestyrelsen (Y2)") && page.contains("value=\"2027-03-08\""), "message and input");
    assert_eq!(done_on(&app, agreement).await, None, "nothing stored");
    let future = [("csrf_token", token.as_str()), ("year", "2027"), ("done_on", "2027-03-20")];
    assert_eq!(
        app.post_form(&secretariat, &record(metadata), &future).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Another group's duty is not there to record.
    place_topic(
        &app.db,
        &Actor::cli(),
        GroupId(group_id(&app, "vand").await),
        2027,
        "metadata_review",
        "Metadata",
        None,
    )
    .await
    .unwrap();
    let vand = topic(&app, "vand", "metadata_review").await;
    let other = [("csrf_token", token.as_str()), ("year", "2027"), ("done_on", "2027-03-08")];
    assert_eq!(app.post_form(&secretariat, &record(vand), &other).await.status(), StatusCode::NOT_FOUND);

    let fields = [
        ("csrf_token", token.as_str()),
        ("year", "2027"),
        ("done_on", "2027-03-08"),
        ("sent_to_board_on", "2027-03-09"),
    ];
    assert_eq!(app.post_form(&secretariat, &record(agreement), &fields).await.status(), StatusCode::SEE_OTHER);
    let page = app.get(&secretariat, plan).await.text().await.unwrap();
    assert!(page.contains("Udført 08.03.2027, sendt til bestyrelsen 09.03.2027"), "the plan shows it done");
    assert!(page.contains("✓ Dataansvarsaftalen"), "and the wheel");

    // The scan reminds the open duty (Y3) and not the done one (Y2).
    app.set_time(local(2027, 3, 10, 9));
    deadlines::run_once(&app.state).await.unwrap();
    let subjects: Vec<String> =
        sqlx::query_scalar("SELECT subject FROM outbox WHERE kind LIKE 'yearly_%'").fetch_all(&app.db).await.unwrap();
    assert!(subjects.iter().any(|s| s.contains("Metadata og vejledninger")), "{subjects:?}");
    assert!(!subjects.iter().any(|s| s.contains("Dataansvarsaftalen")), "a done duty is not reminded: {subjects:?}");

    // Recorded by mistake: opened again.
    let secretariat = app.login_as(SECRETARIAT).await;
    let token = app.csrf(&secretariat, plan).await;
    let reopen = [("csrf_token", token.as_str()), ("year", "2027"), ("reopen", "1")];
    assert_eq!(app.post_form(&secretariat, &record(agreement), &reopen).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(done_on(&app, agreement).await, None);
}
