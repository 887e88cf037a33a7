//! Demo data: a believable DMP installation (and one OS2 group of each kind), loaded once into an
//! empty database. The SQL is in demo/demo.sql; demo accounts get a real argon2id hash here.

use sqlx::PgPool;

use crate::security::password;

pub const DEMO_PASSWORD: &str = crate::security::password_policy::DEMO_PASSWORD;
pub const DEMO_LOGINS: [(&str, &str); 5] = [
    ("sekretariat@dmp.example", "sekretariat"),
    ("admin@dmp.example", "administrator"),
    ("forperson.natur@mst.example", "forperson i Faggruppe Natur"),
    ("medlem.natur@aarhus.example", "medlem af Faggruppe Natur"),
    ("suppleant.natur@rm.example", "suppleant i Faggruppe Natur"),
];

/// True when the database holds no groups yet, i.e. this is a first start.
pub async fn is_empty(pool: &PgPool) -> sqlx::Result<bool> {
    let exists = sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM groups) AS "exists!""#).fetch_one(pool).await?;
    Ok(!exists)
}

/// Whether the first demo login signs in with the published password: the start-up banner offers it only
/// then, so a bare installation does not advertise a login that answers 401.
pub async fn login_works(pool: &PgPool) -> anyhow::Result<bool> {
    let hash = sqlx::query_scalar!(
        "SELECT a.password_hash FROM accounts a JOIN people p ON p.id = a.person_id WHERE lower(p.email) = $1 AND a.active",
        DEMO_LOGINS[0].0
    )
    .fetch_optional(pool)
    .await?;
    Ok(match hash {
        Some(hash) => password::verify(DEMO_PASSWORD.to_owned(), hash).await?,
        None => false,
    })
}

/// Loads the demo data in one transaction: all of it, or nothing.
pub async fn load(pool: &PgPool) -> anyhow::Result<()> {
    let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut tx = pool.begin().await?;
    sqlx::raw_sql(include_str!("../../demo/demo.sql")).execute(&mut *tx).await?;
    sqlx::query!("UPDATE accounts SET password_hash = $1 WHERE password_hash = 'DEMO'", hash).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds `batches` batches of realistic volume (demo/scale.sql: 50 groups, 2,000 people, five years of
/// meetings with agendas, attendance and minutes, 10,000 change requests, 10,000 actions and 10,000
/// decisions each) on top of what is there; each batch in its own transaction. Returns the batches now held.
pub async fn load_scale(pool: &PgPool, batches: u32) -> anyhow::Result<i64> {
    let held = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM groups WHERE slug LIKE 'skala-%-1'"#)
        .fetch_one(pool)
        .await?;
    for batch in held + 1..=held + i64::from(batches) {
        let mut tx = pool.begin().await?;
        sqlx::query("CREATE TEMP TABLE scale_batch ON COMMIT DROP AS SELECT $1::int AS b")
            .bind(batch as i32)
            .execute(&mut *tx)
            .await?;
        sqlx::raw_sql(include_str!("../../demo/scale.sql")).execute(&mut *tx).await?;
        tx.commit().await?;
    }
    sqlx::raw_sql("ANALYZE").execute(pool).await?;
    Ok(held + i64::from(batches))
}
