//! People (M7, M8), parties and organisations (O1).

use serde::Serialize;
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::audit::{self, Actor, Change};
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::composition::PartyKind;
use crate::domain::reference::{OrganisationInput, PartyInput};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub title: String,
    #[schema(required)]
    pub organisation_id: Option<i64>,
    /// The organisation's name.
    #[schema(required)]
    pub organisation: Option<String>,
    /// The party, which follows from the organisation (O1).
    #[schema(required)]
    pub party_id: Option<i64>,
    /// The party's name.
    #[schema(required)]
    pub party: Option<String>,
    /// Whether the person works at management level (M3).
    pub management_level: bool,
    #[schema(format = Email)]
    pub email: String,
    pub phone: String,
    pub competences: String,
    pub education: String,
    pub networks: String,
}

pub async fn get(pool: &PgPool, id: i64) -> sqlx::Result<Option<Person>> {
    sqlx::query_as!(
        Person,
        r#"SELECT p.id, p.name, p.title, p.organisation_id, o.name AS "organisation?", p.party_id, pa.name AS "party?",
                  p.management_level, p.email, p.phone, p.competences, p.education, p.networks
           FROM people p
           LEFT JOIN organisations o ON o.id = p.organisation_id
           LEFT JOIN parties pa ON pa.id = p.party_id
           WHERE p.id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await
}

/// A person's own contact details: phone and competences (the rest is the secretariat's register, M8).
pub async fn set_own_contact(
    pool: &PgPool,
    actor: &Actor,
    person_id: i64,
    phone: &str,
    competences: &str,
) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query!("UPDATE people SET phone = $2, competences = $3 WHERE id = $1", person_id, phone, competences)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::OwnContactUpdated, AuditEntity::Person, person_id)
            .after(serde_json::json!({ "phone": phone, "competences": competences })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// M8: the register, with a free-text filter on name, organisation, email and competences.
pub async fn search(pool: &PgPool, filter: &str, party_id: Option<i64>) -> sqlx::Result<Vec<Person>> {
    let pattern = format!("%{}%", filter.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    sqlx::query_as!(
        Person,
        r#"SELECT p.id, p.name, p.title, p.organisation_id, o.name AS "organisation?", p.party_id, pa.name AS "party?",
                  p.management_level, p.email, p.phone, p.competences, p.education, p.networks
           FROM people p
           LEFT JOIN organisations o ON o.id = p.organisation_id
           LEFT JOIN parties pa ON pa.id = p.party_id
           WHERE (p.name ILIKE $1 OR p.email ILIKE $1 OR coalesce(o.name, '') ILIKE $1 OR p.competences ILIKE $1)
             AND ($2::bigint IS NULL OR p.party_id = $2)
           ORDER BY p.name"#,
        pattern,
        party_id
    )
    .fetch_all(pool)
    .await
}

pub use crate::domain::person::PersonInput;

fn map_unique(e: sqlx::Error) -> super::Error {
    match e.as_database_error().and_then(|d| d.constraint()) {
        Some("people_email_unique") => super::Error::Taken("email"),
        Some("people_organisation_id_fkey") => super::Error::Unknown("organisation_id"),
        Some("people_organisation_active") => super::Error::Retired("organisation_id"),
        _ => super::Error::Db(e),
    }
}

/// Creates a person; the party follows from the organisation (O1).
pub async fn create(pool: &PgPool, actor: &Actor, input: &PersonInput) -> Result<i64, super::Error> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO people (name, title, organisation_id, party_id, management_level, email, phone, competences, education, networks)
         VALUES ($1, $2, $3, (SELECT party_id FROM organisations WHERE id = $3), $4, $5, $6, $7, $8, $9)
         RETURNING id",
        input.name,
        input.title,
        input.organisation_id,
        input.management_level,
        input.email,
        input.phone,
        input.competences,
        input.education,
        input.networks
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(map_unique)?;
    audit::record(&mut tx, actor, Change::of(AuditAction::PersonCreated, AuditEntity::Person, id).after(json!(input)))
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(pool: &PgPool, actor: &Actor, id: i64, input: &PersonInput) -> Result<bool, super::Error> {
    let mut tx = pool.begin().await?;
    let found = update_in(&mut tx, actor, id, input).await?;
    tx.commit().await?;
    Ok(found)
}

/// Replaces the person's fields inside the caller's transaction, with the audit line; false when there
/// is no such person.
pub(super) async fn update_in(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    input: &PersonInput,
) -> Result<bool, super::Error> {
    let before = sqlx::query_scalar!(r#"SELECT to_jsonb(p) AS "row!" FROM people p WHERE id = $1 FOR UPDATE"#, id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(before) = before else {
        return Ok(false);
    };
    sqlx::query!(
        "UPDATE people SET name = $2, title = $3, organisation_id = $4,
                party_id = (SELECT party_id FROM organisations WHERE id = $4),
                management_level = $5, email = $6, phone = $7, competences = $8, education = $9, networks = $10,
                updated_at = now()
         WHERE id = $1",
        id,
        input.name,
        input.title,
        input.organisation_id,
        input.management_level,
        input.email,
        input.phone,
        input.competences,
        input.education,
        input.networks
    )
    .execute(&mut *conn)
    .await
    .map_err(map_unique)?;
    audit::record(
        conn,
        actor,
        Change::of(AuditAction::PersonUpdated, AuditEntity::Person, id).before(before).after(json!(input)),
    )
    .await?;
    Ok(true)
}

#[derive(Debug, Clone, Serialize)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub party_id: i64,
    pub party: String,
    /// O1: retired: kept where referenced, no new choice.
    pub retired: bool,
    /// O1: its party is retired, which retires it from new choices too.
    pub party_retired: bool,
}

impl Organisation {
    /// O1: whether it is a new choice for a person.
    pub fn choosable(&self) -> bool {
        !(self.retired || self.party_retired)
    }
}

/// Every organisation, retired ones too (they are shown where referenced; choices leave them out).
pub async fn organisations(pool: &PgPool) -> sqlx::Result<Vec<Organisation>> {
    sqlx::query_as!(
        Organisation,
        r#"SELECT o.id, o.name, o.party_id, p.name AS party,
                  (o.retired_at IS NOT NULL) AS "retired!", (p.retired_at IS NOT NULL) AS "party_retired!"
           FROM organisations o JOIN parties p ON p.id = o.party_id
           ORDER BY p.sort_order, p.name, o.name"#
    )
    .fetch_all(pool)
    .await
}

pub async fn organisation(pool: &PgPool, id: i64) -> sqlx::Result<Option<Organisation>> {
    sqlx::query_as!(
        Organisation,
        r#"SELECT o.id, o.name, o.party_id, p.name AS party,
                  (o.retired_at IS NOT NULL) AS "retired!", (p.retired_at IS NOT NULL) AS "party_retired!"
           FROM organisations o JOIN parties p ON p.id = o.party_id WHERE o.id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct PartyRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: PartyKind,
    /// O1: kept where referenced, no new choice.
    #[serde(default)]
    pub retired: bool,
}

/// Every party, retired ones too.
pub async fn parties(pool: &PgPool) -> sqlx::Result<Vec<PartyRow>> {
    sqlx::query_as!(
        PartyRow,
        r#"SELECT id, code, name, kind AS "kind: PartyKind", (retired_at IS NOT NULL) AS "retired!"
           FROM parties ORDER BY sort_order, name"#
    )
    .fetch_all(pool)
    .await
}

/// The constraints of parties and organisations, as the field they concern.
fn map_reference(e: sqlx::Error) -> super::Error {
    match e.as_database_error().and_then(|d| d.constraint()) {
        Some("parties_one_secretariat") => super::Error::Taken("kind"),
        Some("parties_name_unique") => super::Error::Taken("name"),
        Some("parties_code_key") => super::Error::Taken("code"),
        Some("organisations_party_id_name_key") => super::Error::Taken("org_name"),
        Some("organisations_party_id_fkey") => super::Error::Unknown("party_id"),
        Some("organisations_party_active") => super::Error::Retired("party_id"),
        _ => super::Error::Db(e),
    }
}

pub async fn create_organisation(pool: &PgPool, actor: &Actor, input: &OrganisationInput) -> super::Result<i64> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO organisations (party_id, name) VALUES ($1, $2) RETURNING id",
        input.party_id,
        input.name
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(map_reference)?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::OrganisationCreated, AuditEntity::Organisation, id).after(json!(input)),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// O1: renames an organisation or moves it to another party; its people's party follows it (their
/// memberships keep the party they were appointed for).
pub async fn update_organisation(
    pool: &PgPool,
    actor: &Actor,
    id: i64,
    input: &OrganisationInput,
) -> super::Result<()> {
    let mut tx = pool.begin().await?;
    let before =
        sqlx::query_scalar!(r#"SELECT to_jsonb(o) AS "row!" FROM organisations o WHERE id = $1 FOR UPDATE"#, id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(super::Error::NotFound)?;
    sqlx::query!("UPDATE organisations SET name = $2, party_id = $3 WHERE id = $1", id, input.name, input.party_id)
        .execute(&mut *tx)
        .await
        .map_err(map_reference)?;
    sqlx::query!(
        "UPDATE people SET party_id = $2, updated_at = now() WHERE organisation_id = $1 AND party_id IS DISTINCT FROM $2",
        id,
        input.party_id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::OrganisationUpdated, AuditEntity::Organisation, id).before(before).after(json!(input)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn create_party(pool: &PgPool, actor: &Actor, code: &str, input: &PartyInput) -> super::Result<i64> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO parties (code, name, kind, sort_order) VALUES ($1, $2, $3, (SELECT coalesce(max(sort_order), 0) + 1 FROM parties)) RETURNING id",
        code,
        input.name,
        input.kind as _
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(map_reference)?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::PartyCreated, AuditEntity::Party, id)
            .after(json!({ "code": code, "name": input.name, "kind": input.kind })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// O1: renames a party or changes its kind (the secretariat stays one party: the schema refuses a second).
pub async fn update_party(pool: &PgPool, actor: &Actor, id: i64, input: &PartyInput) -> super::Result<()> {
    let mut tx = pool.begin().await?;
    let before = sqlx::query_scalar!(r#"SELECT to_jsonb(p) AS "row!" FROM parties p WHERE id = $1 FOR UPDATE"#, id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(super::Error::NotFound)?;
    sqlx::query!("UPDATE parties SET name = $2, kind = $3 WHERE id = $1", id, input.name, input.kind as _)
        .execute(&mut *tx)
        .await
        .map_err(map_reference)?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::PartyUpdated, AuditEntity::Party, id).before(before).after(json!(input)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// O1: retires a party (or brings it back). Idempotent: a second retirement changes and records nothing.
pub async fn set_party_retired(pool: &PgPool, actor: &Actor, id: i64, retired: bool) -> super::Result<()> {
    let mut tx = pool.begin().await?;
    let was = sqlx::query_scalar!(
        r#"SELECT (retired_at IS NOT NULL) AS "retired!" FROM parties WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(super::Error::NotFound)?;
    if was != retired {
        sqlx::query!("UPDATE parties SET retired_at = CASE WHEN $2 THEN now() END WHERE id = $1", id, retired)
            .execute(&mut *tx)
            .await?;
        let event = if retired { AuditAction::PartyRetired } else { AuditAction::PartyReactivated };
        audit::record(
            &mut tx,
            actor,
            Change::of(event, AuditEntity::Party, id)
                .before(json!({ "retired": was }))
                .after(json!({ "retired": retired })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// O1: retires an organisation (or brings it back). Idempotent like [`set_party_retired`].
pub async fn set_organisation_retired(pool: &PgPool, actor: &Actor, id: i64, retired: bool) -> super::Result<()> {
    let mut tx = pool.begin().await?;
    let was = sqlx::query_scalar!(
        r#"SELECT (retired_at IS NOT NULL) AS "retired!" FROM organisations WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(super::Error::NotFound)?;
    if was != retired {
        sqlx::query!("UPDATE organisations SET retired_at = CASE WHEN $2 THEN now() END WHERE id = $1", id, retired)
            .execute(&mut *tx)
            .await?;
        let event = if retired { AuditAction::OrganisationRetired } else { AuditAction::OrganisationReactivated };
        audit::record(
            &mut tx,
            actor,
            Change::of(event, AuditEntity::Organisation, id)
                .before(json!({ "retired": was }))
                .after(json!({ "retired": retired })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// M10: buy-out agreements of a person.
#[derive(Debug, Clone)]
pub struct Buyout {
    pub id: i64,
    pub group_name: Option<String>,
    pub description: String,
    pub hours: Option<rust_decimal::Decimal>,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: Option<chrono::NaiveDate>,
}

pub async fn buyouts(pool: &PgPool, person_id: i64) -> sqlx::Result<Vec<Buyout>> {
    sqlx::query_as!(
        Buyout,
        r#"SELECT b.id, g.name AS "group_name?", b.description, b.hours,
                  b.starts_on AS "starts_on: chrono::NaiveDate", b.ends_on AS "ends_on: chrono::NaiveDate"
           FROM buyout_agreements b LEFT JOIN groups g ON g.id = b.group_id
           WHERE b.person_id = $1 ORDER BY b.starts_on DESC"#,
        person_id
    )
    .fetch_all(pool)
    .await
}

pub struct NewBuyout<'a> {
    pub person_id: i64,
    pub group_id: Option<i64>,
    pub description: &'a str,
    pub hours: Option<rust_decimal::Decimal>,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: Option<chrono::NaiveDate>,
}

pub async fn add_buyout(pool: &PgPool, actor: &Actor, b: NewBuyout<'_>) -> sqlx::Result<i64> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO buyout_agreements (person_id, group_id, description, hours, starts_on, ends_on)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        b.person_id,
        b.group_id,
        b.description,
        b.hours,
        b.starts_on as _,
        b.ends_on as _
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::BuyoutAdded, AuditEntity::Person, b.person_id)
            .after(json!({ "buyout_id": id, "description": b.description })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
