//! Solutions in operation (O4): the secretariat adds and edits them and assigns each to the group that
//! is responsible for it, including a group's takeover when a solution goes into production.

use crate::domain::operations::{EntryState, OperationalKind};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sqlx::PgPool;

use super::audit::{self, Actor, Change};

use super::{Error, Result};
use crate::domain::audit_codes::{AuditAction, AuditEntity};

#[derive(Debug, Clone)]
pub struct Solution {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
    pub in_operation: bool,
    pub taken_over_on: Option<NaiveDate>,
}

/// Every solution with its group (the secretariat's register).
pub async fn all(pool: &PgPool) -> sqlx::Result<Vec<Solution>> {
    sqlx::query_as!(
        Solution,
        r#"SELECT s.id, s.name, s.description, s.group_id, g.name AS "group_name?", s.in_operation,
                  s.taken_over_on AS "taken_over_on: NaiveDate"
           FROM solutions s LEFT JOIN groups g ON g.id = s.group_id ORDER BY s.name"#
    )
    .fetch_all(pool)
    .await
}

pub async fn get(pool: &PgPool, id: i64) -> sqlx::Result<Option<Solution>> {
    sqlx::query_as!(
        Solution,
        r#"SELECT s.id, s.name, s.description, s.group_id, g.name AS "group_name?", s.in_operation,
                  s.taken_over_on AS "taken_over_on: NaiveDate"
           FROM solutions s LEFT JOIN groups g ON g.id = s.group_id WHERE s.id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await
}

#[derive(Debug, Clone, Serialize)]
pub struct SolutionInput {
    pub name: String,
    pub description: String,
    pub group_id: Option<i64>,
    pub in_operation: bool,
    pub taken_over_on: Option<NaiveDate>,
}

fn map_error(e: sqlx::Error) -> Error {
    match e.as_database_error().and_then(|d| d.constraint()) {
        Some("solutions_name_key") => Error::Taken("name"),
        Some("solutions_group_id_fkey") => Error::Unknown("group_id"),
        _ => Error::Db(e),
    }
}

pub async fn create(pool: &PgPool, actor: &Actor, input: &SolutionInput) -> Result<i64> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO solutions (name, description, group_id, in_operation, taken_over_on) VALUES ($1, $2, $3, $4, $5)
         RETURNING id",
        input.name,
        input.description,
        input.group_id,
        input.in_operation,
        input.taken_over_on as _
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(map_error)?;
    let change = Change {
        action: AuditAction::SolutionCreated,
        entity: AuditEntity::Solution,
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(json!(input)),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(pool: &PgPool, actor: &Actor, id: i64, input: &SolutionInput) -> Result<()> {
    let mut tx = pool.begin().await?;
    let before = sqlx::query_scalar!(r#"SELECT to_jsonb(s) AS "row!" FROM solutions s WHERE id = $1 FOR UPDATE"#, id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
    sqlx::query!(
        "UPDATE solutions SET name = $2, description = $3, group_id = $4, in_operation = $5, taken_over_on = $6
         WHERE id = $1",
        id,
        input.name,
        input.description,
        input.group_id,
        input.in_operation,
        input.taken_over_on as _
    )
    .execute(&mut *tx)
    .await
    .map_err(map_error)?;
    let change = Change {
        action: AuditAction::SolutionUpdated,
        entity: AuditEntity::Solution,
        entity_id: Some(id.to_string()),
        before: Some(before),
        after: Some(json!(input)),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: OperationalKind,
    pub reported_on: NaiveDate,
    pub summary: String,
    pub count: Option<i32>,
    pub status: EntryState,
}

/// A8: the operational status entries of a solution, newest first.
pub async fn entries(pool: &PgPool, solution_id: i64) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"SELECT kind AS "kind: OperationalKind", reported_on AS "reported_on: NaiveDate", summary, count,
                  status AS "status: EntryState"
           FROM operational_status WHERE solution_id = $1 ORDER BY reported_on DESC, id DESC LIMIT 100"#,
        solution_id
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, Serialize)]
pub struct NewEntry {
    pub kind: OperationalKind,
    pub reported_on: NaiveDate,
    pub summary: String,
    pub count: Option<i32>,
    pub status: EntryState,
}

/// A8: the secretariat records errors, support, releases and user-facing incidents of a solution.
pub async fn add_entry(pool: &PgPool, actor: &Actor, solution_id: i64, e: &NewEntry) -> Result<i64> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO operational_status (solution_id, kind, reported_on, summary, count, status, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        solution_id,
        e.kind.as_str(),
        e.reported_on as _,
        e.summary,
        e.count,
        e.status.as_str(),
        actor.person_id
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|err| match err.as_database_error().and_then(|d| d.constraint()) {
        Some("operational_status_solution_id_fkey") => Error::NotFound,
        _ => Error::Db(err),
    })?;
    let change = Change {
        action: AuditAction::OperationalStatusRecorded,
        entity: AuditEntity::Solution,
        entity_id: Some(solution_id.to_string()),
        before: None,
        after: Some(json!({ "entry_id": id, "entry": e })),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// A8: one operational status entry of a group's solution, for the API.
#[derive(Debug, Clone)]
pub struct GroupEntry {
    pub solution_id: i64,
    pub solution: String,
    pub kind: OperationalKind,
    pub reported_on: NaiveDate,
    pub summary: String,
    pub count: Option<i32>,
    pub status: EntryState,
}

/// A8: the operational status of every solution the group is responsible for (O4), newest first.
pub async fn entries_of_group(pool: &PgPool, group_id: i64) -> sqlx::Result<Vec<GroupEntry>> {
    sqlx::query_as!(
        GroupEntry,
        r#"SELECT s.id AS solution_id, s.name AS solution, o.kind AS "kind: OperationalKind",
                  o.reported_on AS "reported_on: NaiveDate", o.summary, o.count, o.status AS "status: EntryState"
           FROM operational_status o JOIN solutions s ON s.id = o.solution_id
           WHERE s.group_id = $1 ORDER BY o.reported_on DESC, o.id DESC LIMIT 500"#,
        group_id
    )
    .fetch_all(pool)
    .await
}
