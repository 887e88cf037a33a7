//! Sign-in throttling (issue 11): counted atomically, per account and address with growing delays,
//! and NIST SP 800-63B-4's cap of 100 consecutive failures per account.

use chrono::Duration;
use reqwest::StatusCode;
use samarbejdsrum::domain::clock::Clock;
use samarbejdsrum::domain::login_throttle::{self, ACCOUNT_CAP, Counts, FREE_FAILURES, Verdict};
use samarbejdsrum::store::{accounts, audit::Actor};

use crate::helpers::*;

const ATTACKER: &str = "203.0.113.7";
const OWNER: &str = "198.51.100.2";

#[tokio::test]
async fn thirty_parallel_wrong_passwords_are_all_recorded_but_only_the_free_ones_are_checked() {
    let app = spawn_app().await;
    let mut attempts = Vec::new();
    for _ in 0..30 {
        let client = app.client();
        let token = app.csrf(&client, "/login").await;
        let url = app.url("/login");
        attempts.push(tokio::spawn(async move {
            let fields = [("csrf_token", token.as_str()), ("email", CHAIR), ("password", "forkert-kode")];
            client.post(url).form(&fields).send().await.unwrap().status()
        }));
    }
    let mut statuses = Vec::new();
    for attempt in attempts {
        statuses.push(attempt.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((checked, refused), (FREE_FAILURES as usize, 30 - FREE_FAILURES as usize), "{statuses:?}");

    let (failed, throttled): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE NOT succeeded), count(*) FILTER (WHERE throttled)
         FROM login_attempts WHERE email = $1",
    )
    .bind(CHAIR)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((failed, throttled), (30, 30 - i64::from(FREE_FAILURES)), "every attempt is on record");
}

#[tokio::test]
async fn one_address_hammering_an_account_does_not_lock_its_owner_out_from_another() {
    let app = spawn_app_behind_proxy().await;
    let attacker = app.client_from(ATTACKER);
    for _ in 0..FREE_FAILURES {
        assert_eq!(app.try_login(&attacker, CHAIR, "forkert-kode").await.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app.try_login(&attacker, CHAIR, DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits at that address");
    assert_eq!(response.headers()["retry-after"], "30");
    assert!(response.text().await.unwrap().contains("For mange mislykkede forsøg. Vent 1 minut"));

    let owner = app.client_from(OWNER);
    assert_eq!(app.try_login(&owner, CHAIR, DEMO_PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&owner, "/").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_wait_doubles_with_each_further_failure_from_the_same_address() {
    let app = spawn_app_behind_proxy().await;
    let attacker = app.client_from(ATTACKER);
    for _ in 0..FREE_FAILURES {
        app.try_login(&attacker, CHAIR, "forkert-kode").await;
    }
    let start = app.clock.now();
    app.set_time(start + Duration::seconds(30));
    assert_eq!(app.try_login(&attacker, CHAIR, "forkert-kode").await.status(), StatusCode::UNAUTHORIZED);
    let response = app.try_login(&attacker, CHAIR, DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "60");
    app.set_time(start + Duration::seconds(30 + 60));
    assert_eq!(app.try_login(&attacker, CHAIR, DEMO_PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let pairs: i64 = sqlx::query_scalar("SELECT count(*) FROM login_throttle_pairs").fetch_one(&app.db).await.unwrap();
    assert_eq!(pairs, 0, "a success starts the count again");
}

#[tokio::test]
async fn a_hundred_consecutive_failures_lock_the_account_everywhere_until_its_password_is_reset() {
    let app = spawn_app_behind_proxy().await;
    // 99 failures from elsewhere (as many addresses, each within its free attempts) ...
    sqlx::query(
        "INSERT INTO login_throttle_accounts (email, consecutive_failures, last_failure_at) VALUES ($1, $2, now())",
    )
    .bind(MEMBER)
    .bind(ACCOUNT_CAP as i32 - 1)
    .execute(&app.db)
    .await
    .unwrap();
    // ... and the hundredth.
    let attacker = app.client_from(ATTACKER);
    assert_eq!(app.try_login(&attacker, MEMBER, "forkert-kode").await.status(), StatusCode::UNAUTHORIZED);

    let owner = app.client_from(OWNER);
    let response = app.try_login(&owner, MEMBER, DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "refused from a fresh address too");
    let html = response.text().await.unwrap();
    assert!(html.contains("Kontoen er spærret efter 100 mislykkede forsøg i træk."), "{html}");
    assert!(html.contains("Kontakt sekretariatet"));
    app.set_time(app.clock.now() + Duration::days(30));
    assert_eq!(app.try_login(&owner, MEMBER, DEMO_PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.try_login(&owner, CHAIR, DEMO_PASSWORD).await.status(), StatusCode::SEE_OTHER, "others get in");

    // The operator resets the password (create-user), which lifts the lock.
    let hash = samarbejdsrum::security::password::hash("en helt ny adgangssætning".into()).await.unwrap();
    let reset = accounts::NewAccount {
        email: MEMBER,
        name: "Medlem",
        role: samarbejdsrum::domain::access::GlobalRole::User,
        password_hash: &hash,
    };
    accounts::upsert(&app.db, &Actor::cli(), reset).await.unwrap();
    let response = app.try_login(&app.client_from(OWNER), MEMBER, "en helt ny adgangssætning").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn below_the_cap_a_right_password_from_another_address_gets_in_and_clears_the_count() {
    let app = spawn_app_behind_proxy().await;
    sqlx::query(
        "INSERT INTO login_throttle_accounts (email, consecutive_failures, last_failure_at) VALUES ($1, $2, now())",
    )
    .bind(MEMBER)
    .bind(ACCOUNT_CAP as i32 - 1)
    .execute(&app.db)
    .await
    .unwrap();
    assert_eq!(app.try_login(&app.client_from(OWNER), MEMBER, DEMO_PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let left: i64 =
        sqlx::query_scalar("SELECT count(*) FROM login_throttle_accounts").fetch_one(&app.db).await.unwrap();
    assert_eq!(left, 0);
}

/// The database decides under its locks (migration 0020's `login_allowed`, issue 12); it must decide as
/// the domain's rule does, at every edge of every limit.
#[tokio::test]
async fn the_database_applies_the_same_throttle_rule_as_the_domain_at_every_edge() {
    let db = sqlx::PgPool::connect(&fresh_database().await).await.unwrap();
    let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
    let ago = |seconds: Option<i64>| seconds.map(|s| now - Duration::seconds(s));
    let times = [
        None,
        Some(0),
        Some(29),
        Some(30),
        Some(59),
        Some(60),
        Some(479),
        Some(480),
        Some(899),
        Some(900),
        Some(86_400),
    ];
    let mut grid = Vec::new();
    for account_failures in [0, 1, ACCOUNT_CAP - 1, ACCOUNT_CAP, ACCOUNT_CAP + 7] {
        for pair_failures in
            [0, FREE_FAILURES - 1, FREE_FAILURES, FREE_FAILURES + 1, FREE_FAILURES + 4, FREE_FAILURES + 5, 40]
        {
            for pair_last in times {
                for address_failures in [
                    0,
                    login_throttle::ADDRESS_FAILURES_PER_WINDOW - 1,
                    login_throttle::ADDRESS_FAILURES_PER_WINDOW,
                    35,
                ] {
                    for address_oldest in [None, Some(0), Some(899), Some(900)] {
                        grid.push(Counts {
                            account_failures,
                            pair_failures,
                            pair_last_failure: ago(pair_last),
                            address_failures,
                            address_oldest_failure: ago(address_oldest),
                        });
                    }
                }
            }
        }
    }
    let column = |f: fn(&Counts) -> u32| grid.iter().map(|c| f(c) as i32).collect::<Vec<_>>();
    let allowed: Vec<bool> = sqlx::query_scalar(
        "SELECT login_allowed(a, p, pl, ad, ao, $6, $7, $8, $9, $10, $11, $12)
         FROM unnest($1::int[], $2::int[], $3::timestamptz[], $4::int[], $5::timestamptz[]) WITH ORDINALITY
              AS g(a, p, pl, ad, ao, n)
         ORDER BY n",
    )
    .bind(column(|c| c.account_failures))
    .bind(column(|c| c.pair_failures))
    .bind(grid.iter().map(|c| c.pair_last_failure).collect::<Vec<_>>())
    .bind(column(|c| c.address_failures))
    .bind(grid.iter().map(|c| c.address_oldest_failure).collect::<Vec<_>>())
    .bind(now)
    .bind(FREE_FAILURES as i32)
    .bind(login_throttle::BASE_DELAY_SECONDS as i32)
    .bind(login_throttle::MAX_DELAY_SECONDS as i32)
    .bind(ACCOUNT_CAP as i32)
    .bind(login_throttle::ADDRESS_FAILURES_PER_WINDOW as i32)
    .bind(login_throttle::ADDRESS_WINDOW_MINUTES as i32)
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(allowed.len(), grid.len());
    let differing: Vec<_> = grid
        .iter()
        .zip(&allowed)
        .filter(|(counts, allowed)| (login_throttle::next_attempt(counts, now) == Verdict::Allowed) != **allowed)
        .collect();
    assert!(differing.is_empty(), "{} of {} differ, e.g. {:?}", differing.len(), grid.len(), differing.first());
    let refused = allowed.iter().filter(|a| !**a).count();
    assert!(refused > 0 && refused < grid.len(), "the grid spans both answers");
}
