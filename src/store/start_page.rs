//! What waits for a person on the start page, read in one statement (a page issues at most
//! five statements): agendas sent to them as chair and not yet approved (A1), and minutes out for
//! comments or being worked in (R3, R4) in their groups, every group's for the secretariat.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use sqlx::types::Json;

use crate::domain::minutes::MinutesStatus;

/// A1: an agenda awaiting this person's approval as chair.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct AwaitingApproval {
    pub meeting_id: i64,
    pub group_name: String,
    pub starts_at: DateTime<Utc>,
}

/// R3, R4: minutes out for comments or being worked in.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct OpenMinutes {
    pub meeting_id: i64,
    pub group_name: String,
    pub starts_at: DateTime<Utc>,
    pub status: MinutesStatus,
    pub sent_at: Option<DateTime<Utc>>,
    pub worked_in_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default)]
pub struct Waiting {
    pub approvals: Vec<AwaitingApproval>,
    pub minutes: Vec<OpenMinutes>,
}

/// `every_group`: the secretariat follows the minutes of every group.
pub async fn waiting_for(pool: &PgPool, person_id: i64, every_group: bool) -> sqlx::Result<Waiting> {
    let row = sqlx::query!(
        r#"SELECT
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT mt.id AS meeting_id, g.name AS group_name, mt.starts_at
                FROM agendas a
                JOIN meetings mt ON mt.id = a.meeting_id
                JOIN groups g ON g.id = mt.group_id
                JOIN memberships m ON m.group_id = g.id AND m.person_id = $1 AND m.role = 'chair' AND m.status = 'active'
                WHERE a.status = 'sent_to_chair'
                ORDER BY mt.starts_at
             ) x) AS "approvals!: Json<Vec<AwaitingApproval>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT m.id AS meeting_id, g.name AS group_name, m.starts_at, mi.status, mi.sent_at, mi.worked_in_at
                FROM minutes mi JOIN meetings m ON m.id = mi.meeting_id JOIN groups g ON g.id = m.group_id
                WHERE mi.status IN ('sent', 'worked_in')
                  AND ($2 OR EXISTS (SELECT 1 FROM memberships ms
                                     WHERE ms.group_id = g.id AND ms.person_id = $1 AND ms.status = 'active'))
                ORDER BY mi.sent_at
             ) x) AS "minutes!: Json<Vec<OpenMinutes>>""#,
        person_id,
        every_group
    )
    .fetch_one(pool)
    .await?;
    Ok(Waiting { approvals: row.approvals.0, minutes: row.minutes.0 })
}
