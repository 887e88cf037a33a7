//! The roadmap (C3): initiatives by horizon with their change requests, readable without following
//! links; the secretariat adds and edits initiatives.

use reqwest::StatusCode;

use crate::helpers::*;

fn this_year() -> i32 {
    chrono::Datelike::year(&samarbejdsrum::domain::calendar::local_date(chrono::Utc::now()))
}

#[tokio::test]
async fn a_groups_roadmap_shows_each_initiative_with_its_requests_titles_and_statuses_c3() {
    let app = spawn_app().await;
    let member = app.login_as(MEMBER).await;
    let page = app.get(&member, "/grupper/natur/roadmap").await.text().await.unwrap();
    for text in ["I år", "Næste år", "Om 3–4 år", "Ny registreringsvejledning for beskyttede naturtyper"] {
        assert!(page.contains(text), "the roadmap shows {text}");
    }
    assert!(
        page.contains("Felt til tilstandsvurdering på besigtigelser</a>")
            || page.contains("Felt til tilstandsvurdering på besigtigelser –")
    );
    assert!(page.contains("<strong>Klar til beslutning</strong>"), "each request's status is on the page");
    assert!(!page.contains("Nyt initiativ"), "members read the roadmap; the secretariat keeps it");
    let token = app.csrf(&member, "/profil").await;
    let refused = app
        .post_form(
            &member,
            "/grupper/natur/roadmap",
            &[("csrf_token", &token), ("title", "X"), ("start_year", "2030"), ("status", "planned")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_secretariat_adds_an_initiative_for_next_year_and_edits_its_status_c3() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let next = (this_year() + 1).to_string();
    let token = app.csrf(&secretariat, "/grupper/natur/roadmap").await;
    let bad = app
        .post_form(
            &secretariat,
            "/grupper/natur/roadmap",
            &[
                ("csrf_token", &token),
                ("title", "Kortlag"),
                ("start_year", &next),
                ("end_year", "2000"),
                ("status", "planned"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("Slutåret ligger før startåret."));
    let made = app
        .post_form(
            &secretariat,
            "/grupper/natur/roadmap",
            &[
                ("csrf_token", &token),
                ("title", "Fælles kortlag for invasive arter"),
                ("description", "Et kortlag."),
                ("start_year", &next),
                ("end_year", ""),
                ("status", "planned"),
            ],
        )
        .await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let page = app.get(&secretariat, "/grupper/natur/roadmap").await.text().await.unwrap();
    let next_year = page.find("Næste år").unwrap();
    let later = page.find("Om 3–4 år").unwrap();
    let at = page.find("Fælles kortlag for invasive arter").unwrap();
    assert!(next_year < at && at < later, "the initiative stands under next year");

    let id: i64 =
        sqlx::query_scalar("SELECT id FROM roadmap_initiatives WHERE title = 'Fælles kortlag for invasive arter'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let token = app.csrf(&secretariat, &format!("/roadmap/{id}/rediger")).await;
    let edited = app
        .post_form(
            &secretariat,
            &format!("/roadmap/{id}"),
            &[
                ("csrf_token", &token),
                ("title", "Fælles kortlag for invasive arter"),
                ("description", ""),
                ("start_year", &next),
                ("end_year", &next),
                ("status", "in_progress"),
            ],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    let status: String = sqlx::query_scalar("SELECT status FROM roadmap_initiatives WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(status, "in_progress");
}
