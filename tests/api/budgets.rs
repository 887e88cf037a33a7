//! Budgets (B1-B3): the board's budget per year, dispositions and transfers, and the rule that no group
//! disposes of more than its budget plus transfers in minus transfers out, under concurrency as well.

use reqwest::StatusCode;
use rust_decimal::Decimal;
use samarbejdsrum::domain::budget::Position;
use samarbejdsrum::store::audit::Actor;
use samarbejdsrum::store::budgets::{self, NewDisposition, NewTransfer};

use crate::helpers::*;

async fn position(app: &TestApp, group: i64, year: i32) -> Position {
    budgets::of_group(&app.db, group).await.unwrap().into_iter().find(|b| b.position.year == year).unwrap().position
}

/// A transfer's outcome as the store's, to be counted beside the dispositions.
fn transferred(done: samarbejdsrum::app::Result<()>) -> samarbejdsrum::store::Result<()> {
    match done {
        Ok(()) => Ok(()),
        Err(samarbejdsrum::app::Error::Store(e)) => Err(e),
        Err(e) => panic!("the transfer's mail: {e}"),
    }
}

fn kr(n: i64) -> Decimal {
    Decimal::from(n)
}

#[tokio::test]
async fn twenty_concurrent_transfers_and_dispositions_never_leave_a_negative_undisposed_amount_each_refusal_names_b2() {
    let app = spawn_app().await;
    let natur = group_id(&app, "natur").await;
    let jord = group_id(&app, "jord").await;
    let day = chrono::NaiveDate::from_ymd_opt(2030, 12, 9).unwrap();
    budgets::set(&app.db, &Actor::cli(), natur, 2031, kr(100_000), day).await.unwrap();
    budgets::set(&app.db, &Actor::cli(), jord, 2031, kr(50_000), day).await.unwrap();

    // Transfers go through the use case, which tells the receiving secretariat (B2).
    let every = samarbejdsrum::domain::access::GroupScope {
        every_group: true,
        open_up_to: samarbejdsrum::domain::access::Confidentiality::Confidential,
        reader: 0,
    };
    let group =
        |id| samarbejdsrum::store::groups::readable(&app.db, samarbejdsrum::store::groups::GroupKey::Id(id), every);
    let (natur_group, jord_group) = (group(natur).await.unwrap().unwrap(), group(jord).await.unwrap().unwrap());
    let mut tasks = Vec::new();
    for i in 0..20 {
        let db = app.db.clone();
        let state = app.state.clone();
        let (natur_group, jord_group) = (natur_group.clone(), jord_group.clone());
        tasks.push(tokio::spawn(async move {
            let actor = Actor::cli();
            match i % 4 {
                0 | 2 => {
                    let t = NewTransfer {
                        from_group: natur,
                        from_year: 2031,
                        to_group: jord,
                        to_year: 2031,
                        amount: kr(15_000),
                        reason: format!("Overførsel {i}"),
                    };
                    transferred(
                        samarbejdsrum::app::budgets::transfer(&state, &actor, &natur_group, &jord_group, &t).await,
                    )
                }
                3 => {
                    let t = NewTransfer {
                        from_group: jord,
                        from_year: 2031,
                        to_group: natur,
                        to_year: 2031,
                        amount: kr(20_000),
                        reason: format!("Tilbage {i}"),
                    };
                    transferred(
                        samarbejdsrum::app::budgets::transfer(&state, &actor, &jord_group, &natur_group, &t).await,
                    )
                }
                _ => {
                    let group = if i % 8 == 1 { natur } else { jord };
                    let d = NewDisposition {
                        year: 2031,
                        amount: kr(25_000),
                        change_request_id: None,
                        initiative_id: None,
                        disposed_on: day,
                        description: format!("Disposition {i}"),
                    };
                    budgets::dispose(&db, &actor, group, &d).await.map(|_| ())
                }
            }
        }));
    }
    let (mut done, mut refused) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => done += 1,
            Err(samarbejdsrum::store::Error::Refused(r)) => {
                assert_eq!(r.rule, "B2", "{}", r.message);
                refused += 1;
            }
            Err(e) => panic!("neither done nor refused by B2: {e:?}"),
        }
    }
    assert!(done > 0 && refused > 0, "{done} done, {refused} refused");
    for group in [natur, jord] {
        let p = position(&app, group, 2031).await;
        assert!(p.undisposed() >= Decimal::ZERO, "group {group} is overdrawn: {p:?}");
    }
    let natur_now = position(&app, natur, 2031).await;
    let jord_now = position(&app, jord, 2031).await;
    assert_eq!(natur_now.available() + jord_now.available(), kr(150_000), "transfers move money, never make it");
}

async fn transfers(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM budget_transfers").fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn the_secretariat_sets_budgets_disposes_and_transfers_within_a_year_and_a_new_year_starts_fresh_b1_b2_b3() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let set = |group: &'static str, year: &'static str, amount: &'static str| {
        let (app, client) = (&app, &secretariat);
        async move {
            post(
                app,
                client,
                &format!("/grupper/{group}/budget"),
                &[("year", year), ("amount", amount), ("decided_on", "2030-12-09")],
            )
            .await
        }
    };
    assert_eq!(set("natur", "2031", "100.000").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(set("natur", "2032", "80.000").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(set("jord", "2031", "50.000").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(set("jord", "2032", "50.000").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(set("natur", "2031", "-5").await.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let request: i64 = sqlx::query_scalar(
        "SELECT c.id FROM change_requests c JOIN groups g ON g.id = c.group_id WHERE g.slug = 'natur' AND c.status = 'approved' LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let request = request.to_string();
    let dispose = post(
        &app,
        &secretariat,
        "/grupper/natur/budget/dispositioner",
        &[
            ("d_year", "2031"),
            ("d_amount", "60.000"),
            ("change_request_id", &request),
            ("initiative_id", ""),
            ("disposed_on", "2031-02-01"),
            ("description", "Udvikling af godkendt ønske"),
        ],
    )
    .await;
    assert_eq!(dispose.status(), StatusCode::SEE_OTHER);
    let too_much = post(
        &app,
        &secretariat,
        "/grupper/natur/budget/dispositioner",
        &[("d_year", "2031"), ("d_amount", "40.000,01"), ("disposed_on", "2031-02-02"), ("description", "For meget")],
    )
    .await;
    assert_eq!(too_much.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_much.text().await.unwrap().contains("B2"));

    let jord = group_id(&app, "jord").await.to_string();
    let before = transfers(&app).await;
    let across = post(
        &app,
        &secretariat,
        "/grupper/natur/budget/overfoersler",
        &[
            ("t_year", "2031"),
            ("to_group_id", &jord),
            ("to_year", "2032"),
            ("t_amount", "1.000"),
            ("reason", "Til næste år"),
        ],
    )
    .await;
    assert_eq!(across.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(across.text().await.unwrap().contains("samme budgetår"));
    let overdraw = post(
        &app,
        &secretariat,
        "/grupper/natur/budget/overfoersler",
        &[("t_year", "2031"), ("to_group_id", &jord), ("t_amount", "40.001"), ("reason", "For meget")],
    )
    .await;
    assert_eq!(overdraw.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(transfers(&app).await, before, "a refused transfer saves nothing");
    let fine = post(
        &app,
        &secretariat,
        "/grupper/natur/budget/overfoersler",
        &[("t_year", "2031"), ("to_group_id", &jord), ("t_amount", "40.000"), ("reason", "Jord har et godkendt ønske")],
    )
    .await;
    assert_eq!(fine.status(), StatusCode::SEE_OTHER);
    // B2: Jord's secretariat learns that the funds are theirs to dispose of, and why; once, and not the sender.
    let told: Vec<(String, String, String)> =
        sqlx::query_as("SELECT to_address, subject, body_text FROM outbox WHERE kind = 'budget_transfer' ORDER BY id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    let jord_secretariat: Vec<String> = sqlx::query_scalar(
        "SELECT p.email FROM memberships ms JOIN people p ON p.id = ms.person_id JOIN groups g ON g.id = ms.group_id
         WHERE g.slug = 'jord' AND ms.status = 'active' AND ms.role = 'secretariat' AND p.email <> $1 ORDER BY p.email",
    )
    .bind(SECRETARIAT)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let mut to: Vec<String> = told.iter().map(|(to, _, _)| to.clone()).collect();
    to.sort();
    assert!(!to.is_empty() && !to.contains(&SECRETARIAT.to_owned()), "{to:?}");
    if !jord_secretariat.is_empty() {
        assert_eq!(to, jord_secretariat, "Jord's own secretariat, once each; refused transfers told nobody");
    }
    let (_, subject, body) = &told[0];
    assert!(subject.contains("overført til Jord fra Natur"), "{subject}");
    assert!(body.contains("Jord har et godkendt ønske") && body.contains("disponere"), "{body}");

    let natur = group_id(&app, "natur").await;
    assert_eq!(position(&app, natur, 2031).await.undisposed(), Decimal::ZERO);
    let next = position(&app, natur, 2032).await;
    assert_eq!((next.undisposed(), next.disposed), (kr(80_000), Decimal::ZERO), "nothing carries over (B1)");

    let member = app.login_as(MEMBER).await;
    let page = app.get(&member, "/grupper/natur/budget").await.text().await.unwrap();
    assert!(page.contains("Udvikling af godkendt ønske") && page.contains(&format!("/aendringsoensker/{request}")));
    assert!(page.contains("Jord har et godkendt ønske") && page.contains("<svg"));
    assert!(!page.contains("Fastsæt budget"), "members read the budget; the secretariat keeps it");
    let refused = post(
        &app,
        &member,
        "/grupper/natur/budget",
        &[("year", "2033"), ("amount", "1"), ("decided_on", "2032-12-01")],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_database_refuses_an_overdrawn_budget_and_a_transfer_across_years_without_the_app_b2() {
    let app = spawn_app().await;
    let budget: i64 = sqlx::query_scalar(
        "SELECT b.id FROM budgets b JOIN groups g ON g.id = b.group_id WHERE g.slug = 'vand' ORDER BY b.year DESC LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let overdrawn = sqlx::query(
        "INSERT INTO budget_dispositions (budget_id, description, amount, disposed_on) VALUES ($1, 'For meget', 10000000, current_date)",
    )
    .bind(budget)
    .execute(&app.db)
    .await
    .unwrap_err();
    assert!(overdrawn.to_string().contains("B2"), "{overdrawn}");
    let natur = group_id(&app, "natur").await;
    let day = chrono::NaiveDate::from_ymd_opt(2030, 12, 9).unwrap();
    let other_year = budgets::set(&app.db, &Actor::cli(), natur, 2031, kr(10), day).await.unwrap();
    let across = sqlx::query(
        "INSERT INTO budget_transfers (year, from_budget_id, to_budget_id, amount) SELECT b.year, b.id, $2, 1 FROM budgets b WHERE b.id = $1",
    )
    .bind(budget)
    .bind(other_year)
    .execute(&app.db)
    .await
    .unwrap_err();
    assert!(across.to_string().contains("B2"), "{across}");
}

#[tokio::test]
async fn spending_beyond_a_disposition_is_recorded_and_the_budget_page_warns_about_it_b2_b3() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let set = [("year", "2031"), ("amount", "100.000"), ("decided_on", "2030-12-09")];
    assert_eq!(post(&app, &secretariat, "/grupper/natur/budget", &set).await.status(), StatusCode::SEE_OTHER);
    let dispose =
        [("d_year", "2031"), ("d_amount", "20.000"), ("disposed_on", "2031-02-01"), ("description", "Konsulent")];
    let response = post(&app, &secretariat, "/grupper/natur/budget/dispositioner", &dispose).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = app.get(&secretariat, "/grupper/natur/budget").await.text().await.unwrap();
    assert!(!page.contains("mere end de"), "nothing to warn about yet");
    let disposition: i64 = sqlx::query_scalar("SELECT id FROM budget_dispositions WHERE description = 'Konsulent'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let spend = [("disposition_id", disposition.to_string()), ("spent", "25.000".to_owned())];
    let spend: Vec<(&str, &str)> = spend.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(post(&app, &secretariat, "/grupper/natur/budget/forbrug", &spend).await.status(), StatusCode::SEE_OTHER);
    let page = app.get(&secretariat, "/grupper/natur/budget").await.text().await.unwrap();
    assert!(
        page.contains(
            "Forbruget på «Konsulent» (2031) er 25.000,00 kr., mere end de 20.000,00 kr. der er disponeret (B2)."
        ),
        "{page}"
    );
    assert!(page.contains("I 2031 er der brugt 25.000,00 kr., mere end de 20.000,00 kr. der er disponeret (B3)."));
}
