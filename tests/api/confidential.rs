//! O5, M5: a confidential group shows nothing of itself to anyone but the secretariat and its own active
//! members, on any page, list, download, feed or API endpoint. The walk visits every readable URL of
//! the router as an outsider and as a nominated member, and looks for the group's own words.

use reqwest::StatusCode;
use samarbejdsrum::domain::access::GlobalRole;
use samarbejdsrum::store::accounts::{self, NewAccount};
use samarbejdsrum::store::audit::Actor;

use crate::helpers::*;

const NOMINATED: &str = "nanna.juhl@aarhus.example";
const ACTIVE_JORD_MEMBER: &str = "ida.lauridsen@mst.example";
const SECRET_NAME: &str = "Faggruppe Fortrolig Xq7";
const SECRET_PURPOSE: &str = "Formål der ikke må ses Zk9";

/// Gives a demo person an account with the demo password.
async fn account_for(app: &TestApp, email: &str) {
    let hash = samarbejdsrum::security::password::hash(DEMO_PASSWORD.into()).await.unwrap();
    let new = NewAccount { email, name: "", role: GlobalRole::User, password_hash: &hash };
    accounts::upsert(&app.db, &Actor::cli(), new).await.unwrap();
}

struct Secret {
    group_id: i64,
    change_request_id: i64,
    meeting_id: i64,
    /// A held meeting with approved minutes (R1-R5).
    held_meeting_id: i64,
    document_id: i64,
    /// Words that belong to the group alone: its name, purpose, change requests and initiatives.
    words: Vec<String>,
}

/// Makes the demo's Jord group confidential, with a published agenda and an attachment on a meeting.
async fn confidential_jord(app: &TestApp) -> Secret {
    sqlx::query("UPDATE groups SET confidentiality = 'confidential', name = $1, purpose = $2 WHERE slug = 'jord'")
        .bind(SECRET_NAME)
        .bind(SECRET_PURPOSE)
        .execute(&app.db)
        .await
        .unwrap();
    let group_id = group_id(app, "jord").await;
    let mut words: Vec<String> = sqlx::query_scalar(
        "SELECT title FROM change_requests WHERE group_id = $1
         UNION SELECT reference FROM change_requests WHERE group_id = $1
         UNION SELECT title FROM roadmap_initiatives WHERE group_id = $1",
    )
    .bind(group_id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    words.extend([SECRET_NAME.to_owned(), SECRET_PURPOSE.to_owned(), "Hemmeligt bilag.pdf".to_owned()]);
    // The minutes' registers (R5, C4): the group's decisions and actions.
    words.extend(
        sqlx::query_scalar::<_, String>(
            "SELECT title FROM actions WHERE group_id = $1
             UNION SELECT d.text FROM decisions d JOIN meetings m ON m.id = d.meeting_id WHERE m.group_id = $1",
        )
        .bind(group_id)
        .fetch_all(&app.db)
        .await
        .unwrap(),
    );
    let held_meeting_id: i64 = sqlx::query_scalar(
        "SELECT m.id FROM meetings m JOIN minutes mi ON mi.meeting_id = m.id
         WHERE m.group_id = $1 AND mi.status = 'approved' ORDER BY m.starts_at LIMIT 1",
    )
    .bind(group_id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    // Minutes out for comments (R3): the start page lists them, with the group's name, to the group and
    // the secretariat only (issue 12 read them in a new statement).
    sqlx::query(
        "INSERT INTO minutes (meeting_id, status, sent_at)
         SELECT id, 'sent', now() FROM meetings WHERE group_id = $1 AND starts_at < now() AND id <> $2
         ORDER BY starts_at DESC LIMIT 1
         ON CONFLICT (meeting_id) DO UPDATE SET status = 'sent', sent_at = now(), approved_at = NULL, worked_in_at = NULL",
    )
    .bind(group_id)
    .bind(held_meeting_id)
    .execute(&app.db)
    .await
    .unwrap();
    let meeting_id: i64 = sqlx::query_scalar(
        "SELECT id FROM meetings WHERE group_id = $1 AND starts_at > now() ORDER BY starts_at LIMIT 1",
    )
    .bind(group_id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO agendas (meeting_id, status, sent_to_chair_at, approved_at, approved_by, published_at)
         VALUES ($1, 'published', now(), now(), (SELECT id FROM people WHERE email = 'niels.dalgaard@mst.example'), now())
         ON CONFLICT (meeting_id) DO UPDATE SET status = 'published', sent_to_chair_at = now(), approved_at = now(),
             approved_by = (SELECT id FROM people WHERE email = 'niels.dalgaard@mst.example'), published_at = now()",
    )
    .bind(meeting_id)
    .execute(&app.db)
    .await
    .unwrap();
    let document_id: i64 = sqlx::query_scalar(
        "INSERT INTO documents (group_id, meeting_id, filename, content_type, size_bytes, sha256, content)
         VALUES ($1, $2, 'Hemmeligt bilag.pdf', 'application/pdf', 5, sha256('%PDF-'::bytea), '%PDF-'::bytea)
         RETURNING id",
    )
    .bind(group_id)
    .bind(meeting_id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let change_request_id: i64 =
        sqlx::query_scalar("SELECT id FROM change_requests WHERE group_id = $1 ORDER BY id LIMIT 1")
            .bind(group_id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    // Search (issue 9 item 8): a word only this request holds; the walk searches another form of it, so the
    // page's echo of the query is no leak, while a hit would show the request's (secret) title.
    sqlx::query("UPDATE change_requests SET business_need = business_need || ' Lækageberetningerne.' WHERE id = $1")
        .bind(change_request_id)
        .execute(&app.db)
        .await
        .unwrap();
    Secret { group_id, change_request_id, meeting_id, held_meeting_id, document_id, words }
}

/// Every URL a reader can GET, with the confidential group's slug and ids filled in.
fn urls(s: &Secret) -> Vec<String> {
    let (g, m, d) = (s.group_id, s.meeting_id, s.document_id);
    [
        "/",
        "/grupper",
        "/moeder",
        "/frister",
        "/aendringsoensker",
        "/roadmap",
        "/budget",
        "/medlemmer",
        "/profil",
        "/grupper/jord",
        "/grupper/jord/moeder",
        "/grupper/jord/fremmoede",
        "/grupper/jord/fremmoede.csv",
        "/grupper/jord/kommissorium",
        "/grupper/jord/kommissorium/1",
        "/grupper/jord/kommissorium/1.pdf",
        "/grupper/jord/kommissorium/1.docx",
        "/medlemmer/jord",
        "/medlemmer/jord/medlemsliste.csv",
        &format!("/moeder/{m}"),
        &format!("/moeder/{m}/dagsorden"),
        &format!("/moeder/{m}/dagsorden.pdf"),
        &format!("/moeder/{m}/dagsorden.docx"),
        &format!("/moeder/{m}/sag.zip"),
        &format!("/moeder/{m}/kalender.ics"),
        &format!("/moeder/{m}/rediger"),
        &format!("/moeder/{m}/bilag/{d}"),
        "/api/v1/groups",
        &format!("/api/v1/groups/{g}/members"),
        &format!("/api/v1/groups/{g}/memberships"),
        &format!("/api/v1/meetings/{m}"),
        "/api/v1/people",
        // The registers (C1-C3, B1-B3, O4).
        "/aendringsoensker.csv",
        "/eskaleringer",
        "/loesninger",
        "/grupper/jord/aendringsoensker",
        "/grupper/jord/aendringsoensker.csv",
        "/grupper/jord/budget",
        "/grupper/jord/roadmap",
        &format!("/aendringsoensker/{}", s.change_request_id),
        &format!("/api/v1/groups/{g}/change-requests"),
        &format!("/api/v1/groups/{g}/roadmap"),
        &format!("/api/v1/groups/{g}/budgets/{}", chrono::Datelike::year(&chrono::Utc::now())),
        &format!("/api/v1/groups/{g}/operations"),
        &format!("/api/v1/change-requests/{}", s.change_request_id),
        // Search: the Danish form of a word only the confidential request holds.
        "/soeg?q=l%C3%A6kageberetning",
        // The minutes and what they feed (R1-R5, C4).
        "/beslutninger",
        "/aktioner",
        "/grupper/jord/referater",
        "/grupper/jord/beslutninger",
        "/grupper/jord/aktioner",
        &format!("/moeder/{}/referat", s.held_meeting_id),
        &format!("/moeder/{}/referat/udskrift", s.held_meeting_id),
        &format!("/moeder/{}/referat.pdf", s.held_meeting_id),
        &format!("/moeder/{}/referat.docx", s.held_meeting_id),
        &format!("/moeder/{}/referat/versioner/1", s.held_meeting_id),
        &format!("/moeder/{m}/referat"),
        &format!("/api/v1/meetings/{}/minutes", s.held_meeting_id),
        &format!("/api/v1/groups/{g}/decisions"),
        &format!("/api/v1/groups/{g}/actions"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The URLs whose body shows any of the secret words, for a client with cookies and/or a bearer token.
async fn leaks(app: &TestApp, client: &reqwest::Client, token: Option<&str>, secret: &Secret) -> Vec<String> {
    let mut found = Vec::new();
    for url in urls(secret) {
        let mut request = client.get(app.url(&url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        assert!(status.as_u16() < 500, "{url}: {status}");
        let body = response.text().await.unwrap();
        for word in &secret.words {
            if body.contains(word.as_str()) {
                found.push(format!("{url} ({status}) shows {word:?}"));
            }
        }
    }
    found
}

#[tokio::test]
async fn a_confidential_group_shows_nothing_to_outsiders_or_nominated_members_o5_m5() {
    let app = spawn_app().await;
    let secret = confidential_jord(&app).await;
    account_for(&app, NOMINATED).await;
    account_for(&app, ACTIVE_JORD_MEMBER).await;

    let mut outsiders = Vec::new();
    for email in [MEMBER, CHAIR, SUBSTITUTE, NOMINATED] {
        let token = api_token(&app, email).await;
        let client = app.login_as(email).await;
        outsiders
            .extend(leaks(&app, &client, Some(&token), &secret).await.into_iter().map(|l| format!("{email}: {l}")));
    }
    outsiders.extend(leaks(&app, &app.client(), None, &secret).await.into_iter().map(|l| format!("anonymous: {l}")));
    assert!(outsiders.is_empty(), "confidential data leaked:\n{}", outsiders.join("\n"));

    // The walk is not blind: the secretariat and an active member of the group do see it.
    for email in [SECRETARIAT, ACTIVE_JORD_MEMBER] {
        let token = api_token(&app, email).await;
        let seen = leaks(&app, &app.login_as(email).await, Some(&token), &secret).await;
        for url in ["/grupper", "/aendringsoensker", "/roadmap", "/budget", "/grupper/jord", "/soeg", "/api/v1/groups/"]
        {
            assert!(seen.iter().any(|l| l.starts_with(url)), "{email} should see the group on {url}: {seen:#?}");
        }
    }
}

#[tokio::test]
async fn the_nominated_member_reads_the_group_once_approved_m5() {
    let app = spawn_app().await;
    let secret = confidential_jord(&app).await;
    account_for(&app, NOMINATED).await;
    let client = app.login_as(NOMINATED).await;
    assert_eq!(app.get(&client, "/grupper/jord").await.status(), StatusCode::NOT_FOUND);
    sqlx::query(
        "UPDATE memberships SET status = 'active', approved_on = current_date, starts_on = current_date
         WHERE person_id = (SELECT id FROM people WHERE email = $1) AND group_id = $2",
    )
    .bind(NOMINATED)
    .bind(secret.group_id)
    .execute(&app.db)
    .await
    .unwrap();
    let page = app.get(&client, "/grupper/jord").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains(SECRET_NAME));
}
