//! Personal API tokens: stored as SHA-256, shown once, revocable, last use recorded.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::audit::{self, Actor, Change};
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::ids::{PersonId, TokenId};
use crate::security::tokens;

#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub id: i64,
    pub label: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Creates a token for the person and returns the secret, which is never stored.
pub async fn create(pool: &PgPool, actor: &Actor, person_id: i64, label: &str) -> sqlx::Result<String> {
    let secret = tokens::new_api_token();
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO api_tokens (person_id, label, token_hash, prefix) VALUES ($1, $2, $3, $4) RETURNING id",
        person_id,
        label,
        tokens::sha256(&secret),
        tokens::display_prefix(&secret)
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::ApiTokenCreated, AuditEntity::ApiToken, id)
            .after(json!({ "person_id": person_id, "label": label })),
    )
    .await?;
    tx.commit().await?;
    Ok(secret)
}

pub async fn list_for(pool: &PgPool, person_id: i64) -> sqlx::Result<Vec<TokenInfo>> {
    sqlx::query_as!(
        TokenInfo,
        r#"SELECT id, label, prefix, created_at AS "created_at: DateTime<Utc>", last_used_at AS "last_used_at: DateTime<Utc>", revoked_at AS "revoked_at: DateTime<Utc>" FROM api_tokens WHERE person_id = $1 ORDER BY id DESC"#,
        person_id
    )
    .fetch_all(pool)
    .await
}

/// Revokes one of the person's own tokens; false when there is no such live token of theirs.
pub async fn revoke(pool: &PgPool, actor: &Actor, person_id: PersonId, token_id: TokenId) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query!(
        "UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND person_id = $2 AND revoked_at IS NULL",
        token_id.0,
        person_id.0
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(&mut tx, actor, Change::of(AuditAction::ApiTokenRevoked, AuditEntity::ApiToken, token_id)).await?;
    tx.commit().await?;
    Ok(true)
}

/// Revokes every live token of the person (inside the caller's transaction); returns how many.
pub async fn revoke_all(conn: &mut PgConnection, person_id: i64) -> sqlx::Result<u64> {
    let done =
        sqlx::query!("UPDATE api_tokens SET revoked_at = now() WHERE person_id = $1 AND revoked_at IS NULL", person_id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected())
}

/// The person a live token belongs to (with an active account), recording its use.
pub async fn authenticate(pool: &PgPool, secret: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "UPDATE api_tokens t SET last_used_at = now()
         FROM accounts a
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.person_id = t.person_id AND a.active
         RETURNING t.person_id",
        tokens::sha256(secret)
    )
    .fetch_optional(pool)
    .await
}
