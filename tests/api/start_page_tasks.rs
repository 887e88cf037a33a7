//! The secretariat's start page lists its own work: item requests to decide (A3), agendas to send to
//! the chair or to publish (A1, A2), nominations to approve (M5) and failed mails, each with its
//! deadline; nobody else sees the list.

use chrono::{Duration, Utc};
use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn the_secretariat_sees_what_waits_for_it_with_deadlines_and_a_member_does_not_a1_a2_a3_m5() {
    let app = spawn_app().await;
    app.set_time(Utc::now());
    let date = (Utc::now() + Duration::days(12)).date_naive().to_string();
    let id = new_meeting(&app, "natur", &date).await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let token = app.csrf(&secretariat, &format!("/moeder/{id}")).await;
    let r = app.post_form(&secretariat, &format!("/moeder/{id}/dagsorden"), &[("csrf_token", &token)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let member = app.login_as(MEMBER).await;
    let token = app.csrf(&member, &format!("/moeder/{id}")).await;
    let fields = [("csrf_token", token.as_str()), ("title", "Kortlægning af vandhuller"), ("description", "Kort")];
    assert_eq!(
        app.post_form(&member, &format!("/moeder/{id}/punktoensker"), &fields).await.status(),
        StatusCode::SEE_OTHER
    );
    sqlx::query(
        "INSERT INTO outbox (idempotency_key, kind, to_address, subject, body_text, status, attempts)
         VALUES ('start-failed', 'test', 'x@example.dk', 'Fejlet', 'Tekst', 'failed', 8)",
    )
    .execute(&app.db)
    .await
    .unwrap();

    let page = app.get(&secretariat, "/").await.text().await.unwrap();
    assert!(page.contains("Mine opgaver"), "{page}");
    assert!(page.contains("Ønske om punkt at tage stilling til: Kortlægning af vandhuller"));
    assert!(
        page.contains("Udkast til dagsorden at sende til forpersonen")
            && page.contains(&format!("/moeder/{id}#dagsorden"))
    );
    assert!(page.contains("1 mail kunne ikke sendes") && page.contains("/udbakke?status=failed"));
    assert!(page.contains("senest "), "each with its deadline");

    let member_page = app.get(&member, "/").await.text().await.unwrap();
    assert!(!member_page.contains("Mine opgaver"), "the secretariat's list is its own");
}
