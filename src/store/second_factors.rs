//! Second factors (TOTP secrets) and recovery codes of accounts. Each use is a conditional update, so
//! two requests with the same code cannot both pass.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use super::audit::{self, Actor, Change};
use crate::domain::audit_codes::{AuditAction, AuditEntity};

pub struct Enrolment {
    pub secret: String,
    pub confirmed: bool,
    pub last_used_step: Option<i64>,
}

pub async fn of(pool: &PgPool, person_id: i64) -> sqlx::Result<Option<Enrolment>> {
    sqlx::query_as!(
        Enrolment,
        r#"SELECT secret, confirmed_at IS NOT NULL AS "confirmed!", last_used_step FROM second_factors WHERE person_id = $1"#,
        person_id
    )
    .fetch_optional(pool)
    .await
}

/// Starts (or restarts) an enrolment with a new secret; a confirmed factor is kept as it is.
pub async fn begin(pool: &PgPool, person_id: i64, secret: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO second_factors (person_id, secret) VALUES ($1, $2)
         ON CONFLICT (person_id) DO UPDATE SET secret = EXCLUDED.secret, last_used_step = NULL
         WHERE second_factors.confirmed_at IS NULL",
        person_id,
        secret
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Confirms an enrolment with its first right code (at `step`) and stores the recovery codes' hashes.
pub async fn confirm(
    pool: &PgPool,
    actor: &Actor,
    person_id: i64,
    step: i64,
    recovery_hashes: &[Vec<u8>],
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let confirmed = sqlx::query!(
        "UPDATE second_factors SET confirmed_at = $3, last_used_step = $2
         WHERE person_id = $1 AND confirmed_at IS NULL",
        person_id,
        step,
        now as _
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !confirmed {
        return Ok(false);
    }
    sqlx::query!("DELETE FROM recovery_codes WHERE person_id = $1", person_id).execute(&mut *tx).await?;
    sqlx::query!(
        "INSERT INTO recovery_codes (person_id, code_hash) SELECT $1, h FROM unnest($2::bytea[]) AS h",
        person_id,
        recovery_hashes
    )
    .execute(&mut *tx)
    .await?;
    audit::record(&mut tx, actor, Change::of(AuditAction::SecondFactorEnrolled, AuditEntity::Account, person_id))
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Marks a right code's step used; false when that step (or a later one) was used already.
pub async fn use_step(pool: &PgPool, person_id: i64, step: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE second_factors SET last_used_step = $2
         WHERE person_id = $1 AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $2)",
        person_id,
        step
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Uses a recovery code once; false when it is not one of the account's unused codes.
pub async fn use_recovery_code(
    pool: &PgPool,
    actor: &Actor,
    person_id: i64,
    hash: &[u8],
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let used = sqlx::query_scalar!(
        "UPDATE recovery_codes SET used_at = $3 WHERE person_id = $1 AND code_hash = $2 AND used_at IS NULL
         RETURNING (SELECT count(*) FROM recovery_codes WHERE person_id = $1 AND used_at IS NULL) - 1",
        person_id,
        hash,
        now as _
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(left) = used else { return Ok(false) };
    let change =
        Change::of(AuditAction::RecoveryCodeUsed, AuditEntity::Account, person_id).after(json!({ "left": left }));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn unused_recovery_codes(pool: &PgPool, person_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM recovery_codes WHERE person_id = $1 AND used_at IS NULL"#,
        person_id
    )
    .fetch_one(pool)
    .await
}

/// An administrator removes a person's second factor and recovery codes (a lost phone); the
/// person enrols again at their next sign-in or on their profile.
pub async fn reset(pool: &PgPool, actor: &Actor, person_id: i64) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let removed = sqlx::query!("DELETE FROM second_factors WHERE person_id = $1", person_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    sqlx::query!("DELETE FROM recovery_codes WHERE person_id = $1", person_id).execute(&mut *tx).await?;
    if removed {
        audit::record(&mut tx, actor, Change::of(AuditAction::SecondFactorReset, AuditEntity::Account, person_id))
            .await?;
    }
    tx.commit().await?;
    Ok(removed)
}
