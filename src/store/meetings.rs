//! Meetings, as lists for the start page and the meeting overview.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

#[derive(Debug, Clone)]
pub struct MeetingRow {
    pub id: i64,
    pub group_name: Option<String>,
    pub kind: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub format: String,
    pub location: String,
    pub agenda_status: Option<String>,
    pub agenda_published_at: Option<DateTime<Utc>>,
}

/// Upcoming meetings of the person's live groups, plus meetings for all groups (joint, chairs').
pub async fn upcoming_for_person(
    pool: &PgPool,
    person_id: i64,
    from: DateTime<Utc>,
    limit: i64,
) -> sqlx::Result<Vec<MeetingRow>> {
    sqlx::query_as!(
        MeetingRow,
        r#"SELECT mt.id, g.name AS "group_name?", mt.kind, mt.title, mt.starts_at AS "starts_at: DateTime<Utc>", mt.ends_at AS "ends_at: DateTime<Utc>", mt.format, mt.location,
                  a.status AS "agenda_status?", a.published_at AS "agenda_published_at?: DateTime<Utc>"
           FROM meetings mt
           LEFT JOIN groups g ON g.id = mt.group_id
           LEFT JOIN agendas a ON a.meeting_id = mt.id
           WHERE mt.starts_at >= $2 AND mt.status <> 'cancelled'
             AND (mt.group_id IS NULL OR mt.group_id IN
                   (SELECT group_id FROM memberships WHERE person_id = $1 AND status <> 'ended'))
           ORDER BY mt.starts_at
           LIMIT $3"#,
        person_id,
        from as _,
        limit
    )
    .fetch_all(pool)
    .await
}

/// Every meeting from a date on, for the secretariat, which serves all groups.
pub async fn upcoming_all(pool: &PgPool, from: DateTime<Utc>, limit: i64) -> sqlx::Result<Vec<MeetingRow>> {
    sqlx::query_as!(
        MeetingRow,
        r#"SELECT mt.id, g.name AS "group_name?", mt.kind, mt.title, mt.starts_at AS "starts_at: DateTime<Utc>", mt.ends_at AS "ends_at: DateTime<Utc>", mt.format, mt.location,
                  a.status AS "agenda_status?", a.published_at AS "agenda_published_at?: DateTime<Utc>"
           FROM meetings mt
           LEFT JOIN groups g ON g.id = mt.group_id
           LEFT JOIN agendas a ON a.meeting_id = mt.id
           WHERE mt.starts_at >= $1 AND mt.status <> 'cancelled'
           ORDER BY mt.starts_at
           LIMIT $2"#,
        from as _,
        limit
    )
    .fetch_all(pool)
    .await
}

/// A1: agendas sent to this person as chair and not yet approved.
#[derive(Debug, Clone)]
pub struct AwaitingApproval {
    pub meeting_id: i64,
    pub group_name: String,
    pub starts_at: DateTime<Utc>,
}

pub async fn awaiting_chair_approval(pool: &PgPool, person_id: i64) -> sqlx::Result<Vec<AwaitingApproval>> {
    sqlx::query_as!(
        AwaitingApproval,
        r#"SELECT mt.id AS meeting_id, g.name AS group_name, mt.starts_at AS "starts_at: DateTime<Utc>"
         FROM agendas a
         JOIN meetings mt ON mt.id = a.meeting_id
         JOIN groups g ON g.id = mt.group_id
         JOIN memberships m ON m.group_id = g.id AND m.person_id = $1 AND m.role = 'chair' AND m.status = 'active'
         WHERE a.status = 'sent_to_chair'
         ORDER BY mt.starts_at"#,
        person_id
    )
    .fetch_all(pool)
    .await
}
