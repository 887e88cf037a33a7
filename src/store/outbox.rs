//! The outbox: every email is a row, queued in the transaction of the change that causes it.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use super::audit::{self, Actor, Change};
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::notifications::MailKind;
use crate::domain::outbox::OutboxStatus;

pub struct NewMail<'a> {
    /// Unique per reminder (kind + subject + deadline + recipient): a second queueing is a no-op.
    pub idempotency_key: &'a str,
    pub kind: MailKind,
    pub to_person_id: Option<i64>,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: Option<&'a str>,
    /// A meeting invitation as an .ics attachment.
    pub ics: Option<&'a str>,
    /// When it is queued, by the caller's clock: the mail is due then (or at the next digest hour).
    pub queued_at: DateTime<Utc>,
}

/// Which of `keys` are not in the outbox yet (sent or not), by their index in `keys`, in one
/// statement. A scan where everything due is queued already gets nothing back.
pub async fn missing_keys(pool: &PgPool, keys: &[String]) -> sqlx::Result<Vec<usize>> {
    let found = sqlx::query_scalar!(
        r#"SELECT k.i - 1 AS "i!" FROM unnest($1::text[]) WITH ORDINALITY AS k(key, i)
           WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.idempotency_key = k.key)"#,
        keys
    )
    .fetch_all(pool)
    .await?;
    Ok(found.into_iter().filter_map(|i| usize::try_from(i).ok()).collect())
}

/// Queues a mail; returns false when a mail with the same key is already queued or sent, or the
/// recipient has switched this kind off. A recipient who takes it as a digest gets it bundled at
/// 07:00 Copenhagen time the next morning (D3).
pub async fn enqueue(conn: &mut PgConnection, mail: NewMail<'_>) -> sqlx::Result<bool> {
    let setting = mail.kind.setting().as_str();
    let done = sqlx::query!(
        r#"WITH pref AS (SELECT mode FROM notification_settings WHERE person_id = $3 AND kind = $9)
           INSERT INTO outbox (idempotency_key, kind, to_person_id, to_address, subject, body_text, body_html, ics, digest, next_attempt_at)
           SELECT $1, $2, $3, $4, $5, $6, $7, $8,
                  coalesce((SELECT mode FROM pref) = 'digest', false),
                  CASE WHEN (SELECT mode FROM pref) = 'digest'
                       THEN (date_trunc('day', $10::timestamptz AT TIME ZONE $11) + interval '31 hours') AT TIME ZONE $11
                       ELSE $10::timestamptz END
           WHERE coalesce((SELECT mode FROM pref), 'immediate') <> 'off'
           ON CONFLICT (idempotency_key) DO NOTHING"#,
        mail.idempotency_key,
        mail.kind.as_str(),
        mail.to_person_id,
        mail.to_address,
        mail.subject,
        mail.body_text,
        mail.body_html,
        mail.ics,
        setting,
        mail.queued_at as _,
        crate::time_zone::TZ.name()
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Queues many mails in one statement, each as `enqueue` would (skipped when its key is queued or sent
/// already or its recipient switched the kind off; a digest waits for the morning); returns how many
/// were queued. The deadline scan queues a day's reminders with it (one statement per
/// thousand mails instead of one each).
pub async fn enqueue_all<'m>(conn: &mut PgConnection, mails: &[NewMail<'m>]) -> sqlx::Result<u64> {
    let mut queued = 0;
    for chunk in mails.chunks(1000) {
        let col = |f: fn(&NewMail<'m>) -> &'m str| chunk.iter().map(f).collect::<Vec<&str>>();
        let done = sqlx::query!(
            r#"WITH new AS (
                   SELECT * FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::text[],
                                        $7::text[], $8::text[], $9::text[], $10::timestamptz[])
                            AS n(key, kind, person_id, address, subject, body_text, body_html, ics, setting, queued_at)
               )
               INSERT INTO outbox (idempotency_key, kind, to_person_id, to_address, subject, body_text, body_html, ics, digest, next_attempt_at)
               SELECT n.key, n.kind, n.person_id, n.address, n.subject, n.body_text, n.body_html, n.ics,
                      coalesce(p.mode = 'digest', false),
                      CASE WHEN p.mode = 'digest'
                           THEN (date_trunc('day', n.queued_at AT TIME ZONE $11) + interval '31 hours') AT TIME ZONE $11
                           ELSE n.queued_at END
               FROM new n
               LEFT JOIN notification_settings p ON p.person_id = n.person_id AND p.kind = n.setting
               WHERE coalesce(p.mode, 'immediate') <> 'off'
               ON CONFLICT (idempotency_key) DO NOTHING"#,
            &col(|m| m.idempotency_key) as _,
            &col(|m| m.kind.as_str()) as _,
            &chunk.iter().map(|m| m.to_person_id).collect::<Vec<_>>() as _,
            &col(|m| m.to_address) as _,
            &col(|m| m.subject) as _,
            &col(|m| m.body_text) as _,
            &chunk.iter().map(|m| m.body_html).collect::<Vec<_>>() as _,
            &chunk.iter().map(|m| m.ics).collect::<Vec<_>>() as _,
            &col(|m| m.kind.setting().as_str()) as _,
            &chunk.iter().map(|m| m.queued_at).collect::<Vec<_>>() as _,
            crate::time_zone::TZ.name()
        )
        .execute(&mut *conn)
        .await?;
        queued += done.rows_affected();
    }
    Ok(queued)
}

#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// The newest mails, of one status when asked.
pub async fn latest(pool: &PgPool, status: Option<OutboxStatus>, limit: i64) -> sqlx::Result<Vec<OutboxRow>> {
    sqlx::query_as!(
        OutboxRow,
        r#"SELECT id, kind, to_address, subject, status AS "status: OutboxStatus", attempts,
                  created_at AS "created_at: DateTime<Utc>", sent_at AS "sent_at: DateTime<Utc>", last_error
           FROM outbox WHERE ($1::text IS NULL OR status = $1) ORDER BY id DESC LIMIT $2"#,
        status as _,
        limit
    )
    .fetch_all(pool)
    .await
}

/// One mail as it was queued, its text included.
#[derive(Debug, Clone)]
pub struct OutboxMail {
    pub row: OutboxRow,
    pub body_text: String,
}

pub async fn get(pool: &PgPool, id: i64) -> sqlx::Result<Option<OutboxMail>> {
    let r = sqlx::query!(
        r#"SELECT id, kind, to_address, subject, status AS "status: OutboxStatus", attempts,
                  created_at AS "created_at: DateTime<Utc>", sent_at AS "sent_at: DateTime<Utc>", last_error, body_text
           FROM outbox WHERE id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(r.map(|r| OutboxMail {
        row: OutboxRow {
            id: r.id,
            kind: r.kind,
            to_address: r.to_address,
            subject: r.subject,
            status: r.status,
            attempts: r.attempts,
            created_at: r.created_at,
            sent_at: r.sent_at,
            last_error: r.last_error,
        },
        body_text: r.body_text,
    }))
}

/// A failed mail queued again, its attempts counted afresh; false when it is not (or no longer) failed.
pub async fn resend(pool: &PgPool, actor: &Actor, id: i64, now: DateTime<Utc>) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query!(
        "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = $2, last_error = NULL
         WHERE id = $1 AND status = 'failed'",
        id,
        now as _
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(&mut tx, actor, Change::of(AuditAction::MailResent, AuditEntity::Outbox, id)).await?;
    tx.commit().await?;
    Ok(true)
}

/// A mail claimed for sending.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub idempotency_key: String,
    pub to_address: String,
    /// The recipient's name, for the greeting; none for an address that is no known person's.
    pub to_name: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub ics: Option<String>,
    pub attempts: i32,
    pub digest: bool,
}

/// Claims the next message due: one single mail, or every due digest row of one recipient (a digest is
/// one message, D3). `SKIP LOCKED` keeps two senders off the same rows, and the lease (the next attempt
/// moved `lease_secs` ahead) keeps a second sender off rows whose first sender died between claim and
/// send: they simply come due again when the lease runs out. One message at a time, so a crash holds
/// back only the message in flight. A recipient's digest is claimed through its lowest due row, so a
/// second sender that finds that row locked leaves the recipient's other rows alone instead of sending
/// half a digest. Empty when nothing is due. One statement.
pub async fn claim_next(pool: &PgPool, now: DateTime<Utc>, lease_secs: i32) -> sqlx::Result<Vec<Claimed>> {
    sqlx::query_as!(
        Claimed,
        r#"WITH first AS (
               SELECT o.id, o.to_address, o.digest FROM outbox o
               WHERE o.status = 'queued' AND o.next_attempt_at <= $1
                 AND NOT (o.digest AND EXISTS (SELECT 1 FROM outbox e
                                               WHERE e.digest AND e.to_address = o.to_address AND e.status = 'queued'
                                                 AND e.next_attempt_at <= $1 AND e.id < o.id))
               ORDER BY o.next_attempt_at, o.id LIMIT 1 FOR UPDATE SKIP LOCKED
           ),
           message AS (
               SELECT o.id FROM outbox o, first f
               WHERE o.id = f.id
                  OR (f.digest AND o.digest AND o.to_address = f.to_address AND o.status = 'queued'
                      AND o.next_attempt_at <= $1)
               FOR UPDATE OF o SKIP LOCKED
           )
           UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1::timestamptz + make_interval(secs => $2)
           WHERE id IN (SELECT id FROM message)
           RETURNING id AS "id!", idempotency_key AS "idempotency_key!", to_address AS "to_address!",
                     (SELECT p.name FROM people p WHERE p.id = outbox.to_person_id) AS to_name,
                     subject AS "subject!", body_text AS "body_text!", body_html, ics, attempts AS "attempts!",
                     digest AS "digest!""#,
        now as _,
        f64::from(lease_secs)
    )
    .fetch_all(pool)
    .await
}

/// The SMTP server accepted the message standing for these rows. One statement per message.
pub async fn sent(pool: &PgPool, ids: &[i64], now: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE outbox SET status = 'sent', sent_at = $2, last_error = NULL WHERE id = ANY($1)",
        ids,
        now as _
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// A failed attempt: try again after `retry_in_secs`, or give up (status failed) when `give_up`.
pub async fn attempt_failed(
    pool: &PgPool,
    id: i64,
    error: &str,
    now: DateTime<Utc>,
    retry_in_secs: i64,
    give_up: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE outbox SET last_error = $2, status = CASE WHEN $5 THEN 'failed' ELSE 'queued' END,
                next_attempt_at = $3::timestamptz + make_interval(secs => $4)
         WHERE id = $1",
        id,
        error,
        now as _,
        retry_in_secs as f64,
        give_up
    )
    .execute(pool)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

pub async fn counts(pool: &PgPool) -> sqlx::Result<Counts> {
    let r = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE status = 'queued') AS "queued!", count(*) FILTER (WHERE status = 'sent') AS "sent!",
                  count(*) FILTER (WHERE status = 'failed') AS "failed!" FROM outbox"#
    )
    .fetch_one(pool)
    .await?;
    Ok(Counts { queued: r.queued, sent: r.sent, failed: r.failed })
}

/// Background job bookkeeping, for the administration page.
pub async fn record_job_run(
    pool: &PgPool,
    name: &str,
    at: DateTime<Utc>,
    detail: serde_json::Value,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO job_runs (name, last_run, detail) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET last_run = EXCLUDED.last_run, detail = EXCLUDED.detail",
        name,
        at as _,
        detail
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn last_job_run(pool: &PgPool, name: &str) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar!(r#"SELECT last_run AS "last_run: DateTime<Utc>" FROM job_runs WHERE name = $1"#, name)
        .fetch_optional(pool)
        .await
}
