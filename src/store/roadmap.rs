//! The roadmap (C3): a group's initiatives with the change requests linked to them.

use serde::Serialize;
use serde_json::json;
use sqlx::PgPool;

use super::audit::{self, Actor, Change};
use super::{Error, Result};
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::change_requests::Status;
use crate::domain::roadmap::InitiativeStatus;

#[derive(Debug, Clone)]
pub struct Initiative {
    pub id: i64,
    pub group_id: i64,
    pub title: String,
    pub description: String,
    pub start_year: i32,
    pub end_year: i32,
    pub status: InitiativeStatus,
}

/// A group's initiatives in roadmap order.
pub async fn of_group(pool: &PgPool, group_id: i64) -> sqlx::Result<Vec<Initiative>> {
    sqlx::query_as!(
        Initiative,
        r#"SELECT id, group_id, title, description, start_year, end_year, status AS "status: InitiativeStatus"
           FROM roadmap_initiatives WHERE group_id = $1 ORDER BY start_year, position, title"#,
        group_id
    )
    .fetch_all(pool)
    .await
}

pub async fn get(pool: &PgPool, id: i64) -> sqlx::Result<Option<Initiative>> {
    sqlx::query_as!(
        Initiative,
        r#"SELECT id, group_id, title, description, start_year, end_year, status AS "status: InitiativeStatus"
           FROM roadmap_initiatives WHERE id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await
}

#[derive(Debug, Clone)]
pub struct LinkedRequest {
    pub id: i64,
    pub initiative_id: i64,
    pub reference: String,
    pub title: String,
    pub status: Status,
}

/// The change requests linked to the group's initiatives (C3), for the roadmap page.
pub async fn linked_requests(pool: &PgPool, group_id: i64) -> sqlx::Result<Vec<LinkedRequest>> {
    sqlx::query_as!(
        LinkedRequest,
        r#"SELECT c.id, c.initiative_id AS "initiative_id!", c.reference, c.title, c.status AS "status: Status"
           FROM change_requests c WHERE c.group_id = $1 AND c.initiative_id IS NOT NULL ORDER BY c.reference"#,
        group_id
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, Serialize)]
pub struct InitiativeInput {
    pub title: String,
    pub description: String,
    pub start_year: i32,
    pub end_year: i32,
    pub status: InitiativeStatus,
}

pub async fn create(pool: &PgPool, actor: &Actor, group_id: i64, input: &InitiativeInput) -> Result<i64> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO roadmap_initiatives (group_id, title, description, start_year, end_year, status, position)
         VALUES ($1, $2, $3, $4, $5, $6, (SELECT coalesce(max(position), 0) + 1 FROM roadmap_initiatives WHERE group_id = $1))
         RETURNING id",
        group_id,
        input.title,
        input.description,
        input.start_year,
        input.end_year,
        input.status.as_str()
    )
    .fetch_one(&mut *tx)
    .await?;
    let change = Change {
        action: AuditAction::InitiativeCreated,
        entity: AuditEntity::RoadmapInitiative,
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(json!({ "group_id": group_id, "input": input })),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(pool: &PgPool, actor: &Actor, id: i64, input: &InitiativeInput) -> Result<()> {
    let mut tx = pool.begin().await?;
    let before =
        sqlx::query_scalar!(r#"SELECT to_jsonb(r) AS "row!" FROM roadmap_initiatives r WHERE id = $1 FOR UPDATE"#, id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound)?;
    sqlx::query!(
        "UPDATE roadmap_initiatives SET title = $2, description = $3, start_year = $4, end_year = $5, status = $6
         WHERE id = $1",
        id,
        input.title,
        input.description,
        input.start_year,
        input.end_year,
        input.status.as_str()
    )
    .execute(&mut *tx)
    .await?;
    let change = Change {
        action: AuditAction::InitiativeUpdated,
        entity: AuditEntity::RoadmapInitiative,
        entity_id: Some(id.to_string()),
        before: Some(before),
        after: Some(json!(input)),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(())
}
