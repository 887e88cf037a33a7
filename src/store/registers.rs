//! The registers read on the overview pages: change requests (C1), roadmap (C3), budgets (B3).

use rust_decimal::Decimal;
use sqlx::PgPool;

#[derive(Debug, Clone)]
pub struct ChangeRequestRow {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub group_name: String,
    pub priority: String,
    pub status: String,
    pub initiative: Option<String>,
}

pub async fn change_requests(pool: &PgPool) -> sqlx::Result<Vec<ChangeRequestRow>> {
    sqlx::query_as!(
        ChangeRequestRow,
        r#"SELECT c.id, c.reference, c.title, g.name AS group_name, c.priority, c.status, r.title AS "initiative?"
           FROM change_requests c
           JOIN groups g ON g.id = c.group_id
           LEFT JOIN roadmap_initiatives r ON r.id = c.initiative_id
           ORDER BY g.name, c.reference"#
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone)]
pub struct InitiativeRow {
    pub id: i64,
    pub group_name: String,
    pub title: String,
    pub start_year: i32,
    pub end_year: i32,
    pub status: String,
    pub change_requests: i64,
}

pub async fn roadmap(pool: &PgPool) -> sqlx::Result<Vec<InitiativeRow>> {
    sqlx::query_as!(
        InitiativeRow,
        r#"SELECT r.id, g.name AS group_name, r.title, r.start_year, r.end_year, r.status,
                  (SELECT count(*) FROM change_requests c WHERE c.initiative_id = r.id) AS "change_requests!"
           FROM roadmap_initiatives r JOIN groups g ON g.id = r.group_id
           ORDER BY r.start_year, g.name, r.position, r.title"#
    )
    .fetch_all(pool)
    .await
}

/// B3: budget, transfers in and out, disposed and spent per group and year.
#[derive(Debug, Clone)]
pub struct BudgetRow {
    pub group_name: String,
    pub year: i32,
    pub amount: Decimal,
    pub transferred: Decimal,
    pub disposed: Decimal,
    pub spent: Decimal,
}

pub async fn budgets(pool: &PgPool) -> sqlx::Result<Vec<BudgetRow>> {
    sqlx::query_as!(
        BudgetRow,
        r#"SELECT g.name AS group_name, b.year, b.amount,
                  coalesce((SELECT sum(amount) FROM budget_transfers WHERE to_budget_id = b.id), 0)
                - coalesce((SELECT sum(amount) FROM budget_transfers WHERE from_budget_id = b.id), 0) AS "transferred!",
                  coalesce((SELECT sum(amount) FROM budget_dispositions WHERE budget_id = b.id), 0) AS "disposed!",
                  coalesce((SELECT sum(spent) FROM budget_dispositions WHERE budget_id = b.id), 0) AS "spent!"
           FROM budgets b JOIN groups g ON g.id = b.group_id
           ORDER BY b.year DESC, g.name"#
    )
    .fetch_all(pool)
    .await
}
