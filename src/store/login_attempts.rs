//! Sign-in attempts, counted in the database so every app instance sees the same limit.

use sqlx::PgPool;

pub struct RecentFailures {
    pub for_email: i64,
    pub from_address: i64,
}

pub async fn recent_failures(
    pool: &PgPool,
    email: &str,
    address: &str,
    window_minutes: i32,
) -> sqlx::Result<RecentFailures> {
    let row = sqlx::query!(
        r#"SELECT
             count(*) FILTER (WHERE lower(email) = lower($1)) AS "for_email!",
             count(*) FILTER (WHERE address = $2) AS "from_address!"
           FROM login_attempts
           WHERE NOT succeeded AND at > now() - make_interval(mins => $3)
             AND (lower(email) = lower($1) OR address = $2)"#,
        email,
        address,
        window_minutes
    )
    .fetch_one(pool)
    .await?;
    Ok(RecentFailures { for_email: row.for_email, from_address: row.from_address })
}

pub async fn record(pool: &PgPool, email: &str, address: &str, succeeded: bool) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO login_attempts (email, address, succeeded) VALUES ($1, $2, $3)",
        email,
        address,
        succeeded
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Old attempts carry no information for the limit; keep a day for the record.
pub async fn prune(pool: &PgPool) -> sqlx::Result<u64> {
    let done = sqlx::query!("DELETE FROM login_attempts WHERE at < now() - interval '1 day'").execute(pool).await?;
    Ok(done.rows_affected())
}
