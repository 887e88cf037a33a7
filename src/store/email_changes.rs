//! Changes of a sign-in address: requested together with the person's other fields, confirmed by the new
//! address, and open to objection from the old one (migration 0025). Each step is one transaction with
//! its audit line and its mails.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use super::account_links::{self, NewLink};
use super::audit::{self, Actor, Change};
use super::outbox::{self, NewMail};
use super::people::{self, PersonInput};
use super::{api_tokens, calendar};
use crate::domain::audit_codes::{AuditAction, AuditEntity};

pub struct NewEmailChange<'a> {
    pub person_id: i64,
    pub old_email: &'a str,
    pub new_email: &'a str,
    pub confirm_hash: &'a [u8],
    pub objection_hash: &'a [u8],
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub objection_until: DateTime<Utc>,
}

/// Saves the person's other fields (`input` keeps the old address) and records the waiting change of
/// address, with the confirmation mail to the new address and the notice to the old one. A newer request
/// replaces a waiting one. `Taken` when another person has the new address.
pub async fn request(
    pool: &PgPool,
    actor: &Actor,
    input: &PersonInput,
    change: NewEmailChange<'_>,
    mails: [NewMail<'_>; 2],
) -> super::Result<()> {
    let mut tx = pool.begin().await?;
    let taken = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM people WHERE lower(email) = lower($1) AND id <> $2) AS "taken!""#,
        change.new_email,
        change.person_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if taken {
        return Err(super::Error::Taken("email"));
    }
    if !people::update_in(&mut tx, actor, change.person_id, input).await? {
        return Err(super::Error::NotFound);
    }
    sqlx::query!(
        "UPDATE email_changes SET withdrawn_at = $2 WHERE person_id = $1 AND confirmed_at IS NULL AND withdrawn_at IS NULL",
        change.person_id,
        change.now as _
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO email_changes (person_id, old_email, new_email, confirm_hash, objection_hash, requested_by,
                                    created_at, expires_at, objection_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        change.person_id,
        change.old_email,
        change.new_email,
        change.confirm_hash,
        change.objection_hash,
        actor.person_id,
        change.now as _,
        change.expires_at as _,
        change.objection_until as _
    )
    .execute(&mut *tx)
    .await?;
    for mail in mails {
        outbox::enqueue(&mut tx, mail).await?;
    }
    let after =
        json!({ "old_email": change.old_email, "new_email": change.new_email, "expires_at": change.expires_at });
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::EmailChangeRequested, AuditEntity::Person, change.person_id).after(after),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The change a link belongs to, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub person_id: i64,
    pub name: String,
    pub old_email: String,
    pub new_email: String,
    pub confirmed: bool,
}

/// What a confirmation or objection link is worth right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    Valid(Pending),
    Spent,
    Expired,
    Unknown,
}

/// Which of a change's two links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Valid while the change waits and has not expired.
    Confirmation,
    /// Valid until the objection window closes, unless used.
    Objection,
}

/// What a link is worth right now.
pub async fn link_state(pool: &PgPool, link: Link, hash: &[u8], now: DateTime<Utc>) -> sqlx::Result<LinkState> {
    let objection = link == Link::Objection;
    let row = sqlx::query!(
        r#"SELECT c.person_id, p.name, c.old_email, c.new_email, c.confirmed_at IS NOT NULL AS "confirmed!",
                  c.withdrawn_at IS NOT NULL AS "withdrawn!", c.expires_at AS "expires_at: DateTime<Utc>",
                  c.objection_until AS "objection_until: DateTime<Utc>"
           FROM email_changes c JOIN people p ON p.id = c.person_id
           WHERE ($2 AND c.objection_hash = $1) OR (NOT $2 AND c.confirm_hash = $1)"#,
        hash,
        objection
    )
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else {
        return Ok(LinkState::Unknown);
    };
    let (spent, until) =
        if objection { (r.withdrawn, r.objection_until) } else { (r.confirmed || r.withdrawn, r.expires_at) };
    Ok(if spent {
        LinkState::Spent
    } else if until <= now {
        LinkState::Expired
    } else {
        LinkState::Valid(Pending {
            person_id: r.person_id,
            name: r.name,
            old_email: r.old_email,
            new_email: r.new_email,
            confirmed: r.confirmed,
        })
    })
}

/// The new address confirms: from now on the person signs in with it. Links to set a password that went
/// to the old address stop working. `NotFound` when the link is no longer valid (used, withdrawn,
/// expired, or the address was changed otherwise meanwhile); `Taken` when someone else got the address.
pub async fn confirm(pool: &PgPool, hash: &[u8], now: DateTime<Utc>) -> super::Result<Pending> {
    let mut tx = pool.begin().await?;
    let change = sqlx::query!(
        "UPDATE email_changes SET confirmed_at = $2
         WHERE confirm_hash = $1 AND confirmed_at IS NULL AND withdrawn_at IS NULL AND expires_at > $2
         RETURNING person_id, old_email, new_email",
        hash,
        now as _
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(super::Error::NotFound)?;
    let name = sqlx::query_scalar!(
        "UPDATE people SET email = $3, updated_at = $4 WHERE id = $1 AND lower(email) = lower($2) RETURNING name",
        change.person_id,
        change.old_email,
        change.new_email,
        now as _
    )
    .fetch_optional(&mut *tx)
    .await
    .map_err(address_taken)?
    .ok_or(super::Error::NotFound)?;
    sqlx::query!(
        "UPDATE account_links SET used_at = $2 WHERE person_id = $1 AND used_at IS NULL",
        change.person_id,
        now as _
    )
    .execute(&mut *tx)
    .await?;
    let actor = Actor { person_id: Some(change.person_id), label: "bekræftelseslink".into(), request_id: None };
    let after = json!({ "old_email": change.old_email, "new_email": change.new_email });
    audit::record(
        &mut tx,
        &actor,
        Change::of(AuditAction::EmailChanged, AuditEntity::Person, change.person_id).after(after),
    )
    .await?;
    tx.commit().await?;
    Ok(Pending {
        person_id: change.person_id,
        name,
        old_email: change.old_email,
        new_email: change.new_email,
        confirmed: true,
    })
}

/// Another person holds the address meanwhile (the unique index on people's addresses said so).
fn address_taken(e: sqlx::Error) -> super::Error {
    match e.as_database_error().and_then(|d| d.constraint()) {
        Some("people_email_unique") => super::Error::Taken("email"),
        _ => super::Error::Db(e),
    }
}

/// What an objection did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objection {
    /// The change was still waiting; it will not happen.
    Stopped,
    /// The change had taken effect; the old address is back, every session, API token and calendar feed
    /// of the account has ended, the password no longer works, and a link to choose a new one went to the
    /// old address.
    Undone,
}

/// The old address objects. When the change had taken effect, `reset` (a link to choose a new password,
/// addressed to the old address) is issued in the same transaction.
pub async fn object(
    pool: &PgPool,
    hash: &[u8],
    now: DateTime<Utc>,
    reset: (NewLink<'_>, NewMail<'_>),
) -> super::Result<Objection> {
    let mut tx = pool.begin().await?;
    let change = sqlx::query!(
        r#"UPDATE email_changes SET withdrawn_at = $2
           WHERE objection_hash = $1 AND withdrawn_at IS NULL AND objection_until > $2
           RETURNING person_id, old_email, new_email, confirmed_at IS NOT NULL AS "confirmed!""#,
        hash,
        now as _
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(super::Error::NotFound)?;
    let actor = Actor { person_id: Some(change.person_id), label: "indsigelseslink".into(), request_id: None };
    let detail = json!({ "old_email": change.old_email, "new_email": change.new_email });
    if !change.confirmed {
        audit::record(
            &mut tx,
            &actor,
            Change::of(AuditAction::EmailChangeStopped, AuditEntity::Person, change.person_id).after(detail),
        )
        .await?;
        tx.commit().await?;
        return Ok(Objection::Stopped);
    }
    sqlx::query!(
        "UPDATE people SET email = $2, updated_at = $3 WHERE id = $1",
        change.person_id,
        change.old_email,
        now as _
    )
    .execute(&mut *tx)
    .await
    .map_err(address_taken)?;
    sqlx::query!(
        "UPDATE accounts SET password_hash = '!unusable', password_changed_at = clock_timestamp() WHERE person_id = $1",
        change.person_id
    )
    .execute(&mut *tx)
    .await?;
    api_tokens::revoke_all(&mut tx, change.person_id).await?;
    calendar::revoke_all_feeds(&mut tx, change.person_id).await?;
    audit::record(
        &mut tx,
        &actor,
        Change::of(AuditAction::EmailChangeUndone, AuditEntity::Person, change.person_id).after(detail),
    )
    .await?;
    let (link, mail) = reset;
    account_links::issue_in(&mut tx, &actor, link, mail).await?;
    tx.commit().await?;
    Ok(Objection::Undone)
}

/// The change waiting for the person's new address to confirm it, if any: the person page shows it.
pub async fn waiting(pool: &PgPool, person_id: i64, now: DateTime<Utc>) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        "SELECT new_email FROM email_changes
         WHERE person_id = $1 AND confirmed_at IS NULL AND withdrawn_at IS NULL AND expires_at > $2",
        person_id,
        now as _
    )
    .fetch_optional(pool)
    .await
}
