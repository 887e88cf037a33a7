//! Attendance (T2, T4, T5, M5, M6): apologies with the substitute told, who attended, and the
//! attendance sheet per group and year.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::Error;
use super::audit::{self, Actor, Change};
use super::memberships;
use super::outbox::{self, NewMail};
use crate::domain::access::GroupRole;
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::composition::{self, Party, PartyKind, Presence, Refusal, SeatStatus, Warning};
use crate::domain::ids::{MeetingId, MembershipId};
use crate::domain::meeting_codes::AttendanceStatus;
use crate::domain::notifications::MailKind;
use crate::mail::Mail;

/// A seat at the meeting and what is known of its attendance.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Line {
    pub membership_id: i64,
    pub person_id: i64,
    pub name: String,
    pub role: GroupRole,
    pub party_id: Option<i64>,
    pub party_name: Option<String>,
    pub party_kind: Option<PartyKind>,
    pub membership_status: SeatStatus,
    pub status: Option<AttendanceStatus>,
    pub apology_at: Option<DateTime<Utc>>,
    pub apology_late: bool,
    /// M6: the absent member this substitute takes part for.
    #[serde(default)]
    pub stands_in_for: Option<String>,
    /// M6: the substitute who takes part for this absent member.
    #[serde(default)]
    pub stood_in_by: Option<String>,
}

impl Line {
    /// The seat as the M6/T2 rule reads it.
    pub fn presence(&self) -> Presence {
        Presence {
            person_name: self.name.clone(),
            role: self.role,
            party: match (self.party_id, &self.party_name, self.party_kind) {
                (Some(id), Some(name), Some(kind)) => Some(Party { id, name: name.clone(), kind }),
                _ => None,
            },
            seat_status: self.membership_status,
            status: self.status,
        }
    }
}

pub async fn for_meeting<'e>(db: impl sqlx::PgExecutor<'e>, meeting_id: i64) -> sqlx::Result<Vec<Line>> {
    sqlx::query_as!(
        Line,
        r#"SELECT membership_id AS "membership_id!", person_id AS "person_id!", name AS "name!", role AS "role!: GroupRole",
                  party_id AS "party_id?", party_name AS "party_name?", party_kind AS "party_kind?: PartyKind",
                  membership_status AS "membership_status!: SeatStatus", status AS "status?: AttendanceStatus",
                  apology_at AS "apology_at?: DateTime<Utc>", apology_late AS "apology_late!",
                  stands_in_for AS "stands_in_for?", stood_in_by AS "stood_in_by?"
           FROM seat_rows WHERE meeting_id = $1
           ORDER BY party_order NULLS LAST, (role = 'substitute'), name"#,
        meeting_id
    )
    .fetch_all(db)
    .await
}

/// T4: a member's apology, flagged late under a week before; the party's substitute is told (M6).
#[allow(clippy::too_many_arguments)] // one caller, each argument a separate fact of the apology
pub async fn send_apology(
    pool: &PgPool,
    actor: &Actor,
    meeting_id: MeetingId,
    membership_id: MembershipId,
    note: &str,
    at: DateTime<Utc>,
    late: bool,
    notice: &Mail,
) -> Result<usize, Error> {
    let mut tx = pool.begin().await?;
    let member = sqlx::query!(
        r#"SELECT ms.group_id, ms.party_id, ms.status AS "status: SeatStatus", ms.role FROM memberships ms JOIN meetings m ON m.group_id = ms.group_id
         WHERE ms.id = $1 AND m.id = $2"#,
        membership_id.0,
        meeting_id.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    if member.status != SeatStatus::Active {
        return Err(Refusal {
            rule: "M5",
            message: "Kun godkendte medlemmer deltager i møderne og melder afbud (M5).".into(),
        }
        .into());
    }
    sqlx::query!(
        "INSERT INTO attendance (meeting_id, membership_id, status, apology_at, apology_late, apology_note, recorded_by)
         VALUES ($1, $2, 'apology', $3, $4, $5, $6)
         ON CONFLICT (meeting_id, membership_id) DO UPDATE
         SET status = 'apology', apology_at = EXCLUDED.apology_at, apology_late = EXCLUDED.apology_late,
             apology_note = EXCLUDED.apology_note, recorded_by = EXCLUDED.recorded_by, recorded_at = now()",
        meeting_id.0,
        membership_id.0,
        at as _,
        late,
        note,
        actor.person_id
    )
    .execute(&mut *tx)
    .await?;
    let event = format!("apology:{meeting_id}:{membership_id}:{}", at.timestamp_micros());
    let told = tell_substitutes(&mut tx, member.group_id, member.party_id, &event, notice, at).await?;
    let after = json!({ "membership_id": membership_id, "late": late, "substitutes_told": told });
    audit::record(&mut tx, actor, Change::of(AuditAction::ApologySent, AuditEntity::Meeting, meeting_id).after(after))
        .await?;
    tx.commit().await?;
    Ok(told)
}

/// T4: the member's party's substitutes hear of an apology (or its withdrawal): `event` keeps each mail
/// to one per event and person.
async fn tell_substitutes(
    conn: &mut PgConnection,
    group_id: i64,
    party_id: Option<i64>,
    event: &str,
    notice: &Mail,
    at: DateTime<Utc>,
) -> Result<usize, Error> {
    let substitutes = sqlx::query!(
        "SELECT p.id, p.email FROM memberships ms JOIN people p ON p.id = ms.person_id
         WHERE ms.group_id = $1 AND ms.role = 'substitute' AND ms.status = 'active' AND ms.party_id IS NOT DISTINCT FROM $2",
        group_id,
        party_id
    )
    .fetch_all(&mut *conn)
    .await?;
    for s in &substitutes {
        let key = format!("{event}:{}", s.id);
        let mail = NewMail {
            idempotency_key: &key,
            kind: MailKind::ApologySubstitute,
            to_person_id: Some(s.id),
            to_address: &s.email,
            subject: &notice.subject,
            body_text: &notice.text,
            body_html: Some(&notice.html),
            ics: notice.ics.as_deref(),
            queued_at: at,
        };
        outbox::enqueue(&mut *conn, mail).await?;
    }
    Ok(substitutes.len())
}

/// M6, T4: a substitute confirms taking part for an absent member of their party. `rule` is asked in
/// the transaction with whether that member has apologised; the absent member is told (`handoff`).
/// `Taken` when another substitute has already confirmed for that member.
#[allow(clippy::too_many_arguments)] // one caller; each argument a separate fact of the confirmation
pub async fn stand_in(
    pool: &PgPool,
    actor: &Actor,
    meeting_id: MeetingId,
    substitute_membership_id: MembershipId,
    for_membership_id: MembershipId,
    at: DateTime<Utc>,
    rule: impl FnOnce(bool) -> Result<(), Refusal>,
    handoff: &super::handoffs::Handoff,
) -> Result<(), Error> {
    let mut tx = pool.begin().await?;
    let apologised = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM attendance WHERE meeting_id = $1 AND membership_id = $2 AND status = 'apology') AS "e!""#,
        meeting_id.0,
        for_membership_id.0
    )
    .fetch_one(&mut *tx)
    .await?;
    rule(apologised)?;
    sqlx::query!(
        "INSERT INTO substitutions (meeting_id, substitute_membership_id, for_membership_id, confirmed_at)
         VALUES ($1, $2, $3, $4)",
        meeting_id.0,
        substitute_membership_id.0,
        for_membership_id.0,
        at as _
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| match e.as_database_error() {
        Some(d) if d.is_unique_violation() => Error::Taken("for"),
        _ => Error::Db(e),
    })?;
    let after = json!({ "substitute_membership_id": substitute_membership_id, "for_membership_id": for_membership_id });
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::SubstituteConfirmed, AuditEntity::Meeting, meeting_id).after(after),
    )
    .await?;
    super::handoffs::send(&mut tx, handoff, &format!("stand-in:{meeting_id}:{for_membership_id}"), actor.person_id, at)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// T4: a member withdraws an apology before the meeting; the substitutes who were told hear that they
/// are not needed. `NotFound` when there is no apology to withdraw.
pub async fn withdraw_apology(
    pool: &PgPool,
    actor: &Actor,
    meeting_id: MeetingId,
    membership_id: MembershipId,
    at: DateTime<Utc>,
    notice: &Mail,
) -> Result<usize, Error> {
    let mut tx = pool.begin().await?;
    let member = sqlx::query!(
        "DELETE FROM attendance a USING memberships ms
         WHERE a.meeting_id = $1 AND a.membership_id = $2 AND a.status = 'apology' AND ms.id = a.membership_id
         RETURNING ms.group_id, ms.party_id",
        meeting_id.0,
        membership_id.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    sqlx::query!(
        "DELETE FROM substitutions WHERE meeting_id = $1 AND for_membership_id = $2",
        meeting_id.0,
        membership_id.0
    )
    .execute(&mut *tx)
    .await?;
    let event = format!("apology-withdrawn:{meeting_id}:{membership_id}:{}", at.timestamp_micros());
    let told = tell_substitutes(&mut tx, member.group_id, member.party_id, &event, notice, at).await?;
    let after = json!({ "membership_id": membership_id, "substitutes_told": told });
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::ApologyWithdrawn, AuditEntity::Meeting, meeting_id).after(after),
    )
    .await?;
    tx.commit().await?;
    Ok(told)
}

/// T5: the secretariat records who attended; only an approved member can be registered (M5). A
/// substitute beside their party's full delegation is warned about (M6, T2): the warnings are returned
/// and kept in the audit entry with who recorded it.
pub async fn record(
    pool: &PgPool,
    actor: &Actor,
    meeting_id: i64,
    entries: &[(i64, AttendanceStatus)],
) -> Result<Vec<Warning>, Error> {
    let mut tx = pool.begin().await?;
    let group_id = sqlx::query_scalar!("SELECT group_id FROM meetings WHERE id = $1", meeting_id)
        .fetch_optional(&mut *tx)
        .await?
        .flatten()
        .ok_or(Error::NotFound)?;
    let members = memberships::of_group(pool, group_id).await?;
    for (membership_id, status) in entries {
        let member = members.iter().find(|m| m.membership_id == *membership_id).ok_or(Error::NotFound)?;
        if *status == AttendanceStatus::Attended {
            composition::may_take_part_in_meetings(&member.seat())?;
        }
        sqlx::query!(
            "INSERT INTO attendance (meeting_id, membership_id, status, recorded_by) VALUES ($1, $2, $3, $4)
             ON CONFLICT (meeting_id, membership_id) DO UPDATE
             SET status = CASE WHEN attendance.status = 'apology' AND EXCLUDED.status = 'absent' THEN 'apology' ELSE EXCLUDED.status END,
                 recorded_by = EXCLUDED.recorded_by, recorded_at = now()",
            meeting_id,
            membership_id,
            *status as _,
            actor.person_id
        )
        .execute(&mut *tx)
        .await?;
    }
    let seats: Vec<Presence> = for_meeting(&mut *tx, meeting_id).await?.iter().map(Line::presence).collect();
    let warnings = composition::substitutes_beside_full_delegation(&seats);
    let after = json!({
        "entries": entries.iter().map(|(m, s)| json!({ "membership_id": m, "status": s })).collect::<Vec<_>>(),
        "warnings": warnings,
    });
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::AttendanceRecorded, AuditEntity::Meeting, meeting_id).after(after),
    )
    .await?;
    tx.commit().await?;
    Ok(warnings)
}

/// T5: one row per person and held meeting of the year.
#[derive(Debug, Clone)]
pub struct SheetCell {
    pub meeting_id: i64,
    pub starts_at: DateTime<Utc>,
    pub title: String,
    pub cycle_number: Option<i16>,
    pub person_id: i64,
    pub name: String,
    pub party_name: Option<String>,
    pub role: String,
    pub status: Option<AttendanceStatus>,
    pub apology_late: bool,
}

pub async fn sheet(
    pool: &PgPool,
    group_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<Vec<SheetCell>> {
    sqlx::query_as!(
        SheetCell,
        r#"SELECT m.id AS meeting_id, m.starts_at AS "starts_at: DateTime<Utc>", m.title, m.cycle_number, p.id AS person_id, p.name, pa.name AS "party_name?",
                  ms.role, a.status AS "status?: AttendanceStatus", coalesce(a.apology_late, false) AS "apology_late!"
           FROM meetings m
           JOIN memberships ms ON ms.group_id = m.group_id
           JOIN people p ON p.id = ms.person_id
           LEFT JOIN parties pa ON pa.id = ms.party_id
           LEFT JOIN attendance a ON a.meeting_id = m.id AND a.membership_id = ms.id
           WHERE m.group_id = $1 AND m.starts_at >= $2 AND m.starts_at < $3 AND m.status <> 'cancelled'
             AND (a.status IS NOT NULL OR (ms.status <> 'nominated'
                  AND membership_counts_on(ms.approved_on, ms.starts_on, ms.ends_on, meeting_day(m.starts_at))))
           ORDER BY pa.sort_order NULLS LAST, p.name, m.starts_at"#,
        group_id,
        from as _,
        to as _
    )
    .fetch_all(pool)
    .await
}
