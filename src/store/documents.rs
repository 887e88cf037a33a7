//! Attachments (T7): stored in the database with their meeting, the meeting's date being their folder.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use super::audit::{self, Actor, Change};
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::ids::{DocumentId, MeetingId};

#[derive(Debug, Clone, serde::Deserialize)]
pub struct DocumentInfo {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

pub struct NewDocument<'a> {
    pub meeting_id: i64,
    pub group_id: Option<i64>,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a [u8],
    pub content: &'a [u8],
}

pub async fn add(pool: &PgPool, actor: &Actor, d: NewDocument<'_>) -> sqlx::Result<i64> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO documents (group_id, meeting_id, filename, content_type, size_bytes, sha256, content, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        d.group_id,
        d.meeting_id,
        d.filename,
        d.content_type,
        d.content.len() as i64,
        d.sha256,
        d.content,
        actor.person_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let after = json!({ "meeting_id": d.meeting_id, "filename": d.filename, "size": d.content.len() });
    audit::record(&mut tx, actor, Change::of(AuditAction::AttachmentAdded, AuditEntity::Document, id).after(after))
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub struct Content {
    pub filename: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// T7: a meeting's attachments by name (their contents stay in the database until downloaded).
pub async fn of_meeting(pool: &PgPool, meeting_id: i64) -> sqlx::Result<Vec<DocumentInfo>> {
    sqlx::query_as!(
        DocumentInfo,
        r#"SELECT id, filename, content_type, size_bytes, uploaded_at AS "uploaded_at: DateTime<Utc>"
           FROM documents WHERE meeting_id = $1 ORDER BY filename"#,
        meeting_id
    )
    .fetch_all(pool)
    .await
}

pub async fn content(pool: &PgPool, meeting_id: MeetingId, id: DocumentId) -> sqlx::Result<Option<Content>> {
    sqlx::query_as!(
        Content,
        "SELECT filename, content_type, content FROM documents WHERE id = $1 AND meeting_id = $2",
        id.0,
        meeting_id.0
    )
    .fetch_optional(pool)
    .await
}

/// T7: every attachment of the meeting with its content, for the meeting's case file; one statement.
pub async fn contents_of_meeting(pool: &PgPool, meeting_id: i64) -> sqlx::Result<Vec<Content>> {
    sqlx::query_as!(
        Content,
        "SELECT filename, content_type, content FROM documents WHERE meeting_id = $1 ORDER BY filename, id",
        meeting_id
    )
    .fetch_all(pool)
    .await
}

/// T7: a new file in the attachment's place (same id, so links to it now give the new file); the audit
/// log keeps who replaced which file name with which.
pub async fn replace(
    pool: &PgPool,
    actor: &Actor,
    meeting_id: MeetingId,
    id: DocumentId,
    d: NewDocument<'_>,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let old = sqlx::query_scalar!(
        "SELECT filename FROM documents WHERE id = $1 AND meeting_id = $2 FOR UPDATE",
        id.0,
        meeting_id.0
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(old) = old else { return Ok(false) };
    sqlx::query!(
        "UPDATE documents SET filename = $2, content_type = $3, size_bytes = $4, sha256 = $5, content = $6,
                uploaded_by = $7, uploaded_at = now()
         WHERE id = $1",
        id.0,
        d.filename,
        d.content_type,
        d.content.len() as i64,
        d.sha256,
        d.content,
        actor.person_id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::AttachmentReplaced, AuditEntity::Document, id)
            .before(json!({ "meeting_id": meeting_id, "filename": old }))
            .after(json!({ "meeting_id": meeting_id, "filename": d.filename, "size": d.content.len() })),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// T7: removes an attachment for good; the audit log keeps who removed which file name, and when.
pub async fn remove(pool: &PgPool, actor: &Actor, meeting_id: MeetingId, id: DocumentId) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let old = sqlx::query_scalar!(
        "DELETE FROM documents WHERE id = $1 AND meeting_id = $2 RETURNING filename",
        id.0,
        meeting_id.0
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(old) = old else { return Ok(false) };
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::AttachmentRemoved, AuditEntity::Document, id)
            .before(json!({ "meeting_id": meeting_id, "filename": old })),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
