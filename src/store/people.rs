//! People (M7, M8), parties and organisations (O1).

use serde::Serialize;
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::audit::{self, Actor, Change};

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
    audit::record(&mut tx, actor, Change::of("person_created", "person", id).after(json!(input))).await?;
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
    audit::record(conn, actor, Change::of("person_updated", "person", id).before(before).after(json!(input))).await?;
    Ok(true)
}

#[derive(Debug, Clone, Serialize)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub party_id: i64,
    pub party: String,
}

pub async fn organisations(pool: &PgPool) -> sqlx::Result<Vec<Organisation>> {
    sqlx::query_as!(
        Organisation,
        "SELECT o.id, o.name, o.party_id, p.name AS party FROM organisations o JOIN parties p ON p.id = o.party_id
         ORDER BY p.sort_order, p.name, o.name"
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct PartyRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
}

pub async fn parties(pool: &PgPool) -> sqlx::Result<Vec<PartyRow>> {
    sqlx::query_as!(PartyRow, "SELECT id, code, name, kind FROM parties ORDER BY sort_order, name")
        .fetch_all(pool)
        .await
}

pub async fn create_organisation(pool: &PgPool, actor: &Actor, party_id: i64, name: &str) -> super::Result<i64> {
    let mut tx = pool.begin().await?;
    let id =
        sqlx::query_scalar!("INSERT INTO organisations (party_id, name) VALUES ($1, $2) RETURNING id", party_id, name)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| match e.as_database_error() {
                Some(d) if d.is_unique_violation() => super::Error::Taken("org_name"),
                Some(d) if d.is_foreign_key_violation() => super::Error::Unknown("party_id"),
                _ => super::Error::Db(e),
            })?;
    audit::record(
        &mut tx,
        actor,
        Change::of("organisation_created", "organisation", id).after(json!({ "party_id": party_id, "name": name })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn create_party(
    pool: &PgPool,
    actor: &Actor,
    code: &str,
    name: &str,
    kind: crate::domain::composition::PartyKind,
) -> super::Result<i64> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO parties (code, name, kind, sort_order) VALUES ($1, $2, $3, (SELECT coalesce(max(sort_order), 0) + 1 FROM parties)) RETURNING id",
        code,
        name,
        kind as _
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match e.as_database_error().map(|d| (d.is_unique_violation(), d.constraint())) {
        Some((true, Some("parties_one_secretariat"))) => super::Error::Taken("kind"),
        Some((true, _)) => super::Error::Taken("code"),
        _ => super::Error::Db(e),
    })?;
    audit::record(
        &mut tx,
        actor,
        Change::of("party_created", "party", id).after(json!({ "code": code, "name": name, "kind": kind })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
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
        Change::of("buyout_added", "person", b.person_id)
            .after(json!({ "buyout_id": id, "description": b.description })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
