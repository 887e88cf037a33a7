//! Groups and the memberships that tie people to them.

use sqlx::PgPool;

#[derive(Debug, Clone)]
pub struct GroupSummary {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind_name: String,
    pub purpose: String,
    pub status: String,
    pub active_members: i64,
}

pub async fn list(pool: &PgPool) -> sqlx::Result<Vec<GroupSummary>> {
    sqlx::query_as!(
        GroupSummary,
        r#"SELECT g.id, g.slug, g.name, k.name AS kind_name, g.purpose, g.status,
                  (SELECT count(*) FROM memberships m
                    WHERE m.group_id = g.id AND m.status = 'active' AND m.role <> 'substitute') AS "active_members!"
           FROM groups g JOIN group_kinds k ON k.id = g.kind_id
           ORDER BY k.family, g.name"#
    )
    .fetch_all(pool)
    .await
}

/// A person's live place in a group, for the start page.
#[derive(Debug, Clone)]
pub struct MyGroup {
    pub group_id: i64,
    pub slug: String,
    pub name: String,
    pub kind_name: String,
    pub role: String,
    pub status: String,
}

pub async fn for_person(pool: &PgPool, person_id: i64) -> sqlx::Result<Vec<MyGroup>> {
    sqlx::query_as!(
        MyGroup,
        "SELECT g.id AS group_id, g.slug, g.name, k.name AS kind_name, m.role, m.status
         FROM memberships m JOIN groups g ON g.id = m.group_id JOIN group_kinds k ON k.id = g.kind_id
         WHERE m.person_id = $1 AND m.status <> 'ended'
         ORDER BY g.name",
        person_id
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub organisation: Option<String>,
    pub party: Option<String>,
    pub email: String,
    pub groups: i64,
}

/// M8: the register of persons, with a free-text filter on name, organisation and email.
pub async fn people(pool: &PgPool, filter: &str) -> sqlx::Result<Vec<PersonRow>> {
    let pattern = format!(
        "%{}%",
        filter
            .trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    sqlx::query_as!(
        PersonRow,
        r#"SELECT p.id, p.name, p.title, o.name AS "organisation?", pa.name AS "party?", p.email,
                  (SELECT count(*) FROM memberships m WHERE m.person_id = p.id AND m.status <> 'ended') AS "groups!"
           FROM people p
           LEFT JOIN organisations o ON o.id = p.organisation_id
           LEFT JOIN parties pa ON pa.id = p.party_id
           WHERE p.name ILIKE $1 OR p.email ILIKE $1 OR coalesce(o.name, '') ILIKE $1
           ORDER BY p.name"#,
        pattern
    )
    .fetch_all(pool)
    .await
}
