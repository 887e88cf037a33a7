//! /udbakke for the secretariat: mails filtered by status, a mail's text, and a failed mail sent again
//! (the sender picks it up on its next round; anything else is refused and nothing changes).

use reqwest::StatusCode;

use crate::helpers::*;

async fn failed_mail(app: &TestApp, subject: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO outbox (idempotency_key, kind, to_address, subject, body_text, status, attempts, last_error)
         VALUES ($1, 'test', 'ida@kommune.dk', $1, 'Kære Ida\nDagsordenen er udsendt.', 'failed', 8, '550 mailbox unavailable')
         RETURNING id",
    )
    .bind(subject)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn status(app: &TestApp, id: i64) -> (String, i32) {
    sqlx::query_as("SELECT status, attempts FROM outbox WHERE id = $1").bind(id).fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn the_secretariat_filters_the_outbox_reads_a_mail_and_sends_a_failed_one_again_d3() {
    let app = spawn_app().await;
    let id = failed_mail(&app, "Dagsorden til Natur (fejlet)").await;
    let secretariat = app.login_as(SECRETARIAT).await;

    let failed = app.get(&secretariat, "/udbakke?status=failed").await.text().await.unwrap();
    assert!(failed.contains(&format!("href=\"/udbakke/{id}\"")), "the failed mail is listed");
    assert!(failed.contains("aria-current=\"page\">Fejlet ("), "the filter shown is marked");
    let sent = app.get(&secretariat, "/udbakke?status=sent").await.text().await.unwrap();
    assert!(!sent.contains(&format!("href=\"/udbakke/{id}\"")), "not among the sent");

    let page = app.get(&secretariat, &format!("/udbakke/{id}")).await.text().await.unwrap();
    assert!(page.contains("Dagsordenen er udsendt.") && page.contains("550 mailbox unavailable"), "its text and error");

    let token = app.csrf(&secretariat, "/profil").await;
    let resend = format!("/udbakke/{id}/send-igen");
    assert_eq!(app.post_form(&secretariat, &resend, &[("csrf_token", &token)]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(status(&app, id).await, ("queued".to_owned(), 0), "queued again with fresh attempts");
    let again = app.post_form(&secretariat, &resend, &[("csrf_token", &token)]).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "only a failed mail is sent again");
    assert!(again.text().await.unwrap().contains("Kun en mail, der er fejlet"));
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'mail_resent'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);

    // Members neither read the outbox nor resend from it.
    let other = failed_mail(&app, "Referat (fejlet)").await;
    let member = app.login_as(MEMBER).await;
    assert_eq!(app.get(&member, &format!("/udbakke/{other}")).await.status(), StatusCode::FORBIDDEN);
    let token = app.csrf(&member, "/profil").await;
    let r = app.post_form(&member, &format!("/udbakke/{other}/send-igen"), &[("csrf_token", &token)]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(status(&app, other).await.0, "failed", "nothing changed");
}
