//! A4: the chair gives the items times (clock times follow from the meeting's start), times past the
//! meeting's end warn; item 1.4 lists the group's open actions and item 3.1 the year's topics placed
//! on the meeting.

use reqwest::StatusCode;

use crate::helpers::*;

fn local(m: u32, d: u32, h: u32) -> chrono::DateTime<chrono::Utc> {
    samarbejdsrum::domain::calendar::local_to_utc(
        chrono::NaiveDate::from_ymd_opt(2027, m, d).unwrap(),
        chrono::NaiveTime::from_hms_opt(h, 0, 0).unwrap(),
    )
    .unwrap()
}

/// The meeting's agenda items with their titles, in reading order of the top level first.
async fn items(app: &TestApp, meeting: i64) -> Vec<(i64, String, Option<i32>)> {
    sqlx::query_as(
        "SELECT i.id, i.title, i.planned_minutes FROM agenda_items i JOIN agendas a ON a.id = i.agenda_id
         WHERE a.meeting_id = $1 ORDER BY i.id",
    )
    .bind(meeting)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_chair_sets_item_times_that_follow_from_the_start_and_warn_past_the_end_a4() {
    let app = spawn_app().await;
    app.set_time(local(3, 1, 9));
    let id = new_meeting(&app, "natur", "2027-03-31").await;
    let secretariat = app.login_as(SECRETARIAT).await;
    assert_eq!(post_meeting(&app, &secretariat, id, "/dagsorden", &[]).await.status(), StatusCode::SEE_OTHER);
    let all = items(&app, id).await;
    let field = |item: i64| format!("minutes_{item}");
    let (first, second) = (all[0].0, all[1].0);

    // The secretariat drafts times; a member reads no draft and sets nothing.
    let (f1, f2) = (field(first), field(second));
    let r = post_meeting(&app, &secretariat, id, "/dagsorden/tider", &[(f1.as_str(), "20"), (f2.as_str(), "")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let member = app.login_as(MEMBER).await;
    let r = post_meeting(&app, &member, id, "/dagsorden/tider", &[(f1.as_str(), "5")]).await;
    assert!(r.status() == StatusCode::NOT_FOUND || r.status() == StatusCode::FORBIDDEN, "{}", r.status());
    assert_eq!(items(&app, id).await[0].2, Some(20));

    // With the chair: the chair sets them, the secretariat waits (A1, A4).
    app.set_time(local(3, 16, 10));
    let (secretariat, chair) = (app.login_as(SECRETARIAT).await, app.login_as(CHAIR).await);
    assert_eq!(
        post_meeting(&app, &secretariat, id, "/dagsorden/send-til-forperson", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let r = post_meeting(&app, &secretariat, id, "/dagsorden/tider", &[(f1.as_str(), "30")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("A4"));
    let bad = post_meeting(&app, &chair, id, "/dagsorden/tider", &[(f1.as_str(), "tyve"), (f2.as_str(), "10")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("hele minutter"));
    assert_eq!(items(&app, id).await[1].2, None, "nothing half-saved");
    let ok = post_meeting(&app, &chair, id, "/dagsorden/tider", &[(f1.as_str(), "15"), (f2.as_str(), "45")]).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let page = app.get(&chair, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(page.contains("kl. 13:00–13:15") && page.contains("kl. 13:15–14:00"), "clock times from 13:00");
    assert!(!page.contains("over mødets slut"));

    // Past the end (16:00): a warning, not a refusal.
    let over = post_meeting(&app, &chair, id, "/dagsorden/tider", &[(f2.as_str(), "185")]).await;
    assert_eq!(over.status(), StatusCode::SEE_OTHER);
    let page = app.get(&chair, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(page.contains("løber 20 min. over mødets slut kl. 16:00"), "the chair is warned");
    let input = format!("name=\"{f2}\" type=\"number\" min=\"1\" max=\"480\" inputmode=\"numeric\" value=\"185\"");
    assert!(page.contains(&input), "the form shows the times as set");

    // Approved and published: the times stand; members see them, not the warning.
    assert_eq!(post_meeting(&app, &chair, id, "/dagsorden/godkend", &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(post_meeting(&app, &secretariat, id, "/dagsorden/udsend", &[]).await.status(), StatusCode::SEE_OTHER);
    let r = post_meeting(&app, &chair, id, "/dagsorden/tider", &[(f1.as_str(), "5")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "approved times are what the chair approved");
    let member = app.login_as(MEMBER).await;
    let page = app.get(&member, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(page.contains("kl. 13:00–13:15") && !page.contains("over mødets slut"));
}

#[tokio::test]
async fn item_1_4_lists_the_open_actions_and_item_3_1_the_topics_placed_on_the_meeting_a4() {
    let app = spawn_app().await;
    app.set_time(local(3, 1, 9));
    let id = new_meeting(&app, "natur", "2027-03-31").await;
    let secretariat = app.login_as(SECRETARIAT).await;
    assert_eq!(post_meeting(&app, &secretariat, id, "/dagsorden", &[]).await.status(), StatusCode::SEE_OTHER);
    let page = app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(page.contains("Intet emne fra årshjulet på dette møde."), "3.1 says when nothing is placed");

    let meeting = id.to_string();
    let token = app.csrf(&secretariat, "/grupper/natur/moeder?aar=2027").await;
    let fields = [
        ("csrf_token", token.as_str()),
        ("year", "2027"),
        ("code", "data_agreement"),
        ("title", "Opdatering af dataansvarsaftalen"),
        ("meeting_id", meeting.as_str()),
    ];
    assert_eq!(app.post_form(&secretariat, "/grupper/natur/aarshjul", &fields).await.status(), StatusCode::SEE_OTHER);
    sqlx::query(
        "INSERT INTO actions (group_id, title, owner_id, due_on)
         SELECT g.id, 'Kortlæg vandhullerne ved Gudenåen', p.id, '2027-04-15' FROM groups g, people p
         WHERE g.slug = 'natur' AND p.email = $1",
    )
    .bind(MEMBER)
    .execute(&app.db)
    .await
    .unwrap();
    let page = app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap();
    let fills: Vec<&str> = page.split("<ul class=\"agenda-fills small\">").skip(1).collect();
    assert_eq!(fills.len(), 2, "1.4 and 3.1");
    assert!(fills[0].contains("Kortlæg vandhullerne ved Gudenåen – Rasmus"), "1.4: {}", &fills[0][..200]);
    assert!(fills[1].contains("Opdatering af dataansvarsaftalen"), "3.1");
}
