//! The registers read on the overview pages: change requests (C1), roadmap (C3), budgets (B3).

use rust_decimal::Decimal;
use sqlx::PgPool;

use crate::domain::access::GroupScope;
use crate::domain::change_requests::{AgendaPurpose, Priority, Status};
use crate::domain::operations::OperationalKind;
use crate::domain::roadmap::InitiativeStatus;

#[derive(Debug, Clone)]
pub struct InitiativeRow {
    pub id: i64,
    pub group_name: String,
    pub title: String,
    pub start_year: i32,
    pub end_year: i32,
    pub status: InitiativeStatus,
    pub change_requests: i64,
}

/// The roadmap initiatives of the groups the reader may see (O5, M5).
pub async fn roadmap(pool: &PgPool, scope: GroupScope) -> sqlx::Result<Vec<InitiativeRow>> {
    sqlx::query_as!(
        InitiativeRow,
        r#"SELECT r.id, g.name AS group_name, r.title, r.start_year, r.end_year, r.status AS "status: InitiativeStatus",
                  (SELECT count(*) FROM change_requests c WHERE c.initiative_id = r.id) AS "change_requests!"
           FROM roadmap_initiatives r JOIN groups g ON g.id = r.group_id
           WHERE group_readable(g.id, g.confidentiality, $1, $2, $3)
           ORDER BY r.start_year, g.name, r.position, r.title"#,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader
    )
    .fetch_all(pool)
    .await
}

/// B3: budget, transfers in and out, disposed and spent per group and year.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct BudgetRow {
    pub group_slug: String,
    pub group_name: String,
    pub year: i32,
    pub amount: Decimal,
    pub transferred: Decimal,
    pub disposed: Decimal,
    pub spent: Decimal,
}

/// The budgets of the groups the reader may see (O5, M5).
pub async fn budgets(pool: &PgPool, scope: GroupScope) -> sqlx::Result<Vec<BudgetRow>> {
    sqlx::query_as!(
        BudgetRow,
        r#"SELECT b.group_slug AS "group_slug!", b.group_name AS "group_name!", b.year AS "year!",
                  b.amount AS "amount!", b.transfers_in - b.transfers_out AS "transferred!",
                  b.disposed AS "disposed!", b.spent AS "spent!"
           FROM budget_positions b JOIN groups g ON g.id = b.group_id
           WHERE group_readable(g.id, g.confidentiality, $1, $2, $3)
           ORDER BY b.year DESC, g.name"#,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader
    )
    .fetch_all(pool)
    .await
}

/// A7: the change requests selected for a meeting's agenda, with their roadmap initiative, in roadmap order.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct AgendaChangeRequest {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub business_need: String,
    pub value: String,
    pub beneficiaries: String,
    pub status: Status,
    pub priority: Priority,
    pub initiative: Option<String>,
    pub not_ready_note: String,
    pub purpose: AgendaPurpose,
}

pub async fn agenda_change_requests(pool: &PgPool, meeting_id: i64) -> sqlx::Result<Vec<AgendaChangeRequest>> {
    sqlx::query_as!(
        AgendaChangeRequest,
        r#"SELECT v.id AS "id!", v.reference AS "reference!", v.title AS "title!", v.business_need AS "business_need!",
                  v.value AS "value!", v.beneficiaries AS "beneficiaries!", v.status AS "status!: Status",
                  v.priority AS "priority!: Priority", v.initiative AS "initiative?", v.not_ready_note AS "not_ready_note!",
                  v.purpose AS "purpose!: AgendaPurpose"
           FROM agenda_change_request_rows v
           WHERE v.meeting_id = $1
           ORDER BY v.initiative_start_year NULLS LAST, v.initiative_position, v.initiative, v.purpose, v.reference"#,
        meeting_id
    )
    .fetch_all(pool)
    .await
}

/// A7: a request the secretariat may put on a meeting's agenda, with what is chosen now.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Selectable {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub status: Status,
    pub initiative: Option<String>,
    pub not_ready_note: String,
    pub purpose: Option<AgendaPurpose>,
}

/// A7: the meetings whose agenda a request is selected for, newest first.
#[derive(Debug, Clone)]
pub struct OnAgenda {
    pub meeting_id: i64,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub purpose: AgendaPurpose,
}

pub async fn agendas_of_request(pool: &PgPool, change_request_id: i64) -> sqlx::Result<Vec<OnAgenda>> {
    sqlx::query_as!(
        OnAgenda,
        r#"SELECT m.id AS meeting_id, m.starts_at AS "starts_at: chrono::DateTime<chrono::Utc>",
                  s.purpose AS "purpose: AgendaPurpose"
           FROM agenda_change_requests s JOIN meetings m ON m.id = s.meeting_id
           WHERE s.change_request_id = $1 ORDER BY m.starts_at DESC"#,
        change_request_id
    )
    .fetch_all(pool)
    .await
}

/// C4 on the dashboard (A8): the open actions.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct OpenAction {
    pub title: String,
    pub owner: String,
    pub due_on: chrono::NaiveDate,
}

pub async fn open_actions(pool: &PgPool, group_id: i64) -> sqlx::Result<Vec<OpenAction>> {
    sqlx::query_as!(
        OpenAction,
        r#"SELECT a.title AS "title!", a.owner AS "owner!", a.due_on AS "due_on!: chrono::NaiveDate"
           FROM open_action_rows a WHERE a.group_id = $1 ORDER BY a.due_on"#,
        group_id
    )
    .fetch_all(pool)
    .await
}

/// A8: operational status of the group's solutions in the last months.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct OperationalLine {
    pub solution: String,
    pub kind: OperationalKind,
    pub reported_on: chrono::NaiveDate,
    pub summary: String,
    pub count: Option<i32>,
}

pub async fn operational_status(
    pool: &PgPool,
    group_id: i64,
    since: chrono::NaiveDate,
) -> sqlx::Result<Vec<OperationalLine>> {
    sqlx::query_as!(
        OperationalLine,
        r#"SELECT o.solution AS "solution!", o.kind AS "kind!: OperationalKind",
                  o.reported_on AS "reported_on!: chrono::NaiveDate", o.summary AS "summary!", o.count
           FROM operational_lines o
           WHERE o.group_id = $1 AND o.reported_on >= $2
           ORDER BY o.solution, o.reported_on DESC"#,
        group_id,
        since as _
    )
    .fetch_all(pool)
    .await
}

/// B3 on the dashboard (A8): this year's budget, disposed and spent.
pub async fn budget_of(pool: &PgPool, group_id: i64, year: i32) -> sqlx::Result<Option<BudgetRow>> {
    sqlx::query_as!(
        BudgetRow,
        r#"SELECT b.group_slug AS "group_slug!", b.group_name AS "group_name!", b.year AS "year!",
                  b.amount AS "amount!", b.transfers_in - b.transfers_out AS "transferred!",
                  b.disposed AS "disposed!", b.spent AS "spent!"
           FROM budget_positions b
           WHERE b.group_id = $1 AND b.year = $2"#,
        group_id,
        year
    )
    .fetch_optional(pool)
    .await
}

/// How far a meeting's minutes have come (R2-R4): their status, when sent and when worked in.
#[derive(Debug, Clone, Copy, Default, serde::Deserialize)]
pub struct MinutesSteps {
    pub status: Option<crate::domain::minutes::MinutesStatus>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub worked_in_at: Option<chrono::DateTime<chrono::Utc>>,
}
