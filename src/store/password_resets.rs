//! "Glemt adgangskode?" requests waiting for the background step (`jobs::password_resets`). The form
//! only records a request, the same statement whatever the address, so its answer cannot tell which
//! addresses have an account; the lookup, the per-address limit and the link happen afterwards.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// Records a request for `email` from the client at `from`, unless the client made `limit` requests
/// within `window_minutes` (for any address, with an account or not): then `Err` with the time it may
/// ask again. One statement (`password_reset_request`, migration 0031).
pub async fn request(
    pool: &PgPool,
    email: &str,
    from: &str,
    now: DateTime<Utc>,
    limit: i32,
    window_minutes: i32,
) -> sqlx::Result<Result<(), DateTime<Utc>>> {
    let row = sqlx::query!(
        r#"SELECT accepted AS "accepted!", retry_at AS "retry_at: DateTime<Utc>"
           FROM password_reset_request($1, $2, $3, $4, $5)"#,
        email,
        from,
        now as _,
        limit,
        window_minutes
    )
    .fetch_one(pool)
    .await?;
    Ok(match (row.accepted, row.retry_at) {
        (true, _) => Ok(()),
        (false, retry_at) => Err(retry_at.unwrap_or(now)),
    })
}

#[derive(Debug, Clone)]
pub struct Pending {
    pub id: i64,
    pub email: String,
    pub requested_from: String,
    pub created_at: DateTime<Utc>,
}

/// The oldest request not yet processed, locked for this transaction (`SKIP LOCKED`: the step spawned by
/// the form and the periodic one never take the same request).
pub async fn next_pending(conn: &mut PgConnection) -> sqlx::Result<Option<Pending>> {
    sqlx::query_as!(
        Pending,
        r#"SELECT id, email, requested_from, created_at AS "created_at: DateTime<Utc>"
           FROM password_reset_requests WHERE processed_at IS NULL
           ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"#
    )
    .fetch_optional(conn)
    .await
}

/// Serialises the processing of requests for one address (a transaction lock): the per-address limit
/// counts the links issued before, which a parallel run may be issuing right now.
pub async fn lock_address(conn: &mut PgConnection, email: &str) -> sqlx::Result<()> {
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtextextended('password-reset-address:' || $1, 0))", email)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn processed(conn: &mut PgConnection, id: i64, now: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query!("UPDATE password_reset_requests SET processed_at = $2 WHERE id = $1", id, now as _)
        .execute(conn)
        .await?;
    Ok(())
}

/// Processed requests count for the per-client limit for an hour; keep a day for the record.
pub async fn prune(pool: &PgPool) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "DELETE FROM password_reset_requests WHERE processed_at IS NOT NULL AND created_at < now() - interval '1 day'"
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
