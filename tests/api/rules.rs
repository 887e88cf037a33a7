//! Rules that hold on every page (issue 10 item 4): O3 is in charters (groups.rs); here M6/T2 on the
//! attendance record and the chair's approval thread (A1).

use reqwest::StatusCode;

use crate::helpers::*;

pub async fn new_meeting(app: &TestApp, group: &str, date: &str) -> i64 {
    let client = app.login_as(SECRETARIAT).await;
    let token = app.csrf(&client, &format!("/grupper/{group}/moeder")).await;
    let fields = [
        ("csrf_token", token.as_str()),
        ("kind", "ordinary"),
        ("cycle_number", "1"),
        ("date", date),
        ("start", "13:00"),
        ("end", "16:00"),
        ("format", "physical"),
        ("location", "Miljøportalen, mødelokale 2"),
    ];
    let response = app.post_form(&client, &format!("/grupper/{group}/moeder"), &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap()
}

pub async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    meeting: i64,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let token = app.csrf(client, &format!("/moeder/{meeting}")).await;
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    app.post_form(client, &format!("/moeder/{meeting}{path}"), &all).await
}

/// (membership id, role, party code) of Natur's active seats.
async fn natur_seats(app: &TestApp) -> Vec<(i64, String, Option<String>)> {
    sqlx::query_as(
        "SELECT m.id, m.role, pa.code FROM memberships m JOIN groups g ON g.id = m.group_id
         LEFT JOIN parties pa ON pa.id = m.party_id
         WHERE g.slug = 'natur' AND m.status = 'active' ORDER BY m.id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_substitute_present_beside_the_full_delegation_of_their_party_is_warned_about_only_then_m6_t2() {
    let app = spawn_app().await;
    let id = new_meeting(&app, "natur", "2027-03-31").await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let seats = natur_seats(&app).await;
    let (substitute, _, party) =
        seats.iter().find(|(_, role, party)| role == "substitute" && party.is_some()).unwrap().clone();
    let delegation: Vec<i64> =
        seats.iter().filter(|(_, role, p)| role != "substitute" && *p == party).map(|(m, ..)| *m).collect();
    assert!(delegation.len() >= 2, "a party with a delegation: {seats:?}");
    let listed: Vec<String> = seats.iter().map(|(m, ..)| m.to_string()).collect();
    let record = |attended: Vec<i64>| {
        let listed = listed.clone();
        let secretariat = secretariat.clone();
        let app = &app;
        async move {
            let attended: Vec<String> = attended.iter().map(|m| m.to_string()).collect();
            let mut fields: Vec<(&str, &str)> = listed.iter().map(|m| ("listed", m.as_str())).collect();
            fields.extend(attended.iter().map(|m| ("attended", m.as_str())));
            let response = post(app, &secretariat, id, "/fremmoede", &fields).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "a warning, not a refusal");
            app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap()
        }
    };
    let warning = "er registreret som til stede, men hele";

    // The whole delegation and nobody else: no warning.
    let html = record(delegation.clone()).await;
    assert!(!html.contains(warning), "{html}");
    // One member absent, the substitute stands in: no warning.
    let mut stand_in = delegation[1..].to_vec();
    stand_in.push(substitute);
    let html = record(stand_in).await;
    assert!(!html.contains(warning), "{html}");
    // The full delegation and the substitute: warned, on the attendance section, and stored as recorded.
    let mut all = delegation.clone();
    all.push(substitute);
    let html = record(all).await;
    assert!(html.contains(warning) && html.contains("(M6, T2)"), "{html}");
    let section = &html[html.find("id=\"fremmoede\"").unwrap()..];
    assert!(section.contains("id=\"fremmoede-advarsler\""), "the warning is in the attendance section");
    let stored: String =
        sqlx::query_scalar("SELECT status FROM attendance WHERE meeting_id = $1 AND membership_id = $2")
            .bind(id)
            .bind(substitute)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(stored, "attended");
}
