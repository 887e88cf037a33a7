//! Meetings, as lists for the start page and the meeting overview.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::audit::{self, Change};
use crate::domain::access::GroupScope;
use crate::domain::meeting_codes::{MeetingFormat, MeetingKind, MeetingStatus};

#[derive(Debug, Clone)]
pub struct MeetingRow {
    pub id: i64,
    pub group_name: Option<String>,
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub format: MeetingFormat,
    pub location: String,
    pub agenda_status: Option<crate::domain::agenda_workflow::AgendaStatus>,
    pub agenda_published_at: Option<DateTime<Utc>>,
}

/// Upcoming meetings the reader may see (O5, M5): for the secretariat every group's; for others those of
/// their own live groups, plus meetings for all groups (joint, chairs').
pub async fn upcoming(
    pool: &PgPool,
    scope: GroupScope,
    from: DateTime<Utc>,
    limit: i64,
) -> sqlx::Result<Vec<MeetingRow>> {
    sqlx::query_as!(
        MeetingRow,
        r#"SELECT mt.id, g.name AS "group_name?", mt.kind AS "kind: MeetingKind", mt.title, mt.starts_at AS "starts_at: DateTime<Utc>", mt.ends_at AS "ends_at: DateTime<Utc>", mt.format AS "format: MeetingFormat", mt.location,
                  a.status AS "agenda_status?: _", a.published_at AS "agenda_published_at?: DateTime<Utc>"
           FROM meetings mt
           LEFT JOIN groups g ON g.id = mt.group_id
           LEFT JOIN agendas a ON a.meeting_id = mt.id
           WHERE mt.starts_at >= $4 AND mt.status <> 'cancelled'
             AND (mt.group_id IS NULL
                  OR (group_readable(g.id, g.confidentiality, $1, $2, $3)
                      AND ($1 OR mt.group_id IN
                           (SELECT group_id FROM memberships WHERE person_id = $3 AND status <> 'ended'))))
           ORDER BY mt.starts_at
           LIMIT $5"#,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader,
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

/// A meeting with everything its page shows about it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Meeting {
    pub id: i64,
    pub group_id: Option<i64>,
    pub group_slug: Option<String>,
    pub group_name: Option<String>,
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub format: MeetingFormat,
    pub location: String,
    pub online_link: String,
    pub cycle_number: Option<i16>,
    pub status: MeetingStatus,
}

/// The meeting, if the reader may see it (O5, M5 through its group; a meeting for all groups is open to all).
pub async fn readable(pool: &PgPool, id: i64, scope: GroupScope) -> sqlx::Result<Option<Meeting>> {
    sqlx::query_as!(
        Meeting,
        r#"SELECT m.id, m.group_id, g.slug AS "group_slug?", g.name AS "group_name?", m.kind AS "kind: MeetingKind", m.title,
                  m.starts_at AS "starts_at: DateTime<Utc>", m.ends_at AS "ends_at: DateTime<Utc>",
                  m.format AS "format: MeetingFormat", m.location, m.online_link, m.cycle_number, m.status AS "status: MeetingStatus"
           FROM meetings m LEFT JOIN groups g ON g.id = m.group_id
           WHERE m.id = $1 AND (m.group_id IS NULL OR group_readable(g.id, g.confidentiality, $2, $3, $4))"#,
        id,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader
    )
    .fetch_optional(pool)
    .await
}

pub async fn get(pool: &PgPool, id: i64) -> sqlx::Result<Option<Meeting>> {
    sqlx::query_as!(
        Meeting,
        r#"SELECT m.id, m.group_id, g.slug AS "group_slug?", g.name AS "group_name?", m.kind AS "kind: MeetingKind", m.title,
                  m.starts_at AS "starts_at: DateTime<Utc>", m.ends_at AS "ends_at: DateTime<Utc>",
                  m.format AS "format: MeetingFormat", m.location, m.online_link, m.cycle_number, m.status AS "status: MeetingStatus"
           FROM meetings m LEFT JOIN groups g ON g.id = m.group_id WHERE m.id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await
}

/// A group's meetings between two instants (a year's plan), in order.
pub async fn of_group(
    pool: &PgPool,
    group_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<Vec<Meeting>> {
    sqlx::query_as!(
        Meeting,
        r#"SELECT m.id, m.group_id, g.slug AS "group_slug?", g.name AS "group_name?", m.kind AS "kind: MeetingKind", m.title,
                  m.starts_at AS "starts_at: DateTime<Utc>", m.ends_at AS "ends_at: DateTime<Utc>",
                  m.format AS "format: MeetingFormat", m.location, m.online_link, m.cycle_number, m.status AS "status: MeetingStatus"
           FROM meetings m LEFT JOIN groups g ON g.id = m.group_id
           WHERE m.group_id = $1 AND m.starts_at >= $2 AND m.starts_at < $3
           ORDER BY m.starts_at"#,
        group_id,
        from as _,
        to as _
    )
    .fetch_all(pool)
    .await
}

/// Meetings of the given groups (or, with `None`, of every group) in a period, for calendars.
pub async fn in_period(
    pool: &PgPool,
    group_ids: Option<&[i64]>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<Vec<Meeting>> {
    sqlx::query_as!(
        Meeting,
        r#"SELECT m.id, m.group_id, g.slug AS "group_slug?", g.name AS "group_name?", m.kind AS "kind: MeetingKind", m.title,
                  m.starts_at AS "starts_at: DateTime<Utc>", m.ends_at AS "ends_at: DateTime<Utc>",
                  m.format AS "format: MeetingFormat", m.location, m.online_link, m.cycle_number, m.status AS "status: MeetingStatus"
           FROM meetings m LEFT JOIN groups g ON g.id = m.group_id
           WHERE m.starts_at >= $1 AND m.starts_at < $2
             AND ($3::bigint[] IS NULL OR m.group_id IS NULL OR m.group_id = ANY($3))
           ORDER BY m.starts_at"#,
        from as _,
        to as _,
        group_ids as _
    )
    .fetch_all(pool)
    .await
}

/// An ordinary meeting with how far its deadline steps have come (D3).
#[derive(Debug, Clone)]
pub struct DeadlineSteps {
    pub id: i64,
    pub group_name: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub agenda_sent_to_chair_at: Option<DateTime<Utc>>,
    pub agenda_published_at: Option<DateTime<Utc>>,
    pub minutes_sent_at: Option<DateTime<Utc>>,
}

/// Every group's ordinary, not cancelled meetings in a period with their agenda and minutes steps,
/// in one statement whatever the number of meetings.
pub async fn deadline_steps(pool: &PgPool, from: DateTime<Utc>, to: DateTime<Utc>) -> sqlx::Result<Vec<DeadlineSteps>> {
    sqlx::query_as!(
        DeadlineSteps,
        r#"SELECT m.id, g.name AS "group_name?", m.starts_at AS "starts_at: DateTime<Utc>",
                  a.sent_to_chair_at AS "agenda_sent_to_chair_at?: DateTime<Utc>",
                  a.published_at AS "agenda_published_at?: DateTime<Utc>",
                  mi.sent_at AS "minutes_sent_at?: DateTime<Utc>"
           FROM meetings m
           LEFT JOIN groups g ON g.id = m.group_id
           LEFT JOIN agendas a ON a.meeting_id = m.id
           LEFT JOIN minutes mi ON mi.meeting_id = m.id
           WHERE m.starts_at >= $1 AND m.starts_at < $2 AND m.kind = 'ordinary' AND m.status <> 'cancelled'
           ORDER BY m.starts_at"#,
        from as _,
        to as _
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct NewMeeting {
    pub group_id: i64,
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub format: MeetingFormat,
    pub location: String,
    pub online_link: String,
    pub cycle_number: Option<i16>,
}

/// Plans a meeting; a physical or hybrid one gets the room-and-catering checklist (T6).
pub async fn create(pool: &PgPool, actor: &super::audit::Actor, m: &NewMeeting) -> sqlx::Result<i64> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO meetings (group_id, kind, title, starts_at, ends_at, format, location, online_link, cycle_number)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        m.group_id,
        m.kind as _,
        m.title,
        m.starts_at as _,
        m.ends_at as _,
        m.format as _,
        m.location,
        m.online_link,
        m.cycle_number
    )
    .fetch_one(&mut *tx)
    .await?;
    if m.format != MeetingFormat::Online {
        sqlx::query!(
            "INSERT INTO meeting_checklist (meeting_id, item) SELECT $1, unnest(ARRAY['room', 'catering', 'equipment', 'directions'])",
            id
        )
        .execute(&mut *tx)
        .await?;
    }
    audit::record(&mut tx, actor, Change::of("meeting_created", "meeting", id).after(serde_json::json!(m))).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn set_status(
    pool: &PgPool,
    actor: &super::audit::Actor,
    id: i64,
    status: MeetingStatus,
) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query!("UPDATE meetings SET status = $2 WHERE id = $1", id, status as _).execute(&mut *tx).await?;
    audit::record(
        &mut tx,
        actor,
        Change::of("meeting_status", "meeting", id).after(serde_json::json!({ "status": status })),
    )
    .await?;
    tx.commit().await
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct ChecklistItem {
    pub item: String,
    pub done: bool,
}

/// T6: room, catering and the rest for a physical meeting.
pub async fn checklist(pool: &PgPool, meeting_id: i64) -> sqlx::Result<Vec<ChecklistItem>> {
    sqlx::query_as!(
        ChecklistItem,
        "SELECT item, done FROM meeting_checklist WHERE meeting_id = $1
         ORDER BY array_position(ARRAY['room', 'catering', 'equipment', 'directions'], item)",
        meeting_id
    )
    .fetch_all(pool)
    .await
}

pub async fn set_checklist_item(pool: &PgPool, meeting_id: i64, item: &str, done: bool) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE meeting_checklist SET done = $3 WHERE meeting_id = $1 AND item = $2",
        meeting_id,
        item,
        done
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Y1: the year's årshjul topics of a group, with the meeting each is placed on.
#[derive(Debug, Clone)]
pub struct TopicRow {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub meeting_id: Option<i64>,
    pub meeting_starts_at: Option<DateTime<Utc>>,
}

pub async fn annual_topics(pool: &PgPool, group_id: i64, year: i32) -> sqlx::Result<Vec<TopicRow>> {
    sqlx::query_as!(
        TopicRow,
        r#"SELECT t.id, t.code, t.title, t.meeting_id, m.starts_at AS "meeting_starts_at?: DateTime<Utc>"
           FROM annual_topics t LEFT JOIN meetings m ON m.id = t.meeting_id
           WHERE t.group_id = $1 AND t.year = $2
           ORDER BY m.starts_at NULLS LAST, t.id"#,
        group_id,
        year
    )
    .fetch_all(pool)
    .await
}

/// Places a topic on a meeting of the year (or takes it off with `None`); adds the topic if new.
pub async fn place_topic(
    pool: &PgPool,
    actor: &super::audit::Actor,
    group_id: i64,
    year: i32,
    code: &str,
    title: &str,
    meeting_id: Option<i64>,
) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    let updated = sqlx::query!(
        "UPDATE annual_topics SET meeting_id = $4 WHERE group_id = $1 AND year = $2 AND code = $3 AND code <> 'custom'",
        group_id,
        year,
        code,
        meeting_id
    )
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        sqlx::query!(
            "INSERT INTO annual_topics (group_id, year, code, title, meeting_id) VALUES ($1, $2, $3, $4, $5)",
            group_id,
            year,
            code,
            title,
            meeting_id
        )
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut tx,
        actor,
        Change::of("annual_topic_placed", "group", group_id)
            .after(serde_json::json!({ "year": year, "code": code, "title": title, "meeting_id": meeting_id })),
    )
    .await?;
    tx.commit().await
}
