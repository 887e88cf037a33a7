//! Single-use links to choose a password: invitations and resets. A new link replaces the
//! person's earlier unused ones; using a link sets the password, ends the person's other sessions (the
//! password stamp changes) and is recorded, all in one transaction.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::audit::{self, Actor, Change};
use super::login_attempts;
use super::outbox::{self, NewMail};
use crate::domain::access::GlobalRole;
use crate::domain::audit_codes::{AuditAction, AuditEntity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum Purpose {
    Invitation,
    Reset,
}

pub struct NewLink<'a> {
    pub person_id: i64,
    pub purpose: Purpose,
    /// With an invitation: the global role the account gets (an account that has no password yet
    /// takes it too).
    pub role: GlobalRole,
    pub secret_hash: &'a [u8],
    pub requested_from: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Issues a link and queues its mail in the same transaction. An invitation gives the person an account
/// (role `user`) whose password nobody knows until the link is used.
pub async fn issue(pool: &PgPool, actor: &Actor, link: NewLink<'_>, mail: NewMail<'_>) -> super::Result<()> {
    let mut tx = pool.begin().await?;
    issue_in(&mut tx, actor, link, mail).await?;
    tx.commit().await?;
    Ok(())
}

/// [`issue`] inside the caller's transaction.
pub(super) async fn issue_in(
    conn: &mut PgConnection,
    actor: &Actor,
    link: NewLink<'_>,
    mail: NewMail<'_>,
) -> super::Result<()> {
    if link.purpose == Purpose::Invitation {
        sqlx::query!(
            "INSERT INTO accounts (person_id, password_hash, role) VALUES ($1, '!unusable', $2)
             ON CONFLICT (person_id) DO UPDATE SET role = EXCLUDED.role WHERE accounts.password_hash LIKE '!%'",
            link.person_id,
            link.role as _
        )
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query!(
        "UPDATE account_links SET used_at = $2 WHERE person_id = $1 AND used_at IS NULL",
        link.person_id,
        link.now as _
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO account_links (person_id, purpose, secret_hash, requested_from, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        link.person_id,
        link.purpose as _,
        link.secret_hash,
        link.requested_from,
        link.now as _,
        link.expires_at as _
    )
    .execute(&mut *conn)
    .await?;
    outbox::enqueue(conn, mail).await?;
    let action = match link.purpose {
        Purpose::Invitation => AuditAction::AccountInvited,
        Purpose::Reset => AuditAction::PasswordResetRequested,
    };
    let change = Change::of(action, AuditEntity::Account, link.person_id).after(
        json!({ "expires_at": link.expires_at, "role": (link.purpose == Purpose::Invitation).then_some(link.role) }),
    );
    audit::record(conn, actor, change).await?;
    Ok(())
}

/// What a link is worth right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    Valid { person_id: i64, email: String, purpose: Purpose },
    Used,
    Expired,
    Unknown,
}

pub async fn state(pool: &PgPool, secret_hash: &[u8], now: DateTime<Utc>) -> sqlx::Result<LinkState> {
    let row = sqlx::query!(
        r#"SELECT l.person_id, p.email, l.purpose AS "purpose: Purpose", l.used_at AS "used_at: DateTime<Utc>",
                  l.expires_at AS "expires_at: DateTime<Utc>", coalesce(a.active, false) AS "active!"
           FROM account_links l JOIN people p ON p.id = l.person_id LEFT JOIN accounts a ON a.person_id = l.person_id
           WHERE l.secret_hash = $1"#,
        secret_hash
    )
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        None => LinkState::Unknown,
        Some(r) if r.used_at.is_some() || !r.active => LinkState::Used,
        Some(r) if r.expires_at <= now => LinkState::Expired,
        Some(r) => LinkState::Valid { person_id: r.person_id, email: r.email, purpose: r.purpose },
    })
}

/// Uses a valid link: sets the password, spends the link, lifts the sign-in throttle's counts for the
/// account and makes `address` (where the link was used) known to it, so the owner signs in from there
/// whatever failed elsewhere. `NotFound` when it was used, expired or unknown by the time the
/// transaction holds it (two tabs submitting at once: one wins).
pub async fn redeem(
    pool: &PgPool,
    secret_hash: &[u8],
    new_hash: &str,
    address: &str,
    now: DateTime<Utc>,
) -> super::Result<i64> {
    let mut tx = pool.begin().await?;
    let person_id = sqlx::query_scalar!(
        "UPDATE account_links SET used_at = $2
         WHERE secret_hash = $1 AND used_at IS NULL AND expires_at > $2
         RETURNING person_id",
        secret_hash,
        now as _
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(super::Error::NotFound)?;
    sqlx::query!(
        "UPDATE accounts SET password_hash = $2, password_changed_at = clock_timestamp() WHERE person_id = $1 AND active",
        person_id,
        new_hash
    )
    .execute(&mut *tx)
    .await?;
    login_attempts::reset_account(&mut tx, person_id).await?;
    login_attempts::remember_address(&mut tx, person_id, address, now).await?;
    let actor = Actor { person_id: Some(person_id), label: "link".into(), request_id: None };
    audit::record(&mut tx, &actor, Change::of(AuditAction::PasswordSetByLink, AuditEntity::Account, person_id)).await?;
    tx.commit().await?;
    Ok(person_id)
}

/// How many reset links were issued for an address since `since`: the per-address limit of the reset step.
pub async fn recent_resets(pool: &PgPool, email: &str, since: DateTime<Utc>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM account_links l JOIN people p ON p.id = l.person_id
           WHERE l.purpose = 'reset' AND lower(p.email) = lower($1) AND l.created_at > $2"#,
        email,
        since as _
    )
    .fetch_one(pool)
    .await
}
