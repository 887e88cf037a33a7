//! Minutes (R1-R5): one per meeting, items per agenda item with their entries, comments per item,
//! the workflow steps with who and when, approved versions, and on approval the register entries
//! (decisions, actions) linked back to the minutes item. Mail goes through the outbox in the
//! transaction of the step that causes it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::agendas::participants;
use super::audit::{self, Actor, Change};
use super::handoffs::{self, Handoff};
use super::outbox::{self, NewMail};
use super::{Error, Result};
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::change_requests::{self, Status as RequestStatus};
use crate::domain::ids::{MinutesCommentId, MinutesEntryId, MinutesId, MinutesItemId, PersonId};
use crate::domain::minutes::{EntryInput, EntryKind, MinutesStatus, Outcome, Resolution};
use crate::domain::notifications::MailKind;
use crate::domain::refusal::Refusal;
use crate::mail::Mail;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Minutes {
    pub id: MinutesId,
    pub meeting_id: i64,
    pub status: MinutesStatus,
    pub body: String,
    pub party_summary: String,
    pub sent_at: Option<DateTime<Utc>>,
    pub sent_by_name: Option<String>,
    pub worked_in_at: Option<DateTime<Utc>>,
    pub worked_in_by_name: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub approved_by_name: Option<String>,
    pub version: i32,
    pub correction: String,
}

pub async fn for_meeting(pool: &PgPool, meeting_id: i64) -> sqlx::Result<Option<Minutes>> {
    sqlx::query_as!(
        Minutes,
        r#"SELECT mi.id AS "id: MinutesId", mi.meeting_id, mi.status AS "status: MinutesStatus", mi.body, mi.party_summary,
                  mi.sent_at AS "sent_at: DateTime<Utc>", s.name AS "sent_by_name?",
                  mi.worked_in_at AS "worked_in_at: DateTime<Utc>", w.name AS "worked_in_by_name?",
                  mi.approved_at AS "approved_at: DateTime<Utc>", a.name AS "approved_by_name?",
                  mi.version, mi.correction
           FROM minutes mi
           LEFT JOIN people s ON s.id = mi.sent_by
           LEFT JOIN people w ON w.id = mi.worked_in_by
           LEFT JOIN people a ON a.id = mi.approved_by
           WHERE mi.meeting_id = $1"#,
        meeting_id
    )
    .fetch_optional(pool)
    .await
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Item {
    pub id: i64,
    pub agenda_item_id: Option<i64>,
    pub number: String,
    pub title: String,
    pub is_decision_item: bool,
    pub body: String,
}

pub async fn items(pool: &PgPool, minutes_id: MinutesId) -> sqlx::Result<Vec<Item>> {
    sqlx::query_as!(
        Item,
        "SELECT id, agenda_item_id, number, title, is_decision_item, body FROM minutes_items
         WHERE minutes_id = $1 ORDER BY position, id",
        minutes_id.0
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub id: i64,
    pub minutes_item_id: i64,
    pub kind: EntryKind,
    pub text: String,
    pub outcome: Option<Outcome>,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// R5, C1: the change request a decision decides, and its reference (absent in older versions).
    #[serde(default)]
    pub change_request_id: Option<i64>,
    #[serde(default)]
    pub change_request_ref: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub minutes_item_id: Option<i64>,
    pub author: String,
    pub body: String,
    pub received_at: DateTime<Utc>,
    pub resolution: Option<Resolution>,
    pub reply: String,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_by_name: Option<String>,
}

pub async fn comments(pool: &PgPool, minutes_id: MinutesId) -> sqlx::Result<Vec<Comment>> {
    sqlx::query_as!(
        Comment,
        r#"SELECT c.id, c.minutes_item_id, p.name AS author, c.body, c.received_at AS "received_at: DateTime<Utc>",
                  c.resolution AS "resolution: Resolution", c.reply, c.resolved_at AS "resolved_at: DateTime<Utc>",
                  r.name AS "resolved_by_name?"
           FROM minutes_comments c JOIN people p ON p.id = c.person_id
           LEFT JOIN people r ON r.id = c.resolved_by
           WHERE c.minutes_id = $1 ORDER BY c.received_at, c.id"#,
        minutes_id.0
    )
    .fetch_all(pool)
    .await
}

/// An item as the agenda gives it: its id, number, title and whether it is a decision item.
pub struct FromAgenda {
    pub agenda_item_id: i64,
    pub number: String,
    pub title: String,
    pub is_decision: bool,
}

/// R1: new minutes with one item per agenda item; a second call changes nothing.
pub async fn create(pool: &PgPool, actor: &Actor, meeting_id: i64, items: &[FromAgenda]) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO minutes (meeting_id) VALUES ($1) ON CONFLICT (meeting_id) DO NOTHING RETURNING id",
        meeting_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else { return Ok(()) };
    for (pos, i) in items.iter().enumerate() {
        sqlx::query!(
            "INSERT INTO minutes_items (minutes_id, agenda_item_id, position, number, title, is_decision_item)
             VALUES ($1, $2, $3, $4, $5, $6)",
            id,
            i.agenda_item_id,
            pos as i32,
            i.number,
            i.title,
            i.is_decision
        )
        .execute(&mut *tx)
        .await?;
    }
    audit::record(&mut tx, actor, Change::of(AuditAction::MinutesCreated, AuditEntity::Meeting, meeting_id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Locks the minutes for a change and checks they are still in `status`.
async fn lock(conn: &mut PgConnection, minutes_id: MinutesId, status: MinutesStatus) -> Result<()> {
    let now = sqlx::query_scalar!(
        r#"SELECT status AS "status: MinutesStatus" FROM minutes WHERE id = $1 FOR UPDATE"#,
        minutes_id.0
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    if now != status {
        let message = "Referatet er ændret af en anden i mellemtiden. Se den nye status og prøv igen.";
        return Err(Error::Refused(crate::domain::refusal::Refusal::new("R1", message)));
    }
    Ok(())
}

/// R1: the text of one item (or, with `item_id` None, the parties' summary).
pub async fn save_text(
    pool: &PgPool,
    actor: &Actor,
    minutes_id: MinutesId,
    status: MinutesStatus,
    item_id: Option<i64>,
    text: &str,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    lock(&mut tx, minutes_id, status).await?;
    let done = match item_id {
        Some(item) => sqlx::query!(
            "UPDATE minutes_items SET body = $3 WHERE id = $2 AND minutes_id = $1",
            minutes_id.0,
            item,
            text
        )
        .execute(&mut *tx)
        .await?
        .rows_affected(),
        None => {
            sqlx::query!("UPDATE minutes SET party_summary = $2, updated_at = now() WHERE id = $1", minutes_id.0, text)
                .execute(&mut *tx)
                .await?
                .rows_affected()
        }
    };
    if done == 0 {
        return Err(Error::NotFound);
    }
    let change = match item_id {
        Some(item) => Change::of(AuditAction::MinutesItemText, AuditEntity::MinutesItem, item),
        None => Change::of(AuditAction::MinutesPartySummary, AuditEntity::Minutes, minutes_id),
    };
    audit::record(&mut tx, actor, change.after(json!({ "text": text }))).await?;
    tx.commit().await?;
    Ok(())
}

/// R1: an item not on the agenda, after the others, numbered on from the agenda's top-level items.
pub async fn add_extra_item(
    pool: &PgPool,
    actor: &Actor,
    minutes_id: MinutesId,
    status: MinutesStatus,
    title: &str,
) -> Result<i64> {
    let mut tx = pool.begin().await?;
    lock(&mut tx, minutes_id, status).await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO minutes_items (minutes_id, position, number, title)
         SELECT $1, coalesce(max(position), -1) + 1,
                (coalesce(max(split_part(number, '.', 1)::int) FILTER (WHERE number ~ '^[0-9]{1,6}([.][0-9]+)?$'), 0) + 1)::text, $2
         FROM minutes_items WHERE minutes_id = $1
         RETURNING id",
        minutes_id.0,
        title
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::MinutesItemAdded, AuditEntity::MinutesItem, id).after(json!({ "title": title })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// R1: a decision, action or agreement beside an item of these minutes.
pub async fn add_entry(
    pool: &PgPool,
    actor: &Actor,
    minutes_id: MinutesId,
    status: MinutesStatus,
    item_id: MinutesItemId,
    e: &EntryInput,
) -> Result<i64> {
    let mut tx = pool.begin().await?;
    lock(&mut tx, minutes_id, status).await?;
    if let (Some(request), Some(outcome)) = (e.change_request_id, e.outcome) {
        // R5, C1: only the group's own request, and only a step its status allows (another group's: 404).
        let current = sqlx::query_scalar!(
            r#"SELECT c.status AS "status: RequestStatus" FROM change_requests c
               JOIN meetings m ON m.group_id = c.group_id JOIN minutes mi ON mi.meeting_id = m.id
               WHERE c.id = $1 AND mi.id = $2 FOR UPDATE OF c"#,
            request,
            minutes_id.0
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
        change_requests::decided(current, outcome)?;
    }
    let id = sqlx::query_scalar!(
        "INSERT INTO minutes_entries (minutes_item_id, kind, text, outcome, owner_id, due_on, change_request_id)
         SELECT i.id, $3, $4, $5, $6, $7, $8 FROM minutes_items i WHERE i.id = $2 AND i.minutes_id = $1
         RETURNING id",
        minutes_id.0,
        item_id.0,
        e.kind as _,
        e.text,
        e.outcome as _,
        e.owner_id,
        e.due_on as _,
        e.change_request_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::MinutesEntryAdded, AuditEntity::MinutesEntry, id).after(json!(e)),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn delete_entry(
    pool: &PgPool,
    actor: &Actor,
    minutes_id: MinutesId,
    status: MinutesStatus,
    entry_id: MinutesEntryId,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    lock(&mut tx, minutes_id, status).await?;
    let done = sqlx::query!(
        "DELETE FROM minutes_entries e USING minutes_items i
         WHERE e.id = $2 AND i.id = e.minutes_item_id AND i.minutes_id = $1",
        minutes_id.0,
        entry_id.0
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    audit::record(&mut tx, actor, Change::of(AuditAction::MinutesEntryDeleted, AuditEntity::MinutesEntry, entry_id))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// R1: the decisions, actions and agreements of these minutes, in the order they were written.
pub async fn entries(conn: &mut PgConnection, minutes_id: MinutesId) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"SELECT e.id, e.minutes_item_id, e.kind AS "kind: EntryKind", e.text, e.outcome AS "outcome: Outcome",
                  e.owner_id, p.name AS "owner_name?", e.due_on AS "due_on: NaiveDate",
                  e.change_request_id, c.reference AS "change_request_ref?"
           FROM minutes_entries e JOIN minutes_items i ON i.id = e.minutes_item_id
           LEFT JOIN people p ON p.id = e.owner_id
           LEFT JOIN change_requests c ON c.id = e.change_request_id
           WHERE i.minutes_id = $1 ORDER BY i.position, e.id"#,
        minutes_id.0
    )
    .fetch_all(conn)
    .await
}

/// R3: a comment on one item of these minutes, while they are sent; the secretariat is told (`handoff`).
#[allow(clippy::too_many_arguments)] // one caller; each argument a separate fact of the comment
pub async fn add_comment(
    pool: &PgPool,
    actor: &Actor,
    minutes_id: MinutesId,
    item_id: MinutesItemId,
    person_id: PersonId,
    body: &str,
    now: DateTime<Utc>,
    handoff: &Handoff,
) -> Result<i64> {
    let mut tx = pool.begin().await?;
    lock(&mut tx, minutes_id, MinutesStatus::Sent).await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO minutes_comments (minutes_id, minutes_item_id, person_id, body, received_at)
         SELECT $1, i.id, $3, $4, $5 FROM minutes_items i WHERE i.id = $2 AND i.minutes_id = $1
         RETURNING id",
        minutes_id.0,
        item_id.0,
        person_id.0,
        body,
        now as _
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::Unknown("minutes_item_id"))?;
    audit::record(&mut tx, actor, Change::of(AuditAction::MinutesCommentAdded, AuditEntity::MinutesComment, id))
        .await?;
    handoffs::send(&mut tx, handoff, &format!("comment-{id}"), actor.person_id, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// R3, R4: the people who have spoken on these minutes: commented, or answered "Ingen bemærkninger".
pub async fn answered(pool: &PgPool, minutes_id: MinutesId) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        r#"SELECT person_id AS "person_id!" FROM minutes_comments WHERE minutes_id = $1
           UNION SELECT person_id FROM minutes_no_remarks WHERE minutes_id = $1"#,
        minutes_id.0
    )
    .fetch_all(pool)
    .await
}

/// R3: "Ingen bemærkninger" from one person while the minutes are sent (a second answer changes
/// nothing). `last` tells the secretariat when this was the answer it waited for (R4: the window may
/// close early).
pub async fn no_remarks(
    pool: &PgPool,
    actor: &Actor,
    minutes_id: MinutesId,
    person_id: PersonId,
    now: DateTime<Utc>,
    last: Option<&Handoff>,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    lock(&mut tx, minutes_id, MinutesStatus::Sent).await?;
    let added = sqlx::query!(
        "INSERT INTO minutes_no_remarks (minutes_id, person_id, answered_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
        minutes_id.0,
        person_id.0,
        now as _
    )
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() > 0 {
        audit::record(&mut tx, actor, Change::of(AuditAction::MinutesNoRemarks, AuditEntity::Minutes, minutes_id))
            .await?;
        if let Some(handoff) = last {
            handoffs::send(&mut tx, handoff, &format!("all-answered-{minutes_id}"), actor.person_id, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Who wrote a comment on these minutes, and what it says.
pub async fn comment_author(
    pool: &PgPool,
    minutes_id: MinutesId,
    comment_id: MinutesCommentId,
) -> sqlx::Result<Option<(i64, String)>> {
    let row = sqlx::query!(
        "SELECT person_id, body FROM minutes_comments WHERE id = $2 AND minutes_id = $1",
        minutes_id.0,
        comment_id.0
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.person_id, r.body)))
}

/// R4: the secretariat marks a comment incorporated or answered, with a reply; the member who wrote it
/// is told (`told`) in the same transaction.
#[allow(clippy::too_many_arguments)] // one caller; each argument a separate fact of the handling
pub async fn resolve_comment(
    pool: &PgPool,
    actor: &Actor,
    minutes_id: MinutesId,
    status: MinutesStatus,
    comment_id: MinutesCommentId,
    resolution: Resolution,
    reply: &str,
    told: &Handoff,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    lock(&mut tx, minutes_id, status).await?;
    let done = sqlx::query!(
        "UPDATE minutes_comments SET resolution = $3, reply = $4, resolved_at = $5, resolved_by = $6,
                incorporated_at = CASE WHEN $3 = 'incorporated' THEN $5::timestamptz END
         WHERE id = $2 AND minutes_id = $1",
        minutes_id.0,
        comment_id.0,
        resolution as _,
        reply,
        now as _,
        actor.person_id
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::MinutesCommentResolved, AuditEntity::MinutesComment, comment_id)
            .after(json!({ "resolution": resolution, "reply": reply })),
    )
    .await?;
    handoffs::send(&mut tx, told, &format!("comment-handled-{comment_id}-{}", now.timestamp()), actor.person_id, now)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A mail to every active member and substitute of the meeting's group, queued with the step.
pub struct Notice {
    pub kind: MailKind,
    pub mail: Mail,
}

async fn queue_notice(
    conn: &mut PgConnection,
    meeting_id: i64,
    key_part: &str,
    notice: &Notice,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    for r in participants(&mut *conn, meeting_id).await? {
        let key = format!("{}:{key_part}:{}", notice.kind.as_str(), r.person_id);
        let mail = NewMail {
            idempotency_key: &key,
            kind: notice.kind,
            to_person_id: Some(r.person_id),
            to_address: &r.email,
            subject: &notice.mail.subject,
            body_text: &notice.mail.text,
            body_html: Some(&notice.mail.html),
            ics: None,
            queued_at: now,
        };
        outbox::enqueue(&mut *conn, mail).await?;
    }
    Ok(())
}

/// R2, R4: sends the minutes for comments, or records the comments as worked in. `from` guards
/// against a concurrent step; sending queues `notice` to every participant (R2).
pub async fn step(
    pool: &PgPool,
    actor: &Actor,
    minutes_id: MinutesId,
    from: MinutesStatus,
    to: MinutesStatus,
    notice: Option<Notice>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    lock(&mut tx, minutes_id, from).await?;
    let meeting_id = sqlx::query_scalar!(
        r#"UPDATE minutes SET status = $2,
             sent_at = CASE WHEN $2 = 'sent' THEN $3 ELSE sent_at END,
             sent_by = CASE WHEN $2 = 'sent' THEN $4 ELSE sent_by END,
             worked_in_at = CASE WHEN $2 = 'worked_in' THEN $3 ELSE worked_in_at END,
             worked_in_by = CASE WHEN $2 = 'worked_in' THEN $4 ELSE worked_in_by END,
             updated_at = now()
           WHERE id = $1 RETURNING meeting_id"#,
        minutes_id.0,
        to as _,
        now as _,
        actor.person_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if let Some(notice) = &notice {
        queue_notice(&mut tx, meeting_id, &minutes_id.to_string(), notice, now).await?;
    }
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::MinutesStatus, AuditEntity::Minutes, minutes_id)
            .before(json!({ "status": from }))
            .after(json!({ "status": to })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What an approved version holds, kept readable after a correction.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub party_summary: String,
    pub items: Vec<Item>,
    pub entries: Vec<Entry>,
}

/// R4, R5: approves the minutes (published, read-only): keeps the version, turns decisions and
/// actions into register entries linked to their minutes item, and tells the group. A second
/// approval finds them approved and changes nothing (`Ok(false)`), so no second mail.
pub async fn approve(
    pool: &PgPool,
    actor: &Actor,
    minutes_id: MinutesId,
    notice: Notice,
    now: DateTime<Utc>,
) -> Result<bool> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        r#"SELECT status AS "status: MinutesStatus", meeting_id, version, correction, party_summary FROM minutes WHERE id = $1 FOR UPDATE"#,
        minutes_id.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    if row.status == MinutesStatus::Approved {
        return Ok(false);
    }
    lock(&mut tx, minutes_id, MinutesStatus::WorkedIn).await?;
    sqlx::query!(
        "UPDATE minutes SET status = 'approved', approved_at = $2, approved_by = $3, updated_at = now() WHERE id = $1",
        minutes_id.0,
        now as _,
        actor.person_id
    )
    .execute(&mut *tx)
    .await?;
    let items = sqlx::query_as!(
        Item,
        "SELECT id, agenda_item_id, number, title, is_decision_item, body FROM minutes_items
         WHERE minutes_id = $1 ORDER BY position, id",
        minutes_id.0
    )
    .fetch_all(&mut *tx)
    .await?;
    let entries = entries(&mut tx, minutes_id).await?;
    let snapshot = Snapshot { party_summary: row.party_summary, items, entries };
    sqlx::query!(
        "INSERT INTO minutes_versions (minutes_id, version, approved_at, approved_by, correction, content)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (minutes_id, version) DO UPDATE SET approved_at = $3, approved_by = $4, content = $6",
        minutes_id.0,
        row.version,
        now as _,
        actor.person_id,
        row.correction,
        json!(snapshot)
    )
    .execute(&mut *tx)
    .await?;
    // R5: decisions and actions become register entries; a corrected version updates its own.
    sqlx::query!(
        r#"INSERT INTO decisions (meeting_id, agenda_item_id, text, responsible_id, decided_on, minutes_item_id, minutes_entry_id, outcome, change_request_id)
           SELECT mi.meeting_id, i.agenda_item_id, e.text, ai.responsible_id,
                  (m.starts_at AT TIME ZONE 'Europe/Copenhagen')::date, i.id, e.id, e.outcome, e.change_request_id
           FROM minutes_entries e
           JOIN minutes_items i ON i.id = e.minutes_item_id
           JOIN minutes mi ON mi.id = i.minutes_id
           JOIN meetings m ON m.id = mi.meeting_id
           LEFT JOIN agenda_items ai ON ai.id = i.agenda_item_id
           WHERE mi.id = $1 AND e.kind = 'decision'
           ON CONFLICT (minutes_entry_id) DO UPDATE
             SET text = EXCLUDED.text, outcome = EXCLUDED.outcome, change_request_id = EXCLUDED.change_request_id"#,
        minutes_id.0
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"INSERT INTO actions (group_id, meeting_id, title, owner_id, due_on, minutes_item_id, minutes_entry_id, created_at)
           SELECT m.group_id, m.id, e.text, e.owner_id, e.due_on, i.id, e.id, $2
           FROM minutes_entries e
           JOIN minutes_items i ON i.id = e.minutes_item_id
           JOIN minutes mi ON mi.id = i.minutes_id
           JOIN meetings m ON m.id = mi.meeting_id
           WHERE mi.id = $1 AND e.kind = 'action' AND m.group_id IS NOT NULL
           ON CONFLICT (minutes_entry_id) DO UPDATE
             SET title = EXCLUDED.title, owner_id = EXCLUDED.owner_id, due_on = EXCLUDED.due_on"#,
        minutes_id.0,
        now as _
    )
    .execute(&mut *tx)
    .await?;
    decide_requests(&mut tx, actor, minutes_id, now).await?;
    queue_notice(&mut tx, row.meeting_id, &format!("{minutes_id}:{}", row.version), &notice, now).await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::MinutesApproved, AuditEntity::Minutes, minutes_id)
            .after(json!({ "version": row.version })),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// R5, C1: approved minutes move the change requests their decisions name, each step kept in the
/// request's history with the decision it came from. A decision already carried out (a corrected
/// version approved again) moves nothing twice; a request that has moved on since the decision was
/// written refuses the approval with C1 named, and nothing is stored.
async fn decide_requests(
    tx: &mut PgConnection,
    actor: &Actor,
    minutes_id: MinutesId,
    now: DateTime<Utc>,
) -> Result<()> {
    let pending = sqlx::query!(
        r#"SELECT d.id AS decision_id, c.id AS request_id, c.reference, c.status AS "status: RequestStatus",
                  d.outcome AS "outcome!: Outcome", to_char(d.decided_on, 'DD.MM.YYYY') AS "decided_on!"
           FROM decisions d
           JOIN minutes_entries e ON e.id = d.minutes_entry_id
           JOIN minutes_items i ON i.id = e.minutes_item_id
           JOIN change_requests c ON c.id = d.change_request_id
           WHERE i.minutes_id = $1 AND d.outcome IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM change_request_status_changes s WHERE s.decision_id = d.id)
           ORDER BY d.id
           FOR UPDATE OF c"#,
        minutes_id.0
    )
    .fetch_all(&mut *tx)
    .await?;
    for p in pending {
        let to = match change_requests::decided(p.status, p.outcome) {
            Ok(Some(to)) => to,
            Ok(None) => continue,
            Err(refusal) => {
                return Err(Refusal::new(refusal.rule, format!("{}: {}", p.reference, refusal.message)).into());
            }
        };
        sqlx::query!(
            "UPDATE change_requests SET status = $2, updated_at = $3 WHERE id = $1",
            p.request_id,
            to as _,
            now as _
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "INSERT INTO change_request_status_changes
               (change_request_id, from_status, to_status, note, changed_by, changed_at, decision_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            p.request_id,
            p.status as _,
            to as _,
            format!("Besluttet på mødet {} (referatet godkendt)", p.decided_on),
            actor.person_id,
            now as _,
            p.decision_id
        )
        .execute(&mut *tx)
        .await?;
        let change = Change::of(AuditAction::ChangeRequestStatusChanged, AuditEntity::ChangeRequest, p.request_id)
            .before(json!({ "status": p.status }))
            .after(json!({ "status": to, "decision_id": p.decision_id }));
        audit::record(tx, actor, change).await?;
    }
    Ok(())
}

/// A correction after approval: a new version in the secretariat's hands; the approved one stays.
pub async fn correct(pool: &PgPool, actor: &Actor, minutes_id: MinutesId, reason: &str) -> Result<()> {
    let mut tx = pool.begin().await?;
    lock(&mut tx, minutes_id, MinutesStatus::Approved).await?;
    sqlx::query!(
        "UPDATE minutes SET status = 'worked_in', version = version + 1, correction = $2, updated_at = now() WHERE id = $1",
        minutes_id.0,
        reason
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::MinutesCorrected, AuditEntity::Minutes, minutes_id).after(json!({ "reason": reason })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Version {
    pub version: i32,
    pub approved_at: DateTime<Utc>,
    pub approved_by_name: Option<String>,
    pub correction: String,
    pub content: serde_json::Value,
}

pub async fn versions(pool: &PgPool, minutes_id: MinutesId) -> sqlx::Result<Vec<Version>> {
    sqlx::query_as!(
        Version,
        r#"SELECT v.version, v.approved_at AS "approved_at: DateTime<Utc>", p.name AS "approved_by_name?", v.correction, v.content
           FROM minutes_versions v LEFT JOIN people p ON p.id = v.approved_by
           WHERE v.minutes_id = $1 ORDER BY v.version DESC"#,
        minutes_id.0
    )
    .fetch_all(pool)
    .await
}

/// A group's minutes archive: every meeting with minutes the reader may see (O5 in SQL), newest
/// first. Minutes not yet approved are listed only to the group and the secretariat.
#[derive(Debug, Clone)]
pub struct ArchiveRow {
    pub meeting_id: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub status: MinutesStatus,
    pub approved_at: Option<DateTime<Utc>>,
    pub version: i32,
}

pub async fn archive(
    pool: &PgPool,
    scope: crate::domain::access::GroupScope,
    group_id: i64,
    in_group: bool,
) -> sqlx::Result<Vec<ArchiveRow>> {
    sqlx::query_as!(
        ArchiveRow,
        r#"SELECT m.id AS meeting_id, m.title, m.starts_at AS "starts_at: DateTime<Utc>", mi.status AS "status: MinutesStatus",
                  mi.approved_at AS "approved_at: DateTime<Utc>", mi.version
           FROM minutes mi JOIN meetings m ON m.id = mi.meeting_id JOIN groups g ON g.id = m.group_id
           WHERE g.id = $1 AND group_readable(g.id, g.confidentiality, $2, $3, $4)
             AND (mi.status = 'approved' OR ($5 AND mi.status <> 'draft') OR $2)
           ORDER BY m.starts_at DESC"#,
        group_id,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader,
        in_group
    )
    .fetch_all(pool)
    .await
}

/// The meetings among `meeting_ids` whose minutes have an approved version, for the calendar feed.
/// R3, R4: the meetings among these whose minutes are out for comments, and when they were sent.
pub async fn sent_among(pool: &PgPool, meeting_ids: &[i64]) -> sqlx::Result<Vec<(i64, DateTime<Utc>)>> {
    let rows = sqlx::query!(
        r#"SELECT meeting_id, sent_at AS "sent_at!: DateTime<Utc>" FROM minutes
           WHERE meeting_id = ANY($1) AND status = 'sent' AND sent_at IS NOT NULL"#,
        meeting_ids
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.meeting_id, r.sent_at)).collect())
}

pub async fn approved_among(pool: &PgPool, meeting_ids: &[i64]) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "SELECT mi.meeting_id FROM minutes mi
         WHERE mi.meeting_id = ANY($1) AND EXISTS (SELECT 1 FROM minutes_versions v WHERE v.minutes_id = mi.id)",
        meeting_ids
    )
    .fetch_all(pool)
    .await
}
