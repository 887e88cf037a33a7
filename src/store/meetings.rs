//! Meetings, as lists for the start page and the meeting overview.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::audit::{self, Actor, Change};
use super::outbox::{self, NewMail};
use crate::domain::access::GroupScope;
use crate::domain::annual_cycle::DutyDone;
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::ids::{GroupId, MeetingId, TopicId};
use crate::domain::meeting_codes::{ChecklistItem, MeetingFormat, MeetingKind, MeetingStatus};
use crate::domain::meeting_input::MeetingFields;
use crate::domain::notifications::MailKind;
use crate::mail::Mail;

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
    pub status: MeetingStatus,
}

/// Upcoming meetings the reader may see (O5, M5): for the secretariat every group's; for others those of
/// their own live groups, plus the meetings across groups (joint, chairs') they are invited to (T1).
/// Cancelled ones only `with_cancelled` (a list shows them as cancelled; the start page leaves them out).
pub async fn upcoming(
    pool: &PgPool,
    scope: GroupScope,
    from: DateTime<Utc>,
    limit: i64,
    with_cancelled: bool,
) -> sqlx::Result<Vec<MeetingRow>> {
    sqlx::query_as!(
        MeetingRow,
        r#"SELECT mt.id, g.name AS "group_name?", mt.kind AS "kind: MeetingKind", mt.title, mt.starts_at AS "starts_at: DateTime<Utc>", mt.ends_at AS "ends_at: DateTime<Utc>", mt.format AS "format: MeetingFormat", mt.location,
                  a.status AS "agenda_status?: _", a.published_at AS "agenda_published_at?: DateTime<Utc>",
                  mt.status AS "status: MeetingStatus"
           FROM meetings mt
           LEFT JOIN groups g ON g.id = mt.group_id
           LEFT JOIN agendas a ON a.meeting_id = mt.id
           WHERE mt.starts_at >= $4 AND ($6 OR mt.status <> 'cancelled')
             AND ((mt.group_id IS NULL AND meeting_invited(mt.id, $1, $3))
                  OR (group_readable(g.id, g.confidentiality, $1, $2, $3)
                      AND ($1 OR mt.group_id IN
                           (SELECT group_id FROM memberships WHERE person_id = $3 AND status <> 'ended'))))
           ORDER BY mt.starts_at
           LIMIT $5"#,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader,
        from as _,
        limit,
        with_cancelled
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
    /// The invitation's SEQUENCE (RFC 5545): raised by every edit and by the cancellation.
    pub sequence: i32,
    pub cancel_reason: String,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The meeting, if the reader may see it (O5, M5 through its group; a meeting across groups only to those
/// invited to it and the secretariat, T1).
pub async fn readable(pool: &PgPool, id: i64, scope: GroupScope) -> sqlx::Result<Option<Meeting>> {
    sqlx::query_as!(
        Meeting,
        r#"SELECT m.id, m.group_id, g.slug AS "group_slug?", g.name AS "group_name?", m.kind AS "kind: MeetingKind", m.title,
                  m.starts_at AS "starts_at: DateTime<Utc>", m.ends_at AS "ends_at: DateTime<Utc>",
                  m.format AS "format: MeetingFormat", m.location, m.online_link, m.cycle_number, m.status AS "status: MeetingStatus",
                  m.sequence, m.cancel_reason, m.updated_at AS "updated_at: DateTime<Utc>"
           FROM meetings m LEFT JOIN groups g ON g.id = m.group_id
           WHERE m.id = $1
             AND (CASE WHEN m.group_id IS NULL THEN meeting_invited(m.id, $2, $4)
                       ELSE group_readable(g.id, g.confidentiality, $2, $3, $4) END)"#,
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
                  m.format AS "format: MeetingFormat", m.location, m.online_link, m.cycle_number, m.status AS "status: MeetingStatus",
                  m.sequence, m.cancel_reason, m.updated_at AS "updated_at: DateTime<Utc>"
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
                  m.format AS "format: MeetingFormat", m.location, m.online_link, m.cycle_number, m.status AS "status: MeetingStatus",
                  m.sequence, m.cancel_reason, m.updated_at AS "updated_at: DateTime<Utc>"
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

/// Meetings of the given groups (or, with `None`, of every group) in a period, for calendars, with the
/// meetings across groups the reader is invited to (all of them for the secretariat, T1).
pub async fn in_period(
    pool: &PgPool,
    group_ids: Option<&[i64]>,
    scope: GroupScope,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<Vec<Meeting>> {
    sqlx::query_as!(
        Meeting,
        r#"SELECT m.id, m.group_id, g.slug AS "group_slug?", g.name AS "group_name?", m.kind AS "kind: MeetingKind", m.title,
                  m.starts_at AS "starts_at: DateTime<Utc>", m.ends_at AS "ends_at: DateTime<Utc>",
                  m.format AS "format: MeetingFormat", m.location, m.online_link, m.cycle_number, m.status AS "status: MeetingStatus",
                  m.sequence, m.cancel_reason, m.updated_at AS "updated_at: DateTime<Utc>"
           FROM meetings m LEFT JOIN groups g ON g.id = m.group_id
           WHERE m.starts_at >= $1 AND m.starts_at < $2
             AND (CASE WHEN m.group_id IS NULL THEN meeting_invited(m.id, $4, $5)
                       ELSE $3::bigint[] IS NULL OR m.group_id = ANY($3) END)
           ORDER BY m.starts_at"#,
        from as _,
        to as _,
        group_ids as _,
        scope.every_group,
        scope.reader
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
    pub minutes_worked_in_at: Option<DateTime<Utc>>,
}

/// Every group's ordinary, not cancelled meetings in a period with their agenda and minutes steps,
/// in one statement whatever the number of meetings.
pub async fn deadline_steps(pool: &PgPool, from: DateTime<Utc>, to: DateTime<Utc>) -> sqlx::Result<Vec<DeadlineSteps>> {
    sqlx::query_as!(
        DeadlineSteps,
        r#"SELECT m.id, g.name AS "group_name?", m.starts_at AS "starts_at: DateTime<Utc>",
                  a.sent_to_chair_at AS "agenda_sent_to_chair_at?: DateTime<Utc>",
                  a.published_at AS "agenda_published_at?: DateTime<Utc>",
                  mi.sent_at AS "minutes_sent_at?: DateTime<Utc>",
                  mi.worked_in_at AS "minutes_worked_in_at?: DateTime<Utc>"
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

impl NewMeeting {
    pub fn of_group(group_id: i64, f: MeetingFields) -> NewMeeting {
        NewMeeting {
            group_id,
            kind: f.kind,
            title: f.title,
            starts_at: f.starts_at,
            ends_at: f.ends_at,
            format: f.format,
            location: f.location,
            online_link: f.online_link,
            cycle_number: f.cycle_number,
        }
    }
}

/// Plans a meeting; a physical or hybrid one gets the room-and-catering checklist (T6). `now` is when
/// it was entered (D3: deadlines passed before then are not mailed as overdue).
pub async fn create(
    pool: &PgPool,
    actor: &super::audit::Actor,
    m: &NewMeeting,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO meetings (group_id, kind, title, starts_at, ends_at, format, location, online_link, cycle_number, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        m.group_id,
        m.kind as _,
        m.title,
        m.starts_at as _,
        m.ends_at as _,
        m.format as _,
        m.location,
        m.online_link,
        m.cycle_number,
        now as _
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
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::MeetingCreated, AuditEntity::Meeting, id).after(serde_json::json!(m)),
    )
    .await?;
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
        Change::of(AuditAction::MeetingStatus, AuditEntity::Meeting, id).after(serde_json::json!({ "status": status })),
    )
    .await?;
    tx.commit().await
}

/// Someone who got a meeting's agenda (A2), to be told when it changes.
pub struct Recipient {
    pub person_id: i64,
    pub name: String,
    pub email: String,
}

/// Who would be told of a cancellation now: the names of those who got the agenda (the same people
/// `cancel` mails), for the confirmation that says so before it happens.
pub async fn cancellation_audience(pool: &PgPool, meeting_id: i64) -> sqlx::Result<Vec<String>> {
    let mut conn = pool.acquire().await?;
    Ok(agenda_recipients(&mut conn, meeting_id).await?.into_iter().map(|r| r.name).collect())
}

/// Who received the published agenda of the meeting: the people its agenda mail was queued for, by name.
async fn agenda_recipients(conn: &mut PgConnection, meeting_id: i64) -> sqlx::Result<Vec<Recipient>> {
    sqlx::query_as!(
        Recipient,
        r#"SELECT DISTINCT p.id AS person_id, p.name, p.email
           FROM agendas a
           JOIN outbox o ON o.kind = 'agenda_published' AND o.idempotency_key LIKE 'agenda_published:' || a.id || ':%'
           JOIN people p ON p.id = o.to_person_id
           WHERE a.meeting_id = $1 AND o.status <> 'withdrawn'
           ORDER BY p.name"#,
        meeting_id
    )
    .fetch_all(conn)
    .await
}

/// Reminders still queued for the meeting's old dates are withdrawn; the next deadline scan queues
/// those of its new dates (their keys carry the due date, D3).
async fn withdraw_reminders(conn: &mut PgConnection, meeting_id: i64) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "UPDATE outbox SET status = 'withdrawn', last_error = 'mødet er flyttet eller aflyst'
         WHERE status = 'queued' AND idempotency_key ~ $1",
        crate::domain::reminders::keys_of_meeting(meeting_id)
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// One mail per participant who got the agenda, keyed by the meeting's new sequence: exactly once.
async fn tell_agenda_recipients(
    conn: &mut PgConnection,
    meeting_id: i64,
    sequence: i32,
    kind: MailKind,
    mail: &Mail,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    for r in agenda_recipients(conn, meeting_id).await? {
        let key = format!("{}:{meeting_id}:{sequence}:{}", kind.as_str(), r.person_id);
        let row = NewMail {
            idempotency_key: &key,
            kind,
            to_person_id: Some(r.person_id),
            to_address: &r.email,
            subject: &mail.subject,
            body_text: &mail.text,
            body_html: Some(&mail.html),
            ics: mail.ics.as_deref(),
            queued_at: now,
        };
        outbox::enqueue(conn, row).await?;
    }
    Ok(())
}

/// Changes a planned meeting unless someone else changed it since `before` was read
/// (then nothing happens and false comes back). The sequence goes one up; when it moved (or changed
/// kind), reminders queued for its old dates are withdrawn; `mail` (built for the new sequence) goes to everyone who
/// got the agenda, in the same transaction.
pub async fn update(
    pool: &PgPool,
    actor: &Actor,
    before: &Meeting,
    fields: &MeetingFields,
    mail: &Mail,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let sequence = sqlx::query_scalar!(
        "UPDATE meetings SET kind = $3, title = $4, starts_at = $5, ends_at = $6, format = $7, location = $8,
                online_link = $9, cycle_number = $10, sequence = sequence + 1, updated_at = $11
         WHERE id = $1 AND sequence = $2 AND status = 'planned'
         RETURNING sequence",
        before.id,
        before.sequence,
        fields.kind as _,
        fields.title,
        fields.starts_at as _,
        fields.ends_at as _,
        fields.format as _,
        fields.location,
        fields.online_link,
        fields.cycle_number,
        now as _
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(sequence) = sequence else { return Ok(false) };
    if fields.format != MeetingFormat::Online {
        sqlx::query!(
            "INSERT INTO meeting_checklist (meeting_id, item)
             SELECT $1, unnest(ARRAY['room', 'catering', 'equipment', 'directions']) ON CONFLICT DO NOTHING",
            before.id
        )
        .execute(&mut *tx)
        .await?;
    }
    if fields.starts_at != before.starts_at || fields.kind != before.kind {
        withdraw_reminders(&mut tx, before.id).await?;
    }
    if before.group_id.is_none() && fields.kind != before.kind {
        invite_across_groups(&mut tx, before.id, fields.kind).await?;
    }
    tell_agenda_recipients(&mut tx, before.id, sequence, MailKind::MeetingChanged, mail, now).await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::MeetingUpdated, AuditEntity::Meeting, before.id)
            .before(json!(before))
            .after(json!(fields)),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Cancels a planned meeting with the reason: no more reminders, and everyone who
/// got the agenda is sent `mail` (a METHOD:CANCEL built for the new sequence). False when it was
/// changed or cancelled meanwhile.
pub async fn cancel(
    pool: &PgPool,
    actor: &Actor,
    before: &Meeting,
    reason: &str,
    mail: &Mail,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let sequence = sqlx::query_scalar!(
        "UPDATE meetings SET status = 'cancelled', cancel_reason = $3, cancelled_at = $4, cancelled_by = $5,
                sequence = sequence + 1, updated_at = $4
         WHERE id = $1 AND sequence = $2 AND status = 'planned'
         RETURNING sequence",
        before.id,
        before.sequence,
        reason,
        now as _,
        actor.person_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(sequence) = sequence else { return Ok(false) };
    withdraw_reminders(&mut tx, before.id).await?;
    tell_agenda_recipients(&mut tx, before.id, sequence, MailKind::MeetingCancelled, mail, now).await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::MeetingCancelled, AuditEntity::Meeting, before.id)
            .before(json!({ "status": before.status, "starts_at": before.starts_at }))
            .after(json!({ "status": MeetingStatus::Cancelled, "reason": reason })),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// T1: the participants of a meeting across groups, (re)fixed from today's memberships: everyone in the
/// working groups for a joint meeting, their chairs for a chairs' meeting, and with the staff group
/// and the board for `ChairsBoard`.
async fn invite_across_groups(conn: &mut PgConnection, id: i64, kind: MeetingKind) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM meeting_participants WHERE meeting_id = $1", id).execute(&mut *conn).await?;
    sqlx::query!(
        "INSERT INTO meeting_participants (meeting_id, person_id)
         SELECT DISTINCT $1::bigint, ms.person_id
         FROM memberships ms JOIN groups g ON g.id = ms.group_id JOIN group_kinds k ON k.id = g.kind_id
         WHERE ms.status = 'active' AND g.status = 'active'
           AND ((k.family <> 'governance' AND ($2 = 'joint' OR ms.role = 'chair'))
                OR ($2 = 'chairs_board' AND k.code IN ('stabsgruppe', 'bestyrelse')))",
        id,
        kind as _
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// T1: plans a meeting across groups with its participants, fixed now: for a joint meeting everyone
/// in the working groups, for a chairs' meeting their chairs, and with the staff group and the board
/// for `ChairsBoard`. Returns the meeting's id.
pub async fn create_across_groups(pool: &PgPool, actor: &Actor, m: &MeetingFields) -> sqlx::Result<i64> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO meetings (group_id, kind, title, starts_at, ends_at, format, location, online_link, cycle_number)
         VALUES (NULL, $1, $2, $3, $4, $5, $6, $7, NULL) RETURNING id",
        m.kind as _,
        m.title,
        m.starts_at as _,
        m.ends_at as _,
        m.format as _,
        m.location,
        m.online_link
    )
    .fetch_one(&mut *tx)
    .await?;
    invite_across_groups(&mut tx, id, m.kind).await?;
    if m.format != MeetingFormat::Online {
        sqlx::query!(
            "INSERT INTO meeting_checklist (meeting_id, item) SELECT $1, unnest(ARRAY['room', 'catering', 'equipment', 'directions'])",
            id
        )
        .execute(&mut *tx)
        .await?;
    }
    audit::record(&mut tx, actor, Change::of(AuditAction::MeetingCreated, AuditEntity::Meeting, id).after(json!(m)))
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// T1: the participants fixed for a meeting across groups, by name.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Participant {
    pub person_id: i64,
    pub name: String,
}

/// T1: which meetings across groups a year has (not cancelled), for the plan's warning.
pub async fn across_groups_in(pool: &PgPool, from: DateTime<Utc>, to: DateTime<Utc>) -> sqlx::Result<Vec<MeetingKind>> {
    sqlx::query_scalar!(
        r#"SELECT DISTINCT kind AS "kind: MeetingKind" FROM meetings
           WHERE group_id IS NULL AND status <> 'cancelled' AND starts_at >= $1 AND starts_at < $2"#,
        from as _,
        to as _
    )
    .fetch_all(pool)
    .await
}

/// T6: one item of a meeting's checklist, and whether it is done.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ChecklistLine {
    pub item: ChecklistItem,
    pub done: bool,
}

pub async fn set_checklist_item(pool: &PgPool, meeting_id: i64, item: ChecklistItem, done: bool) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE meeting_checklist SET done = $3 WHERE meeting_id = $1 AND item = $2",
        meeting_id,
        item.as_str(),
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
    /// Y2, Y3, B3: when a yearly duty was done, and (Y2) sent to the board.
    pub done_on: Option<NaiveDate>,
    pub sent_to_board_on: Option<NaiveDate>,
}

pub async fn annual_topics(pool: &PgPool, group_id: i64, year: i32) -> sqlx::Result<Vec<TopicRow>> {
    sqlx::query_as!(
        TopicRow,
        r#"SELECT t.id, t.code, t.title, t.meeting_id, m.starts_at AS "meeting_starts_at?: DateTime<Utc>",
                  t.done_on AS "done_on: NaiveDate", t.sent_to_board_on AS "sent_to_board_on: NaiveDate"
           FROM annual_topics t LEFT JOIN meetings m ON m.id = t.meeting_id
           WHERE t.group_id = $1 AND t.year = $2
           ORDER BY m.starts_at NULLS LAST, t.id"#,
        group_id,
        year
    )
    .fetch_all(pool)
    .await
}

/// Y2, Y3, B3: records one of the group's yearly duties as done (or open again with `None`); done
/// ends its reminders (`reminders::yearly_duties` reads only open ones). False when the group has no
/// such duty.
pub async fn record_duty(
    pool: &PgPool,
    actor: &super::audit::Actor,
    group_id: GroupId,
    topic_id: TopicId,
    done: Option<DutyDone>,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let updated = sqlx::query!(
        "UPDATE annual_topics SET done_on = $3, sent_to_board_on = $4, done_by = CASE WHEN $3::date IS NULL THEN NULL ELSE $5::bigint END
         WHERE id = $1 AND group_id = $2 AND code IN ('data_agreement', 'metadata_review', 'budget_decision')",
        topic_id.0,
        group_id.0,
        done.map(|d| d.done_on) as _,
        done.and_then(|d| d.sent_to_board_on) as _,
        actor.person_id
    )
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::YearlyDutyDone, AuditEntity::AnnualTopic, topic_id).after(serde_json::json!(done)),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Places a topic on a meeting of the year (or takes it off with `None`); adds the topic if new.
pub async fn place_topic(
    pool: &PgPool,
    actor: &super::audit::Actor,
    group_id: GroupId,
    year: i32,
    code: &str,
    title: &str,
    meeting_id: Option<MeetingId>,
) -> sqlx::Result<()> {
    let (group_id, meeting_id) = (group_id.0, meeting_id.map(|m| m.0));
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
        Change::of(AuditAction::AnnualTopicPlaced, AuditEntity::Group, group_id)
            .after(serde_json::json!({ "year": year, "code": code, "title": title, "meeting_id": meeting_id })),
    )
    .await?;
    tx.commit().await
}
