//! Memberships (M1-M6, M9): who sits in a group. Every change that can break a composition rule
//! locks the group row first, so two concurrent requests cannot together exceed a limit; the
//! rule itself is `domain::composition`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::Error;
use super::audit::{self, Actor, Change};
use super::groups;
use super::handoffs::{self, Handoff};
use crate::domain::access::GroupRole;
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::composition::{self, Party, PartyKind, Refusal, Seat, SeatStatus};
use crate::domain::ids::{MeetingId, MembershipId};
use crate::domain::onboarding::OnboardingStep;

/// A membership with what the pages and the directory show of its person.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Member {
    pub membership_id: i64,
    pub group_id: i64,
    pub person_id: i64,
    pub name: String,
    pub title: String,
    pub email: String,
    pub phone: String,
    pub competences: String,
    pub organisation: Option<String>,
    pub management_level: bool,
    pub role: GroupRole,
    pub party_id: Option<i64>,
    pub party_name: Option<String>,
    pub party_kind: Option<PartyKind>,
    pub status: SeatStatus,
    pub nominated_on: Option<NaiveDate>,
    pub approved_on: Option<NaiveDate>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

impl Member {
    pub fn seat(&self) -> Seat {
        Seat {
            membership_id: Some(self.membership_id),
            person_id: self.person_id,
            person_name: self.name.clone(),
            role: self.role,
            party: match (self.party_id, &self.party_name, self.party_kind) {
                (Some(id), Some(name), Some(kind)) => Some(Party { id, name: name.clone(), kind }),
                _ => None,
            },
            management_level: self.management_level,
            status: self.status,
        }
    }
}

async fn members_on(conn: &mut PgConnection, group_id: i64, include_ended: bool) -> sqlx::Result<Vec<Member>> {
    sqlx::query_as!(
        Member,
        r#"SELECT membership_id AS "membership_id!", group_id AS "group_id!", person_id AS "person_id!", name AS "name!",
                  title AS "title!", email AS "email!", phone AS "phone!", competences AS "competences!",
                  organisation AS "organisation?", management_level AS "management_level!", role AS "role!: GroupRole",
                  party_id AS "party_id?", party_name AS "party_name?", party_kind AS "party_kind?: PartyKind",
                  status AS "status!: SeatStatus", nominated_on AS "nominated_on?: NaiveDate",
                  approved_on AS "approved_on?: NaiveDate", starts_on AS "starts_on?: NaiveDate", ends_on AS "ends_on?: NaiveDate"
           FROM member_rows
           WHERE group_id = $1 AND ($2 OR status <> 'ended')
           ORDER BY party_order NULLS LAST, party_name, role_order, name"#,
        group_id,
        include_ended
    )
    .fetch_all(conn)
    .await
}

/// The live members (nominated and active) of a group.
pub async fn of_group(pool: &PgPool, group_id: i64) -> sqlx::Result<Vec<Member>> {
    members_on(&mut *pool.acquire().await?, group_id, false).await
}

/// M7: what the public directory shows: active members, without nominations.
pub async fn directory(pool: &PgPool, group_id: i64) -> sqlx::Result<Vec<Member>> {
    let all = of_group(pool, group_id).await?;
    Ok(all.into_iter().filter(|m| m.status == SeatStatus::Active).collect())
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonMembership {
    pub membership_id: i64,
    pub group_slug: String,
    pub group_name: String,
    pub role: GroupRole,
    pub party_name: Option<String>,
    pub status: SeatStatus,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

/// A person's memberships, ended ones too (their history).
pub async fn of_person(pool: &PgPool, person_id: i64) -> sqlx::Result<Vec<PersonMembership>> {
    sqlx::query_as!(
        PersonMembership,
        r#"SELECT m.id AS membership_id, g.slug AS group_slug, g.name AS group_name, m.role AS "role: GroupRole",
                  pa.name AS "party_name?", m.status AS "status: SeatStatus",
                  m.starts_on AS "starts_on: NaiveDate", m.ends_on AS "ends_on: NaiveDate"
           FROM memberships m JOIN groups g ON g.id = m.group_id LEFT JOIN parties pa ON pa.id = m.party_id
           WHERE m.person_id = $1
           ORDER BY (m.status = 'ended'), m.starts_on DESC NULLS LAST"#,
        person_id
    )
    .fetch_all(pool)
    .await
}

/// Unique indexes back the rules up; their violations read as the rule they guard.
fn constraint_refusal(e: sqlx::Error) -> Error {
    match e.as_database_error().and_then(|d| d.constraint()) {
        Some("memberships_one_chair") => {
            Error::Refused(Refusal { rule: "M4", message: "Gruppen har allerede en forperson (M4).".into() })
        }
        Some("memberships_one_live_per_person") => {
            Error::Refused(Refusal { rule: "M1", message: "Personen er allerede medlem af gruppen (M1).".into() })
        }
        Some("memberships_party_active") => Error::Refused(Refusal::new("O1", crate::domain::reference::PARTY_RETIRED)),
        _ => Error::Db(e),
    }
}

async fn lock_group(conn: &mut PgConnection, group_id: i64) -> Result<(), Error> {
    sqlx::query_scalar!("SELECT id FROM groups WHERE id = $1 FOR UPDATE", group_id)
        .fetch_optional(conn)
        .await?
        .map(|_| ())
        .ok_or(Error::NotFound)
}

#[derive(Debug, Clone, Serialize)]
pub struct NewMembership {
    pub group_id: i64,
    pub person_id: i64,
    pub role: GroupRole,
    /// The party represented; the person's own party when not given.
    pub party_id: Option<i64>,
    pub starts_on: NaiveDate,
}

/// Whether a new seat waits for the staff group (M5): party representatives of kinds that require
/// approval do; secretariat staff and the board-appointed chair (M4) take their seat at once.
fn starts_nominated(requires_staff_approval: bool, role: GroupRole) -> bool {
    requires_staff_approval && matches!(role, GroupRole::Member | GroupRole::Substitute)
}

/// Appoints or nominates a person; returns the membership id and whether it awaits approval.
/// Appoints a person; a nominated seat queues `nomination` to the group's secretariat in the same
/// transaction (M5).
pub async fn appoint(
    pool: &PgPool,
    actor: &Actor,
    new: &NewMembership,
    nomination: &Handoff,
    now: DateTime<Utc>,
) -> Result<(i64, SeatStatus), Error> {
    let mut tx = pool.begin().await?;
    lock_group(&mut tx, new.group_id).await?;
    let rules = groups::rules(&mut tx, new.group_id).await?;
    let person = sqlx::query!(
        r#"SELECT p.name, p.management_level, coalesce($2, p.party_id) AS party_id, pa.name AS "party_name?", pa.kind AS "party_kind?"
           FROM people p LEFT JOIN parties pa ON pa.id = coalesce($2, p.party_id) WHERE p.id = $1"#,
        new.person_id,
        new.party_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    let status = if starts_nominated(rules.requires_staff_approval, new.role) {
        SeatStatus::Nominated
    } else {
        SeatStatus::Active
    };
    let candidate = Seat {
        membership_id: None,
        person_id: new.person_id,
        person_name: person.name,
        role: new.role,
        party: match (person.party_id, person.party_name, person.party_kind.as_deref().and_then(PartyKind::parse)) {
            (Some(id), Some(name), Some(kind)) => Some(Party { id, name, kind }),
            _ => None,
        },
        management_level: person.management_level,
        status,
    };
    if status == SeatStatus::Active {
        let seats: Vec<Seat> = members_on(&mut tx, new.group_id, false).await?.iter().map(Member::seat).collect();
        composition::check_activation(&rules, &seats, &candidate)?;
    }
    let nominated_on = (status == SeatStatus::Nominated).then_some(new.starts_on);
    let id = sqlx::query_scalar!(
        "INSERT INTO memberships (group_id, person_id, role, party_id, status, nominated_on, starts_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        new.group_id,
        new.person_id,
        role_code(new.role),
        person.party_id,
        status.as_str(),
        nominated_on as _,
        new.starts_on as _
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(constraint_refusal)?;
    if status == SeatStatus::Nominated {
        // M9: the onboarding checklist starts with the nomination.
        sqlx::query!(
            "INSERT INTO onboarding_steps (membership_id, step)
             SELECT $1, unnest(ARRAY['intro_package', 'website_updated', 'meetings_booked', 'room_access', 'staff_group_approval', 'board_informed'])",
            id
        )
        .execute(&mut *tx)
        .await?;
        handoffs::send(&mut tx, nomination, &format!("membership-{id}"), actor.person_id, now).await?;
    }
    let action =
        if status == SeatStatus::Nominated { AuditAction::MemberNominated } else { AuditAction::MemberAppointed };
    audit::record(&mut tx, actor, Change::of(action, AuditEntity::Membership, id).after(json!(new))).await?;
    tx.commit().await?;
    Ok((id, status))
}

/// M5: the staff group approves a nomination (at a meeting, on a date); the seat becomes active
/// if the composition rules allow it.
pub async fn approve(
    pool: &PgPool,
    actor: &Actor,
    membership_id: MembershipId,
    approved_on: NaiveDate,
    staff_meeting_id: Option<MeetingId>,
    told: &Handoff,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    // Typed where the caller hands them over; the bare numbers within, as the columns hold them.
    let (membership_id, staff_meeting_id) = (membership_id.0, staff_meeting_id.map(|m| m.0));
    let mut tx = pool.begin().await?;
    let group_id = group_of(&mut tx, membership_id).await?;
    lock_group(&mut tx, group_id).await?;
    let rules = groups::rules(&mut tx, group_id).await?;
    let members = members_on(&mut tx, group_id, false).await?;
    let member = members.iter().find(|m| m.membership_id == membership_id).ok_or(Error::NotFound)?;
    if member.status != SeatStatus::Nominated {
        return Err(Refusal { rule: "M5", message: "Kun et indstillet medlem kan godkendes (M5).".into() }.into());
    }
    let mut candidate = member.seat();
    candidate.status = SeatStatus::Active;
    let seats: Vec<Seat> = members.iter().map(Member::seat).collect();
    composition::check_activation(&rules, &seats, &candidate)?;
    sqlx::query!(
        "UPDATE memberships SET status = 'active', approved_on = $2, approved_at_meeting_id = $3, starts_on = greatest(starts_on, $2)
         WHERE id = $1",
        membership_id,
        approved_on as _,
        staff_meeting_id
    )
    .execute(&mut *tx)
    .await
    .map_err(constraint_refusal)?;
    sqlx::query!(
        "UPDATE onboarding_steps SET done_on = $2, done_by = $3 WHERE membership_id = $1 AND step = 'staff_group_approval'",
        membership_id,
        approved_on as _,
        actor.person_id
    )
    .execute(&mut *tx)
    .await?;
    let after = json!({ "status": "active", "approved_on": approved_on, "staff_meeting_id": staff_meeting_id });
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::MemberApproved, AuditEntity::Membership, membership_id)
            .before(json!({ "status": "nominated" }))
            .after(after),
    )
    .await?;
    handoffs::send(&mut tx, told, &format!("membership-{membership_id}-approved"), actor.person_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends a membership (the person leaves the group); the history stays.
pub async fn end(
    pool: &PgPool,
    actor: &Actor,
    membership_id: i64,
    ends_on: NaiveDate,
    told: &Handoff,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let mut tx = pool.begin().await?;
    // An end before the start is stored as the start (the membership never ran); the audit line records
    // the date stored, not the one asked for.
    let stored = sqlx::query_scalar!(
        r#"UPDATE memberships SET status = 'ended', ends_on = greatest($2, coalesce(starts_on, $2))
           WHERE id = $1 AND status <> 'ended' RETURNING ends_on AS "ends_on!: NaiveDate""#,
        membership_id,
        ends_on as _
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::MemberEnded, AuditEntity::Membership, membership_id)
            .after(json!({ "status": "ended", "ends_on": stored, "requested_ends_on": ends_on })),
    )
    .await?;
    handoffs::send(&mut tx, told, &format!("membership-{membership_id}-ended"), actor.person_id, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn group_of(conn: &mut PgConnection, membership_id: i64) -> Result<i64, Error> {
    sqlx::query_scalar!("SELECT group_id FROM memberships WHERE id = $1", membership_id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::NotFound)
}

pub async fn group_id_of(pool: &PgPool, membership_id: i64) -> Result<i64, Error> {
    group_of(&mut *pool.acquire().await?, membership_id).await
}

/// Whose seat a membership is, and in which group: what a mail about it names.
#[derive(Debug, Clone)]
pub struct Whose {
    pub person_id: i64,
    pub person_name: String,
    pub group_id: i64,
    pub group_name: String,
    pub group_slug: String,
    pub role: GroupRole,
}

pub async fn whose(pool: &PgPool, membership_id: i64) -> Result<Whose, Error> {
    sqlx::query_as!(
        Whose,
        r#"SELECT ms.person_id, p.name AS person_name, ms.group_id, g.name AS group_name, g.slug AS group_slug,
                  ms.role AS "role: GroupRole"
           FROM memberships ms JOIN people p ON p.id = ms.person_id JOIN groups g ON g.id = ms.group_id
           WHERE ms.id = $1"#,
        membership_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound)
}

pub fn role_code(role: GroupRole) -> &'static str {
    match role {
        GroupRole::Chair => "chair",
        GroupRole::Member => "member",
        GroupRole::Substitute => "substitute",
        GroupRole::Secretariat => "secretariat",
        GroupRole::Coordinator => "coordinator",
        GroupRole::Vendor => "vendor",
    }
}

/// M9: one step of a membership's onboarding and the day it was done, as the group page reads it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct OnboardingProgress {
    pub membership_id: i64,
    pub step: OnboardingStep,
    pub done_on: Option<NaiveDate>,
}

pub async fn set_onboarding_step(
    pool: &PgPool,
    actor: &Actor,
    membership_id: i64,
    step: OnboardingStep,
    done_on: Option<NaiveDate>,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query!(
        "UPDATE onboarding_steps SET done_on = $3, done_by = $4 WHERE membership_id = $1 AND step = $2",
        membership_id,
        step.as_str(),
        done_on as _,
        actor.person_id
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::OnboardingStep, AuditEntity::Membership, membership_id)
            .after(json!({ "step": step.as_str(), "done_on": done_on })),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
