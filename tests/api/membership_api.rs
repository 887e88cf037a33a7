//! The JSON API for groups, people and memberships: the same rules as the forms, as JSON; the
//! member directory is public; two concurrent approvals cannot together break a limit.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn api() -> reqwest::Client {
    reqwest::Client::new()
}

#[tokio::test]
async fn the_member_directory_is_public_json_without_nominations_m7() {
    let app = spawn_app().await;
    let groups: Vec<Value> = api().get(app.url("/api/v1/groups")).send().await.unwrap().json().await.unwrap();
    let natur = groups.iter().find(|g| g["slug"] == "natur").expect("natur is listed");
    assert_eq!(natur["kind"], "faggruppe");
    let members: Vec<Value> = api()
        .get(app.url(&format!("/api/v1/groups/{}/members", natur["id"])))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let chair = members.iter().find(|m| m["email"] == CHAIR).expect("the chair is listed");
    assert_eq!(chair["role_label"], "Forperson");
    for field in ["name", "organisation", "phone", "email", "competences"] {
        assert!(chair.get(field).is_some(), "{field}");
    }
    let jord = groups.iter().find(|g| g["slug"] == "jord").unwrap();
    let jord_members: Vec<Value> = api()
        .get(app.url(&format!("/api/v1/groups/{}/members", jord["id"])))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let nominated: Vec<String> = sqlx::query_scalar("SELECT p.email FROM memberships m JOIN people p ON p.id = m.person_id JOIN groups g ON g.id = m.group_id WHERE g.slug = 'jord' AND m.status = 'nominated'")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert!(!nominated.is_empty(), "the demo has a nominated member in Jord");
    for email in nominated {
        assert!(
            !jord_members.iter().any(|m| m["email"] == email.as_str()),
            "nominated members are not in the directory"
        );
    }
}

#[tokio::test]
async fn the_public_directory_page_and_csv_list_active_members_m7() {
    let app = spawn_app().await;
    let page = app.get(&app.client(), "/medlemmer/natur").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains(CHAIR) && html.contains("Faglige kompetenceområder"));
    let csv = app.get(&app.client(), "/medlemmer/natur/medlemsliste.csv").await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let body = csv.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert!(lines[0].contains("Navn;Titel;Organisation;Rolle;E-mail;Telefon;Kompetenceområder"));
    assert!(lines.iter().any(|l| l.contains(CHAIR) && l.contains("Forperson")));
    assert_eq!(app.get(&app.client(), "/medlemmer/findes-ikke").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_refused_rule_answers_409_with_the_rule_as_json_m2() {
    let app = spawn_app().await;
    let token = api_token(&app, SECRETARIAT).await;
    let natur = group_id(&app, "natur").await;
    let person = new_person(&app, "Ida Sekretær", "ida@dmp.example", "Danmarks Miljøportal", false).await;
    let response = api()
        .post(app.url(&format!("/api/v1/groups/{natur}/memberships")))
        .bearer_auth(&token)
        .json(&json!({ "person_id": person, "role": "secretariat" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["rule"], "M2");
    assert_eq!(body["error"]["message"], "Højst 2 medlemmer fra sekretariatet (M2).");
}

#[tokio::test]
async fn nominate_and_approve_through_the_api_m5() {
    let app = spawn_app().await;
    let token = api_token(&app, SECRETARIAT).await;
    let vand = group_id(&app, "vand").await;
    let person = new_person(&app, "Per Regional", "per@rh.example", "Region Hovedstaden", true).await;
    let response = api()
        .post(app.url(&format!("/api/v1/groups/{vand}/memberships")))
        .bearer_auth(&token)
        .json(&json!({ "person_id": person, "role": "substitute", "starts_on": "2026-11-23" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["status"], "nominated");
    let id = created["id"].as_i64().unwrap();

    let listing: Value = api()
        .get(app.url(&format!("/api/v1/groups/{vand}/memberships")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(listing["warnings"].as_array().unwrap().iter().any(|w| w["rule"] == "M6"), "still no approved substitute");

    let response = api()
        .post(app.url(&format!("/api/v1/memberships/{id}/approve")))
        .bearer_auth(&token)
        .json(&json!({ "approved_on": "2026-11-23" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let approved: Value = response.json().await.unwrap();
    assert_eq!(approved["status"], "active");
    let listing: Value = api()
        .get(app.url(&format!("/api/v1/groups/{vand}/memberships")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        !listing["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["rule"] == "M6" && w["message"].as_str().unwrap().starts_with("Regionerne"))
    );

    let response = api()
        .post(app.url(&format!("/api/v1/memberships/{id}/approve")))
        .bearer_auth(&token)
        .json(&json!({ "approved_on": "2026-11-23" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT, "only a nomination is approved");
    let response = api()
        .post(app.url(&format!("/api/v1/memberships/{id}/end")))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn concurrent_approvals_cannot_together_exceed_three_per_party_m2() {
    let app = spawn_app().await;
    let token = api_token(&app, SECRETARIAT).await;
    let created: Value = api()
        .post(app.url("/api/v1/groups"))
        .bearer_auth(&token)
        .json(&json!({ "kind": "faggruppe", "slug": "klima", "name": "Klima" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let klima = created["id"].as_i64().unwrap();
    let mut nominations = Vec::new();
    for i in 0..6 {
        let person =
            new_person(&app, &format!("Kommunal {i}"), &format!("k{i}@aarhus.example"), "Aarhus Kommune", false).await;
        let m: Value = api()
            .post(app.url(&format!("/api/v1/groups/{klima}/memberships")))
            .bearer_auth(&token)
            .json(&json!({ "person_id": person, "role": "member" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        nominations.push(m["id"].as_i64().unwrap());
    }
    let approvals = nominations.iter().map(|id| {
        let url = app.url(&format!("/api/v1/memberships/{id}/approve"));
        let token = token.clone();
        async move {
            api()
                .post(url)
                .bearer_auth(token)
                .json(&json!({ "approved_on": "2026-11-23" }))
                .send()
                .await
                .unwrap()
                .status()
        }
    });
    let statuses = futures_util::future::join_all(approvals).await;
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 3, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 3, "{statuses:?}");
    let active: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships WHERE group_id = $1 AND status = 'active'")
        .bind(klima)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(active, 3);
}

#[tokio::test]
async fn people_are_read_and_written_by_the_secretariat_only_m8() {
    let app = spawn_app().await;
    let secretariat = api_token(&app, SECRETARIAT).await;
    let member = api_token(&app, MEMBER).await;
    let response = api()
        .post(app.url("/api/v1/people"))
        .bearer_auth(&secretariat)
        .json(&json!({ "name": "Eva API", "email": "Eva@Mst.example", "management_level": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let eva: Value = response.json().await.unwrap();
    assert_eq!(eva["email"], "eva@mst.example");
    let response = api()
        .post(app.url("/api/v1/people"))
        .bearer_auth(&secretariat)
        .json(&json!({ "name": "Eva igen", "email": "eva@mst.example" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"]["fields"]["email"].as_str().unwrap().contains("findes allerede"));
    let response = api()
        .post(app.url("/api/v1/people"))
        .bearer_auth(&secretariat)
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    assert_eq!(
        api().get(app.url("/api/v1/people")).bearer_auth(&member).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let response = api()
        .post(app.url("/api/v1/people"))
        .bearer_auth(&member)
        .json(&json!({ "name": "X", "email": "x@x.dk" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let own: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(MEMBER).fetch_one(&app.db).await.unwrap();
    assert_eq!(
        api().get(app.url(&format!("/api/v1/people/{own}"))).bearer_auth(&member).send().await.unwrap().status(),
        StatusCode::OK
    );
    let eva_id = eva["id"].as_i64().unwrap();
    assert_eq!(
        api().get(app.url(&format!("/api/v1/people/{eva_id}"))).bearer_auth(&member).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let response = api()
        .put(app.url(&format!("/api/v1/people/{eva_id}")))
        .bearer_auth(&secretariat)
        .json(&json!({ "name": "Eva Ændret", "email": "eva@mst.example" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let updated: Value = response.json().await.unwrap();
    assert_eq!(updated["name"], "Eva Ændret");
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = spawn_app().await;
    let doc: Value = api().get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
    let mut checked = 0;
    let routes = samarbejdsrum::web::routes::route_table();
    for (method, path) in &routes {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        let entry = &doc["paths"][path];
        assert!(entry.is_object(), "{path} is not in the OpenAPI document");
        assert!(entry[method.as_str().to_lowercase()].is_object(), "{method} {path} is not described");
        checked += 1;
    }
    assert!(checked >= 9, "found {checked} api routes");
    // And the other way: the document describes no operation the router lacks.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let routed = routes.iter().any(|(m, p)| p == path && m.as_str().eq_ignore_ascii_case(method));
            assert!(routed, "{method} {path} is described but not routed");
        }
    }
}

/// The body itself wrong is 422; well formed but against the stored data is 409, each naming the field.
#[tokio::test]
async fn a_new_group_answers_422_for_its_own_fields_and_409_for_a_kind_or_short_name_not_to_be_had() {
    let app = spawn_app().await;
    let token = api_token(&app, SECRETARIAT).await;
    let create = |body: Value| {
        let request = api().post(app.url("/api/v1/groups")).bearer_auth(&token).json(&body);
        async move {
            let response = request.send().await.unwrap();
            let status = response.status();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let (status, body) = create(json!({ "kind": "faggruppe", "slug": "klima", "name": "  " })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["fields"]["name"].is_string(), "{body}");
    let (status, body) = create(json!({ "kind": "ingen-sådan", "slug": "klima", "name": "Klima" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "conflict");
    assert!(body["error"]["fields"]["kind"].is_string(), "{body}");
    let (status, body) = create(json!({ "kind": "faggruppe", "slug": "natur", "name": "Natur igen" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "the short name is taken: {body}");
    assert!(body["error"]["fields"]["slug"].is_string(), "{body}");
    let (status, body) = create(json!({ "kind": "faggruppe", "slug": "klima", "name": "Klima", "chair": 7 })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a field the API does not know: {body}");
    let groups: i64 =
        sqlx::query_scalar("SELECT count(*) FROM groups WHERE slug = 'klima'").fetch_one(&app.db).await.unwrap();
    assert_eq!(groups, 0, "nothing stored");
}
