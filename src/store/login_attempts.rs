//! Sign-in attempts and their throttle, counted in the database so every app instance sees the same
//! limits. An attempt is claimed under a lock per account and per address and counted as a failure
//! before its password is checked, so parallel attempts cannot all slip under the limit; a success
//! then clears the count. The rule itself is `domain::login_throttle`.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use crate::domain::login_throttle::{self, Counts, Verdict};

/// An attempt allowed to have its password checked; already counted as a failure until `succeeded`.
#[derive(Debug)]
pub struct Claim {
    attempt_id: i64,
    email: String,
    address: String,
}

/// Claims an attempt for `email` from `address` at `now`: Ok when the password may be checked, or the
/// verdict that refuses it. Either way the attempt is recorded.
pub async fn claim(
    pool: &PgPool,
    email: &str,
    address: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Result<Claim, Verdict>> {
    let email = email.to_lowercase();
    let mut tx = pool.begin().await?;
    // Always the account first, then the address, so two claims never wait for each other in a circle.
    sqlx::query!(
        r#"SELECT true AS "locked!" FROM pg_advisory_xact_lock(hashtextextended('login-account:' || $1, 0))"#,
        email
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        r#"SELECT true AS "locked!" FROM pg_advisory_xact_lock(hashtextextended('login-address:' || $1, 0))"#,
        address
    )
    .fetch_one(&mut *tx)
    .await?;
    let counts = counts(&mut tx, &email, address, now).await?;
    let verdict = login_throttle::next_attempt(&counts, now);
    let throttled = verdict != Verdict::Allowed;
    let attempt_id = sqlx::query_scalar!(
        "INSERT INTO login_attempts (at, email, address, succeeded, throttled) VALUES ($1, $2, $3, false, $4)
         RETURNING id",
        now as _,
        email,
        address,
        throttled
    )
    .fetch_one(&mut *tx)
    .await?;
    if throttled {
        tx.commit().await?;
        return Ok(Err(verdict));
    }
    sqlx::query!(
        "INSERT INTO login_throttle_pairs (email, address, failures, last_failure_at) VALUES ($1, $2, 1, $3)
         ON CONFLICT (email, address) DO UPDATE SET failures = login_throttle_pairs.failures + 1, last_failure_at = $3",
        email,
        address,
        now as _
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO login_throttle_accounts (email, consecutive_failures, last_failure_at) VALUES ($1, 1, $2)
         ON CONFLICT (email) DO UPDATE
         SET consecutive_failures = login_throttle_accounts.consecutive_failures + 1, last_failure_at = $2",
        email,
        now as _
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(Claim { attempt_id, email, address: address.to_owned() }))
}

async fn counts(conn: &mut PgConnection, email: &str, address: &str, now: DateTime<Utc>) -> sqlx::Result<Counts> {
    let row = sqlx::query!(
        r#"SELECT
             (SELECT consecutive_failures FROM login_throttle_accounts WHERE email = $1) AS account_failures,
             p.failures AS "pair_failures?", p.last_failure_at AS "pair_last_failure?: DateTime<Utc>",
             (SELECT count(*) FROM login_attempts
               WHERE address = $2 AND NOT succeeded AND NOT throttled AND at > $3::timestamptz - make_interval(mins => $4)
             ) AS "address_failures!",
             (SELECT at FROM login_attempts
               WHERE address = $2 AND NOT succeeded AND NOT throttled AND at > $3::timestamptz - make_interval(mins => $4)
               ORDER BY at DESC OFFSET $5 - 1 LIMIT 1
             ) AS "address_oldest_failure: DateTime<Utc>"
           FROM (SELECT 1) AS one
           LEFT JOIN login_throttle_pairs p ON p.email = $1 AND p.address = $2"#,
        email,
        address,
        now as _,
        login_throttle::ADDRESS_WINDOW_MINUTES as i32,
        login_throttle::ADDRESS_FAILURES_PER_WINDOW as i32
    )
    .fetch_one(conn)
    .await?;
    let count = |n: Option<i32>| u32::try_from(n.unwrap_or(0)).unwrap_or(0);
    Ok(Counts {
        pair_failures: count(row.pair_failures),
        pair_last_failure: row.pair_last_failure,
        account_failures: count(row.account_failures),
        address_failures: u32::try_from(row.address_failures).unwrap_or(u32::MAX),
        address_oldest_failure: row.address_oldest_failure,
    })
}

/// The claimed attempt's password was right: it counts as a success, and the account's consecutive
/// failures and this address's delay for it start again from nothing.
pub async fn succeeded(pool: &PgPool, claim: &Claim) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query!("UPDATE login_attempts SET succeeded = true WHERE id = $1", claim.attempt_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM login_throttle_pairs WHERE email = $1 AND address = $2", claim.email, claim.address)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM login_throttle_accounts WHERE email = $1", claim.email).execute(&mut *tx).await?;
    tx.commit().await
}

/// A password reset lifts the cap of consecutive failures and every address's delay for the account.
pub async fn reset_account(conn: &mut PgConnection, person_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "DELETE FROM login_throttle_pairs WHERE email = (SELECT lower(email) FROM people WHERE id = $1)",
        person_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "DELETE FROM login_throttle_accounts WHERE email = (SELECT lower(email) FROM people WHERE id = $1)",
        person_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Old attempts carry no information for the limits; keep a day for the record. Delays are at most a
/// quarter of an hour, so day-old counts per address go too; the consecutive count of a real account stays
/// until it signs in or its password is reset.
pub async fn prune(pool: &PgPool) -> sqlx::Result<u64> {
    let attempts = sqlx::query!("DELETE FROM login_attempts WHERE at < now() - interval '1 day'").execute(pool).await?;
    sqlx::query!("DELETE FROM login_throttle_pairs WHERE last_failure_at < now() - interval '1 day'")
        .execute(pool)
        .await?;
    sqlx::query!(
        "DELETE FROM login_throttle_accounts t WHERE last_failure_at < now() - interval '1 day'
         AND NOT EXISTS (SELECT 1 FROM people p JOIN accounts a ON a.person_id = p.id WHERE lower(p.email) = t.email)"
    )
    .execute(pool)
    .await?;
    Ok(attempts.rows_affected())
}
