//! Groups and the memberships that tie people to them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::audit::{self, Actor, Change};
use crate::domain::access::GroupScope;
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::composition::KindRules;
use crate::domain::group::{GroupFamily, GroupStatus};
use crate::domain::paging::PageNumber;

#[derive(Debug, Clone)]
pub struct GroupSummary {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind_name: String,
    pub purpose: String,
    pub status: GroupStatus,
    pub active_members: i64,
}

/// The groups the reader may see (O5, M5).
pub async fn list(pool: &PgPool, scope: GroupScope) -> sqlx::Result<Vec<GroupSummary>> {
    sqlx::query_as!(
        GroupSummary,
        r#"SELECT g.id, g.slug, g.name, k.name AS kind_name, g.purpose, g.status AS "status: GroupStatus",
                  (SELECT count(*) FROM memberships m
                    WHERE m.group_id = g.id AND m.status = 'active' AND m.role <> 'substitute') AS "active_members!"
           FROM groups g JOIN group_kinds k ON k.id = g.kind_id
           WHERE group_readable(g.id, g.confidentiality, $1, $2, $3)
           ORDER BY k.family, g.name"#,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader
    )
    .fetch_all(pool)
    .await
}

/// A person's live place in a group, for the start page.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct MyGroup {
    pub group_id: i64,
    pub slug: String,
    pub name: String,
    pub kind_name: String,
    pub role: crate::domain::access::GroupRole,
    pub status: crate::domain::composition::SeatStatus,
}

/// The reader's live memberships (nominated ones too), in the groups the reader may see (O5, M5): a
/// nomination to a confidential group does not show the group before the approval.
pub async fn for_person(pool: &PgPool, scope: GroupScope) -> sqlx::Result<Vec<MyGroup>> {
    sqlx::query_as!(
        MyGroup,
        r#"SELECT g.id AS group_id, g.slug, g.name, k.name AS kind_name, m.role AS "role: _", m.status AS "status: _"
         FROM memberships m JOIN groups g ON g.id = m.group_id JOIN group_kinds k ON k.id = g.kind_id
         WHERE m.person_id = $3 AND m.status <> 'ended'
           AND group_readable(g.id, g.confidentiality, $1, $2, $3)
         ORDER BY g.name"#,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind_id: i64,
    pub kind_code: String,
    pub kind_name: String,
    pub family: GroupFamily,
    pub purpose: String,
    pub status: GroupStatus,
    pub confidentiality: crate::domain::access::Confidentiality,
    /// T1: a group created mid-year is held to its quarters from its first full one.
    pub created_at: DateTime<Utc>,
}

/// How a group is named: by its short name in page URLs, by its id in the API.
#[derive(Debug, Clone, Copy)]
pub enum GroupKey<'a> {
    Slug(&'a str),
    Id(i64),
}

impl<'a> GroupKey<'a> {
    fn parts(key: Option<Self>) -> (Option<&'a str>, Option<i64>) {
        match key {
            None => (None, None),
            Some(GroupKey::Slug(slug)) => (Some(slug), None),
            Some(GroupKey::Id(id)) => (None, Some(id)),
        }
    }
}

/// The group, if it exists and the reader may see it (O5, M5); otherwise none, so a confidential
/// group does not even show that it exists.
pub async fn readable(pool: &PgPool, key: GroupKey<'_>, scope: GroupScope) -> sqlx::Result<Option<Group>> {
    let (slug, id) = GroupKey::parts(Some(key));
    sqlx::query_as!(
        Group,
        r#"SELECT g.id, g.slug, g.name, g.kind_id, k.code AS kind_code, k.name AS kind_name,
                  k.family AS "family: GroupFamily", g.purpose, g.status AS "status: GroupStatus",
                  g.confidentiality AS "confidentiality: _", g.created_at AS "created_at: DateTime<Utc>"
           FROM groups g JOIN group_kinds k ON k.id = g.kind_id
           WHERE ($1::text IS NULL OR g.slug = $1) AND ($2::bigint IS NULL OR g.id = $2)
             AND group_readable(g.id, g.confidentiality, $3, $4, $5)"#,
        slug,
        id,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader
    )
    .fetch_optional(pool)
    .await
}

/// M7, O5: the groups of the public member directory (all, one page of them, or the one named), whoever
/// asks: active and not confidential.
pub async fn in_directory(
    pool: &PgPool,
    key: Option<GroupKey<'_>>,
    page: Option<PageNumber>,
) -> sqlx::Result<Vec<Group>> {
    let (slug, id) = GroupKey::parts(key);
    let (offset, limit) = page.map(|p| (p.offset() as i64, Some(p.fetch_limit() as i64))).unwrap_or((0, None));
    sqlx::query_as!(
        Group,
        r#"SELECT g.id, g.slug, g.name, g.kind_id, k.code AS kind_code, k.name AS kind_name,
                  k.family AS "family: GroupFamily", g.purpose, g.status AS "status: GroupStatus",
                  g.confidentiality AS "confidentiality: _", g.created_at AS "created_at: DateTime<Utc>"
           FROM groups g JOIN group_kinds k ON k.id = g.kind_id
           WHERE g.status = 'active' AND g.confidentiality <> 'confidential'
             AND ($1::text IS NULL OR g.slug = $1) AND ($2::bigint IS NULL OR g.id = $2)
           ORDER BY k.family, g.name, g.id
           OFFSET $3 LIMIT $4"#,
        slug,
        id,
        offset,
        limit
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, Serialize)]
pub struct Kind {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub family: GroupFamily,
    pub responsibilities: String,
    pub charter_template: String,
}

pub async fn kinds(pool: &PgPool) -> sqlx::Result<Vec<Kind>> {
    sqlx::query_as!(
        Kind,
        r#"SELECT id, code, name, family AS "family: GroupFamily", responsibilities, charter_template
           FROM group_kinds ORDER BY family, name"#
    )
    .fetch_all(pool)
    .await
}

/// A group kind as an administrator edits it: its rule set (M2-M6) and templates (S1, S2).
#[derive(Debug, Clone, Serialize)]
pub struct KindSettings {
    pub name: String,
    pub rules: KindRules,
    pub charter_template: String,
    pub responsibilities: String,
}

pub async fn kind_settings(pool: &PgPool, code: &str) -> sqlx::Result<Option<(i64, KindSettings)>> {
    let row = sqlx::query!(
        "SELECT id, name, max_members, max_per_party, max_secretariat, chair_management_level, chair_from_party,
                requires_staff_approval, expects_substitutes, charter_template, responsibilities
         FROM group_kinds WHERE code = $1",
        code
    )
    .fetch_optional(pool)
    .await?;
    let limit = |v: Option<i32>| v.and_then(|n| u32::try_from(n).ok());
    Ok(row.map(|r| {
        let rules = KindRules {
            max_members: limit(r.max_members),
            max_per_party: limit(r.max_per_party),
            max_secretariat: limit(r.max_secretariat),
            chair_management_level: r.chair_management_level,
            chair_from_party: r.chair_from_party,
            requires_staff_approval: r.requires_staff_approval,
            expects_substitutes: r.expects_substitutes,
        };
        (
            r.id,
            KindSettings {
                name: r.name,
                rules,
                charter_template: r.charter_template,
                responsibilities: r.responsibilities,
            },
        )
    }))
}

/// Saves a kind's rules and templates; every group of the kind follows them from the next change on.
pub async fn update_kind(pool: &PgPool, actor: &Actor, id: i64, k: &KindSettings) -> super::Result<()> {
    let mut tx = pool.begin().await?;
    let before = sqlx::query_scalar!(r#"SELECT to_jsonb(k) AS "row!" FROM group_kinds k WHERE id = $1 FOR UPDATE"#, id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(super::Error::NotFound)?;
    let cap = |v: Option<u32>| v.and_then(|n| i32::try_from(n).ok());
    sqlx::query!(
        "UPDATE group_kinds SET name = $2, max_members = $3, max_per_party = $4, max_secretariat = $5,
                chair_management_level = $6, chair_from_party = $7, requires_staff_approval = $8,
                expects_substitutes = $9, charter_template = $10, responsibilities = $11
         WHERE id = $1",
        id,
        k.name,
        cap(k.rules.max_members),
        cap(k.rules.max_per_party),
        cap(k.rules.max_secretariat),
        k.rules.chair_management_level,
        k.rules.chair_from_party,
        k.rules.requires_staff_approval,
        k.rules.expects_substitutes,
        k.charter_template,
        k.responsibilities
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::GroupKindUpdated, AuditEntity::GroupKind, id).before(before).after(json!(k)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The composition rules of the group's kind (M2-M6 are data on the kind).
pub async fn rules(conn: &mut PgConnection, group_id: i64) -> sqlx::Result<KindRules> {
    let r = sqlx::query!(
        "SELECT k.max_members, k.max_per_party, k.max_secretariat, k.chair_management_level, k.chair_from_party,
                k.requires_staff_approval, k.expects_substitutes
         FROM groups g JOIN group_kinds k ON k.id = g.kind_id WHERE g.id = $1",
        group_id
    )
    .fetch_one(conn)
    .await?;
    let limit = |v: Option<i32>| v.and_then(|n| u32::try_from(n).ok());
    Ok(KindRules {
        max_members: limit(r.max_members),
        max_per_party: limit(r.max_per_party),
        max_secretariat: limit(r.max_secretariat),
        chair_management_level: r.chair_management_level,
        chair_from_party: r.chair_from_party,
        requires_staff_approval: r.requires_staff_approval,
        expects_substitutes: r.expects_substitutes,
    })
}

pub use crate::domain::group::{GroupEdit, GroupInput};

/// Creates a group with a first charter draft from its kind's template (S2).
pub async fn create(pool: &PgPool, actor: &Actor, input: &GroupInput) -> Result<i64, super::Error> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO groups (kind_id, slug, name, purpose, confidentiality) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        input.kind_id,
        input.slug,
        input.name,
        input.purpose,
        input.confidentiality as _
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match e.as_database_error().and_then(|d| d.constraint()) {
        Some("groups_slug_key") => super::Error::Taken("slug"),
        Some("groups_kind_id_fkey") => super::Error::Unknown("kind_id"),
        _ => super::Error::Db(e),
    })?;
    let template = sqlx::query_scalar!("SELECT charter_template FROM group_kinds WHERE id = $1", input.kind_id)
        .fetch_one(&mut *tx)
        .await?;
    let body = crate::domain::group::fill_charter_template(&template, &input.name, &[]);
    sqlx::query!(
        "INSERT INTO charters (group_id, version, body, created_by) VALUES ($1, 1, $2, $3)",
        id,
        body,
        actor.person_id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(&mut tx, actor, Change::of(AuditAction::GroupCreated, AuditEntity::Group, id).after(json!(input)))
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(pool: &PgPool, actor: &Actor, id: i64, edit: &GroupEdit) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    let before = sqlx::query_scalar!(r#"SELECT to_jsonb(g) AS "row!" FROM groups g WHERE id = $1 FOR UPDATE"#, id)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query!(
        "UPDATE groups SET name = $2, purpose = $3, status = $4, confidentiality = $5 WHERE id = $1",
        id,
        edit.name,
        edit.purpose,
        edit.status as _,
        edit.confidentiality as _
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::GroupUpdated, AuditEntity::Group, id).before(before).after(json!(edit)),
    )
    .await?;
    tx.commit().await
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Solution {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub in_operation: bool,
}

/// O4: the solutions in operation the group is responsible for.
pub async fn solutions(pool: &PgPool, group_id: i64) -> sqlx::Result<Vec<Solution>> {
    sqlx::query_as!(
        Solution,
        "SELECT id, name, description, in_operation FROM solutions WHERE group_id = $1 ORDER BY name",
        group_id
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Explanation {
    pub requirement: String,
    pub explanation: String,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

/// S3: follow-or-explain entries.
pub async fn explanations(pool: &PgPool, group_id: i64) -> sqlx::Result<Vec<Explanation>> {
    sqlx::query_as!(
        Explanation,
        r#"SELECT requirement, explanation, recorded_at AS "recorded_at: chrono::DateTime<chrono::Utc>"
           FROM follow_or_explain WHERE group_id = $1 ORDER BY recorded_at DESC"#,
        group_id
    )
    .fetch_all(pool)
    .await
}

pub async fn add_explanation(
    pool: &PgPool,
    actor: &Actor,
    group_id: i64,
    requirement: &str,
    explanation: &str,
) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "INSERT INTO follow_or_explain (group_id, requirement, explanation, recorded_by) VALUES ($1, $2, $3, $4)",
        group_id,
        requirement,
        explanation,
        actor.person_id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::FollowOrExplainAdded, AuditEntity::Group, group_id)
            .after(json!({ "requirement": requirement, "explanation": explanation })),
    )
    .await?;
    tx.commit().await
}

/// Meetings of the staff group that can approve nominations (M5), newest first.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct StaffMeeting {
    pub id: i64,
    pub starts_at: chrono::DateTime<chrono::Utc>,
}
