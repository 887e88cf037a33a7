//! The registers the minutes feed (R5, C4): decisions and the action list, across groups or for one,
//! read through the one read rule (O5, M5) in SQL.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgPool;

use super::audit::{self, Actor, Change};
use super::handoffs::{self, Handoff};
use super::{Error, Result};
use crate::domain::access::GroupScope;
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::minutes::{ActionStatus, Outcome};

#[derive(Debug, Clone, serde::Serialize)]
pub struct DecisionRow {
    pub id: i64,
    pub group_id: i64,
    pub group_slug: String,
    pub group_name: String,
    pub meeting_id: i64,
    pub decided_on: NaiveDate,
    pub text: String,
    pub outcome: Option<Outcome>,
    pub responsible: Option<String>,
    pub minutes_item_id: Option<i64>,
    pub item: Option<String>,
}

/// What a list of decisions is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct DecisionFilter {
    pub group_id: Option<i64>,
    pub year: Option<i32>,
    pub text: Option<String>,
}

/// R5: the decisions of the groups the reader may see, newest first.
pub async fn decisions(pool: &PgPool, scope: GroupScope, f: &DecisionFilter) -> sqlx::Result<Vec<DecisionRow>> {
    let pattern =
        f.text.as_deref().map(|t| format!("%{}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
    sqlx::query_as!(
        DecisionRow,
        r#"SELECT d.id, g.id AS group_id, g.slug AS group_slug, g.name AS group_name, d.meeting_id,
                  d.decided_on AS "decided_on: NaiveDate", d.text, d.outcome AS "outcome: Outcome",
                  p.name AS "responsible?", d.minutes_item_id,
                  CASE WHEN i.id IS NULL THEN NULL ELSE i.number || ' ' || i.title END AS "item?"
           FROM decisions d
           JOIN meetings m ON m.id = d.meeting_id
           JOIN groups g ON g.id = m.group_id
           LEFT JOIN people p ON p.id = d.responsible_id
           LEFT JOIN minutes_items i ON i.id = d.minutes_item_id
           WHERE group_readable(g.id, g.confidentiality, $1, $2, $3)
             AND ($4::bigint IS NULL OR g.id = $4)
             AND ($5::int IS NULL OR extract(year FROM d.decided_on)::int = $5)
             AND ($6::text IS NULL OR d.text ILIKE $6)
           ORDER BY d.decided_on DESC, d.id DESC
           LIMIT 500"#,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader,
        f.group_id,
        f.year,
        pattern
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ActionRow {
    pub id: i64,
    pub group_id: i64,
    pub group_slug: String,
    pub group_name: String,
    pub meeting_id: Option<i64>,
    pub title: String,
    pub owner_id: i64,
    pub owner: String,
    pub due_on: NaiveDate,
    pub status: ActionStatus,
    pub note: String,
    pub done_at: Option<DateTime<Utc>>,
    pub minutes_item_id: Option<i64>,
}

/// C4: the actions of the groups the reader may see (one group when `group_id` is given), the open
/// ones first by due date.
pub async fn actions(pool: &PgPool, scope: GroupScope, group_id: Option<i64>) -> sqlx::Result<Vec<ActionRow>> {
    sqlx::query_as!(
        ActionRow,
        r#"SELECT a.id, g.id AS group_id, g.slug AS group_slug, g.name AS group_name, a.meeting_id, a.title,
                  a.owner_id, p.name AS owner, a.due_on AS "due_on: NaiveDate", a.status AS "status: ActionStatus",
                  a.note, a.done_at AS "done_at: DateTime<Utc>", a.minutes_item_id
           FROM actions a
           JOIN groups g ON g.id = a.group_id
           JOIN people p ON p.id = a.owner_id
           WHERE group_readable(g.id, g.confidentiality, $1, $2, $3)
             AND ($4::bigint IS NULL OR g.id = $4)
           ORDER BY (a.status = 'open') DESC, a.due_on, a.id
           LIMIT 1000"#,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader,
        group_id
    )
    .fetch_all(pool)
    .await
}

/// One action, if the reader may see its group.
pub async fn action(pool: &PgPool, scope: GroupScope, id: i64) -> sqlx::Result<Option<ActionRow>> {
    sqlx::query_as!(
        ActionRow,
        r#"SELECT a.id, g.id AS group_id, g.slug AS group_slug, g.name AS group_name, a.meeting_id, a.title,
                  a.owner_id, p.name AS owner, a.due_on AS "due_on: NaiveDate", a.status AS "status: ActionStatus",
                  a.note, a.done_at AS "done_at: DateTime<Utc>", a.minutes_item_id
           FROM actions a
           JOIN groups g ON g.id = a.group_id
           JOIN people p ON p.id = a.owner_id
           WHERE a.id = $4 AND group_readable(g.id, g.confidentiality, $1, $2, $3)"#,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader,
        id
    )
    .fetch_optional(pool)
    .await
}

/// C4: closes an open action as done or dropped, with a note; its owner is told (`told`) in the same
/// transaction, unless they closed it themselves.
pub async fn close(
    pool: &PgPool,
    actor: &Actor,
    id: i64,
    status: ActionStatus,
    note: &str,
    told: &Handoff,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query!(
        "UPDATE actions SET status = $2, note = $3, closed_by = $4,
                done_at = CASE WHEN $2 = 'done' THEN $5 ELSE done_at END
         WHERE id = $1 AND status = 'open'",
        id,
        status as _,
        note,
        actor.person_id,
        now as _
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::ActionClosed, AuditEntity::Action, id)
            .before(json!({ "status": "open" }))
            .after(json!({ "status": status, "note": note })),
    )
    .await?;
    handoffs::send(&mut tx, told, &format!("action-closed-{id}"), actor.person_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// C4: open actions for the reminder scan, with their owner's address.
#[derive(Debug, Clone)]
pub struct Due {
    pub id: i64,
    pub group_name: String,
    pub title: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub owner_email: String,
    pub due_on: NaiveDate,
}

pub async fn open_for_reminders(pool: &PgPool, from: NaiveDate, to: NaiveDate) -> sqlx::Result<Vec<Due>> {
    sqlx::query_as!(
        Due,
        r#"SELECT a.id, g.name AS group_name, a.title, a.owner_id, p.name AS owner_name, p.email AS owner_email,
                  a.due_on AS "due_on: NaiveDate"
           FROM actions a JOIN groups g ON g.id = a.group_id JOIN people p ON p.id = a.owner_id
           WHERE a.status = 'open' AND a.due_on BETWEEN $1 AND $2 AND g.status = 'active'
           ORDER BY a.due_on"#,
        from as _,
        to as _
    )
    .fetch_all(pool)
    .await
}
