//! Accounts: the people who can sign in, with their global role.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::account_row::Account;
use super::audit::{self, Actor, Change};
use super::{api_tokens, calendar, login_attempts};
use crate::domain::access::{GlobalRole, GroupRole};
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::refusal::Refusal;

pub async fn by_email(pool: &PgPool, email: &str) -> sqlx::Result<Option<Account>> {
    let row = sqlx::query_as!(
        Account,
        r#"SELECT a.person_id, p.name, p.email, a.role AS "role: GlobalRole", a.active, a.password_hash, a.password_changed_at AS "password_changed_at: DateTime<Utc>", a.break_glass,
                  (SELECT ms.role FROM memberships ms WHERE ms.person_id = a.person_id AND ms.status = 'active'
                   ORDER BY array_position(ARRAY['chair', 'secretariat', 'member', 'substitute', 'coordinator', 'vendor'], ms.role)
                   LIMIT 1) AS "group_role: GroupRole"
         FROM accounts a JOIN people p ON p.id = a.person_id
         WHERE lower(p.email) = lower($1)"#,
        email
    )
    .fetch_optional(pool)
    .await?;
    Ok(row)
}

pub async fn by_id(pool: &PgPool, person_id: i64) -> sqlx::Result<Option<Account>> {
    let row = sqlx::query_as!(
        Account,
        r#"SELECT a.person_id, p.name, p.email, a.role AS "role: GlobalRole", a.active, a.password_hash, a.password_changed_at AS "password_changed_at: DateTime<Utc>", a.break_glass,
                  (SELECT ms.role FROM memberships ms WHERE ms.person_id = a.person_id AND ms.status = 'active'
                   ORDER BY array_position(ARRAY['chair', 'secretariat', 'member', 'substitute', 'coordinator', 'vendor'], ms.role)
                   LIMIT 1) AS "group_role: GroupRole"
         FROM accounts a JOIN people p ON p.id = a.person_id
         WHERE a.person_id = $1"#,
        person_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row)
}

pub async fn record_logout(pool: &PgPool, actor: &Actor) -> sqlx::Result<()> {
    let mut conn = pool.acquire().await?;
    audit::record(&mut conn, actor, Change::of(AuditAction::Logout, AuditEntity::Account, actor.person_id)).await
}

/// Sets a new password hash; the new `password_changed_at` ends every other session of the account, and
/// the account's sign-in lock and delays are lifted.
/// With `revoke_credentials`, every API token and calendar feed of the person stops working in the same
/// transaction.
pub async fn set_password(
    pool: &PgPool,
    actor: &Actor,
    person_id: i64,
    new_hash: &str,
    revoke_credentials: bool,
) -> sqlx::Result<DateTime<Utc>> {
    let mut tx = pool.begin().await?;
    let changed_at = sqlx::query_scalar!(
        r#"UPDATE accounts SET password_hash = $2, password_changed_at = clock_timestamp()
         WHERE person_id = $1 RETURNING password_changed_at AS "changed_at: DateTime<Utc>""#,
        person_id,
        new_hash
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(&mut tx, actor, Change::of(AuditAction::PasswordChanged, AuditEntity::Account, person_id)).await?;
    login_attempts::reset_account(&mut tx, person_id).await?;
    if revoke_credentials {
        let tokens = api_tokens::revoke_all(&mut tx, person_id).await?;
        let feeds = calendar::revoke_all_feeds(&mut tx, person_id).await?;
        let revoked = json!({ "api_tokens": tokens, "calendar_feeds": feeds });
        audit::record(
            &mut tx,
            actor,
            Change::of(AuditAction::CredentialsRevoked, AuditEntity::Account, person_id).after(revoked),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed_at)
}

/// The active administrators besides `person_id`: an installation keeps at least one.
pub async fn other_active_admins(conn: &mut PgConnection, person_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM accounts WHERE role = 'admin' AND active AND person_id <> $1"#,
        person_id
    )
    .fetch_one(conn)
    .await
}

/// Gives the account the global role `role`. `rule` is asked under a lock that serialises role changes,
/// with the account's role and whether it has a password, and the number of other active
/// administrators, so two administrators demoting each other at once cannot leave none.
pub async fn set_role(
    pool: &PgPool,
    actor: &Actor,
    person_id: i64,
    role: GlobalRole,
    rule: impl FnOnce(GlobalRole, bool, i64) -> Result<(), Refusal>,
) -> super::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtext('account-roles'))").execute(&mut *tx).await?;
    let current = sqlx::query!(
        r#"SELECT role AS "role: GlobalRole", password_hash NOT LIKE '!%' AS "has_password!" FROM accounts WHERE person_id = $1"#,
        person_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(super::Error::NotFound)?;
    let others = other_active_admins(&mut tx, person_id).await?;
    rule(current.role, current.has_password, others)?;
    sqlx::query!("UPDATE accounts SET role = $2 WHERE person_id = $1", person_id, role as _).execute(&mut *tx).await?;
    let change = Change::of(AuditAction::AccountRoleChanged, AuditEntity::Account, person_id)
        .before(json!({ "role": current.role }))
        .after(json!({ "role": role }));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(())
}

pub struct NewAccount<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: GlobalRole,
    pub password_hash: &'a str,
}

/// Creates the person if the email is new, and gives them an account (or replaces its password and role,
/// reactivates it and lifts its sign-in lock: the operator's password reset).
pub async fn upsert(pool: &PgPool, actor: &Actor, new: NewAccount<'_>) -> sqlx::Result<i64> {
    let mut tx = pool.begin().await?;
    let existing = sqlx::query_scalar!("SELECT id FROM people WHERE lower(email) = lower($1)", new.email)
        .fetch_optional(&mut *tx)
        .await?;
    let person_id = match existing {
        Some(id) => id,
        None => {
            sqlx::query_scalar!("INSERT INTO people (name, email) VALUES ($1, $2) RETURNING id", new.name, new.email)
                .fetch_one(&mut *tx)
                .await?
        }
    };
    sqlx::query!(
        "INSERT INTO accounts (person_id, password_hash, role) VALUES ($1, $2, $3)
         ON CONFLICT (person_id) DO UPDATE
         SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role, password_changed_at = clock_timestamp(), active = true",
        person_id,
        new.password_hash,
        new.role as _
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::AccountCreated, AuditEntity::Account, person_id)
            .after(json!({ "email": new.email, "name": new.name, "role": new.role })),
    )
    .await?;
    login_attempts::reset_account(&mut tx, person_id).await?;
    tx.commit().await?;
    Ok(person_id)
}

#[derive(Debug, Clone)]
pub struct AccountSummary {
    pub person_id: i64,
    pub name: String,
    pub email: String,
    pub role: GlobalRole,
    pub active: bool,
    pub last_login_at: Option<DateTime<Utc>>,
}

pub async fn list(pool: &PgPool) -> sqlx::Result<Vec<AccountSummary>> {
    sqlx::query_as!(
        AccountSummary,
        r#"SELECT a.person_id, p.name, p.email, a.role AS "role: GlobalRole", a.active, a.last_login_at AS "last_login_at: DateTime<Utc>"
         FROM accounts a JOIN people p ON p.id = a.person_id ORDER BY p.name"#
    )
    .fetch_all(pool)
    .await
}

/// Closes or reopens an account. A closed account's sessions stop working at their next use, since each
/// checks `active`; its API tokens and calendar feeds are revoked, so reopening does not revive them.
pub async fn set_active(pool: &PgPool, actor: &Actor, person_id: i64, active: bool) -> super::Result<()> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query!("UPDATE accounts SET active = $2 WHERE person_id = $1", person_id, active)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(super::Error::NotFound);
    }
    let action = if active { AuditAction::AccountReopened } else { AuditAction::AccountClosed };
    let mut after = json!({ "active": active });
    if !active {
        // Closing revokes for good: a reopened account starts without the old tokens and feeds.
        after["api_tokens_revoked"] = json!(api_tokens::revoke_all(&mut tx, person_id).await?);
        after["calendar_feeds_revoked"] = json!(calendar::revoke_all_feeds(&mut tx, person_id).await?);
    }
    audit::record(&mut tx, actor, Change::of(action, AuditEntity::Account, person_id).after(after)).await?;
    tx.commit().await?;
    Ok(())
}
