//! O1: parties and organisations are edited, retired and reactivated from the browser by the
//! secretariat and the administrators. A retired one stays wherever it is referenced and is left out of
//! new choices; bad input comes back with the user's text and a Danish message, nothing half-saved.

use reqwest::StatusCode;

use crate::helpers::*;

async fn id_of(app: &TestApp, sql: &str, name: &str) -> i64 {
    sqlx::query_scalar(sql).bind(name).fetch_one(&app.db).await.unwrap()
}

async fn party_id(app: &TestApp, code: &str) -> i64 {
    id_of(app, "SELECT id FROM parties WHERE code = $1", code).await
}

async fn organisation_id(app: &TestApp, name: &str) -> i64 {
    id_of(app, "SELECT id FROM organisations WHERE name = $1", name).await
}

async fn audited(app: &TestApp, action: &str, entity_id: i64) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = $1 AND entity_id = $2::text")
        .bind(action)
        .bind(entity_id.to_string())
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The `<option>`s of one `<select>` of a page, by the select's name.
fn options(html: &str, name: &str) -> String {
    let start = html.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("no select {name}"));
    let end = start + html[start..].find("</select>").unwrap();
    html[start..end].to_owned()
}

#[tokio::test]
async fn the_secretariat_edits_a_party_and_bad_input_comes_back_next_to_the_field_o1() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    let regions = party_id(&app, "regionerne").await;
    let edit = format!("/parter/{regions}/rediger");
    let form = app.get(&client, &edit).await.text().await.unwrap();
    assert!(form.contains("value=\"Regionerne\""), "the form shows the party's name");
    assert!(!options(&form, "kind").contains("value=\"secretariat\""), "O1: the secretariat is another party");

    let update = format!("/parter/{regions}");
    let response =
        post_from(&app, &client, &edit, &update, &[("name", "Danske Regioner (part)"), ("kind", "party")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(app.get(&client, "/parter").await.text().await.unwrap().contains("Danske Regioner (part)"));
    assert_eq!(audited(&app, "party_updated", regions).await, 1);
    let before: String = sqlx::query_scalar(
        "SELECT before->>'name' FROM audit_log WHERE action = 'party_updated' AND entity_id = $1::text",
    )
    .bind(regions.to_string())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(before, "Regionerne", "the audit line keeps what it was");

    // A duplicate name (whatever its case), a second secretariat and an empty name: the user's text
    // comes back with the message next to its field, and nothing is stored.
    for (name, kind, field, message) in [
        ("staten ", "party", "name", "Der findes allerede en part med det navn."),
        ("Regionernes nye navn", "secretariat", "kind", "Sekretariatet findes allerede som part (O1)."),
        (" ", "party", "name", "Skriv partens navn."),
        ("Regionernes nye navn", "bestyrelse", "kind", "Vælg hvilken slags part det er."),
    ] {
        let response = post_from(&app, &client, &edit, &update, &[("name", name), ("kind", kind)]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name} {kind}");
        let page = response.text().await.unwrap();
        assert!(page.contains(&format!("id=\"e-{field}\">{message}")), "{message} next to {field}");
        assert!(page.contains(&format!("value=\"{name}\"")), "the user's text is kept");
    }
    let (name, kind): (String, String) =
        sqlx::query_as("SELECT name, kind FROM parties WHERE id = $1").bind(regions).fetch_one(&app.db).await.unwrap();
    assert_eq!((name.as_str(), kind.as_str()), ("Danske Regioner (part)", "party"), "nothing half-saved");
    assert_eq!(audited(&app, "party_updated", regions).await, 1);

    // A duplicate party name when adding one is a message too, not a server error.
    let response =
        post_from(&app, &client, "/parter", "/parter", &[("code", "staten2"), ("name", "STATEN"), ("kind", "party")])
            .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("Der findes allerede en part med det navn."));
    assert_eq!(app.get(&client, "/parter/9999999/rediger").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_retired_party_stays_where_it_is_referenced_and_is_no_new_choice_o1() {
    let app = spawn_app().await;
    let client = app.login_as(ADMIN).await;
    let municipalities = party_id(&app, "kommunerne").await;
    let edit = format!("/parter/{municipalities}/rediger");
    let retire = format!("/parter/{municipalities}/udfas");
    assert_eq!(post_from(&app, &client, &edit, &retire, &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(post_from(&app, &client, &edit, &retire, &[]).await.status(), StatusCode::SEE_OTHER, "twice is once");
    assert_eq!(audited(&app, "party_retired", municipalities).await, 1);

    let parties = app.get(&client, "/parter").await.text().await.unwrap();
    assert!(parties.contains("<strong>Kommunerne</strong> <span class=\"badge badge-muted\">Part</span> <span class=\"badge badge-warn\">Udgået</span>"));
    assert!(!options(&parties, "party_id").contains("Kommunerne"), "no new organisation under it");
    let group = app.get(&client, "/grupper/natur").await.text().await.unwrap();
    assert!(!options(&group, "party_id").contains("Kommunerne"), "no new membership for it");
    assert!(group.contains("Kommunerne"), "its members are still shown with it");
    let member: i64 = id_of(&app, "SELECT id FROM people WHERE email = $1", MEMBER).await;
    assert!(app.get(&client, &format!("/personer/{member}")).await.text().await.unwrap().contains("Kommunerne"));
    let new_person = app.get(&client, "/personer/ny").await.text().await.unwrap();
    assert!(!options(&new_person, "organisation_id").contains("Aarhus Kommune"), "its organisations are no choice");

    // Crafted posts are refused with the rule, and nothing is stored.
    let organisations_before: i64 =
        sqlx::query_scalar("SELECT count(*) FROM organisations").fetch_one(&app.db).await.unwrap();
    let response = post_from(
        &app,
        &client,
        "/parter",
        "/parter/organisationer",
        &[("party_id", &municipalities.to_string()), ("org_name", "Ny Kommune")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Parten er udgået og kan ikke vælges (O1)."));
    assert!(page.contains("value=\"Ny Kommune\""), "the user's text is kept");
    let organisations_after: i64 =
        sqlx::query_scalar("SELECT count(*) FROM organisations").fetch_one(&app.db).await.unwrap();
    assert_eq!(organisations_after, organisations_before);
    let aarhus = organisation_id(&app, "Aarhus Kommune").await;
    let response = post_from(
        &app,
        &client,
        "/personer/ny",
        "/personer",
        &[("name", "Ny Person"), ("email", "ny.person@aarhus.example"), ("organisation_id", &aarhus.to_string())],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("Organisationen er udgået og kan ikke vælges (O1)."));
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM people WHERE email = 'ny.person@aarhus.example'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 0);

    // A person already in it keeps it: their form still offers it, and saving them unchanged works.
    let person_edit = format!("/personer/{member}/rediger");
    let form = app.get(&client, &person_edit).await.text().await.unwrap();
    assert!(options(&form, "organisation_id").contains("Aarhus Kommune (Kommunerne, udgået)"));
    let response = post_from(
        &app,
        &client,
        &person_edit,
        &format!("/personer/{member}"),
        &[("name", "Rasmus Friis"), ("email", MEMBER), ("organisation_id", &aarhus.to_string()), ("title", "Biolog")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "an unchanged reference is kept");

    // Reactivated, it is a choice again.
    let reactivate = format!("/parter/{municipalities}/genaktiver");
    assert_eq!(post_from(&app, &client, &edit, &reactivate, &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(audited(&app, "party_reactivated", municipalities).await, 1);
    assert!(
        options(&app.get(&client, "/grupper/natur").await.text().await.unwrap(), "party_id").contains("Kommunerne")
    );
}

#[tokio::test]
async fn the_secretariat_edits_moves_and_retires_an_organisation_o1() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    let odense = organisation_id(&app, "Odense Kommune").await;
    let regions = party_id(&app, "regionerne").await;
    let person = new_person(&app, "Olga Odense", "olga@odense.example", "Odense Kommune", false).await;
    let edit = format!("/parter/organisationer/{odense}/rediger");
    let update = format!("/parter/organisationer/{odense}");

    // A duplicate within the party and an empty name come back next to their fields.
    for (name, message) in
        [("Aarhus Kommune", "Organisationen findes allerede under denne part."), ("", "Skriv organisationens navn.")]
    {
        let municipalities = party_id(&app, "kommunerne").await.to_string();
        let response =
            post_from(&app, &client, &edit, &update, &[("party_id", &municipalities), ("org_name", name)]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains(&format!("id=\"e-org_name\">{message}")), "{message}");
    }
    assert_eq!(audited(&app, "organisation_updated", odense).await, 0, "nothing stored");

    // Moved to another party (as a test of the form, not of geography): its people's party follows.
    let response =
        post_from(&app, &client, &edit, &update, &[("party_id", &regions.to_string()), ("org_name", "Odense Sygehus")])
            .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let party_of_person: i64 =
        sqlx::query_scalar("SELECT party_id FROM people WHERE id = $1").bind(person).fetch_one(&app.db).await.unwrap();
    assert_eq!(party_of_person, regions);
    assert_eq!(audited(&app, "organisation_updated", odense).await, 1);

    let retire = format!("/parter/organisationer/{odense}/udfas");
    assert_eq!(post_from(&app, &client, &edit, &retire, &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(audited(&app, "organisation_retired", odense).await, 1);
    let new_person_form = app.get(&client, "/personer/ny").await.text().await.unwrap();
    assert!(!options(&new_person_form, "organisation_id").contains("Odense Sygehus"));
    assert!(options(&new_person_form, "organisation_id").contains("Aarhus Kommune"));
    let shown = app.get(&client, &format!("/personer/{person}")).await.text().await.unwrap();
    assert!(shown.contains("Odense Sygehus"), "the person still shows it");
    let reactivate = format!("/parter/organisationer/{odense}/genaktiver");
    assert_eq!(post_from(&app, &client, &edit, &reactivate, &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(
        options(&app.get(&client, "/personer/ny").await.text().await.unwrap(), "organisation_id")
            .contains("Odense Sygehus")
    );
}

#[tokio::test]
async fn only_the_secretariat_and_administrators_edit_or_retire_reference_data_o1() {
    let app = spawn_app().await;
    let party = party_id(&app, "staten").await;
    let organisation = organisation_id(&app, "Miljøstyrelsen").await;
    let party_value = party.to_string();
    let writes: [(String, Vec<(&str, &str)>); 6] = [
        (format!("/parter/{party}"), vec![("name", "Staten (ny)"), ("kind", "party")]),
        (format!("/parter/{party}/udfas"), vec![]),
        (format!("/parter/{party}/genaktiver"), vec![]),
        (format!("/parter/organisationer/{organisation}"), vec![("party_id", &party_value), ("org_name", "MST")]),
        (format!("/parter/organisationer/{organisation}/udfas"), vec![]),
        (format!("/parter/organisationer/{organisation}/genaktiver"), vec![]),
    ];
    let reads = [format!("/parter/{party}/rediger"), format!("/parter/organisationer/{organisation}/rediger")];
    for (who, allowed) in
        [(None, false), (Some(MEMBER), false), (Some(CHAIR), false), (Some(SECRETARIAT), true), (Some(ADMIN), true)]
    {
        let client = match who {
            Some(email) => app.login_as(email).await,
            None => app.client(),
        };
        let token = app.csrf(&client, if who.is_some() { "/profil" } else { "/login" }).await;
        for path in &reads {
            let response = app.get(&client, path).await;
            match (who, allowed) {
                (None, _) => assert!(to_login(&response), "anonymous {path}: to the login"),
                (_, false) => assert_eq!(response.status(), StatusCode::FORBIDDEN, "{who:?} {path}"),
                (_, true) => assert_eq!(response.status(), StatusCode::OK, "{who:?} {path}"),
            }
        }
        for (path, fields) in &writes {
            let before: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log").fetch_one(&app.db).await.unwrap();
            let mut all = vec![("csrf_token", token.as_str())];
            all.extend_from_slice(fields);
            let response = app.post_form(&client, path, &all).await;
            let after: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log").fetch_one(&app.db).await.unwrap();
            match (who, allowed) {
                (_, true) => {
                    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{who:?} {path}");
                    assert_eq!(after, before + 1, "{who:?} {path} is audit-logged");
                }
                (None, false) => assert!(to_login(&response), "anonymous {path}: to the login"),
                (_, false) => assert_eq!(response.status(), StatusCode::FORBIDDEN, "{who:?} {path}"),
            }
            if !allowed {
                assert_eq!(after, before, "{who:?} {path} changed nothing");
            }
        }
    }
}

fn to_login(response: &reqwest::Response) -> bool {
    response.status() == StatusCode::SEE_OTHER
        && response.headers().get("location").and_then(|l| l.to_str().ok()).is_some_and(|l| l.starts_with("/login"))
}

#[tokio::test]
async fn the_api_refuses_a_new_reference_to_a_retired_party_or_organisation_o1() {
    let app = spawn_app().await;
    let token = api_token(&app, SECRETARIAT).await;
    let vand = group_id(&app, "vand").await;
    // A person of Region Hovedstaden, then the party and the organisation retired.
    let person = new_person(&app, "Per Regional", "per@rh.example", "Region Hovedstaden", true).await;
    let regions = party_id(&app, "regionerne").await;
    let hovedstaden = organisation_id(&app, "Region Hovedstaden").await;
    let actor = samarbejdsrum::store::audit::Actor::cli();
    samarbejdsrum::store::people::set_party_retired(&app.db, &actor, regions, true).await.unwrap();
    samarbejdsrum::store::people::set_organisation_retired(&app.db, &actor, hovedstaden, true).await.unwrap();
    let api = reqwest::Client::new();

    let response = api
        .post(app.url(&format!("/api/v1/groups/{vand}/memberships")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "person_id": person, "role": "substitute" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["rule"], "O1", "{body}");
    let seats: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships WHERE person_id = $1")
        .bind(person)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(seats, 0, "nothing stored");

    let response = api
        .post(app.url("/api/v1/people"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "name": "Ny", "email": "ny@rh.example", "organisation_id": hovedstaden }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["fields"]["organisation_id"], "Organisationen er udgået og kan ikke vælges (O1).");

    // The person already in it keeps it when changed otherwise.
    let response = api
        .put(app.url(&format!("/api/v1/people/{person}")))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "name": "Per Regional", "email": "per@rh.example", "organisation_id": hovedstaden,
            "management_level": true, "title": "Kontorchef"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}
