//! What the operator's metrics read from the database at each scrape, in one statement.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

pub struct OperationsNow {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    /// Seconds the oldest queued mail has waited (0 when none waits).
    pub oldest_queued_seconds: f64,
    pub last_deadline_scan: Option<DateTime<Utc>>,
    /// The last nightly backup that was written (a failed one does not count).
    pub last_backup: Option<DateTime<Utc>>,
}

pub async fn read(pool: &PgPool, now: DateTime<Utc>) -> sqlx::Result<OperationsNow> {
    let r = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE status = 'queued') AS "queued!",
                  count(*) FILTER (WHERE status = 'sent') AS "sent!",
                  count(*) FILTER (WHERE status = 'failed') AS "failed!",
                  coalesce(extract(epoch FROM $1::timestamptz - min(created_at) FILTER (WHERE status = 'queued')), 0)::float8
                    AS "oldest!",
                  (SELECT last_run FROM job_runs WHERE name = 'deadline_scan') AS "last_scan: DateTime<Utc>",
                  (SELECT last_run FROM job_runs WHERE name = 'backup' AND detail ? 'file') AS "last_backup: DateTime<Utc>"
           FROM outbox"#,
        now as _
    )
    .fetch_one(pool)
    .await?;
    Ok(OperationsNow {
        queued: r.queued,
        sent: r.sent,
        failed: r.failed,
        oldest_queued_seconds: r.oldest.max(0.0),
        last_deadline_scan: r.last_scan,
        last_backup: r.last_backup,
    })
}
