//! The page statements read the registers inside JSON, where the compile-time checks do not reach: each
//! is decoded here from a database that holds every part, and compared with what the registers' own
//! queries read from the same shared read models (migration 0044's views). A column renamed on one side
//! only, a type that no longer decodes, or an order that differs fails here, not on a user's page.

use reqwest::StatusCode;
use samarbejdsrum::domain::access::{Confidentiality, GroupScope};
use samarbejdsrum::store::{meeting_page, minutes, minutes_page, registers};

use crate::helpers::*;

/// The secretariat's reach: every group (O5).
const EVERY_GROUP: GroupScope = GroupScope { every_group: true, open_up_to: Confidentiality::Confidential, reader: 0 };

/// Natur's registers with a line in each: an open action, an operational line in the months before the
/// meeting, a budget for its year with a disposition and a transfer in.
async fn fill_natur_registers(app: &TestApp) {
    for statement in [
        "INSERT INTO actions (group_id, title, owner_id, due_on)
         SELECT g.id, 'Skriv høringssvar', p.id, DATE '2027-04-15' FROM groups g, people p
         WHERE g.slug = 'natur' AND p.email = 'medlem.natur@aarhus.example'",
        "INSERT INTO solutions (name, group_id) SELECT 'Naturdatabasen (test)', id FROM groups WHERE slug = 'natur'",
        "INSERT INTO operational_status (solution_id, kind, reported_on, summary, count)
         SELECT id, 'errors', DATE '2027-03-01', 'To fejl i eksporten', 2 FROM solutions WHERE name = 'Naturdatabasen (test)'",
        "INSERT INTO budgets (group_id, year, amount, set_on) SELECT id, 2027, 250000, DATE '2026-12-01' FROM groups
         WHERE slug IN ('natur', 'jord') ON CONFLICT (group_id, year) DO NOTHING",
        "INSERT INTO budget_dispositions (budget_id, amount, disposed_on, description, spent)
         SELECT b.id, 40000.50, DATE '2027-01-10', 'Eksport', 1000.25 FROM budgets b JOIN groups g ON g.id = b.group_id
         WHERE g.slug = 'natur' AND b.year = 2027",
        "INSERT INTO budget_transfers (year, from_budget_id, to_budget_id, amount, reason)
         SELECT 2027, f.id, t.id, 5000, 'Til Natur' FROM budgets f, budgets t
         WHERE f.group_id = (SELECT id FROM groups WHERE slug = 'jord') AND f.year = 2027
           AND t.group_id = (SELECT id FROM groups WHERE slug = 'natur') AND t.year = 2027",
    ] {
        sqlx::query(statement).execute(&app.db).await.unwrap_or_else(|e| panic!("{e}: {statement}"));
    }
}

#[tokio::test]
async fn the_meeting_pages_live_registers_decode_and_equal_the_registers_own_queries_a7_a8() {
    let app = spawn_app().await;
    fill_natur_registers(&app).await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let meeting = new_meeting(&app, "natur", "2027-03-31").await;
    assert_eq!(post_meeting(&app, &secretariat, meeting, "/dagsorden", &[]).await.status(), StatusCode::SEE_OTHER);
    let requests: Vec<i64> = sqlx::query_scalar(
        "SELECT c.id FROM change_requests c JOIN groups g ON g.id = c.group_id WHERE g.slug = 'natur' ORDER BY c.id LIMIT 2",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let fields: Vec<(String, String)> = requests
        .iter()
        .enumerate()
        .flat_map(|(i, id)| {
            let purpose = if i == 0 { "decision" } else { "discussion" };
            [(format!("purpose_{id}"), purpose.to_owned()), (format!("note_{id}"), "Mangler værdi".to_owned())]
        })
        .collect();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let chosen = post_meeting(&app, &secretariat, meeting, "/dagsorden/aendringsoensker", &fields).await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);

    let reader = meeting_page::Reader { scope: EVERY_GROUP, secretariat: true, read_version: None };
    let kept = &app.state.kept;
    let page = meeting_page::view(&app.db, &kept.meeting_pages, &kept.meeting_readers, meeting, reader)
        .await
        .expect("the meeting page's statement decodes")
        .expect("the meeting is there");
    let live = page.registers.clone().expect("a draft agenda shows the registers live");
    let natur = group_id(&app, "natur").await;
    let day = chrono::NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
    let (crs, actions, operational, budget) = tokio::try_join!(
        registers::agenda_change_requests(&app.db, meeting),
        registers::open_actions(&app.db, natur),
        registers::operational_status(&app.db, natur, meeting_page::operations_since(day)),
        registers::budget_of(&app.db, natur, 2027),
    )
    .unwrap();
    assert_eq!(crs.len(), 2, "both selected requests");
    assert!(!actions.is_empty() && !operational.is_empty() && budget.is_some(), "every register holds a line");
    let same =
        |what: &str, page: String, own: String| assert_eq!(page, own, "{what}: the page and the register differ");
    same("change requests (A7)", format!("{:?}", live.change_requests), format!("{crs:?}"));
    same("open actions (C4)", format!("{:?}", live.open_actions), format!("{actions:?}"));
    same("operations (A8)", format!("{:?}", live.operational), format!("{operational:?}"));
    same("budget (B3)", format!("{:?}", live.budget), format!("{budget:?}"));
    let budget = budget.unwrap();
    assert!(budget.transferred >= rust_decimal::Decimal::from(5000), "the transfer in counts (B2): {budget:?}");
    assert!(budget.disposed >= "40000.50".parse().unwrap() && budget.spent >= "1000.25".parse().unwrap());

    // The draft's choice of requests (A7) decodes with what was chosen.
    assert!(page.selectable.iter().any(|s| s.id == requests[0] && s.purpose.is_some()), "{:?}", page.selectable);
}

#[tokio::test]
async fn the_minutes_pages_parts_decode_and_equal_the_minutes_own_queries_r1_r3() {
    let app = spawn_app().await;
    let meeting = new_meeting(&app, "natur", "2027-03-31").await;
    app.set_time("2027-04-01T09:00:00Z".parse().unwrap());
    let (secretariat, member) = (app.login_as(SECRETARIAT).await, app.login_as(MEMBER).await);
    assert_eq!(post_meeting(&app, &secretariat, meeting, "/referat", &[]).await.status(), StatusCode::SEE_OTHER);
    let item = [("title", "Eventuelt")];
    assert_eq!(
        post_meeting(&app, &secretariat, meeting, "/referat/punkter", &item).await.status(),
        StatusCode::SEE_OTHER
    );
    let minutes_id: i64 = sqlx::query_scalar("SELECT id FROM minutes WHERE meeting_id = $1")
        .bind(meeting)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let item: i64 = sqlx::query_scalar("SELECT min(id) FROM minutes_items WHERE minutes_id = $1")
        .bind(minutes_id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let entry = [("kind", "agreement"), ("text", "Næste møde holdes i Aarhus.")];
    let path = format!("/referat/punkter/{item}/poster");
    assert_eq!(post_meeting(&app, &secretariat, meeting, &path, &entry).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(post_meeting(&app, &secretariat, meeting, "/referat/udsend", &[]).await.status(), StatusCode::SEE_OTHER);
    let comment = [("minutes_item_id", item.to_string()), ("body", "Aarhus eller Aalborg?".to_owned())];
    let comment: Vec<(&str, &str)> = comment.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let commented = post_meeting(&app, &member, meeting, "/referat/bemaerkninger", &comment).await;
    assert_eq!(commented.status(), StatusCode::SEE_OTHER);

    let kept = &app.state.kept;
    let copy = minutes_page::view(&app.db, &kept.minutes_pages, &kept.meeting_readers, meeting, EVERY_GROUP, None)
        .await
        .expect("the minutes page's statement decodes")
        .expect("the minutes are there");
    let id = samarbejdsrum::domain::ids::MinutesId(minutes_id);
    let mut conn = app.db.acquire().await.unwrap();
    let (items, entries, comments) = (
        minutes::items(&app.db, id).await.unwrap(),
        minutes::entries(&mut conn, id).await.unwrap(),
        minutes::comments(&app.db, id).await.unwrap(),
    );
    assert!(!items.is_empty() && !entries.is_empty() && !comments.is_empty(), "every part holds a line");
    let data = &copy.data;
    assert_eq!(format!("{:?}", data.items), format!("{items:?}"), "items (R1)");
    assert_eq!(format!("{:?}", data.entries), format!("{entries:?}"), "entries (R1)");
    assert_eq!(format!("{:?}", data.comments), format!("{comments:?}"), "comments (R3)");
    let minutes = data.minutes.as_ref().expect("started");
    assert_eq!((minutes.id, minutes.status.as_str()), (id, "sent"));
}
