//! Sign-in attempts and their throttle, counted in the database so every app instance sees the same
//! limits. An attempt is claimed under a lock per account and per address and counted as a failure
//! before its password is checked, so parallel attempts cannot all slip under the limit; a success
//! then clears the count. The rule itself is `domain::login_throttle`; the database applies it under
//! the locks (`login_allowed`, migration 0030), and the claim checks that both agree. A success remembers
//! its address as known to the account, so failures from elsewhere cannot lock the owner out there.
//!
//! A sign-in is two statements here, the claim (which also reads the account) and the
//! success (which also records the login and its audit line).

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use super::account_row::Account;
use super::audit::Actor;
use crate::domain::access::GlobalRole;
use crate::domain::login_throttle::{self, Counts, Verdict};

/// An attempt allowed to have its password checked; already counted as a failure until `succeeded`.
#[derive(Debug)]
pub struct Claim {
    attempt_id: i64,
    /// The account of the email, if there is one; its password is the one to check.
    pub account: Option<Account>,
    /// Password sign-in is on, or this is a break-glass administrator's account.
    pub password_allowed: bool,
    /// The password must be followed by a second factor (enrolled, or required of staff).
    pub second_factor: bool,
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
                  known AS "known!", unknown_failures AS "unknown_failures!",
                  unknown_last_failure AS "unknown_last_failure: DateTime<Utc>",
                  person_id, name, email, role AS "role: GlobalRole", active, password_hash,
                  password_changed_at AS "password_changed_at: DateTime<Utc>",
                  -- Password sign-in may be off for all but the break-glass administrators.
                  (SELECT s.password_sign_in FROM sign_in_settings s)
                    OR coalesce((SELECT a.break_glass AND a.role = 'admin' FROM accounts a WHERE a.person_id = c.person_id), false)
                    AS "password_allowed!",
                  -- A password alone is not enough: the account has a second factor, or the
                  -- installation requires one of administrators and the secretariat.
                  coalesce((SELECT sf.confirmed_at IS NOT NULL FROM second_factors sf WHERE sf.person_id = c.person_id), false)
                    OR ((SELECT s.second_factor_for_staff FROM sign_in_settings s) AND c.role IN ('admin', 'secretariat'))
                    AS "second_factor!"
           FROM login_claim($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) c"#,
        email,
        address,
        now as _,
        login_throttle::FREE_FAILURES as i32,
        login_throttle::BASE_DELAY_SECONDS as i32,
        login_throttle::MAX_DELAY_SECONDS as i32,
        login_throttle::ACCOUNT_CAP as i32,
        login_throttle::ADDRESS_FAILURES_PER_WINDOW as i32,
        login_throttle::ADDRESS_WINDOW_MINUTES as i32,
        login_throttle::KNOWN_ADDRESS_DAYS as i32,
        login_throttle::UNKNOWN_FREE_FAILURES as i32,
        login_throttle::UNKNOWN_BASE_DELAY_SECONDS as i32,
        login_throttle::UNKNOWN_MAX_DELAY_SECONDS as i32,
        login_throttle::UNKNOWN_CAP as i32,
        login_throttle::UNKNOWN_EXPIRY_HOURS as i32
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
        known_address: row.known,
        unknown_failures: count(row.unknown_failures),
        unknown_last_failure: row.unknown_last_failure,
    };
    let verdict = login_throttle::next_attempt(&counts, now);
    if row.allowed != (verdict == Verdict::Allowed) {
        // Cannot happen while migration 0030 mirrors the domain rule (tested over a grid of counts).
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
            ) => Some(Account {
                person_id,
                name,
                email,
                role,
                active,
                password_hash,
                password_changed_at,
                // Read here only as `password_allowed`.
                break_glass: false,
                group_role: None,
            }),
            _ => None,
        };
    Ok(Ok(Claim {
        attempt_id: row.attempt_id,
        account,
        password_allowed: row.password_allowed,
        second_factor: row.second_factor,
    }))
}

/// The claimed attempt's password was right: it counts as a success, this address's delay for the
/// account starts again from nothing, and so does the account's count of consecutive failures from known
/// addresses; the unknown-address bucket only when the success came from such an address (a success
/// at home does not give an attacker elsewhere a fresh bucket). The address becomes (or stays) known to
/// the account, and the login is recorded on the account and in the audit log (the row `audit::record`
/// writes). One statement: its sub-statements all see the known addresses as they were before it.
pub async fn succeeded(pool: &PgPool, claim: &Claim, actor: &Actor, now: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query!(
        "WITH attempt AS (UPDATE login_attempts SET succeeded = true WHERE id = $1 RETURNING email, address),
              was_known AS (SELECT EXISTS (SELECT 1 FROM login_known_addresses k, attempt a
                                           WHERE k.email = a.email AND k.address = a.address
                                             AND k.last_success_at > $5::timestamptz - make_interval(days => $6))
                                   AS known),
              pair AS (DELETE FROM login_throttle_pairs p USING attempt a WHERE p.email = a.email AND p.address = a.address),
              account AS (DELETE FROM login_throttle_accounts t USING attempt a, was_known w
                          WHERE t.email = a.email AND (t.known OR NOT w.known)),
              remembered AS (INSERT INTO login_known_addresses (email, address, last_success_at)
                             SELECT email, address, $5 FROM attempt
                             ON CONFLICT (email, address) DO UPDATE SET last_success_at = EXCLUDED.last_success_at),
              login AS (UPDATE accounts SET last_login_at = now() WHERE person_id = $2)
         INSERT INTO audit_log (actor_id, actor_label, action, entity, entity_id, request_id)
         VALUES ($2, $3, 'login', 'account', $2::bigint::text, $4)",
        claim.attempt_id,
        actor.person_id,
        actor.label,
        actor.request_id,
        now as _,
        login_throttle::KNOWN_ADDRESS_DAYS as i32,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// A password reset lifts the cap of consecutive failures, the unknown-address bucket and every
/// address's delay for the account.
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

/// A redeemed reset link acts as the mailed unlock link: the address it was redeemed from becomes known
/// to the account, so its owner signs in from there even while unknown addresses are refused.
pub async fn remember_address(
    conn: &mut PgConnection,
    person_id: i64,
    address: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO login_known_addresses (email, address, last_success_at)
         SELECT lower(email), $2, $3 FROM people WHERE id = $1
         ON CONFLICT (email, address) DO UPDATE SET last_success_at = EXCLUDED.last_success_at",
        person_id,
        address,
        now as _
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Old attempts carry no information for the limits; keep a day for the record. Delays are at most an
/// hour and the unknown-address bucket is forgotten a day after its last failure, so day-old counts per
/// address and unknown buckets go too; the consecutive count of a real account from its known addresses
/// stays until it signs in or its password is reset. A known address is forgotten after
/// `KNOWN_ADDRESS_DAYS` without a sign-in from it.
pub async fn prune(pool: &PgPool) -> sqlx::Result<u64> {
    let attempts = sqlx::query!("DELETE FROM login_attempts WHERE at < now() - interval '1 day'").execute(pool).await?;
    sqlx::query!("DELETE FROM login_throttle_pairs WHERE last_failure_at < now() - interval '1 day'")
        .execute(pool)
        .await?;
    sqlx::query!(
        "DELETE FROM login_throttle_accounts t
         WHERE last_failure_at < now() - make_interval(hours => $1)
           AND (NOT t.known
                OR NOT EXISTS (SELECT 1 FROM people p JOIN accounts a ON a.person_id = p.id WHERE lower(p.email) = t.email))",
        login_throttle::UNKNOWN_EXPIRY_HOURS as i32
    )
    .execute(pool)
    .await?;
    sqlx::query!(
        "DELETE FROM login_known_addresses WHERE last_success_at < now() - make_interval(days => $1)",
        login_throttle::KNOWN_ADDRESS_DAYS as i32
    )
    .execute(pool)
    .await?;
    Ok(attempts.rows_affected())
}
