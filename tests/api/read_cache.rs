//! The kept pages (issue 25, `store::read_cache`): the main pages' data is kept in memory under the
//! database's read versions (migration 0042). A change made through one instance shows at the next view
//! through another; any sequence of changes leaves every page as an instance without the cache draws
//! it; and a copy read for one reader is never shown to a reader the read rules keep out (O5, A1, A2).

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use samarbejdsrum::config::Config;
use samarbejdsrum::domain::access::GlobalRole;
use samarbejdsrum::store::accounts::{self, NewAccount};
use samarbejdsrum::store::audit::Actor;

use crate::helpers::*;

/// Natur's next ordinary meeting with a fresh draft agenda, and its latest held meeting with its
/// minutes sent for comments now (R3), as `scripts/load-setup.sql` prepares them.
async fn natur_meetings(app: &TestApp, secretariat: &reqwest::Client) -> (i64, i64) {
    let planned: i64 = sqlx::query_scalar(
        "SELECT id FROM meetings WHERE group_id = (SELECT id FROM groups WHERE slug = 'natur')
         AND starts_at > now() + interval '1 day' AND kind = 'ordinary' AND status = 'planned' ORDER BY starts_at LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    sqlx::query("DELETE FROM agendas WHERE meeting_id = $1").bind(planned).execute(&app.db).await.unwrap();
    let token = app.csrf(secretariat, &format!("/moeder/{planned}")).await;
    let made = app.post_form(secretariat, &format!("/moeder/{planned}/dagsorden"), &[("csrf_token", &token)]).await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let held: i64 = sqlx::query_scalar(
        "UPDATE minutes SET status = 'sent', sent_at = now(), worked_in_at = NULL, approved_at = NULL,
                sent_by = (SELECT id FROM people WHERE email = 'sekretariat@dmp.example')
         WHERE meeting_id = (SELECT m.id FROM meetings m JOIN minutes mi ON mi.meeting_id = m.id
                             WHERE m.group_id = (SELECT id FROM groups WHERE slug = 'natur') AND m.status = 'held'
                             ORDER BY m.starts_at DESC LIMIT 1)
         RETURNING meeting_id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    (planned, held)
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let response = app.get(client, path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

async fn first_minutes_item(app: &TestApp, meeting: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT min(i.id) FROM minutes_items i JOIN minutes mi ON mi.id = i.minutes_id WHERE mi.meeting_id = $1",
    )
    .bind(meeting)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn each_kind_of_change_through_one_instance_shows_at_the_next_view_through_another() {
    let a = spawn_app().await;
    let b = spawn_app_on(a.database_url.clone()).await;
    let secretariat = a.login_as(SECRETARIAT).await;
    let member = a.login_as(MEMBER).await;
    let (planned, held) = natur_meetings(&a, &secretariat).await;
    let meeting_page = format!("/moeder/{planned}");
    let minutes_page = format!("/moeder/{held}/referat");
    // The session lives in the database, so the same cookies sign in on the other instance.
    for warm in [&secretariat, &member] {
        page(&b, warm, &meeting_page).await;
        page(&b, warm, &minutes_page).await;
        page(&b, warm, "/grupper/natur").await;
        page(&b, warm, "/").await;
    }

    // An agenda item (A4).
    let title = "Punkt fra den anden instans Qw1";
    let added =
        post_from(&a, &secretariat, &meeting_page, &format!("{meeting_page}/dagsorden/punkter"), &[("title", title)])
            .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    assert!(page(&b, &secretariat, &meeting_page).await.contains(title), "the new item shows on the other instance");

    // An apology (T4): the member's own page and the secretariat's attendance both change.
    assert!(page(&b, &member, &meeting_page).await.contains("name=\"note\""), "the apology form before");
    let apologies = page(&b, &secretariat, &meeting_page).await.matches("Afbud").count();
    let apology =
        post_from(&a, &member, &meeting_page, &format!("{meeting_page}/afbud"), &[("note", "Ferie Qw2")]).await;
    assert_eq!(apology.status(), StatusCode::SEE_OTHER);
    assert!(!page(&b, &member, &meeting_page).await.contains("name=\"note\""), "the form gives way to the apology");
    let now = page(&b, &secretariat, &meeting_page).await.matches("Afbud").count();
    assert!(now > apologies, "the secretariat's attendance shows the apology ({apologies} -> {now})");

    // An attachment (T7).
    let token = a.csrf(&secretariat, &meeting_page).await;
    let form = reqwest::multipart::Form::new().text("csrf_token", token).part(
        "fil",
        reqwest::multipart::Part::bytes(b"%PDF-1.7\nBilag\n".to_vec()).file_name("Bilag Qw3.pdf".to_owned()),
    );
    let uploaded = secretariat.post(a.url(&format!("{meeting_page}/bilag"))).multipart(form).send().await.unwrap();
    assert_eq!(uploaded.status(), StatusCode::SEE_OTHER);
    assert!(page(&b, &secretariat, &meeting_page).await.contains("Bilag Qw3.pdf"));

    // A change request on the agenda's dashboard (A7): chosen for decision, it joins the agenda.
    let (request, request_title): (i64, String) = sqlx::query_as(
        "UPDATE change_requests SET status = 'described', not_ready_note = ''
         WHERE id = (SELECT min(id) FROM change_requests WHERE group_id = (SELECT id FROM groups WHERE slug = 'natur'))
         RETURNING id, title",
    )
    .fetch_one(&a.db)
    .await
    .unwrap();
    let before = page(&b, &secretariat, &meeting_page).await.matches(request_title.as_str()).count();
    let purpose = format!("purpose_{request}");
    let chosen = post_from(
        &a,
        &secretariat,
        &meeting_page,
        &format!("{meeting_page}/dagsorden/aendringsoensker"),
        &[(purpose.as_str(), "decision")],
    )
    .await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    let after = page(&b, &secretariat, &meeting_page).await.matches(request_title.as_str()).count();
    assert!(after > before, "the chosen request shows on the agenda too ({before} -> {after})");

    // A comment on the minutes (R3).
    let item = first_minutes_item(&a, held).await.to_string();
    let comment = post_from(
        &a,
        &member,
        &minutes_page,
        &format!("{minutes_page}/bemaerkninger"),
        &[("minutes_item_id", &item), ("body", "Bemærkning Qw4")],
    )
    .await;
    assert_eq!(comment.status(), StatusCode::SEE_OTHER);
    assert!(page(&b, &secretariat, &minutes_page).await.contains("Bemærkning Qw4"));

    // A person's new name (the reference data) shows on the group page, and the start page's tasks move
    // with the agenda: a draft sent to the chair leaves the secretariat's "to send" list.
    sqlx::query("UPDATE people SET name = 'Navneskift Qw5' WHERE email = $1")
        .bind(MEMBER)
        .execute(&a.db)
        .await
        .unwrap();
    assert!(page(&b, &secretariat, "/grupper/natur").await.contains("Navneskift Qw5"));
    assert!(page(&b, &secretariat, &meeting_page).await.contains("Navneskift Qw5"));
    b.stop().await;
}

/// The pages a reader sees, drawn by both instances: must be the same, byte for byte.
async fn same_pages(cached: &TestApp, reference: &TestApp, readers: &[(&str, &reqwest::Client)], paths: &[String]) {
    for (who, client) in readers {
        for path in paths {
            let (kept, fresh) = (cached.get(client, path).await, reference.get(client, path).await);
            assert_eq!(kept.status(), fresh.status(), "{who} {path}");
            let (kept, fresh) = (kept.text().await.unwrap(), fresh.text().await.unwrap());
            if kept != fresh {
                let differs = kept.lines().zip(fresh.lines()).find(|(k, f)| k != f);
                panic!("{who} {path}: the kept page differs from a fresh one at {differs:?}");
            }
        }
    }
}

/// A small deterministic generator, so a failing sequence can be run again from its seed.
struct Steps(u64);

impl Steps {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[tokio::test]
async fn any_sequence_of_changes_leaves_every_page_as_an_uncached_instance_draws_it() {
    let cached = spawn_app().await;
    let reference = spawn_with(Config { read_cache: false, ..Config::for_tests(cached.database_url.clone()) }).await;
    let now = Utc::now();
    cached.set_time(now);
    reference.set_time(now);
    let secretariat = cached.login_as(SECRETARIAT).await;
    let chair = cached.login_as(CHAIR).await;
    let member = cached.login_as(MEMBER).await;
    let substitute = cached.login_as(SUBSTITUTE).await;
    let (planned, held) = natur_meetings(&cached, &secretariat).await;
    let readers =
        [("sekretariat", &secretariat), ("forperson", &chair), ("medlem", &member), ("suppleant", &substitute)];
    let paths = [
        format!("/moeder/{planned}"),
        format!("/moeder/{held}"),
        format!("/moeder/{held}/referat"),
        "/grupper/natur".to_owned(),
        "/".to_owned(),
        "/frister".to_owned(),
        "/api/v1/groups".to_owned(),
    ];
    let meeting_page = format!("/moeder/{planned}");
    let minutes_page = format!("/moeder/{held}/referat");
    let item = first_minutes_item(&cached, held).await.to_string();
    for seed in [7_u64, 2025, 4242] {
        let mut steps = Steps(seed);
        for step in 0..6 {
            // Changes through either instance and straight in the database, as another tool would make them.
            let via = if steps.next(2) == 0 { &cached } else { &reference };
            let mark = format!("S{seed}x{step}");
            let kind = steps.next(8);
            let answer = match kind {
                0 => {
                    let path = format!("{meeting_page}/dagsorden/punkter");
                    Some(post_from(via, &secretariat, &meeting_page, &path, &[("title", &mark)]).await)
                }
                1 => Some(
                    post_from(via, &member, &meeting_page, &format!("{meeting_page}/afbud"), &[("note", &mark)]).await,
                ),
                2 => Some(
                    post_from(via, &member, &meeting_page, &format!("{meeting_page}/afbud/tilbagekald"), &[]).await,
                ),
                3 => {
                    let path = format!("{minutes_page}/bemaerkninger");
                    Some(
                        post_from(via, &chair, &minutes_page, &path, &[("minutes_item_id", &item), ("body", &mark)])
                            .await,
                    )
                }
                4 => {
                    let path = format!("{meeting_page}/tjekliste");
                    let done = if steps.next(2) == 0 { "ja" } else { "" };
                    Some(
                        post_from(via, &secretariat, &meeting_page, &path, &[("item", "catering"), ("done", done)])
                            .await,
                    )
                }
                5 => {
                    sqlx::query("UPDATE people SET name = $2 WHERE email = $1")
                        .bind(SUBSTITUTE)
                        .bind(format!("Suppleant {mark}"))
                        .execute(&cached.db)
                        .await
                        .unwrap();
                    None
                }
                6 => {
                    sqlx::query("UPDATE groups SET purpose = $1 WHERE slug = 'natur'")
                        .bind(format!("Formål {mark}"))
                        .execute(&cached.db)
                        .await
                        .unwrap();
                    None
                }
                _ => {
                    // Time passes: the clock moves on a few minutes, on both instances.
                    let later = now + Duration::minutes(5 * (step as i64 + 1));
                    cached.set_time(later);
                    reference.set_time(later);
                    None
                }
            };
            if let Some(answer) = answer {
                assert!(!answer.status().is_server_error(), "step {step} of seed {seed}: {}", answer.status());
            }
            same_pages(&cached, &reference, &readers, &paths).await;
        }
    }
    let hits: i64 = cached.state.kept.meeting_pages.len() as i64;
    assert!(hits > 0, "the cached instance kept meeting pages");
    reference.stop().await;
}

#[tokio::test]
async fn a_copy_kept_for_the_secretariat_shows_nobody_what_the_read_rules_keep_from_them_o5_a1_a2() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let member = app.login_as(MEMBER).await;
    let (planned, _) = natur_meetings(&app, &secretariat).await;
    let meeting_page = format!("/moeder/{planned}");
    let title = "Kladdepunkt kun for sekretariatet Qw6";
    let added =
        post_from(&app, &secretariat, &meeting_page, &format!("{meeting_page}/dagsorden/punkter"), &[("title", title)])
            .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    // The secretariat's views keep the page with the draft (twice: the second is the kept copy).
    for _ in 0..2 {
        assert!(page(&app, &secretariat, &meeting_page).await.contains(title));
    }
    // A1, A2: the member reads the page from the same versions but not the draft agenda.
    let seen = page(&app, &member, &meeting_page).await;
    assert!(!seen.contains(title), "a draft agenda stays the secretariat's");
    assert!(seen.contains("under udarbejdelse"), "the member is told it is being written");

    // O5: Natur made confidential; an active member of another group gets a 404 after the
    // secretariat's views, and so does the public JSON's reader.
    sqlx::query("UPDATE groups SET confidentiality = 'confidential' WHERE slug = 'natur'")
        .execute(&app.db)
        .await
        .unwrap();
    for _ in 0..2 {
        assert_eq!(app.get(&secretariat, &meeting_page).await.status(), StatusCode::OK);
        assert_eq!(app.get(&secretariat, "/grupper/natur").await.status(), StatusCode::OK);
    }
    // An active member of Jord, not of Natur, with an account.
    let outsider_email = "ida.lauridsen@mst.example";
    let hash = samarbejdsrum::security::password::hash(DEMO_PASSWORD.into()).await.unwrap();
    let new = NewAccount { email: outsider_email, name: "", role: GlobalRole::User, password_hash: &hash };
    accounts::upsert(&app.db, &Actor::cli(), new).await.unwrap();
    let outsider = app.login_as(outsider_email).await;
    assert_eq!(app.get(&outsider, &meeting_page).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&outsider, "/grupper/natur").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&outsider, &format!("/moeder/{planned}/referat")).await.status(), StatusCode::NOT_FOUND);
    // The member of the group still reads it.
    assert_eq!(app.get(&member, &meeting_page).await.status(), StatusCode::OK);
    let directory = app.get(&app.client(), "/api/v1/groups").await.text().await.unwrap();
    let natur_name: String =
        sqlx::query_scalar("SELECT name FROM groups WHERE slug = 'natur'").fetch_one(&app.db).await.unwrap();
    assert!(!directory.contains(&natur_name), "the public directory drops a confidential group at once");
}

#[tokio::test]
async fn the_public_directory_answers_304_while_unchanged_and_the_new_page_once_anything_changed() {
    let app = spawn_app().await;
    let client = app.client();
    let first = app.get(&client, "/api/v1/groups").await;
    assert_eq!(first.status(), StatusCode::OK);
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(first.headers()["cache-control"], "public, no-cache", "public data, revalidated at each use");
    let again = client.get(app.url("/api/v1/groups")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
    let other_page = client.get(app.url("/api/v1/groups?page=2")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(other_page.status(), StatusCode::OK, "another page has another ETag");

    sqlx::query("UPDATE groups SET name = 'Faggruppe Natur og Vand Qw7' WHERE slug = 'natur'")
        .execute(&app.db)
        .await
        .unwrap();
    let changed = client.get(app.url("/api/v1/groups")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);
    assert!(changed.text().await.unwrap().contains("Faggruppe Natur og Vand Qw7"));
}
