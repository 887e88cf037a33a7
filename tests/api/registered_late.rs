//! D3: a meeting entered after some of its deadlines had passed. Those deadlines show as missed on
//! its page, but nobody gets an "Overskredet" mail for a step that was never theirs to take in time;
//! deadlines that fall due after the meeting was entered are reminded as usual.

use chrono::{DateTime, TimeZone, Utc};
use samarbejdsrum::jobs::deadlines;

use crate::helpers::*;

fn local(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Copenhagen.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap().with_timezone(&Utc)
}

async fn late_mails(app: &TestApp, meeting: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT idempotency_key FROM outbox WHERE idempotency_key ~ $1 ORDER BY id")
        .bind(format!("^[a-z_]+:late:{meeting}:"))
        .fetch_all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_meeting_registered_after_its_deadlines_shows_them_missed_but_mails_no_overdue_reminder_d3() {
    let app = spawn_app().await;
    // Monday 20 September 2027: a meeting on Wednesday 22 September is entered two days before. Its
    // agenda items (A3), the draft to the chair (A1) and the agenda (A2) were all due the week before.
    app.set_time(local(2027, 9, 20, 9));
    let late = new_meeting(&app, "natur", "2027-09-22").await;
    // The same morning, a meeting five weeks ahead is entered in time.
    let in_time = new_meeting(&app, "natur", "2027-10-27").await;
    for day in 20..=21 {
        app.set_time(local(2027, 9, day, 9));
        deadlines::run_once(&app.state).await.unwrap();
    }
    assert_eq!(late_mails(&app, late).await, Vec::<String>::new(), "no 'Overskredet' for deadlines before it existed");
    let secretariat = app.login_as(SECRETARIAT).await;
    let page = app.get(&secretariat, &format!("/moeder/{late}")).await.text().await.unwrap();
    assert!(page.contains("Overskredet"), "the page shows the missed deadlines");

    // The meeting entered in time is reminded as late when its agenda is not out (A2, 20 October).
    app.set_time(local(2027, 10, 21, 9));
    deadlines::run_once(&app.state).await.unwrap();
    let reminded = late_mails(&app, in_time).await;
    assert!(reminded.iter().any(|k| k.starts_with("agenda_published_due:late:")), "{reminded:?}");

    // R2 falls due after the late meeting was entered (29 September): its minutes are reminded as late.
    app.set_time(local(2027, 9, 30, 9));
    deadlines::run_once(&app.state).await.unwrap();
    let minutes = late_mails(&app, late).await;
    assert!(minutes.iter().all(|k| k.starts_with("minutes:late:")) && !minutes.is_empty(), "{minutes:?}");
}
