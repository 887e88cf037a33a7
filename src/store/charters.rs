//! Charters (O3, S2): versioned; a draft becomes the charter in force when the approving body and
//! date are recorded, and the version it replaces stays readable as superseded.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;
use sqlx::PgPool;

use super::audit::{self, Actor, Change};
use crate::domain::audit_codes::{AuditAction, AuditEntity};
pub use crate::domain::charter_approval::Body;

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Charter {
    pub id: i64,
    pub version: i32,
    pub body: String,
    pub status: crate::domain::document_codes::CharterStatus,
    pub approved_by: Option<String>,
    pub approved_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

pub async fn versions(pool: &PgPool, group_id: i64) -> sqlx::Result<Vec<Charter>> {
    sqlx::query_as!(
        Charter,
        r#"SELECT id, version, body, status AS "status: _", approved_by, approved_on AS "approved_on: NaiveDate", created_at AS "created_at: DateTime<Utc>"
           FROM charters WHERE group_id = $1 ORDER BY version DESC"#,
        group_id
    )
    .fetch_all(pool)
    .await
}

/// Adds a new draft version (pasted text, or the kind's template filled in together: S2).
pub async fn add_draft(pool: &PgPool, actor: &Actor, group_id: i64, body: &str) -> sqlx::Result<i32> {
    let mut tx = pool.begin().await?;
    // The group row lock serialises version numbers.
    sqlx::query!("SELECT id FROM groups WHERE id = $1 FOR UPDATE", group_id).fetch_one(&mut *tx).await?;
    let version = sqlx::query_scalar!(
        r#"INSERT INTO charters (group_id, version, body, created_by)
           VALUES ($1, (SELECT coalesce(max(version), 0) + 1 FROM charters WHERE group_id = $1), $2, $3)
           RETURNING version"#,
        group_id,
        body,
        actor.person_id
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::CharterDraftAdded, AuditEntity::Group, group_id).after(json!({ "version": version })),
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// O3: the installation's bodies that may approve a charter, in their order.
pub async fn bodies(pool: &PgPool) -> sqlx::Result<Vec<Body>> {
    sqlx::query_as!(Body, "SELECT id, name FROM approving_bodies ORDER BY sort_order, name").fetch_all(pool).await
}

/// O3: the body the group's kind requires for its charters, if it names one (DMP: the board).
pub async fn required_body(pool: &PgPool, group_id: i64) -> sqlx::Result<Option<Body>> {
    sqlx::query_as!(
        Body,
        "SELECT b.id, b.name FROM groups g JOIN group_kinds k ON k.id = g.kind_id
         JOIN approving_bodies b ON b.id = k.charter_body_id WHERE g.id = $1",
        group_id
    )
    .fetch_optional(pool)
    .await
}

/// O3: records the approval of a draft (checked by `domain::charter_approval`); the charter in force
/// until now becomes superseded. The body's name is kept with the version as it read then.
pub async fn approve(
    pool: &PgPool,
    actor: &Actor,
    group_id: i64,
    version: i32,
    body: &Body,
    approved_on: NaiveDate,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    sqlx::query!("SELECT id FROM groups WHERE id = $1 FOR UPDATE", group_id).fetch_one(&mut *tx).await?;
    let is_draft = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM charters WHERE group_id = $1 AND version = $2 AND status = 'draft') AS "e!""#,
        group_id,
        version
    )
    .fetch_one(&mut *tx)
    .await?;
    if !is_draft {
        return Ok(false);
    }
    sqlx::query!("UPDATE charters SET status = 'superseded' WHERE group_id = $1 AND status = 'approved'", group_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "UPDATE charters SET status = 'approved', approving_body_id = $3, approved_by = $4, approved_on = $5
         WHERE group_id = $1 AND version = $2",
        group_id,
        version,
        body.id,
        body.name,
        approved_on as _
    )
    .execute(&mut *tx)
    .await?;
    let after = json!({ "version": version, "approving_body_id": body.id, "approved_by": body.name, "approved_on": approved_on });
    audit::record(&mut tx, actor, Change::of(AuditAction::CharterApproved, AuditEntity::Group, group_id).after(after))
        .await?;
    tx.commit().await?;
    Ok(true)
}
