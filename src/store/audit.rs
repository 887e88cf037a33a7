//! The audit log: every change by a person, who, when, what, before and after.

use serde_json::Value;
use sqlx::PgConnection;

use crate::domain::audit_codes::{AuditAction, AuditEntity};

/// Who made a change: a signed-in person, or a named non-person such as the command line.
#[derive(Debug, Clone)]
pub struct Actor {
    pub person_id: Option<i64>,
    pub label: String,
    pub request_id: Option<String>,
}

impl Actor {
    pub fn cli() -> Actor {
        Actor { person_id: None, label: "kommandolinje".into(), request_id: None }
    }
}

pub struct Change {
    pub action: AuditAction,
    pub entity: AuditEntity,
    pub entity_id: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl Change {
    /// `action` done to the `entity` with this id, if it has one; `before` and `after` are added where
    /// they say more than the action does.
    pub fn of(action: AuditAction, entity: AuditEntity, id: impl Into<Option<i64>>) -> Self {
        Change { action, entity, entity_id: id.into().map(|id| id.to_string()), before: None, after: None }
    }

    pub fn before(self, before: Value) -> Self {
        Change { before: Some(before), ..self }
    }

    pub fn after(self, after: Value) -> Self {
        Change { after: Some(after), ..self }
    }
}

/// Written inside the caller's transaction, so the log and the change commit together.
pub async fn record(conn: &mut PgConnection, actor: &Actor, change: Change) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO audit_log (actor_id, actor_label, action, entity, entity_id, before, after, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        actor.person_id,
        actor.label,
        change.action.as_str(),
        change.entity.as_str(),
        change.entity_id,
        change.before,
        change.after,
        actor.request_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_label: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub after: Option<Value>,
}

pub async fn latest(pool: &sqlx::PgPool, limit: i64) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"SELECT at AS "at: chrono::DateTime<chrono::Utc>", actor_label, action, entity, entity_id, after FROM audit_log ORDER BY id DESC LIMIT $1"#,
        limit
    )
    .fetch_all(pool)
    .await
}
