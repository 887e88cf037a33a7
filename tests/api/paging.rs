//! Long lists come in pages of 100 (issue 12): the public JSON directory with a `Link` to the next
//! page, the secretariat's deadline overview with links between pages; a bad page number is a clear
//! error, never a 500.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn the_public_json_directory_comes_in_pages_of_100_with_a_link_to_the_next() {
    let app = spawn_app().await;
    sqlx::query(
        "INSERT INTO groups (kind_id, slug, name, confidentiality)
         SELECT (SELECT id FROM group_kinds WHERE code = 'faggruppe'), 'side-' || n, 'Sidegruppe ' || lpad(n::text, 3, '0'), 'internal'
         FROM generate_series(1, 150) n",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let listed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM groups WHERE status = 'active' AND confidentiality <> 'confidential'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let client = app.client();

    let first = app.get(&client, "/api/v1/groups").await;
    assert_eq!(first.status(), StatusCode::OK);
    let link =
        first.headers().get("link").expect("no Link header on a first page of more").to_str().unwrap().to_owned();
    assert_eq!(link, "</api/v1/groups?page=2>; rel=\"next\"");
    let first: Vec<serde_json::Value> = first.json().await.unwrap();
    assert_eq!(first.len(), 100);

    let second = app.get(&client, "/api/v1/groups?page=2").await;
    assert!(second.headers().get("link").is_none(), "the last page links on");
    let second: Vec<serde_json::Value> = second.json().await.unwrap();
    assert_eq!(first.len() + second.len(), listed as usize, "pages lose or repeat groups");
    let mut ids: Vec<i64> = first.iter().chain(&second).map(|g| g["id"].as_i64().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), listed as usize);

    for bad in ["0", "-1", "abc", "99999999999"] {
        let answer = app.get(&client, &format!("/api/v1/groups?page={bad}")).await;
        assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY, "page={bad}");
        let body: serde_json::Value = answer.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid", "page={bad}: {body}");
        assert_eq!(body["error"]["fields"]["page"], "Sidetallet skal være et helt tal fra 1.", "page={bad}: {body}");
    }
}

#[tokio::test]
async fn the_deadline_overview_shows_100_meetings_a_page() {
    let app = spawn_app().await;
    sqlx::query(
        "INSERT INTO meetings (group_id, kind, title, starts_at, ends_at, format, location, status)
         SELECT g.id, 'ordinary', 'Sidemøde ' || n, now() + (n % 80) * interval '1 day', now() + (n % 80) * interval '1 day' + interval '2 hours',
                'physical', 'Mødelokale', 'planned'
         FROM groups g, generate_series(1, 150) n WHERE g.slug = 'natur'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let secretariat = app.login_as(SECRETARIAT).await;
    let rows = |html: &str| html.matches("<tr><td><a href=\"/moeder/").count();

    let first = app.get(&secretariat, "/frister").await.text().await.unwrap();
    assert_eq!(rows(&first), 100);
    assert!(first.contains("href=\"/frister?side=2\" rel=\"next\""), "no link to page 2");
    let second = app.get(&secretariat, "/frister?side=2").await.text().await.unwrap();
    assert!(rows(&second) >= 50, "page 2 holds {} rows", rows(&second));
    assert!(second.contains("href=\"/frister?side=1\" rel=\"prev\""));

    let bad = app.get(&secretariat, "/frister?side=nul").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.unwrap().contains("Sidetallet skal være et helt tal fra 1."));
}
