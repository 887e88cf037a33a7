//! Solutions in operation (O4): the secretariat adds them and a group takes one over when it goes into
//! production; the group's roadmap page shows what it is responsible for.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn a_group_takes_over_a_solution_when_it_goes_into_production_o4() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let token = app.csrf(&secretariat, "/loesninger").await;
    let made = app
        .post_form(
            &secretariat,
            "/loesninger",
            &[("csrf_token", &token), ("name", "Naturkortet"), ("description", "Nyt kort over naturdata.")],
        )
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let again = app.post_form(&secretariat, "/loesninger", &[("csrf_token", &token), ("name", "Naturkortet")]).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().await.unwrap().contains("Der findes allerede en løsning med dette navn."));
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM solutions WHERE name = 'Naturkortet'").fetch_one(&app.db).await.unwrap();
    let natur = group_id(&app, "natur").await.to_string();
    let no_group = app
        .post_form(
            &secretariat,
            &format!("/loesninger/{id}"),
            &[("csrf_token", &token), ("name", "Naturkortet"), ("taken_over_on", "2027-03-01")],
        )
        .await;
    assert_eq!(no_group.status(), StatusCode::UNPROCESSABLE_ENTITY, "a takeover names the group");
    let takeover = app
        .post_form(
            &secretariat,
            &format!("/loesninger/{id}"),
            &[
                ("csrf_token", &token),
                ("name", "Naturkortet"),
                ("group_id", &natur),
                ("in_operation", "ja"),
                ("taken_over_on", "2027-03-01"),
            ],
        )
        .await;
    assert_eq!(takeover.status(), StatusCode::SEE_OTHER);
    let member = app.login_as(MEMBER).await;
    let roadmap = app.get(&member, "/grupper/natur/roadmap").await.text().await.unwrap();
    assert!(roadmap.contains("<strong>Naturkortet</strong>"), "the group's page shows its new solution");
    assert_eq!(app.get(&member, "/loesninger").await.status(), StatusCode::FORBIDDEN);
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE entity = 'solution' AND entity_id = $1")
            .bind(id.to_string())
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(audited, 2);
}

#[tokio::test]
async fn the_secretariat_records_operational_status_of_a_solution_a8() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM solutions WHERE name = 'Naturdatabasen'").fetch_one(&app.db).await.unwrap();
    let page = format!("/loesninger/{id}/rediger");
    let token = app.csrf(&secretariat, &page).await;
    let path = format!("/loesninger/{id}/drift");
    let bad = app
        .post_form(
            &secretariat,
            &path,
            &[
                ("csrf_token", &token),
                ("kind", "outage"),
                ("reported_on", "2027-03-01"),
                ("summary", "Nede"),
                ("entry_status", "open"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert!(
        html.contains("Vælg hvilken slags driftsstatus det er.") && html.contains(">Nede</textarea>"),
        "the input is kept"
    );
    let fine = app
        .post_form(
            &secretariat,
            &path,
            &[
                ("csrf_token", &token),
                ("kind", "incident"),
                ("reported_on", "2027-03-01"),
                ("summary", "Login utilgængeligt i to timer"),
                ("count", ""),
                ("entry_status", "resolved"),
            ],
        )
        .await;
    assert_eq!(fine.status(), StatusCode::SEE_OTHER);
    let shown = app.get(&secretariat, &page).await.text().await.unwrap();
    assert!(
        shown.contains("Login utilgængeligt i to timer")
            && shown.contains("Hændelse for brugerne")
            && shown.contains("Løst")
    );
    let member = app.login_as(MEMBER).await;
    let token = app.csrf(&member, "/profil").await;
    let refused = app
        .post_form(
            &member,
            &path,
            &[
                ("csrf_token", &token),
                ("kind", "errors"),
                ("reported_on", "2027-03-01"),
                ("summary", "x"),
                ("entry_status", "open"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}
