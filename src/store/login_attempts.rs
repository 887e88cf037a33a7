//! Sign-in attempts and their throttle, counted in the database so every app instance sees the same
//! limits. An attempt is claimed under a lock per account and per address and counted as a failure
//! before its password is checked, so parallel attempts cannot all slip under the limit; a success
//! then clears the count. The rule itself is `domain::login_throttle`; the database applies it under
//! the locks (`login_allowed`, migration 0020), and the claim checks that both agree.
//!
//! Issue 12: a sign-in is two statements here, the claim (which also reads the account) and the
//! success (which also records the login and its audit line).

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use super::accounts::Account;
use super::audit::Actor;
use crate::domain::access::GlobalRole;
use crate::domain::login_throttle::{self, Counts, Verdict};

/// An attempt allowed to have its password checked; already counted as a failure until `succeeded`.
#[derive(Debug)]
pub struct Claim {
    attempt_id: i64,
    /// The account of the email, if there is one; its password is the one to check.
    pub account: Option<Account>,
}

/// Claims an attempt for `email` from `address` at `now`: Ok when the password may be checked, or the
/// verdict that refuses it. Either way the attempt is recorded. One statement: `login_claim`.
pub async fn claim(
    pool: &PgPool,
    email: &str,
    address: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Result<Claim, Verdict>> {
    let email = email.to_lowercase();
    let row = sqlx::query!(
        r#"SELECT attempt_id AS "attempt_id!", allowed AS "allowed!",
                  account_failures AS "account_failures!", pair_failures AS "pair_failures!",
                  pair_last_failure AS "pair_last_failure: DateTime<Utc>",
                  address_failures AS "address_failures!",
                  address_oldest_failure AS "address_oldest_failure: DateTime<Utc>",
                  person_id, name, email, role AS "role: GlobalRole", active, password_hash,
                  password_changed_at AS "password_changed_at: DateTime<Utc>"
           FROM login_claim($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
        email,
        address,
        now as _,
        login_throttle::FREE_FAILURES as i32,
        login_throttle::BASE_DELAY_SECONDS as i32,
        login_throttle::MAX_DELAY_SECONDS as i32,
        login_throttle::ACCOUNT_CAP as i32,
        login_throttle::ADDRESS_FAILURES_PER_WINDOW as i32,
        login_throttle::ADDRESS_WINDOW_MINUTES as i32
    )
    .fetch_one(pool)
    .await?;
    let count = |n: i32| u32::try_from(n).unwrap_or(0);
    let counts = Counts {
        pair_failures: count(row.pair_failures),
        pair_last_failure: row.pair_last_failure,
        account_failures: count(row.account_failures),
        address_failures: count(row.address_failures),
        address_oldest_failure: row.address_oldest_failure,
    };
    let verdict = login_throttle::next_attempt(&counts, now);
    if row.allowed != (verdict == Verdict::Allowed) {
        // Cannot happen while migration 0020 mirrors the domain rule (tested over a grid of counts).
        return Err(sqlx::Error::Protocol(format!(
            "login_allowed and domain::login_throttle disagree on {counts:?}: database {}, domain {verdict:?}",
            row.allowed
        )));
    }
    if !row.allowed {
        return Ok(Err(verdict));
    }
    let account =
        match (row.person_id, row.name, row.email, row.role, row.active, row.password_hash, row.password_changed_at) {
            (
                Some(person_id),
                Some(name),
                Some(email),
                Some(role),
                Some(active),
                Some(password_hash),
                Some(password_changed_at),
            ) => Some(Account { person_id, name, email, role, active, password_hash, password_changed_at }),
            _ => None,
        };
    Ok(Ok(Claim { attempt_id: row.attempt_id, account }))
}

/// The claimed attempt's password was right: it counts as a success, the account's consecutive
/// failures and this address's delay for it start again from nothing, and the login is recorded on the
/// account and in the audit log (the row `audit::record` writes). One statement.
pub async fn succeeded(pool: &PgPool, claim: &Claim, actor: &Actor) -> sqlx::Result<()> {
    sqlx::query!(
        "WITH attempt AS (UPDATE login_attempts SET succeeded = true WHERE id = $1 RETURNING email, address),
              pair AS (DELETE FROM login_throttle_pairs p USING attempt a WHERE p.email = a.email AND p.address = a.address),
              account AS (DELETE FROM login_throttle_accounts t USING attempt a WHERE t.email = a.email),
              login AS (UPDATE accounts SET last_login_at = now() WHERE person_id = $2)
         INSERT INTO audit_log (actor_id, actor_label, action, entity, entity_id, request_id)
         VALUES ($2, $3, 'login', 'account', $2::bigint::text, $4)",
        claim.attempt_id,
        actor.person_id,
        actor.label,
        actor.request_id,
    )
    .execute(pool)
    .await?;
    Ok(())
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
