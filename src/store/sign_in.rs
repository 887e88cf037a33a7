//! Sign-in beyond the password: accounts bound to the organisation's identity provider (issuer and
//! subject), the installation's password setting and its break-glass administrators.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use super::audit::{self, Actor, Change};
use crate::domain::audit_codes::{AuditAction, AuditEntity};

/// The account bound to this identity at the provider, if any.
pub async fn person_of_identity(pool: &PgPool, issuer: &str, subject: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!("SELECT person_id FROM accounts WHERE oidc_issuer = $1 AND oidc_subject = $2", issuer, subject)
        .fetch_optional(pool)
        .await
}

/// Binds an account without an identity to this one (its first sign-in through the provider);
/// false when the account is bound already.
pub async fn bind_identity(
    pool: &PgPool,
    actor: &Actor,
    person_id: i64,
    issuer: &str,
    subject: &str,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let bound = sqlx::query!(
        "UPDATE accounts SET oidc_issuer = $2, oidc_subject = $3 WHERE person_id = $1 AND oidc_subject IS NULL",
        person_id,
        issuer,
        subject
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if bound {
        let change = Change::of(AuditAction::OidcIdentityBound, AuditEntity::Account, person_id)
            .after(json!({ "issuer": issuer }));
        audit::record(&mut tx, actor, change).await?;
    }
    tx.commit().await?;
    Ok(bound)
}

/// A returning person's sign-in through the provider, in one statement: the active account bound to
/// this identity, its last login and the audit line. `None` when no active account is bound to it.
pub async fn login_by_identity(
    pool: &PgPool,
    issuer: &str,
    subject: &str,
    request_id: Option<&str>,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        r#"WITH account AS (SELECT a.person_id, p.name FROM accounts a JOIN people p ON p.id = a.person_id
                            WHERE a.oidc_issuer = $1 AND a.oidc_subject = $2 AND a.active),
                login AS (UPDATE accounts SET last_login_at = $4 WHERE person_id IN (SELECT person_id FROM account))
           INSERT INTO audit_log (actor_id, actor_label, action, entity, entity_id, after, request_id)
           SELECT person_id, name, 'login', 'account', person_id::text, '{"method": "oidc"}', $3 FROM account
           RETURNING actor_id AS "person_id!""#,
        issuer,
        subject,
        request_id,
        now as _
    )
    .fetch_optional(pool)
    .await
}

/// A first sign-in through the provider, once the identity is bound: the last login and the audit line.
pub async fn record_login(pool: &PgPool, actor: &Actor, person_id: i64, now: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query!(
        "WITH login AS (UPDATE accounts SET last_login_at = $4 WHERE person_id = $1)
         INSERT INTO audit_log (actor_id, actor_label, action, entity, entity_id, after, request_id)
         VALUES ($1, $2, 'login', 'account', $1::bigint::text, '{\"method\": \"oidc\"}', $3)",
        person_id,
        actor.label,
        actor.request_id,
        now as _
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// A sign-in through the provider that was refused, with the reason, for the administrators to read.
pub async fn record_refusal(pool: &PgPool, actor: &Actor, reason: &str) -> sqlx::Result<()> {
    let mut conn = pool.acquire().await?;
    let change = Change::of(AuditAction::OidcLoginRefused, AuditEntity::Account, actor.person_id)
        .after(json!({ "reason": reason }));
    audit::record(&mut conn, actor, change).await
}

/// Whether password sign-in is on for everyone.
pub async fn password_sign_in(pool: &PgPool) -> sqlx::Result<bool> {
    sqlx::query_scalar!("SELECT password_sign_in FROM sign_in_settings").fetch_one(pool).await
}

pub async fn set_password_sign_in(pool: &PgPool, actor: &Actor, on: bool) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query!("UPDATE sign_in_settings SET password_sign_in = $1, updated_at = now()", on).execute(&mut *tx).await?;
    let change =
        Change::of(AuditAction::PasswordSignInSet, AuditEntity::SignInSettings, None).after(json!({ "on": on }));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await
}

/// Names or un-names an administrator as break-glass; false when the person is no active administrator.
pub async fn set_break_glass(pool: &PgPool, actor: &Actor, person_id: i64, on: bool) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query!(
        "UPDATE accounts SET break_glass = $2 WHERE person_id = $1 AND (NOT $2 OR (role = 'admin' AND active))",
        person_id,
        on
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if done {
        audit::record(
            &mut tx,
            actor,
            Change::of(AuditAction::BreakGlassSet, AuditEntity::Account, person_id).after(json!({ "on": on })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done)
}

/// The administrators, with whether each is break-glass: (person id, name, break-glass).
pub async fn administrators(pool: &PgPool) -> sqlx::Result<Vec<(i64, String, bool)>> {
    let rows = sqlx::query!(
        "SELECT a.person_id, p.name, a.break_glass FROM accounts a JOIN people p ON p.id = a.person_id
         WHERE a.role = 'admin' AND a.active ORDER BY p.name"
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.person_id, r.name, r.break_glass)).collect())
}

/// Whether administrators and the secretariat must use a second factor with their password.
pub async fn second_factor_for_staff(pool: &PgPool) -> sqlx::Result<bool> {
    sqlx::query_scalar!("SELECT second_factor_for_staff FROM sign_in_settings").fetch_one(pool).await
}

pub async fn set_second_factor_for_staff(pool: &PgPool, actor: &Actor, on: bool) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query!("UPDATE sign_in_settings SET second_factor_for_staff = $1, updated_at = now()", on)
        .execute(&mut *tx)
        .await?;
    let change =
        Change::of(AuditAction::SecondFactorForStaffSet, AuditEntity::SignInSettings, None).after(json!({ "on": on }));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await
}
