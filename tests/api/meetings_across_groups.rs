//! T1: the chairs' meetings and the joint meeting (meetings across groups) are shown, on the start page,
//! in the meeting list, on their own page and in the personal calendar feed, only to those invited to
//! them (their fixed participants) and to the secretariat and administrators who run them.

use reqwest::StatusCode;
use samarbejdsrum::domain::access::GlobalRole;
use samarbejdsrum::store::accounts::{self, NewAccount};
use samarbejdsrum::store::audit::Actor;

use crate::helpers::*;

async fn meeting(app: &TestApp, kind: &str) -> (i64, String) {
    sqlx::query_as("SELECT id, title FROM meetings WHERE group_id IS NULL AND kind = $1")
        .bind(kind)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// A signed-in person in no group at all.
async fn outsider(app: &TestApp) -> reqwest::Client {
    let hash = samarbejdsrum::security::password::hash(DEMO_PASSWORD.into()).await.unwrap();
    let new =
        NewAccount { email: "udenfor@example.dk", name: "Uden Gruppe", role: GlobalRole::User, password_hash: &hash };
    accounts::upsert(&app.db, &Actor::cli(), new).await.unwrap();
    app.login_as("udenfor@example.dk").await
}

/// The person's calendar feed, made the way the profile page makes one.
async fn feed(app: &TestApp, client: &reqwest::Client) -> String {
    let token = app.csrf(client, "/profil").await;
    app.post_form(client, "/profil/kalender", &[("csrf_token", &token)]).await;
    let profile = app.get(client, "/profil").await.text().await.unwrap();
    let start = profile.find("<code id=\"new-feed\">").expect("feed url") + "<code id=\"new-feed\">".len();
    let url = profile[start..start + profile[start..].find('<').unwrap()].to_owned();
    app.get(&app.client(), url.trim_start_matches(&app.address)).await.text().await.unwrap()
}

struct Seen {
    start_page: bool,
    list: bool,
    page: StatusCode,
    ics: StatusCode,
    feed: bool,
}

async fn seen_by(app: &TestApp, client: &reqwest::Client, feed_text: &str, (id, _): &(i64, String)) -> Seen {
    let link = format!("href=\"/moeder/{id}\"");
    Seen {
        start_page: app.get(client, "/").await.text().await.unwrap().contains(&link),
        list: app.get(client, "/moeder").await.text().await.unwrap().contains(&link),
        page: app.get(client, &format!("/moeder/{id}")).await.status(),
        ics: app.get(client, &format!("/moeder/{id}/kalender.ics")).await.status(),
        feed: feed_text.contains(&format!("UID:meeting-{id}@samarbejdsrum")),
    }
}

#[tokio::test]
async fn a_chairs_meeting_is_shown_only_to_the_chairs_and_the_secretariat_t1() {
    let app = spawn_app().await;
    let chairs = meeting(&app, "chairs").await;

    let chair = app.login_as(CHAIR).await;
    let chair_feed = feed(&app, &chair).await;
    let seen = seen_by(&app, &chair, &chair_feed, &chairs).await;
    assert_eq!((seen.start_page, seen.list, seen.feed), (true, true, true), "the invited chair sees it everywhere");
    assert_eq!((seen.page, seen.ics), (StatusCode::OK, StatusCode::OK));

    for email in [MEMBER, SUBSTITUTE] {
        let client = app.login_as(email).await;
        let own_feed = feed(&app, &client).await;
        let seen = seen_by(&app, &client, &own_feed, &chairs).await;
        assert!(!seen.start_page, "{email}: not on the start page");
        assert!(!seen.list, "{email}: not in the meeting list");
        assert!(!seen.feed, "{email}: not in the calendar feed");
        assert_eq!((seen.page, seen.ics), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND), "{email}: no page");
        assert!(own_feed.contains("BEGIN:VCALENDAR") && own_feed.contains("UID:meeting-"), "their own meetings are");
    }

    // The API answers as the page does.
    let token = api_token(&app, MEMBER).await;
    let response = app.client().get(app.url(&format!("/api/v1/meetings/{}", chairs.0))).bearer_auth(token).send();
    assert_eq!(response.await.unwrap().status(), StatusCode::NOT_FOUND);

    for email in [SECRETARIAT, ADMIN] {
        let client = app.login_as(email).await;
        let own_feed = feed(&app, &client).await;
        let seen = seen_by(&app, &client, &own_feed, &chairs).await;
        assert!(seen.list && seen.feed, "{email} runs it and sees it");
        assert_eq!((seen.page, seen.ics), (StatusCode::OK, StatusCode::OK), "{email}");
    }
}

#[tokio::test]
async fn the_joint_meeting_is_shown_to_everyone_in_the_groups_but_not_to_others_t1() {
    let app = spawn_app().await;
    let joint = meeting(&app, "joint").await;
    let chairs_board = meeting(&app, "chairs_board").await;

    for email in [MEMBER, SUBSTITUTE] {
        let client = app.login_as(email).await;
        let own_feed = feed(&app, &client).await;
        let seen = seen_by(&app, &client, &own_feed, &joint).await;
        assert_eq!((seen.start_page, seen.list, seen.feed), (true, true, true), "{email} (M6: substitutes too)");
        assert_eq!(seen.page, StatusCode::OK);
        let seen = seen_by(&app, &client, &own_feed, &chairs_board).await;
        assert!(!seen.list && !seen.feed && seen.page == StatusCode::NOT_FOUND, "{email}: not the chairs' one");
    }

    let nobody = outsider(&app).await;
    let own_feed = feed(&app, &nobody).await;
    for m in [&joint, &chairs_board] {
        let seen = seen_by(&app, &nobody, &own_feed, m).await;
        assert!(!seen.start_page && !seen.list && !seen.feed, "a person in no group is invited to nothing");
        assert_eq!(seen.page, StatusCode::NOT_FOUND);
    }

    // Once among its participants, they see it.
    let person: i64 = sqlx::query_scalar("SELECT id FROM people WHERE email = 'udenfor@example.dk'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    sqlx::query("INSERT INTO meeting_participants (meeting_id, person_id) VALUES ($1, $2)")
        .bind(joint.0)
        .bind(person)
        .execute(&app.db)
        .await
        .unwrap();
    let seen = seen_by(&app, &nobody, &own_feed, &joint).await;
    assert!(seen.list && seen.page == StatusCode::OK);
}
