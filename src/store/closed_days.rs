//! The installation's own closed days (D1: e.g. 1 May, an institution's days), kept by administrators.
//! The working-day calendar (store::calendar::working_calendar) reads them on every use, so a change
//! moves every deadline at once.

use chrono::NaiveDate;
use serde_json::json;
use sqlx::PgPool;

use super::audit::{self, Actor, Change};
use crate::domain::audit_codes::{AuditAction, AuditEntity};

#[derive(Debug, Clone)]
pub struct ClosedDay {
    pub day: NaiveDate,
    pub reason: String,
}

pub async fn list(pool: &PgPool) -> sqlx::Result<Vec<ClosedDay>> {
    sqlx::query_as!(ClosedDay, r#"SELECT day AS "day: NaiveDate", reason FROM closed_days ORDER BY day"#)
        .fetch_all(pool)
        .await
}

pub async fn add(pool: &PgPool, actor: &Actor, day: NaiveDate, reason: &str) -> super::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query!("INSERT INTO closed_days (day, reason) VALUES ($1, $2)", day as _, reason)
        .execute(&mut *tx)
        .await
        .map_err(|e| match e.as_database_error() {
            Some(d) if d.is_unique_violation() => super::Error::Taken("day"),
            _ => super::Error::Db(e),
        })?;
    let change = Change {
        action: AuditAction::ClosedDayAdded,
        entity: AuditEntity::ClosedDay,
        entity_id: Some(day.to_string()),
        before: None,
        after: Some(json!({ "day": day, "reason": reason })),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove(pool: &PgPool, actor: &Actor, day: NaiveDate) -> super::Result<()> {
    let mut tx = pool.begin().await?;
    let reason = sqlx::query_scalar!("DELETE FROM closed_days WHERE day = $1 RETURNING reason", day as _)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(super::Error::NotFound)?;
    let change = Change {
        action: AuditAction::ClosedDayRemoved,
        entity: AuditEntity::ClosedDay,
        entity_id: Some(day.to_string()),
        before: Some(json!({ "day": day, "reason": reason })),
        after: None,
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(())
}
