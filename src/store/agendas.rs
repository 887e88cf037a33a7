//! Agendas (A1-A8): one per meeting, items two levels deep, the approval workflow, and members'
//! written requests for items (A3). Publishing queues the mail to participants in the same
//! transaction (A2).

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::audit::{self, Actor, Change};
use super::handoffs::{self, Handoff, Recipient, To};
use super::outbox::{self, NewMail};
use crate::domain::agenda_snapshot::AgendaSnapshot;
use crate::domain::agenda_template::{Fills, TemplateItem};
use crate::domain::agenda_workflow::AgendaStatus;
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::ids::{AgendaId, AgendaItemId, ItemRequestId, MeetingId};
use crate::domain::notifications::MailKind;
use crate::mail::Mail;

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Agenda {
    pub id: AgendaId,
    pub meeting_id: i64,
    pub status: AgendaStatus,
    pub sent_to_chair_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
    pub approved_by_name: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// A7, A8: the change requests and the dashboard as published (written in the publish transaction).
    pub snapshot: Option<serde_json::Value>,
}

pub async fn for_meeting(pool: &PgPool, meeting_id: i64) -> sqlx::Result<Option<Agenda>> {
    sqlx::query_as!(
        Agenda,
        r#"SELECT a.id AS "id: AgendaId", a.meeting_id, a.status AS "status: AgendaStatus", a.sent_to_chair_at AS "sent_to_chair_at: DateTime<Utc>",
                  a.approved_at AS "approved_at: DateTime<Utc>", p.name AS "approved_by_name?",
                  a.published_at AS "published_at: DateTime<Utc>", a.snapshot
           FROM agendas a LEFT JOIN people p ON p.id = a.approved_by WHERE a.meeting_id = $1"#,
        meeting_id
    )
    .fetch_optional(pool)
    .await
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Item {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub position: i32,
    pub title: String,
    pub presenter: String,
    pub body: String,
    pub is_decision: bool,
    pub responsible_id: Option<i64>,
    pub responsible_name: Option<String>,
    pub is_planning: bool,
    pub planned_minutes: Option<i32>,
    /// A4: what the item shows from the registers (1.4, 3.1 of the standard agenda).
    #[serde(default)]
    pub fills: Option<Fills>,
}

/// Items in reading order: each top-level item followed by its children.
pub async fn items(pool: &PgPool, agenda_id: AgendaId) -> sqlx::Result<Vec<Item>> {
    let rows = sqlx::query_as!(
        Item,
        r#"SELECT i.id, i.parent_id, i.position, i.title, i.presenter, i.body, i.is_decision, i.responsible_id,
                  p.name AS "responsible_name?", i.is_planning, i.planned_minutes, i.fills AS "fills: Fills"
           FROM agenda_items i LEFT JOIN people p ON p.id = i.responsible_id
           WHERE i.agenda_id = $1 ORDER BY i.position, i.id"#,
        agenda_id.0
    )
    .fetch_all(pool)
    .await?;
    Ok(in_reading_order(rows))
}

/// Each top-level item followed by its children.
pub fn in_reading_order(rows: Vec<Item>) -> Vec<Item> {
    let mut ordered = Vec::with_capacity(rows.len());
    for top in rows.iter().filter(|i| i.parent_id.is_none()) {
        ordered.push(top.clone());
        ordered.extend(rows.iter().filter(|c| c.parent_id == Some(top.id)).cloned());
    }
    ordered
}

/// A4: a new agenda from the standard template.
pub async fn create_from_template(
    pool: &PgPool,
    actor: &Actor,
    meeting_id: i64,
    template: &[TemplateItem],
) -> sqlx::Result<Option<AgendaId>> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO agendas (meeting_id) VALUES ($1) ON CONFLICT (meeting_id) DO NOTHING RETURNING id",
        meeting_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else { return Ok(None) };
    for (pos, top) in template.iter().enumerate() {
        let parent = insert_template_item(&mut tx, id, None, pos as i32, top).await?;
        for (child_pos, child) in top.children.iter().enumerate() {
            insert_template_item(&mut tx, id, Some(parent), child_pos as i32, child).await?;
        }
    }
    audit::record(&mut tx, actor, Change::of(AuditAction::AgendaCreated, AuditEntity::Meeting, meeting_id)).await?;
    tx.commit().await?;
    Ok(Some(AgendaId(id)))
}

async fn insert_template_item(
    conn: &mut PgConnection,
    agenda_id: i64,
    parent: Option<i64>,
    position: i32,
    item: &TemplateItem,
) -> sqlx::Result<i64> {
    // A decision item names its responsible person (A5); the template's decision item starts as a
    // plain item until the secretariat names who is responsible.
    sqlx::query_scalar!(
        "INSERT INTO agenda_items (agenda_id, parent_id, position, title, presenter, is_decision, is_planning, fills)
         VALUES ($1, $2, $3, $4, $5, false, $6, $7) RETURNING id",
        agenda_id,
        parent,
        position,
        item.title,
        item.presenter,
        item.is_planning,
        item.fills as _
    )
    .fetch_one(conn)
    .await
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemInput {
    pub parent_id: Option<i64>,
    pub title: String,
    pub presenter: String,
    pub body: String,
    pub is_decision: bool,
    pub responsible_id: Option<i64>,
    pub is_planning: bool,
    pub planned_minutes: Option<i32>,
}

/// Adds an item; `None` when the parent named is not a top-level item of this agenda (nothing is stored).
pub async fn add_item(
    pool: &PgPool,
    actor: &Actor,
    agenda_id: AgendaId,
    input: &ItemInput,
) -> sqlx::Result<Option<i64>> {
    let mut tx = pool.begin().await?;
    let Some(id) = insert_item(&mut tx, agenda_id, input).await? else {
        return Ok(None);
    };
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::AgendaItemAdded, AuditEntity::Agenda, agenda_id).after(json!(input)),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// A sub-item's parent must be a top-level item of the same agenda; otherwise nothing is inserted.
async fn insert_item(conn: &mut PgConnection, agenda_id: AgendaId, input: &ItemInput) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "INSERT INTO agenda_items (agenda_id, parent_id, position, title, presenter, body, is_decision, responsible_id, is_planning, planned_minutes)
         SELECT $1, $2, (SELECT coalesce(max(position) + 1, 0) FROM agenda_items WHERE agenda_id = $1 AND parent_id IS NOT DISTINCT FROM $2),
                $3, $4, $5, $6, $7, $8, $9
         WHERE $2::bigint IS NULL
            OR EXISTS (SELECT 1 FROM agenda_items p WHERE p.id = $2 AND p.agenda_id = $1 AND p.parent_id IS NULL)
         RETURNING id",
        agenda_id.0,
        input.parent_id,
        input.title,
        input.presenter,
        input.body,
        input.is_decision,
        input.responsible_id,
        input.is_planning,
        input.planned_minutes
    )
    .fetch_optional(conn)
    .await
}

pub async fn update_item(
    pool: &PgPool,
    actor: &Actor,
    agenda_id: AgendaId,
    item_id: AgendaItemId,
    input: &ItemInput,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query!(
        "UPDATE agenda_items SET title = $3, presenter = $4, body = $5, is_decision = $6, responsible_id = $7, is_planning = $8, planned_minutes = $9
         WHERE id = $2 AND agenda_id = $1",
        agenda_id.0,
        item_id.0,
        input.title,
        input.presenter,
        input.body,
        input.is_decision,
        input.responsible_id,
        input.is_planning,
        input.planned_minutes
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::AgendaItemUpdated, AuditEntity::AgendaItem, item_id).after(json!(input)),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn delete_item(
    pool: &PgPool,
    actor: &Actor,
    agenda_id: AgendaId,
    item_id: AgendaItemId,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query!("DELETE FROM agenda_items WHERE id = $2 AND agenda_id = $1", agenda_id.0, item_id.0)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(&mut tx, actor, Change::of(AuditAction::AgendaItemDeleted, AuditEntity::AgendaItem, item_id)).await?;
    tx.commit().await?;
    Ok(true)
}

/// A4: the chair (or secretariat) reorders items: swap with the sibling before (`up`) or after.
pub async fn move_item(
    pool: &PgPool,
    actor: &Actor,
    agenda_id: AgendaId,
    item_id: AgendaItemId,
    up: bool,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let siblings = sqlx::query!(
        "SELECT id, position FROM agenda_items
         WHERE agenda_id = $1 AND parent_id IS NOT DISTINCT FROM (SELECT parent_id FROM agenda_items WHERE id = $2 AND agenda_id = $1)
         ORDER BY position, id FOR UPDATE",
        agenda_id.0,
        item_id.0
    )
    .fetch_all(&mut *tx)
    .await?;
    let Some(at) = siblings.iter().position(|s| s.id == item_id.0) else { return Ok(false) };
    let other = if up { at.checked_sub(1) } else { Some(at + 1).filter(|&i| i < siblings.len()) };
    let Some(other) = other else { return Ok(true) };
    // Renumber the siblings densely with the two swapped, so equal positions never tie.
    let mut order: Vec<i64> = siblings.iter().map(|s| s.id).collect();
    order.swap(at, other);
    for (pos, id) in order.iter().enumerate() {
        sqlx::query!("UPDATE agenda_items SET position = $2 WHERE id = $1", id, pos as i32).execute(&mut *tx).await?;
    }
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::AgendaItemMoved, AuditEntity::AgendaItem, item_id).after(json!({ "up": up })),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A4: the items' durations in minutes (None for no time); items of another agenda are left alone.
pub async fn set_times(
    pool: &PgPool,
    actor: &Actor,
    agenda_id: AgendaId,
    times: &[(AgendaItemId, Option<i32>)],
) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    let ids: Vec<i64> = times.iter().map(|t| t.0.0).collect();
    let minutes: Vec<Option<i32>> = times.iter().map(|t| t.1).collect();
    sqlx::query!(
        "UPDATE agenda_items i SET planned_minutes = t.minutes
         FROM unnest($2::bigint[], $3::int[]) AS t(id, minutes)
         WHERE i.id = t.id AND i.agenda_id = $1",
        agenda_id.0,
        &ids,
        &minutes as &[Option<i32>]
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::AgendaTimesSet, AuditEntity::Agenda, agenda_id).after(json!(times)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Who gets the published agenda: the group's approved members whose membership counts on the
/// meeting's day, never a nominated one (M5); plus the people invited to a meeting across groups.
pub async fn participants(conn: &mut PgConnection, meeting_id: i64) -> sqlx::Result<Vec<Recipient>> {
    sqlx::query_as!(
        Recipient,
        "SELECT p.id AS person_id, p.name, p.email FROM people p
         WHERE p.id IN (SELECT ms.person_id FROM memberships ms JOIN meetings m ON m.group_id = ms.group_id
                        WHERE m.id = $1 AND ms.status = 'active'
                          AND membership_counts_on(ms.approved_on, ms.starts_on, ms.ends_on, meeting_day(m.starts_at))
                        UNION SELECT mp.person_id FROM meeting_participants mp WHERE mp.meeting_id = $1)
         ORDER BY p.name",
        meeting_id
    )
    .fetch_all(conn)
    .await
}

/// Who gets the mail that goes with a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeTo {
    /// A2: the group's approved members.
    Participants,
    /// A1: the group's secretariat members, or the secretariat staff when the group has none.
    Secretariat,
    /// A1: the group's chair, who is to comment on or approve the draft.
    Chair,
}

/// The mail that goes with a transition, written in its transaction.
pub struct Notice {
    pub kind: MailKind,
    pub to: NoticeTo,
    pub mail: Mail,
}

/// A1: one of the chair's comments on a draft agenda, kept as a thread.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ChairComment {
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// Moves the agenda to `to` (already checked by `domain::agenda_workflow`), stamping who and when;
/// a chair's comment is added to the thread (A1) and leaves the time it was sent to the chair as it
/// was; the notice goes to its recipients in the same transaction (A2: the agenda to each participant;
/// A1: the chair's comment or approval to the secretariat). `only_from` guards against a concurrent
/// transition: nothing happens unless the agenda is still in that status. `snapshot` is what the
/// published agenda keeps of the registers (A7, A8), written in the same transaction.
#[allow(clippy::too_many_arguments)] // one caller, each argument a separate fact of the transition
pub async fn transition(
    pool: &PgPool,
    actor: &Actor,
    agenda_id: AgendaId,
    only_from: AgendaStatus,
    to: AgendaStatus,
    comment: Option<&str>,
    notice: Option<Notice>,
    snapshot: Option<&AgendaSnapshot>,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let snapshot = snapshot.map(serde_json::to_value).transpose().map_err(|e| sqlx::Error::Encode(e.into()))?;
    let mut tx = pool.begin().await?;
    let done = sqlx::query!(
        r#"UPDATE agendas SET
             status = $3,
             sent_to_chair_at = CASE WHEN $3 = 'sent_to_chair' AND $2 <> 'sent_to_chair' THEN $4 ELSE sent_to_chair_at END,
             approved_at = CASE WHEN $3 = 'approved' THEN $4 WHEN $3 = 'draft' THEN NULL ELSE approved_at END,
             approved_by = CASE WHEN $3 = 'approved' THEN $5 WHEN $3 = 'draft' THEN NULL ELSE approved_by END,
             published_at = CASE WHEN $3 = 'published' THEN $4 ELSE published_at END,
             snapshot = coalesce($6, snapshot),
             updated_at = now()
           WHERE id = $1 AND status = $2
           RETURNING meeting_id, (SELECT group_id FROM meetings WHERE id = meeting_id) AS group_id"#,
        agenda_id.0,
        only_from.as_str(),
        to.as_str(),
        now as _,
        actor.person_id,
        snapshot
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = done else { return Ok(false) };
    // The event a notice is about: the comment, or the transition at this moment.
    let mut event = format!("{agenda_id}:{}", now.timestamp_micros());
    if let Some(body) = comment {
        let id = sqlx::query_scalar!(
            "INSERT INTO agenda_chair_comments (agenda_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            agenda_id.0,
            actor.person_id,
            body,
            now as _
        )
        .fetch_one(&mut *tx)
        .await?;
        event = format!("{agenda_id}:comment-{id}");
    }
    if let Some(notice) = notice {
        let recipients = match notice.to {
            NoticeTo::Participants => {
                event = agenda_id.to_string();
                participants(&mut tx, row.meeting_id).await?
            }
            NoticeTo::Secretariat => handoffs::recipients(&mut tx, To::Secretariat { group_id: row.group_id }).await?,
            NoticeTo::Chair => match row.group_id {
                Some(group_id) => handoffs::recipients(&mut tx, To::Chair { group_id }).await?,
                None => Vec::new(),
            },
        };
        for r in recipients {
            let key = format!("{}:{}:{}", notice.kind.as_str(), event, r.person_id);
            let mail = NewMail {
                idempotency_key: &key,
                kind: notice.kind,
                to_person_id: Some(r.person_id),
                to_address: &r.email,
                subject: &notice.mail.subject,
                body_text: &notice.mail.text,
                body_html: Some(&notice.mail.html),
                ics: notice.mail.ics.as_deref(),
                queued_at: now,
            };
            outbox::enqueue(&mut tx, mail).await?;
        }
    }
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::AgendaStatus, AuditEntity::Agenda, agenda_id)
            .before(json!({ "status": only_from }))
            .after(json!({ "status": to, "comment": comment })),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A3: a member's written request for an agenda item.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Request {
    pub id: i64,
    pub requested_by: i64,
    pub requester: String,
    pub title: String,
    pub description: String,
    pub wanted_decision: String,
    pub submitted_at: DateTime<Utc>,
    pub late: bool,
    pub status: crate::domain::document_codes::RequestStatus,
    pub decision_reason: String,
}

pub struct NewRequest<'a> {
    pub meeting_id: i64,
    pub person_id: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub wanted_decision: &'a str,
    pub submitted_at: DateTime<Utc>,
    pub late: bool,
}

/// Records the request and tells the group's secretariat (`handoff`) in the same transaction.
pub async fn add_request(pool: &PgPool, actor: &Actor, r: NewRequest<'_>, handoff: &Handoff) -> sqlx::Result<i64> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO agenda_item_requests (meeting_id, requested_by, title, description, wanted_decision, submitted_at, late)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        r.meeting_id,
        r.person_id,
        r.title,
        r.description,
        r.wanted_decision,
        r.submitted_at as _,
        r.late
    )
    .fetch_one(&mut *tx)
    .await?;
    let after = json!({ "meeting_id": r.meeting_id, "title": r.title, "late": r.late });
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::AgendaItemRequested, AuditEntity::AgendaItemRequest, id).after(after),
    )
    .await?;
    handoffs::send(&mut tx, handoff, &format!("request-{id}"), actor.person_id, r.submitted_at).await?;
    tx.commit().await?;
    Ok(id)
}

/// A request of this meeting still waiting for the secretariat's decision (A3).
pub async fn pending_request(
    pool: &PgPool,
    meeting_id: MeetingId,
    request_id: ItemRequestId,
) -> sqlx::Result<Option<Request>> {
    sqlx::query_as!(
        Request,
        r#"SELECT r.id, r.requested_by, p.name AS requester, r.title, r.description, r.wanted_decision,
                  r.submitted_at AS "submitted_at: DateTime<Utc>", r.late,
                  r.status AS "status: crate::domain::document_codes::RequestStatus", r.decision_reason
           FROM agenda_item_requests r JOIN people p ON p.id = r.requested_by
           WHERE r.id = $1 AND r.meeting_id = $2 AND r.status = 'pending'"#,
        request_id.0,
        meeting_id.0
    )
    .fetch_optional(pool)
    .await
}

/// The secretariat decides a request: accepted onto the draft agenda (as an item under "Nye ideer"
/// when there is one), or declined with a reason; the member who asked is told (`told`) in the same
/// transaction. False, with nothing stored, when the request is decided already or the agenda has
/// left its draft.
#[allow(clippy::too_many_arguments)] // one caller; each argument a separate fact of the decision
pub async fn decide_request(
    pool: &PgPool,
    actor: &Actor,
    meeting_id: MeetingId,
    request_id: ItemRequestId,
    accept: bool,
    reason: &str,
    told: &Handoff,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let request = sqlx::query!(
        "SELECT r.title, r.description, r.wanted_decision, p.name AS requester FROM agenda_item_requests r JOIN people p ON p.id = r.requested_by
         WHERE r.id = $1 AND r.meeting_id = $2 AND r.status = 'pending' FOR UPDATE",
        request_id.0,
        meeting_id.0
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(request) = request else { return Ok(false) };
    let item_id = if accept {
        let agenda_id =
            sqlx::query_scalar!("SELECT id FROM agendas WHERE meeting_id = $1 AND status = 'draft'", meeting_id.0)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(agenda_id) = agenda_id else { return Ok(false) };
        let parent = sqlx::query_scalar!(
            "SELECT id FROM agenda_items WHERE agenda_id = $1 AND parent_id IS NULL AND title ILIKE 'Nye ideer%' LIMIT 1",
            agenda_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        let body = [request.description.as_str(), request.wanted_decision.as_str()]
            .iter()
            .filter(|s| !s.trim().is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n\nØnsket beslutning: ");
        let input = ItemInput {
            parent_id: parent,
            title: request.title.clone(),
            presenter: format!("v/ {}", request.requester),
            body,
            is_decision: false,
            responsible_id: None,
            is_planning: false,
            planned_minutes: None,
        };
        insert_item(&mut tx, AgendaId(agenda_id), &input).await?
    } else {
        None
    };
    sqlx::query!(
        "UPDATE agenda_item_requests SET status = $2, decided_by = $3, decided_at = $4, decision_reason = $5, agenda_item_id = $6 WHERE id = $1",
        request_id.0,
        if accept { "accepted" } else { "declined" },
        actor.person_id,
        now as _,
        reason,
        item_id
    )
    .execute(&mut *tx)
    .await?;
    let after = json!({ "accepted": accept, "reason": reason, "agenda_item_id": item_id });
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::AgendaItemRequestDecided, AuditEntity::AgendaItemRequest, request_id).after(after),
    )
    .await?;
    handoffs::send(&mut tx, told, &format!("request-decided-{request_id}"), actor.person_id, now).await?;
    tx.commit().await?;
    Ok(true)
}
