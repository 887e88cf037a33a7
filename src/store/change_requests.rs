//! Change requests (C1, C2): the register, its status history and escalations to the board.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use sqlx::PgPool;

use chrono::{DateTime, Utc};

use super::audit::{self, Actor, Change};
use super::handoffs::{self, Handoff};
use super::{Error, Result};
use crate::domain::access::GroupScope;
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::change_requests::{self as rule, AgendaPurpose, Priority, RequestInput, Status, Stepper};
use crate::domain::ids::{ChangeRequestId, EscalationId, GroupId, MeetingId};
use crate::domain::refusal::Refusal;

/// What a list of change requests is narrowed to; every part is optional.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub group_id: Option<i64>,
    pub status: Option<Status>,
    pub initiative_id: Option<i64>,
    pub priority: Option<Priority>,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub group_name: String,
    pub priority: Priority,
    pub status: Status,
    pub initiative: Option<String>,
    pub cost: Option<Decimal>,
}

/// The change requests of the groups the reader may see (O5, M5), narrowed by the filter.
pub async fn list(pool: &PgPool, scope: GroupScope, f: &Filter) -> sqlx::Result<Vec<Row>> {
    sqlx::query_as!(
        Row,
        r#"SELECT c.id, c.reference, c.title, g.name AS group_name, c.priority AS "priority: Priority",
                  c.status AS "status: Status", r.title AS "initiative?", c.cost
           FROM change_requests c
           JOIN groups g ON g.id = c.group_id
           LEFT JOIN roadmap_initiatives r ON r.id = c.initiative_id
           WHERE group_readable(g.id, g.confidentiality, $1, $2, $3)
             AND ($4::bigint IS NULL OR c.group_id = $4)
             AND ($5::text IS NULL OR c.status = $5)
             AND ($6::bigint IS NULL OR c.initiative_id = $6)
             AND ($7::text IS NULL OR c.priority = $7)
             AND ($8 = '' OR strpos(lower(c.reference || ' ' || c.title || ' ' || c.business_need || ' ' || c.value), lower($8)) > 0)
           ORDER BY g.name, c.reference"#,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader,
        f.group_id,
        f.status.map(Status::as_str),
        f.initiative_id,
        f.priority.map(Priority::as_str),
        f.text
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    pub id: i64,
    pub group_id: i64,
    pub group_slug: String,
    pub group_name: String,
    pub reference: String,
    pub title: String,
    pub business_need: String,
    pub value: String,
    pub beneficiaries: String,
    pub priority: Priority,
    pub status: Status,
    pub initiative_id: Option<i64>,
    pub initiative: Option<String>,
    pub vendor_estimate: String,
    pub cost: Option<Decimal>,
    pub learning: String,
    pub not_ready_note: String,
    pub submitted_by: Option<String>,
    /// Who proposed it, to be told of its steps (C1).
    pub submitted_by_id: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl Detail {
    /// The stored request as the edit form and the API read it.
    pub fn input(&self) -> RequestInput {
        RequestInput {
            title: self.title.clone(),
            business_need: self.business_need.clone(),
            value: self.value.clone(),
            beneficiaries: self.beneficiaries.clone(),
            priority: self.priority,
            initiative_id: self.initiative_id,
            vendor_estimate: self.vendor_estimate.clone(),
            cost: self.cost,
            learning: self.learning.clone(),
            not_ready_note: self.not_ready_note.clone(),
        }
    }
}

/// One change request, if its group is readable (O5, M5); otherwise none.
pub async fn get(pool: &PgPool, id: i64, scope: GroupScope) -> sqlx::Result<Option<Detail>> {
    sqlx::query_as!(
        Detail,
        r#"SELECT c.id, c.group_id, g.slug AS group_slug, g.name AS group_name, c.reference, c.title, c.business_need,
                  c.value, c.beneficiaries, c.priority AS "priority: Priority", c.status AS "status: Status",
                  c.initiative_id, r.title AS "initiative?",
                  c.vendor_estimate, c.cost, c.learning, c.not_ready_note, p.name AS "submitted_by?",
                  c.submitted_by AS submitted_by_id, c.created_at AS "created_at: chrono::DateTime<chrono::Utc>"
           FROM change_requests c
           JOIN groups g ON g.id = c.group_id
           LEFT JOIN roadmap_initiatives r ON r.id = c.initiative_id
           LEFT JOIN people p ON p.id = c.submitted_by
           WHERE c.id = $1 AND group_readable(g.id, g.confidentiality, $2, $3, $4)"#,
        id,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader
    )
    .fetch_optional(pool)
    .await
}

/// One line of the history (C1), and the decisions (R5) and escalations (C2) of a request.
/// What a line of a request's history records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum HistoryKind {
    Status,
    Decision,
    Escalation,
}

#[derive(Debug, Clone)]
pub struct HistoryLine {
    pub kind: HistoryKind,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub text: String,
    pub outcome: String,
    pub by: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
    pub ref_id: i64,
    pub open: bool,
}

/// The status steps, decisions and escalations of a request, oldest first, in one statement.
pub async fn history(pool: &PgPool, id: i64) -> sqlx::Result<Vec<HistoryLine>> {
    sqlx::query_as!(
        HistoryLine,
        r#"SELECT kind AS "kind!: HistoryKind", from_status AS "from_status: Status", to_status AS "to_status: Status",
                  text AS "text!", outcome AS "outcome!", by_name AS by,
                  at AS "at!: chrono::DateTime<chrono::Utc>", ref_id AS "ref_id!", open AS "open!"
           FROM (
             SELECT 'status' AS kind, s.from_status, s.to_status, s.note AS text, '' AS outcome, p.name AS by_name,
                    s.changed_at AS at, s.id AS ref_id, false AS open
             FROM change_request_status_changes s LEFT JOIN people p ON p.id = s.changed_by
             WHERE s.change_request_id = $1
             UNION ALL
             SELECT 'decision', NULL, NULL, d.text, '', NULL,
                    (d.decided_on::timestamp AT TIME ZONE 'Europe/Copenhagen'), d.meeting_id, false
             FROM decisions d WHERE d.change_request_id = $1
             UNION ALL
             SELECT 'escalation', NULL, NULL, e.reason, e.board_outcome, p.name, e.escalated_at, e.id,
                    e.outcome_recorded_at IS NULL
             FROM change_request_escalations e LEFT JOIN people p ON p.id = e.escalated_by
             WHERE e.change_request_id = $1
           ) h
           ORDER BY at, kind, ref_id"#,
        id
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone)]
pub struct Choice {
    pub id: i64,
    pub title: String,
    pub group_name: String,
}

/// The roadmap initiatives a request may link to or a list may filter by (O5, M5), of one group or all.
pub async fn initiatives(pool: &PgPool, scope: GroupScope, group_id: Option<i64>) -> sqlx::Result<Vec<Choice>> {
    sqlx::query_as!(
        Choice,
        r#"SELECT r.id, r.title, g.name AS group_name
           FROM roadmap_initiatives r JOIN groups g ON g.id = r.group_id
           WHERE group_readable(g.id, g.confidentiality, $1, $2, $3) AND ($4::bigint IS NULL OR r.group_id = $4)
           ORDER BY g.name, r.start_year, r.position, r.title"#,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader,
        group_id
    )
    .fetch_all(pool)
    .await
}

/// What a person may write about a request (C1), parsed in the domain from a form or an API body.
pub type Input = RequestInput;

fn unknown_initiative(e: sqlx::Error) -> Error {
    match e.as_database_error().and_then(|d| d.constraint()) {
        Some("change_requests_initiative_id_fkey") => Error::Unknown("initiative_id"),
        _ => Error::Db(e),
    }
}

/// Creates a request as an idea with the next number of the year (ÆØ-2026-013) and its first history
/// line. Numbers are handed out under a lock per year, so two proposals never get the same one. A
/// member's proposal tells the group's secretariat (`told`) in the same transaction.
pub async fn create(
    pool: &PgPool,
    actor: &Actor,
    group_id: i64,
    year: i32,
    input: &Input,
    told: Option<&Handoff>,
    now: DateTime<Utc>,
) -> Result<(i64, String)> {
    let mut tx = pool.begin().await?;
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtext('change_request_number'), $1)", year).execute(&mut *tx).await?;
    let prefix = rule::reference_prefix(year);
    let used = sqlx::query_scalar!("SELECT reference FROM change_requests WHERE starts_with(reference, $1)", prefix)
        .fetch_all(&mut *tx)
        .await?;
    let reference = rule::reference(year, rule::next_number(year, used.iter().map(String::as_str)));
    let initiative_ok = match input.initiative_id {
        None => true,
        Some(i) => {
            sqlx::query_scalar!(
                r#"SELECT EXISTS (SELECT 1 FROM roadmap_initiatives WHERE id = $1 AND group_id = $2) AS "ok!""#,
                i,
                group_id
            )
            .fetch_one(&mut *tx)
            .await?
        }
    };
    if !initiative_ok {
        return Err(Error::Unknown("initiative_id"));
    }
    let id = sqlx::query_scalar!(
        "INSERT INTO change_requests (group_id, reference, title, business_need, value, beneficiaries, priority,
                                      initiative_id, vendor_estimate, cost, learning, not_ready_note, submitted_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        group_id,
        reference,
        input.title,
        input.business_need,
        input.value,
        input.beneficiaries,
        input.priority.as_str(),
        input.initiative_id,
        input.vendor_estimate,
        input.cost,
        input.learning,
        input.not_ready_note,
        actor.person_id
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(unknown_initiative)?;
    sqlx::query!(
        "INSERT INTO change_request_status_changes (change_request_id, from_status, to_status, changed_by)
         VALUES ($1, NULL, 'idea', $2)",
        id,
        actor.person_id
    )
    .execute(&mut *tx)
    .await?;
    let change = Change {
        action: AuditAction::ChangeRequestCreated,
        entity: AuditEntity::ChangeRequest,
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(json!({ "reference": reference, "group_id": group_id, "input": input })),
    };
    audit::record(&mut tx, actor, change).await?;
    if let Some(told) = told {
        handoffs::send(&mut tx, told, &format!("change-request-{id}"), actor.person_id, now).await?;
    }
    tx.commit().await?;
    Ok((id, reference))
}

/// The secretariat's edit of every field but the status (C1).
pub async fn update(pool: &PgPool, actor: &Actor, id: i64, input: &Input) -> Result<()> {
    let mut tx = pool.begin().await?;
    let before =
        sqlx::query!(r#"SELECT to_jsonb(c) AS "row!", group_id FROM change_requests c WHERE id = $1 FOR UPDATE"#, id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound)?;
    if let Some(i) = input.initiative_id {
        let same_group = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM roadmap_initiatives WHERE id = $1 AND group_id = $2) AS "ok!""#,
            i,
            before.group_id
        )
        .fetch_one(&mut *tx)
        .await?;
        if !same_group {
            return Err(Error::Unknown("initiative_id"));
        }
    }
    sqlx::query!(
        "UPDATE change_requests SET title = $2, business_need = $3, value = $4, beneficiaries = $5, priority = $6,
                initiative_id = $7, vendor_estimate = $8, cost = $9, learning = $10, not_ready_note = $11,
                updated_at = now()
         WHERE id = $1",
        id,
        input.title,
        input.business_need,
        input.value,
        input.beneficiaries,
        input.priority.as_str(),
        input.initiative_id,
        input.vendor_estimate,
        input.cost,
        input.learning,
        input.not_ready_note
    )
    .execute(&mut *tx)
    .await
    .map_err(unknown_initiative)?;
    let change = Change {
        action: AuditAction::ChangeRequestUpdated,
        entity: AuditEntity::ChangeRequest,
        entity_id: Some(id.to_string()),
        before: Some(before.row),
        after: Some(json!(input)),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(())
}

/// C1: one status step, checked by the rule against the locked current status and recorded with its
/// note; the person who proposed the request is told (`told`) in the same transaction.
#[allow(clippy::too_many_arguments)] // one caller; each argument a separate fact of the step
pub async fn step(
    pool: &PgPool,
    actor: &Actor,
    id: i64,
    to: Status,
    note: &str,
    who: Stepper,
    told: Option<&Handoff>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        r#"SELECT status AS "status: Status", business_need, value, beneficiaries FROM change_requests WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    let from = row.status;
    rule::step(from, to, who)?;
    if to == Status::ReadyForDecision {
        rule::value_documented(&row.business_need, &row.value, &row.beneficiaries)?;
    }
    sqlx::query!("UPDATE change_requests SET status = $2, updated_at = now() WHERE id = $1", id, to.as_str())
        .execute(&mut *tx)
        .await?;
    let line = sqlx::query_scalar!(
        "INSERT INTO change_request_status_changes (change_request_id, from_status, to_status, note, changed_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        id,
        from.as_str(),
        to.as_str(),
        note,
        actor.person_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let change = Change {
        action: AuditAction::ChangeRequestStatusChanged,
        entity: AuditEntity::ChangeRequest,
        entity_id: Some(id.to_string()),
        before: Some(json!({ "status": from.as_str() })),
        after: Some(json!({ "status": to.as_str(), "note": note })),
    };
    audit::record(&mut tx, actor, change).await?;
    if let Some(told) = told {
        handoffs::send(&mut tx, told, &format!("change-request-step-{line}"), actor.person_id, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// C2: the secretariat escalates to the board, who are told (`handoff`) in the same transaction.
pub async fn escalate(
    pool: &PgPool,
    actor: &Actor,
    id: i64,
    reason: &str,
    handoff: &Handoff,
    now: DateTime<Utc>,
) -> Result<i64> {
    let mut tx = pool.begin().await?;
    sqlx::query_scalar!("SELECT id FROM change_requests WHERE id = $1 FOR UPDATE", id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
    let open = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM change_request_escalations
                          WHERE change_request_id = $1 AND outcome_recorded_at IS NULL) AS "open!""#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    if open {
        return Err(
            Refusal::new("C2", "Ændringsønsket er allerede eskaleret til Bestyrelsen og afventer udfaldet.").into()
        );
    }
    let escalation = sqlx::query_scalar!(
        "INSERT INTO change_request_escalations (change_request_id, reason, escalated_by) VALUES ($1, $2, $3) RETURNING id",
        id,
        reason,
        actor.person_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let change = Change {
        action: AuditAction::ChangeRequestEscalated,
        entity: AuditEntity::ChangeRequest,
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(json!({ "escalation_id": escalation, "reason": reason })),
    };
    audit::record(&mut tx, actor, change).await?;
    handoffs::send(&mut tx, handoff, &format!("escalation-{escalation}"), actor.person_id, now).await?;
    tx.commit().await?;
    Ok(escalation)
}

/// C2: the board's outcome of an open escalation, recorded once; the group's secretariat is told
/// (`handoff`) in the same transaction.
#[allow(clippy::too_many_arguments)] // one caller; each argument a separate fact of the outcome
pub async fn record_outcome(
    pool: &PgPool,
    actor: &Actor,
    id: ChangeRequestId,
    escalation: EscalationId,
    outcome: &str,
    handoff: &Handoff,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    let recorded = sqlx::query_scalar!(
        r#"SELECT outcome_recorded_at IS NOT NULL AS "recorded!" FROM change_request_escalations
           WHERE id = $1 AND change_request_id = $2 FOR UPDATE"#,
        escalation.0,
        id.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    if recorded {
        return Err(Refusal::new("C2", "Bestyrelsens udfald af denne eskalering er allerede registreret.").into());
    }
    sqlx::query!(
        "UPDATE change_request_escalations SET board_outcome = $2, outcome_recorded_at = now(), outcome_recorded_by = $3
         WHERE id = $1",
        escalation.0,
        outcome,
        actor.person_id
    )
    .execute(&mut *tx)
    .await?;
    let change = Change {
        action: AuditAction::ChangeRequestEscalationDecided,
        entity: AuditEntity::ChangeRequest,
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(json!({ "escalation_id": escalation, "outcome": outcome })),
    };
    audit::record(&mut tx, actor, change).await?;
    handoffs::send(&mut tx, handoff, &format!("escalation-decided-{escalation}"), actor.person_id, now).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct OpenEscalation {
    pub change_request_id: i64,
    pub reference: String,
    pub title: String,
    pub group_name: String,
    pub reason: String,
    pub escalated_by: Option<String>,
    pub escalated_at: chrono::DateTime<chrono::Utc>,
}

/// C2: the escalations the board has not answered yet, in the groups the reader may see (O5, M5).
pub async fn open_escalations(pool: &PgPool, scope: GroupScope) -> sqlx::Result<Vec<OpenEscalation>> {
    sqlx::query_as!(
        OpenEscalation,
        r#"SELECT c.id AS change_request_id, c.reference, c.title, g.name AS group_name, e.reason,
                  p.name AS "escalated_by?", e.escalated_at AS "escalated_at: chrono::DateTime<chrono::Utc>"
           FROM change_request_escalations e
           JOIN change_requests c ON c.id = e.change_request_id
           JOIN groups g ON g.id = c.group_id
           LEFT JOIN people p ON p.id = e.escalated_by
           WHERE e.outcome_recorded_at IS NULL AND group_readable(g.id, g.confidentiality, $1, $2, $3)
           ORDER BY e.escalated_at"#,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader
    )
    .fetch_all(pool)
    .await
}

/// A7: one request's place on an agenda as the secretariat chooses it: for decision, for discussion or
/// not on it, with the note on why it is not ready.
#[derive(Debug, Clone, Serialize)]
pub struct Selection {
    pub change_request_id: i64,
    pub purpose: Option<AgendaPurpose>,
    pub not_ready_note: String,
}

/// A7: the secretariat's choice of change requests for a meeting's agenda, replacing the previous one in one
/// transaction; only the meeting group's requests are taken (others are `Unknown`).
pub async fn select_for_agenda(
    pool: &PgPool,
    actor: &Actor,
    meeting_id: MeetingId,
    group_id: GroupId,
    selections: &[Selection],
) -> Result<()> {
    let mut tx = pool.begin().await?;
    let ids: Vec<i64> = selections.iter().map(|s| s.change_request_id).collect();
    let own = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM change_requests WHERE group_id = $1 AND id = ANY($2)"#,
        group_id.0,
        &ids
    )
    .fetch_one(&mut *tx)
    .await?;
    if own != ids.len() as i64 {
        return Err(Error::Unknown("change_request_id"));
    }
    sqlx::query!("DELETE FROM agenda_change_requests WHERE meeting_id = $1", meeting_id.0).execute(&mut *tx).await?;
    for s in selections {
        if let Some(purpose) = s.purpose {
            sqlx::query!(
                "INSERT INTO agenda_change_requests (meeting_id, change_request_id, purpose, selected_by)
                 VALUES ($1, $2, $3, $4)",
                meeting_id.0,
                s.change_request_id,
                purpose.as_str(),
                actor.person_id
            )
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query!(
            "UPDATE change_requests SET not_ready_note = $2, updated_at = now() WHERE id = $1 AND not_ready_note <> $2",
            s.change_request_id,
            s.not_ready_note
        )
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::AgendaChangeRequestsSelected, AuditEntity::Meeting, meeting_id)
            .after(json!({ "selections": selections })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
