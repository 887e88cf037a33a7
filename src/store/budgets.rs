//! Budgets (B1-B3): the board's budget per group and year, dispositions with their spending, and transfers
//! between groups. Every change locks the budget rows it touches, in id order, before it checks the rule,
//! so concurrent changes never overdraw a budget; the database checks the same rule again (migration 0011).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::audit::{self, Actor, Change};
use super::handoffs::{self, Handoff};
use super::{Error, Result};
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::budget::{self as rule, Position};
use crate::domain::ids::{DispositionId, GroupId};
use crate::domain::refusal::Refusal;

#[derive(Debug, Clone)]
pub struct BudgetLine {
    pub id: i64,
    pub set_by: String,
    pub set_on: NaiveDate,
    pub position: Position,
}

/// Every year's budget of a group, newest first, with its position (B3).
pub async fn of_group(pool: &PgPool, group_id: i64) -> sqlx::Result<Vec<BudgetLine>> {
    let rows = sqlx::query!(
        r#"SELECT b.id AS "id!", b.year AS "year!", b.amount AS "amount!", b.set_by AS "set_by!", b.set_on AS "set_on!: NaiveDate",
                  b.transfers_in AS "transfers_in!", b.transfers_out AS "transfers_out!", b.disposed AS "disposed!",
                  b.spent AS "spent!"
           FROM budget_positions b WHERE b.group_id = $1 ORDER BY b.year DESC"#,
        group_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| BudgetLine {
            id: r.id,
            set_by: r.set_by,
            set_on: r.set_on,
            position: Position {
                year: r.year,
                amount: r.amount,
                transfers_in: r.transfers_in,
                transfers_out: r.transfers_out,
                disposed: r.disposed,
                spent: r.spent,
            },
        })
        .collect())
}

#[derive(Debug, Clone)]
pub struct DispositionLine {
    pub id: i64,
    pub year: i32,
    pub description: String,
    pub amount: Decimal,
    pub spent: Decimal,
    pub disposed_on: NaiveDate,
    pub change_request_id: Option<i64>,
    pub reference: Option<String>,
    pub initiative: Option<String>,
}

/// B3: what the group's budgets are disposed for, linked to change requests and the roadmap.
pub async fn dispositions(pool: &PgPool, group_id: i64) -> sqlx::Result<Vec<DispositionLine>> {
    sqlx::query_as!(
        DispositionLine,
        r#"SELECT d.id, b.year, d.description, d.amount, d.spent, d.disposed_on AS "disposed_on: NaiveDate",
                  d.change_request_id, c.reference AS "reference?", r.title AS "initiative?"
           FROM budget_dispositions d JOIN budgets b ON b.id = d.budget_id
           LEFT JOIN change_requests c ON c.id = d.change_request_id
           LEFT JOIN roadmap_initiatives r ON r.id = d.initiative_id
           WHERE b.group_id = $1 ORDER BY b.year DESC, d.disposed_on DESC, d.id DESC"#,
        group_id
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone)]
pub struct TransferLine {
    pub year: i32,
    pub from_group: String,
    pub to_group: String,
    pub amount: Decimal,
    pub reason: String,
    pub made_at: chrono::DateTime<chrono::Utc>,
}

/// B2: the transfers into and out of the group's budgets.
pub async fn transfers(pool: &PgPool, group_id: i64) -> sqlx::Result<Vec<TransferLine>> {
    sqlx::query_as!(
        TransferLine,
        r#"SELECT t.year, gf.name AS from_group, gt.name AS to_group, t.amount, t.reason,
                  t.made_at AS "made_at: chrono::DateTime<chrono::Utc>"
           FROM budget_transfers t
           JOIN budgets bf ON bf.id = t.from_budget_id JOIN groups gf ON gf.id = bf.group_id
           JOIN budgets bt ON bt.id = t.to_budget_id JOIN groups gt ON gt.id = bt.group_id
           WHERE bf.group_id = $1 OR bt.group_id = $1 ORDER BY t.made_at DESC"#,
        group_id
    )
    .fetch_all(pool)
    .await
}

/// Locks the budgets (in id order, so two transactions never wait on each other in a cycle) and reads
/// their positions after every committed change.
async fn locked_positions(conn: &mut PgConnection, ids: &[i64]) -> sqlx::Result<Vec<(i64, Position)>> {
    sqlx::query_scalar!("SELECT id FROM budgets WHERE id = ANY($1) ORDER BY id FOR UPDATE", ids)
        .fetch_all(&mut *conn)
        .await?;
    let rows = sqlx::query!(
        r#"SELECT b.id AS "id!", b.year AS "year!", b.amount AS "amount!", b.transfers_in AS "transfers_in!",
                  b.transfers_out AS "transfers_out!", b.disposed AS "disposed!", b.spent AS "spent!"
           FROM budget_positions b WHERE b.id = ANY($1)"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let position = Position {
                year: r.year,
                amount: r.amount,
                transfers_in: r.transfers_in,
                transfers_out: r.transfers_out,
                disposed: r.disposed,
                spent: r.spent,
            };
            (r.id, position)
        })
        .collect())
}

async fn budget_id(conn: &mut PgConnection, group_id: i64, year: i32) -> Result<i64> {
    sqlx::query_scalar!("SELECT id FROM budgets WHERE group_id = $1 AND year = $2", group_id, year)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| {
            Refusal::new("B1", format!("Bestyrelsen har ikke fastsat gruppens budget for {year} endnu.")).into()
        })
}

async fn position_of(conn: &mut PgConnection, id: i64) -> Result<Position> {
    locked_positions(conn, &[id]).await?.into_iter().next().map(|(_, p)| p).ok_or(Error::NotFound)
}

/// B1: the board's budget for a group and year, set (or changed) by the secretariat with the decision's date.
pub async fn set(
    pool: &PgPool,
    actor: &Actor,
    group_id: i64,
    year: i32,
    amount: Decimal,
    decided_on: NaiveDate,
) -> Result<i64> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "INSERT INTO budgets (group_id, year, amount, set_on) VALUES ($1, $2, $3, $4) ON CONFLICT (group_id, year) DO NOTHING",
        group_id,
        year,
        amount,
        decided_on as _
    )
    .execute(&mut *tx)
    .await?;
    let id = budget_id(&mut tx, group_id, year).await?;
    let before = position_of(&mut tx, id).await?;
    rule::check_budget_amount(&before, amount)?;
    sqlx::query!(
        "UPDATE budgets SET amount = $2, set_on = $3, set_by = 'Bestyrelsen' WHERE id = $1",
        id,
        amount,
        decided_on as _
    )
    .execute(&mut *tx)
    .await?;
    let change = Change {
        action: AuditAction::BudgetSet,
        entity: AuditEntity::Budget,
        entity_id: Some(id.to_string()),
        before: Some(json!({ "amount": before.amount })),
        after: Some(json!({ "group_id": group_id, "year": year, "amount": amount, "decided_on": decided_on })),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Serialize)]
pub struct NewDisposition {
    pub year: i32,
    pub amount: Decimal,
    pub change_request_id: Option<i64>,
    pub initiative_id: Option<i64>,
    pub disposed_on: NaiveDate,
    pub description: String,
}

/// B2, B3: disposes part of a group's budget for a change request or a roadmap initiative of the group.
pub async fn dispose(pool: &PgPool, actor: &Actor, group_id: i64, d: &NewDisposition) -> Result<i64> {
    let mut tx = pool.begin().await?;
    let budget = budget_id(&mut tx, group_id, d.year).await?;
    let position = position_of(&mut tx, budget).await?;
    let links_ok = sqlx::query_scalar!(
        r#"SELECT ($1::bigint IS NULL OR EXISTS (SELECT 1 FROM change_requests WHERE id = $1 AND group_id = $3))
              AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM roadmap_initiatives WHERE id = $2 AND group_id = $3)) AS "ok!""#,
        d.change_request_id,
        d.initiative_id,
        group_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if !links_ok {
        return Err(Error::Unknown("change_request_id"));
    }
    rule::check_disposition(&position, d.amount)?;
    let id = sqlx::query_scalar!(
        "INSERT INTO budget_dispositions (budget_id, change_request_id, initiative_id, description, amount, disposed_on)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        budget,
        d.change_request_id,
        d.initiative_id,
        d.description,
        d.amount,
        d.disposed_on as _
    )
    .fetch_one(&mut *tx)
    .await?;
    let change = Change {
        action: AuditAction::BudgetDisposed,
        entity: AuditEntity::Budget,
        entity_id: Some(budget.to_string()),
        before: None,
        after: Some(json!({ "disposition_id": id, "disposition": d })),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// B3: what has been spent of a disposition so far.
pub async fn record_spent(
    pool: &PgPool,
    actor: &Actor,
    group_id: GroupId,
    disposition: DispositionId,
    spent: Decimal,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    let before = sqlx::query_scalar!(
        "SELECT d.spent FROM budget_dispositions d JOIN budgets b ON b.id = d.budget_id
         WHERE d.id = $1 AND b.group_id = $2 FOR UPDATE OF d",
        disposition.0,
        group_id.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::Unknown("disposition_id"))?;
    sqlx::query!("UPDATE budget_dispositions SET spent = $2 WHERE id = $1", disposition.0, spent)
        .execute(&mut *tx)
        .await?;
    let change = Change {
        action: AuditAction::BudgetSpent,
        entity: AuditEntity::BudgetDisposition,
        entity_id: Some(disposition.to_string()),
        before: Some(json!({ "spent": before })),
        after: Some(json!({ "spent": spent })),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct NewTransfer {
    pub from_group: i64,
    pub from_year: i32,
    pub to_group: i64,
    pub to_year: i32,
    pub amount: Decimal,
    pub reason: String,
}

/// B2: moves undisposed funds from one group to another within one budget year; the receiving group's
/// secretariat is told (`told`) in the same transaction.
pub async fn transfer(
    pool: &PgPool,
    actor: &Actor,
    t: &NewTransfer,
    told: &Handoff,
    now: DateTime<Utc>,
) -> Result<i64> {
    if t.from_group == t.to_group {
        return Err(Refusal::new("B2", "En overførsel går fra én gruppe til en anden.").into());
    }
    let mut tx = pool.begin().await?;
    let from = budget_id(&mut tx, t.from_group, t.from_year).await?;
    let to = budget_id(&mut tx, t.to_group, t.to_year).await?;
    let positions = locked_positions(&mut tx, &[from, to]).await?;
    let of = |id: i64| positions.iter().find(|(i, _)| *i == id).map(|(_, p)| *p).ok_or(Error::NotFound);
    rule::check_transfer(&of(from)?, &of(to)?, t.amount)?;
    let id = sqlx::query_scalar!(
        "INSERT INTO budget_transfers (year, from_budget_id, to_budget_id, amount, reason, made_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        t.from_year,
        from,
        to,
        t.amount,
        t.reason,
        actor.person_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let change = Change {
        action: AuditAction::BudgetTransferred,
        entity: AuditEntity::Budget,
        entity_id: Some(from.to_string()),
        before: None,
        after: Some(json!({ "transfer_id": id, "transfer": t })),
    };
    audit::record(&mut tx, actor, change).await?;
    handoffs::send(&mut tx, told, &format!("budget-transfer-{id}"), actor.person_id, now).await?;
    tx.commit().await?;
    Ok(id)
}
