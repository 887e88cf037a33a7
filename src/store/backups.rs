//! The nightly backup's bookkeeping: which instance takes it (an advisory lock), when the last one
//! ran and how it went (the `job_runs` row "backup", read on the administration page), and the mail
//! to the administrators when one fails.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};

use super::outbox::{self, NewMail};
use crate::domain::notifications::MailKind;

/// The advisory lock's key: one instance backs up, the others see it held and skip.
const LOCK: i64 = 0x0053_4241_434b_5550; // "SBACKUP" in ASCII

/// The last backup: when, and its file and size or its error.
pub struct LastBackup {
    pub at: DateTime<Utc>,
    pub file: Option<String>,
    pub bytes: Option<i64>,
    pub error: Option<String>,
}

pub async fn last(pool: &PgPool) -> sqlx::Result<Option<LastBackup>> {
    let row = sqlx::query!(
        r#"SELECT last_run AS "at: DateTime<Utc>", detail->>'file' AS file, (detail->>'bytes')::bigint AS bytes,
                  detail->>'error' AS error
           FROM job_runs WHERE name = 'backup'"#
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| LastBackup { at: r.at, file: r.file, bytes: r.bytes, error: r.error }))
}

/// This instance's turn: a transaction holding the lock, or `None` while another instance holds it.
pub async fn take_turn(pool: &PgPool) -> sqlx::Result<Option<Transaction<'static, Postgres>>> {
    let mut tx = pool.begin().await?;
    let got: bool =
        sqlx::query_scalar!(r#"SELECT pg_try_advisory_xact_lock($1) AS "got!""#, LOCK).fetch_one(&mut *tx).await?;
    Ok(got.then_some(tx))
}

pub async fn record(
    conn: &mut PgConnection,
    at: DateTime<Utc>,
    file: Option<(&str, u64)>,
    error: Option<&str>,
) -> sqlx::Result<()> {
    let detail = match (file, error) {
        (Some((file, bytes)), _) => json!({ "file": file, "bytes": bytes }),
        (None, Some(error)) => json!({ "error": error }),
        (None, None) => json!({}),
    };
    sqlx::query!(
        "INSERT INTO job_runs (name, last_run, detail) VALUES ('backup', $1, $2)
         ON CONFLICT (name) DO UPDATE SET last_run = EXCLUDED.last_run, detail = EXCLUDED.detail",
        at as _,
        detail
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Tells every active administrator that tonight's backup failed, once per day (`day` in the key).
pub async fn mail_failure(conn: &mut PgConnection, day: &str, error: &str, now: DateTime<Utc>) -> sqlx::Result<()> {
    let admins = sqlx::query!(
        "SELECT p.id, p.email FROM accounts a JOIN people p ON p.id = a.person_id WHERE a.role = 'admin' AND a.active"
    )
    .fetch_all(&mut *conn)
    .await?;
    let subject = format!("Nattens backup af Samarbejdsrum mislykkedes ({day})");
    let text = format!(
        "Samarbejdsrum kunne ikke tage nattens backup af databasen.\n\nFejlen: {error}\n\n\
         Hvad du skal gøre: ret fejlen (fx plads på disken eller adgang til mappen), og tag en backup \
         med `samarbejdsrum backup` i dag. Administrationssiden viser, hvornår den sidste backup lykkedes.\n"
    );
    for admin in admins {
        let key = format!("backup-failed:{day}:{}", admin.id);
        let mail = NewMail {
            idempotency_key: &key,
            kind: MailKind::BackupFailed,
            to_person_id: Some(admin.id),
            to_address: &admin.email,
            subject: &subject,
            body_text: &text,
            body_html: None,
            ics: None,
            queued_at: now,
        };
        outbox::enqueue(conn, mail).await?;
    }
    Ok(())
}
