//! The agenda's registers (A7, A8) and search (issue 9 item 8). The secretariat selects which change
//! requests go on the agenda, for decision or for discussion, by roadmap initiative and marked when not
//! ready; a published agenda keeps what it showed. Search finds Danish word forms and shows nothing the
//! searcher may not read.

use reqwest::StatusCode;

use crate::helpers::*;

async fn natur_requests(app: &TestApp) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT id, title FROM change_requests WHERE group_id = (SELECT id FROM groups WHERE slug = 'natur') ORDER BY id LIMIT 3")
        .fetch_all(&app.db)
        .await
        .unwrap()
}

/// Natur's next ordinary meeting, with a fresh draft agenda made by the secretariat from the template.
async fn meeting_with_draft_agenda(app: &TestApp, secretariat: &reqwest::Client) -> i64 {
    let meeting: i64 = sqlx::query_scalar(
        "SELECT id FROM meetings WHERE group_id = (SELECT id FROM groups WHERE slug = 'natur')
         AND starts_at > now() AND kind = 'ordinary' ORDER BY starts_at LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    sqlx::query("DELETE FROM agendas WHERE meeting_id = $1").bind(meeting).execute(&app.db).await.unwrap();
    let token = app.csrf(secretariat, &format!("/moeder/{meeting}")).await;
    let response = app.post_form(secretariat, &format!("/moeder/{meeting}/dagsorden"), &[("csrf_token", &token)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    meeting
}

async fn printable(app: &TestApp, client: &reqwest::Client, meeting: i64) -> String {
    let response = app.get(client, &format!("/moeder/{meeting}/dagsorden")).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_agenda_carries_only_the_selected_requests_marks_the_not_ready_and_keeps_its_snapshot_a7_a8() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let requests = natur_requests(&app).await;
    let [(decide, decide_title), (discuss, discuss_title), (left_out, left_out_title)] = &requests[..] else {
        panic!("the demo has three requests in Natur")
    };
    for (id, status) in [(decide, "described"), (discuss, "described"), (left_out, "ready_for_decision")] {
        sqlx::query("UPDATE change_requests SET status = $2, not_ready_note = '' WHERE id = $1")
            .bind(id)
            .bind(status)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let meeting = meeting_with_draft_agenda(&app, &secretariat).await;

    // A7: the secretariat selects; the request not chosen stays off the agenda whatever its status.
    let token = app.csrf(&secretariat, &format!("/moeder/{meeting}")).await;
    let page = app.get(&secretariat, &format!("/moeder/{meeting}")).await.text().await.unwrap();
    assert!(page.contains(&format!("name=\"purpose_{decide}\"")), "the secretariat's choice is on the page");
    let (p1, p2, p3) = (format!("purpose_{decide}"), format!("purpose_{discuss}"), format!("purpose_{left_out}"));
    let note = format!("note_{discuss}");
    let fields = [
        ("csrf_token", token.as_str()),
        (p1.as_str(), "decision"),
        (p2.as_str(), "discussion"),
        (note.as_str(), "Mangler estimat jf. sidste møde"),
        (p3.as_str(), ""),
    ];
    let response = app.post_form(&secretariat, &format!("/moeder/{meeting}/dagsorden/aendringsoensker"), &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let draft = printable(&app, &secretariat, meeting).await;
    assert!(draft.contains(decide_title.as_str()) && draft.contains(discuss_title.as_str()));
    assert!(!draft.contains(left_out_title.as_str()), "only selected requests are on the agenda");
    assert!(draft.contains("Til beslutning") && draft.contains("Til drøftelse"));
    assert!(draft.contains("Mangler estimat jf. sidste møde"), "the note against last meeting's agreements");
    assert!(draft.contains("ikke «Klar til beslutning»"), "a request for decision that is not ready is marked");

    // A hostile selection: a request of another group is refused and nothing changes.
    let foreign: i64 = sqlx::query_scalar(
        "SELECT id FROM change_requests WHERE group_id = (SELECT id FROM groups WHERE slug = 'vand') LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let foreign_field = format!("purpose_{foreign}");
    let token = app.csrf(&secretariat, &format!("/moeder/{meeting}")).await;
    let response = app
        .post_form(
            &secretariat,
            &format!("/moeder/{meeting}/dagsorden/aendringsoensker"),
            &[("csrf_token", &token), (&foreign_field, "decision")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let selected: i64 = sqlx::query_scalar("SELECT count(*) FROM agenda_change_requests WHERE meeting_id = $1")
        .bind(meeting)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(selected, 2);

    // A8: an open action, then the chair's approval and publication.
    sqlx::query(
        "INSERT INTO actions (group_id, title, owner_id, due_on)
         SELECT id, 'Snapshot-aktion om kortlag', (SELECT id FROM people WHERE email = $1), current_date + 30
         FROM groups WHERE slug = 'natur'",
    )
    .bind(CHAIR)
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE agendas SET status = 'approved', sent_to_chair_at = now(), approved_at = now(),
                approved_by = (SELECT id FROM people WHERE email = $2) WHERE meeting_id = $1",
    )
    .bind(meeting)
    .bind(CHAIR)
    .execute(&app.db)
    .await
    .unwrap();
    let token = app.csrf(&secretariat, &format!("/moeder/{meeting}")).await;
    let response =
        app.post_form(&secretariat, &format!("/moeder/{meeting}/dagsorden/udsend"), &[("csrf_token", &token)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let published = printable(&app, &secretariat, meeting).await;
    assert!(published.contains("Snapshot-aktion om kortlag"), "issue 8: item 1.4 shows the open actions");

    // The registers move on; the published agenda shows what it showed.
    sqlx::query("UPDATE actions SET status = 'done', done_at = now() WHERE title = 'Snapshot-aktion om kortlag'")
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("UPDATE change_requests SET title = 'Omdøbt efter mødet', status = 'ready_for_decision' WHERE id = $1")
        .bind(decide)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("DELETE FROM agenda_change_requests WHERE meeting_id = $1")
        .bind(meeting)
        .execute(&app.db)
        .await
        .unwrap();
    let later = printable(&app, &secretariat, meeting).await;
    assert!(later.contains("Snapshot-aktion om kortlag"), "the closed action stays on the old agenda");
    assert!(later.contains(decide_title.as_str()) && !later.contains("Omdøbt efter mødet"));
    assert!(later.contains("Mangler estimat jf. sidste møde"));
    let chair = app.login_as(CHAIR).await;
    let page = app.get(&chair, &format!("/moeder/{meeting}")).await.text().await.unwrap();
    assert!(page.contains("Som ved udsendelsen af dagsordenen") && page.contains(decide_title.as_str()));

    // The snapshot says which shape it was written in; one that cannot be read is an error, never
    // quietly replaced by the registers of today.
    let version: Option<i64> =
        sqlx::query_scalar("SELECT (snapshot->>'version')::bigint FROM agendas WHERE meeting_id = $1")
            .bind(meeting)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(version, Some(1));
    sqlx::query("UPDATE agendas SET snapshot = '{\"dashboard\": {\"budget\": \"ødelagt\"}}' WHERE meeting_id = $1")
        .bind(meeting)
        .execute(&app.db)
        .await
        .unwrap();
    let broken = app.get(&chair, &format!("/moeder/{meeting}")).await;
    assert_eq!(broken.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!broken.text().await.unwrap().contains("Omdøbt efter mødet"), "not the registers of today");
}

async fn search(app: &TestApp, client: &reqwest::Client, q: &str) -> String {
    let response = client.get(app.url("/soeg")).query(&[("q", q)]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{q}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn search_finds_danish_word_forms_escapes_then_marks_and_hides_what_the_searcher_may_not_read() {
    let app = spawn_app().await;
    let [(natur_cr, natur_title), ..] = &natur_requests(&app).await[..] else { panic!("no requests") };
    sqlx::query("UPDATE change_requests SET business_need = 'Ændringsønsket gælder <script>alert(1)</script> kortet.' WHERE id = $1")
        .bind(natur_cr)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("UPDATE groups SET confidentiality = 'confidential' WHERE slug = 'jord'")
        .execute(&app.db)
        .await
        .unwrap();
    let jord_title: String = sqlx::query_scalar(
        "UPDATE change_requests SET business_need = 'Grundvandsboringerne i hemmelighed'
         WHERE id = (SELECT min(id) FROM change_requests WHERE group_id = (SELECT id FROM groups WHERE slug = 'jord'))
         RETURNING title",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    // An agenda item of Natur's that is still a draft: only the secretariat reads it (A1).
    let meeting: i64 = sqlx::query_scalar(
        "SELECT id FROM meetings WHERE group_id = (SELECT id FROM groups WHERE slug = 'natur') AND starts_at > now()
         ORDER BY starts_at LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    sqlx::query("DELETE FROM agendas WHERE meeting_id = $1").bind(meeting).execute(&app.db).await.unwrap();
    sqlx::query(
        "WITH a AS (INSERT INTO agendas (meeting_id) VALUES ($1) RETURNING id)
         INSERT INTO agenda_items (agenda_id, position, title) SELECT id, 1, 'Blækspruttepunkt i kladden' FROM a",
    )
    .bind(meeting)
    .execute(&app.db)
    .await
    .unwrap();

    let member = app.login_as(MEMBER).await;
    let found = search(&app, &member, "ændringsønsker").await;
    assert!(found.contains(natur_title.as_str()), "ændringsønsker finds ændringsønsket");
    assert!(found.contains("<mark>Ændringsønsket</mark>"), "the hit is marked");
    assert!(!found.contains("<script>alert"), "escaped before marking");
    assert!(found.contains("Ændringsønsker") && found.contains("· Natur"), "grouped by kind, with the group");

    let hidden = search(&app, &member, "grundvandsboring").await;
    assert!(!hidden.contains(jord_title.as_str()), "an outsider finds nothing of a confidential group");
    assert!(
        !search(&app, &member, "blækspruttepunkter").await.contains("Blækspruttepunkt"),
        "a draft agenda is hidden"
    );

    let secretariat = app.login_as(SECRETARIAT).await;
    assert!(search(&app, &secretariat, "grundvandsboring").await.contains(jord_title.as_str()));
    assert!(search(&app, &secretariat, "blækspruttepunkter").await.contains("Blækspruttepunkt"));

    sqlx::query(
        "UPDATE agendas SET status = 'published', sent_to_chair_at = now(), approved_at = now(), published_at = now(),
                approved_by = (SELECT id FROM people WHERE email = $2) WHERE meeting_id = $1",
    )
    .bind(meeting)
    .bind(CHAIR)
    .execute(&app.db)
    .await
    .unwrap();
    assert!(
        search(&app, &member, "blækspruttepunkter").await.contains("Blækspruttepunkt"),
        "published, the members read it"
    );

    let empty = search(&app, &member, "").await;
    assert!(!empty.contains("Ingen resultater"));
    let long = search(&app, &member, &"ø".repeat(300)).await;
    assert!(long.contains("Skriv højst 200 tegn"));
    let odd = search(&app, &member, "\"( & | ! :*").await;
    assert!(odd.contains("Ingen resultater") || odd.contains("<mark>"), "{odd}");
}
