//! The outbox: every email is a row, queued in the transaction of the change that causes it.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

pub struct NewMail<'a> {
    /// Unique per reminder (kind + subject + deadline + recipient): a second queueing is a no-op.
    pub idempotency_key: &'a str,
    pub kind: &'a str,
    pub to_person_id: Option<i64>,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: Option<&'a str>,
}

/// Queues a mail; returns false when a mail with the same key is already queued or sent.
pub async fn enqueue(conn: &mut PgConnection, mail: NewMail<'_>) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "INSERT INTO outbox (idempotency_key, kind, to_person_id, to_address, subject, body_text, body_html)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (idempotency_key) DO NOTHING",
        mail.idempotency_key,
        mail.kind,
        mail.to_person_id,
        mail.to_address,
        mail.subject,
        mail.body_text,
        mail.body_html
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn mark_sent(pool: &PgPool, idempotency_key: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1 WHERE idempotency_key = $1",
        idempotency_key
    )
    .execute(pool)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

pub async fn latest(pool: &PgPool, limit: i64) -> sqlx::Result<Vec<OutboxRow>> {
    sqlx::query_as!(
        OutboxRow,
        r#"SELECT id, kind, to_address, subject, status, attempts, created_at AS "created_at: DateTime<Utc>", sent_at AS "sent_at: DateTime<Utc>", last_error
         FROM outbox ORDER BY id DESC LIMIT $1"#,
        limit
    )
    .fetch_all(pool)
    .await
}
