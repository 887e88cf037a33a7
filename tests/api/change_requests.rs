//! Change requests through the pages: members propose ideas, the secretariat moves them forward one
//! step at a time (C1) and escalates disputed value to the board (C2); lists are filtered, exported as
//! CSV, and never show a group the reader may not read (O5).

use reqwest::StatusCode;

use crate::helpers::*;

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or("").to_owned()
}

/// Proposes a request to Natur as `client`; returns the response.
async fn propose(app: &TestApp, client: &reqwest::Client, title: &str, priority: &str) -> reqwest::Response {
    let token = app.csrf(client, "/grupper/natur/aendringsoensker/ny").await;
    let fields = [
        ("csrf_token", token.as_str()),
        ("title", title),
        ("business_need", "Sagsbehandlerne mangler et overblik."),
        ("value", "Sparer tid i kommunerne."),
        ("beneficiaries", "Kommunale sagsbehandlere"),
        ("priority", priority),
    ];
    app.post_form(client, "/grupper/natur/aendringsoensker", &fields).await
}

async fn proposed(app: &TestApp, client: &reqwest::Client, title: &str) -> i64 {
    let response = propose(app, client, title, "high").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    location(&response).trim_start_matches("/aendringsoensker/").parse().unwrap()
}

async fn step(app: &TestApp, client: &reqwest::Client, id: i64, to: &str, note: &str) -> reqwest::Response {
    let token = app.csrf(client, &format!("/aendringsoensker/{id}")).await;
    app.post_form(
        client,
        &format!("/aendringsoensker/{id}/status"),
        &[("csrf_token", &token), ("status", to), ("note", note)],
    )
    .await
}

async fn status_of(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM change_requests WHERE id = $1").bind(id).fetch_one(&app.db).await.unwrap()
}

fn this_year() -> i32 {
    chrono::Datelike::year(&samarbejdsrum::domain::calendar::local_date(chrono::Utc::now()))
}

#[tokio::test]
async fn a_member_proposes_an_idea_that_gets_the_next_number_of_the_year_c1() {
    let app = spawn_app().await;
    let member = app.login_as(MEMBER).await;

    let blank = propose(&app, &member, "   ", "high").await;
    assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.text().await.unwrap().contains("Giv ændringsønsket en titel."));

    let id = proposed(&app, &member, "Kortvisning af besigtigelser").await;
    let year = this_year();
    let page = app.get(&member, &format!("/aendringsoensker/{id}")).await.text().await.unwrap();
    assert!(page.contains(&format!("ÆØ-{year}-023 Kortvisning af besigtigelser")), "the demo's year ends at 022");
    assert!(page.contains("Idé") && page.contains("Oprettet som idé"));
    assert!(!page.contains("Skift status"), "a member does not move requests on");
    let second = proposed(&app, &member, "Endnu et forslag").await;
    let reference: String = sqlx::query_scalar("SELECT reference FROM change_requests WHERE id = $1")
        .bind(second)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(reference, format!("ÆØ-{year}-024"));
}

#[tokio::test]
async fn each_status_step_is_the_secretariats_only_forward_and_recorded_with_its_note_c1() {
    let app = spawn_app().await;
    let member = app.login_as(MEMBER).await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let id = proposed(&app, &member, "Masseimport af artsfund").await;

    assert_eq!(step(&app, &member, id, "described", "").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, id).await, "idea");

    let skip = step(&app, &secretariat, id, "approved", "").await;
    assert_eq!(skip.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = skip.text().await.unwrap();
    assert!(html.contains("C1") && html.contains("kun gå til Beskrevet"), "the refusal names the rule");
    assert_eq!(status_of(&app, id).await, "idea", "nothing is saved on a refusal");

    let path = ["described", "ready_for_decision", "approved", "in_development", "delivered", "evaluated"];
    for to in path {
        let response = step(&app, &secretariat, id, to, &format!("Note om {to}")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "step to {to}");
        assert_eq!(status_of(&app, id).await, to);
    }
    let back = step(&app, &secretariat, id, "idea", "").await;
    assert_eq!(back.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let page = app.get(&member, &format!("/aendringsoensker/{id}")).await.text().await.unwrap();
    for line in ["Idé → Beskrevet", "Klar til beslutning → Godkendt", "Leveret → Evalueret", "Note om delivered"]
    {
        assert!(page.contains(line), "the history shows {line}");
    }
    let steps: i64 =
        sqlx::query_scalar("SELECT count(*) FROM change_request_status_changes WHERE change_request_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(steps, 7, "creation and six steps");
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE entity = 'change_request' AND entity_id = $1")
            .bind(id.to_string())
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(audited, 7);
}

#[tokio::test]
async fn the_secretariat_edits_every_field_and_links_an_initiative_of_the_group_only_c1() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let id = proposed(&app, &secretariat, "Ny eksport").await;
    let natur_initiative: i64 = sqlx::query_scalar(
        "SELECT r.id FROM roadmap_initiatives r JOIN groups g ON g.id = r.group_id WHERE g.slug = 'natur' LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let jord_initiative: i64 = sqlx::query_scalar(
        "SELECT r.id FROM roadmap_initiatives r JOIN groups g ON g.id = r.group_id WHERE g.slug = 'jord' LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let edit = |initiative: i64, cost: &'static str| {
        let app = &app;
        let secretariat = &secretariat;
        async move {
            let token = app.csrf(secretariat, &format!("/aendringsoensker/{id}/rediger")).await;
            let initiative = initiative.to_string();
            let fields = [
                ("csrf_token", token.as_str()),
                ("title", "Ny eksport i åbent format"),
                ("business_need", "Behov"),
                ("value", "Værdi"),
                ("beneficiaries", "Forskere"),
                ("priority", "low"),
                ("initiative_id", &initiative),
                ("vendor_estimate", "Ca. 40 timer"),
                ("cost", cost),
                ("learning", ""),
                ("not_ready_note", ""),
            ];
            app.post_form(secretariat, &format!("/aendringsoensker/{id}"), &fields).await
        }
    };
    let wrong_group = edit(jord_initiative, "1000").await;
    assert_eq!(wrong_group.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong_group.text().await.unwrap().contains("Initiativet findes ikke i gruppens roadmap"));
    let too_much = edit(natur_initiative, "99999999999999999999").await;
    assert_eq!(too_much.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(edit(natur_initiative, "42.500,50").await.status(), StatusCode::SEE_OTHER);
    let page = app.get(&secretariat, &format!("/aendringsoensker/{id}")).await.text().await.unwrap();
    assert!(page.contains("Ny eksport i åbent format") && page.contains("Ca. 40 timer") && page.contains("Lav"));
    let linked: Option<i64> = sqlx::query_scalar("SELECT initiative_id FROM change_requests WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(linked, Some(natur_initiative));
}

#[tokio::test]
async fn the_lists_filter_by_status_priority_initiative_and_text_and_the_csv_holds_what_the_list_shows_c1() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    proposed(&app, &secretariat, "=HYPERLINK(\"http://evil.example\")").await;
    let year = this_year();

    let approved = app.get(&secretariat, "/aendringsoensker?status=approved").await.text().await.unwrap();
    assert!(approved.contains("Masseredigering af besigtigelser"), "ÆØ-004 is approved");
    assert!(!approved.contains("Kortlag med invasive arter"), "ÆØ-003 is an idea");

    let natur = app.get(&secretariat, "/grupper/natur/aendringsoensker?prioritet=low").await.text().await.unwrap();
    assert!(natur.contains("Kortlag med invasive arter"));
    assert!(!natur.contains("Felt til tilstandsvurdering"), "a high priority request is filtered out");

    let initiative: i64 = sqlx::query_scalar(
        "SELECT id FROM roadmap_initiatives WHERE title = 'Ny registreringsvejledning for beskyttede naturtyper'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let by_initiative =
        app.get(&secretariat, &format!("/aendringsoensker?initiativ={initiative}")).await.text().await.unwrap();
    assert!(by_initiative.contains("Felt til tilstandsvurdering"));
    assert!(!by_initiative.contains("Kortlag med invasive arter"));

    let text = app.get(&secretariat, "/aendringsoensker?q=ARTSFUND").await.text().await.unwrap();
    assert!(text.contains("Eksport af artsfund i åbent format"), "the text search ignores case");
    assert!(text.contains("/aendringsoensker.csv?q=ARTSFUND"), "the CSV link carries the filter");

    let csv = app.get(&secretariat, "/aendringsoensker.csv?q=ARTSFUND").await;
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = csv.bytes().await.unwrap();
    assert!(body.starts_with("\u{feff}Nr.;Titel;Gruppe".as_bytes()), "a UTF-8 BOM and semicolons");
    let body = String::from_utf8(body.to_vec()).unwrap();
    assert_eq!(body.lines().count(), 2, "the header and the one request the list shows: {body}");
    assert!(body.contains(&format!("ÆØ-{year}-002;Eksport af artsfund i åbent format;Natur;")));

    let all = app.get(&secretariat, "/grupper/natur/aendringsoensker.csv").await.text().await.unwrap();
    assert!(all.lines().next().unwrap().ends_with(";Omkostning (kr.)"), "the currency in the header");
    let costs: Vec<&str> = all.lines().skip(1).filter_map(|l| l.rsplit(';').next()).filter(|c| !c.is_empty()).collect();
    assert!(!costs.is_empty(), "some requests carry a cost");
    for cost in costs {
        assert!(cost.replace(',', ".").parse::<f64>().is_ok(), "a number a spreadsheet sums, not {cost}");
    }
    assert!(all.contains("\"'=HYPERLINK(\"\"http://evil.example\"\")\""), "a formula is defused: {all}");
    assert!(!all.contains(";Jord;"), "the group's list holds only the group");
}

#[tokio::test]
async fn a_confidential_groups_requests_are_not_found_by_those_who_may_not_read_it_o5() {
    let app = spawn_app().await;
    sqlx::query("UPDATE groups SET confidentiality = 'confidential' WHERE slug = 'jord'")
        .execute(&app.db)
        .await
        .unwrap();
    let jord_request: i64 = sqlx::query_scalar(
        "SELECT c.id FROM change_requests c JOIN groups g ON g.id = c.group_id WHERE g.slug = 'jord' LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let member = app.login_as(MEMBER).await;
    assert_eq!(app.get(&member, &format!("/aendringsoensker/{jord_request}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&member, "/grupper/jord/aendringsoensker").await.status(), StatusCode::NOT_FOUND);
    let list = app.get(&member, "/aendringsoensker").await.text().await.unwrap();
    let jord_reference = format!("ÆØ-{}-010", this_year());
    assert!(list.contains("<td>Natur</td>") && !list.contains(&jord_reference) && !list.contains("<td>Jord</td>"));
    let csv = app.get(&member, "/aendringsoensker.csv").await.text().await.unwrap();
    assert!(csv.contains(";Natur;") && !csv.contains(";Jord;"));

    let secretariat = app.login_as(SECRETARIAT).await;
    assert_eq!(app.get(&secretariat, &format!("/aendringsoensker/{jord_request}")).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_secretariat_escalates_to_the_board_and_records_its_outcome_c2() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let member = app.login_as(MEMBER).await;
    let id = proposed(&app, &member, "Omstridt integration").await;
    let escalate = |client: &reqwest::Client, reason: &'static str| {
        let app = &app;
        let client = client.clone();
        async move {
            let token = app.csrf(&client, "/profil").await;
            app.post_form(
                &client,
                &format!("/aendringsoensker/{id}/eskaleringer"),
                &[("csrf_token", &token), ("reason", reason)],
            )
            .await
        }
    };
    assert_eq!(escalate(&member, "Uenighed").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(escalate(&secretariat, " ").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(escalate(&secretariat, "Værdien er omstridt mellem parterne.").await.status(), StatusCode::SEE_OTHER);
    let again = escalate(&secretariat, "En gang til").await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().await.unwrap().contains("C2"));

    let open = app.get(&member, "/eskaleringer").await.text().await.unwrap();
    assert!(open.contains("Omstridt integration") && open.contains("Værdien er omstridt mellem parterne."));
    let escalation: i64 = sqlx::query_scalar("SELECT id FROM change_request_escalations WHERE change_request_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let token = app.csrf(&secretariat, "/profil").await;
    let outcome = app
        .post_form(
            &secretariat,
            &format!("/aendringsoensker/{id}/eskaleringer/{escalation}"),
            &[("csrf_token", &token), ("outcome", "Bestyrelsen godkender under forudsætning af medfinansiering.")],
        )
        .await;
    assert_eq!(outcome.status(), StatusCode::SEE_OTHER);
    let open = app.get(&member, "/eskaleringer").await.text().await.unwrap();
    assert!(!open.contains("Omstridt integration"), "an answered escalation is no longer open");
    let page = app.get(&member, &format!("/aendringsoensker/{id}")).await.text().await.unwrap();
    assert!(page.contains("Eskaleret til Bestyrelsen") && page.contains("under forudsætning af medfinansiering"));
}

#[tokio::test]
async fn a_request_without_its_value_stated_cannot_become_ready_for_decision_c1() {
    let app = spawn_app().await;
    let member = app.login_as(MEMBER).await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let id = proposed(&app, &member, "Uden begrundelse").await;
    sqlx::query("UPDATE change_requests SET value = '', beneficiaries = '' WHERE id = $1")
        .bind(id)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(step(&app, &secretariat, id, "described", "").await.status(), StatusCode::SEE_OTHER);
    let refused = step(&app, &secretariat, id, "ready_for_decision", "").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("når det beskriver værdien og hvem den gavner (C1)"), "{page}");
    assert_eq!(status_of(&app, id).await, "described", "nothing stored");

    // The API answers the same refusal with its rule.
    let token = api_token(&app, SECRETARIAT).await;
    let response = app
        .client()
        .post(app.url(&format!("/api/v1/change-requests/{id}/status")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "status": "ready_for_decision" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["rule"], "C1");
}
