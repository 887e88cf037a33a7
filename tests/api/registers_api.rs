//! The registers over the API (issue 9 item 7): reads per group with the pages' read rules (O5, M5: an
//! unreadable group is a 404), and change requests written with the form's parser and the same rules (C1).

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

fn this_year() -> i32 {
    chrono::Datelike::year(&samarbejdsrum::domain::calendar::local_date(chrono::Utc::now()))
}

#[tokio::test]
async fn a_member_proposes_over_the_api_and_a_blank_title_or_unknown_priority_is_a_422_naming_the_field_c1() {
    let app = spawn_app().await;
    let natur = group_id(&app, "natur").await;
    let member = api_token(&app, MEMBER).await;
    let path = format!("/api/v1/groups/{natur}/change-requests");
    use reqwest::Method;

    let body = json!({"title": "Eksport til regneark", "need": "Overblik", "value": "Sparer tid", "priority": "high"});
    let (status, created) = api_call(&app, Method::POST, &member, &path, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "idea");
    assert_eq!(created["priority"], "high");
    assert_eq!(created["need"], "Overblik");
    assert!(created["reference"].as_str().unwrap().starts_with(&format!("ÆØ-{}-", this_year())));

    let (status, err) =
        api_call(&app, Method::POST, &member, &path, Some(json!({"title": "  ", "priority": "low"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "invalid");
    assert!(err["error"]["fields"]["title"].as_str().unwrap().contains("titel"), "{err}");
    let (status, err) =
        api_call(&app, Method::POST, &member, &path, Some(json!({"title": "X", "priority": "urgent"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"]["fields"]["priority"].is_string(), "{err}");

    let (status, list) = api_call(&app, Method::GET, &member, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.as_array().unwrap().iter().any(|c| c["title"] == "Eksport til regneark"));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM change_requests WHERE title IN ('  ', 'X')")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing refused was saved");
}

#[tokio::test]
async fn only_the_secretariat_updates_and_steps_a_request_one_step_forward_over_the_api_c1() {
    let app = spawn_app().await;
    let natur = group_id(&app, "natur").await;
    let member = api_token(&app, MEMBER).await;
    let secretariat = api_token(&app, SECRETARIAT).await;
    use reqwest::Method;
    let body = json!({"title": "Fotos på besigtigelser", "priority": "medium"});
    let (_, created) =
        api_call(&app, Method::POST, &member, &format!("/api/v1/groups/{natur}/change-requests"), Some(body)).await;
    let id = created["id"].as_i64().unwrap();
    let one = format!("/api/v1/change-requests/{id}");
    let status_path = format!("{one}/status");

    let edit =
        json!({"title": "Fotos på besigtigelser", "need": "Dokumentation", "priority": "high", "cost": "185.000,50"});
    let (status, _) = api_call(&app, Method::PUT, &member, &one, Some(edit.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = api_call(&app, Method::POST, &member, &status_path, Some(json!({"status": "described"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, err) =
        api_call(&app, Method::PUT, &secretariat, &one, Some(json!({"title": "", "priority": "high"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"]["fields"]["title"].is_string());
    let (status, saved) = api_call(&app, Method::PUT, &secretariat, &one, Some(edit)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["cost"], "185000.50");
    assert_eq!(saved["priority"], "high");

    let (status, stepped) = api_call(
        &app,
        Method::POST,
        &secretariat,
        &status_path,
        Some(json!({"status": "described", "note": "Beskrevet"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stepped["status"], "described");
    assert_eq!(stepped["next_statuses"], json!(["ready_for_decision"]));
    let (status, refused) =
        api_call(&app, Method::POST, &secretariat, &status_path, Some(json!({"status": "approved"}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(refused["error"]["rule"], "C1");
    let (status, get) = api_call(&app, Method::GET, &member, &one, None).await;
    assert_eq!((status, get["status"].clone()), (StatusCode::OK, json!("described")));
}

#[tokio::test]
async fn the_read_api_answers_for_a_readable_group_and_404_for_an_unreadable_one_o5() {
    let app = spawn_app().await;
    sqlx::query("UPDATE groups SET confidentiality = 'confidential' WHERE slug = 'jord'")
        .execute(&app.db)
        .await
        .unwrap();
    let (natur, jord) = (group_id(&app, "natur").await, group_id(&app, "jord").await);
    let member = api_token(&app, MEMBER).await;
    let secretariat = api_token(&app, SECRETARIAT).await;
    let year = this_year();
    use reqwest::Method;

    let (status, roadmap) =
        api_call(&app, Method::GET, &member, &format!("/api/v1/groups/{natur}/roadmap"), None).await;
    assert_eq!(status, StatusCode::OK);
    let initiatives = roadmap.as_array().unwrap();
    assert!(!initiatives.is_empty() && initiatives[0]["status"].is_string() && initiatives[0]["horizon"].is_string());
    let (status, budget) =
        api_call(&app, Method::GET, &member, &format!("/api/v1/groups/{natur}/budgets/{year}"), None).await;
    assert_eq!(status, StatusCode::OK, "{budget}");
    assert_eq!(budget["amount"], "900000.00");
    assert!(!budget["dispositions"].as_array().unwrap().is_empty());
    let (status, _) = api_call(&app, Method::GET, &member, &format!("/api/v1/groups/{natur}/budgets/1999"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no budget that year");
    let (status, ops) = api_call(&app, Method::GET, &member, &format!("/api/v1/groups/{natur}/operations"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ops.is_array());

    for path in [
        format!("/api/v1/groups/{jord}/change-requests"),
        format!("/api/v1/groups/{jord}/roadmap"),
        format!("/api/v1/groups/{jord}/budgets/{year}"),
        format!("/api/v1/groups/{jord}/operations"),
    ] {
        let (status, _) = api_call(&app, Method::GET, &member, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path} for an outsider");
        let (status, _) = api_call(&app, Method::GET, &secretariat, &path, None).await;
        assert_eq!(status, StatusCode::OK, "{path} for the secretariat");
    }
    let body = json!({"title": "Indbrud", "priority": "low"});
    let (status, _) =
        api_call(&app, Method::POST, &member, &format!("/api/v1/groups/{jord}/change-requests"), Some(body)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) =
        api_call(&app, Method::GET, &api_token(&app, MEMBER).await, "/api/v1/groups/999999/roadmap", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
