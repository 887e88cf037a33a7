//! What the deadline scanner reads: the ordinary meetings with open steps, and who to remind.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::domain::access::GroupRole;

#[derive(Debug, Clone)]
pub struct OpenMeeting {
    pub id: i64,
    pub group_id: i64,
    pub group_name: String,
    pub starts_at: DateTime<Utc>,
    pub agenda_status: Option<crate::domain::agenda_workflow::AgendaStatus>,
    pub sent_to_chair_at: Option<DateTime<Utc>>,
    pub minutes_sent: bool,
    pub minutes_status: Option<crate::domain::minutes::MinutesStatus>,
    pub minutes_sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// R3: who has commented on the sent minutes or answered "Ingen bemærkninger".
    pub answered: Vec<i64>,
}

/// Ordinary meetings from a month back to two months ahead (every deadline of A1-A3 and R2 falls in
/// that window) that can have a reminder due: those starting in `[from, until)`, the days whose dated
/// deadlines can be due (`reminder_plan::meeting_days_to_scan`), and those whose reminders hang on a
/// sending: an agenda with the chair (A1), minutes out for comments (R3, R4). Of 100,000 open
/// meetings a scan reads only these.
pub async fn open_meetings(
    pool: &PgPool,
    now: DateTime<Utc>,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> sqlx::Result<Vec<OpenMeeting>> {
    sqlx::query_as!(
        OpenMeeting,
        r#"WITH candidates AS (
               SELECT id FROM meetings
               WHERE kind = 'ordinary' AND status <> 'cancelled' AND starts_at >= $2 AND starts_at < $3
               UNION SELECT meeting_id FROM agendas WHERE status = 'sent_to_chair'
               UNION SELECT meeting_id FROM minutes WHERE status = 'sent'
           )
           SELECT m.id, g.id AS group_id, g.name AS group_name, m.starts_at AS "starts_at: DateTime<Utc>",
                  a.status AS "agenda_status?: _", a.sent_to_chair_at AS "sent_to_chair_at?: DateTime<Utc>",
                  coalesce(mi.sent_at IS NOT NULL, false) AS "minutes_sent!",
                  mi.status AS "minutes_status?: _", mi.sent_at AS "minutes_sent_at?: DateTime<Utc>",
                  m.created_at AS "created_at: DateTime<Utc>",
                  CASE WHEN mi.status = 'sent' THEN
                    ARRAY(SELECT person_id FROM minutes_comments WHERE minutes_id = mi.id
                          UNION SELECT person_id FROM minutes_no_remarks WHERE minutes_id = mi.id)
                  ELSE '{}' END AS "answered!"
           FROM candidates c
           JOIN meetings m ON m.id = c.id
           JOIN groups g ON g.id = m.group_id
           LEFT JOIN agendas a ON a.meeting_id = m.id
           LEFT JOIN minutes mi ON mi.meeting_id = m.id
           WHERE m.kind = 'ordinary' AND m.status <> 'cancelled' AND g.status = 'active'
             AND m.starts_at BETWEEN $1::timestamptz - interval '31 days' AND $1::timestamptz + interval '62 days'
           ORDER BY m.starts_at"#,
        now as _,
        from as _,
        until as _
    )
    .fetch_all(pool)
    .await
}

/// Secretariat staff with an account (they stand in for a group without a secretariat of its own).
#[derive(Debug, Clone)]
pub struct Person {
    pub person_id: i64,
    pub name: String,
    pub email: String,
}

/// An approved member of one of the groups (M5: nominated members get nothing as participants).
#[derive(Debug, Clone)]
pub struct GroupMember {
    pub group_id: i64,
    pub person_id: i64,
    pub name: String,
    pub email: String,
    pub role: GroupRole,
}

/// The approved members of all the given groups at once, so a scan reads them in one statement
/// however many meetings it covers.
pub async fn active_members(pool: &PgPool, group_ids: &[i64]) -> sqlx::Result<Vec<GroupMember>> {
    sqlx::query_as!(
        GroupMember,
        r#"SELECT m.group_id, p.id AS person_id, p.name, p.email, m.role AS "role: GroupRole" FROM memberships m JOIN people p ON p.id = m.person_id
         WHERE m.group_id = ANY($1) AND m.status = 'active' ORDER BY m.group_id, p.name"#,
        group_ids
    )
    .fetch_all(pool)
    .await
}

/// The secretariat staff with an account, for groups with no secretariat member of their own.
pub async fn secretariat_accounts(pool: &PgPool) -> sqlx::Result<Vec<Person>> {
    sqlx::query_as!(
        Person,
        r#"SELECT p.id AS person_id, p.name, p.email FROM accounts a JOIN people p ON p.id = a.person_id
           WHERE a.role = 'secretariat' AND a.active ORDER BY p.name"#
    )
    .fetch_all(pool)
    .await
}

/// Y2, Y3, B3: yearly duties placed on a meeting of the årshjul and not yet done.
#[derive(Debug, Clone)]
pub struct YearlyDuty {
    pub topic_id: i64,
    pub code: String,
    pub title: String,
    pub meeting_id: i64,
    pub group_id: i64,
    pub group_name: String,
    pub starts_at: DateTime<Utc>,
}

pub async fn yearly_duties(pool: &PgPool, now: DateTime<Utc>) -> sqlx::Result<Vec<YearlyDuty>> {
    sqlx::query_as!(
        YearlyDuty,
        r#"SELECT t.id AS topic_id, t.code, t.title, m.id AS meeting_id, g.id AS group_id, g.name AS group_name,
                  m.starts_at AS "starts_at: DateTime<Utc>"
           FROM annual_topics t
           JOIN meetings m ON m.id = t.meeting_id
           JOIN groups g ON g.id = t.group_id
           WHERE t.code IN ('data_agreement', 'metadata_review', 'budget_decision') AND t.done_on IS NULL
             AND m.status <> 'cancelled' AND m.starts_at BETWEEN $1::timestamptz AND $1::timestamptz + interval '62 days'"#,
        now as _
    )
    .fetch_all(pool)
    .await
}
