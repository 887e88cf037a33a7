//! GDPR: everything stored about a person, and the erasure of a person who has left.
//!
//! THE ONE PLACE that knows where personal data lives. When a table gains a column that holds a person's
//! data, extend it here:
//! - `EXPORT` (the SQL in `export`): one section per table that holds rows about or by the person;
//! - `OWNED_ROWS` (the deletes in `erase`): rows that exist only for the person and go entirely
//!   (account with its password hash and role, sign-in links, API tokens, calendar feeds, notification
//!   choices, login attempts and throttles, the addresses the account signed in from, "Glemt
//!   adgangskode?" requests, mail still waiting for them);
//! - `PERSON_FIELDS` (the `UPDATE people` in `erase`): the person's own fields, emptied or pseudonymised;
//! - `AUDIT_KEYS`: the keys of those fields in the audit log's before/after snapshots of the person.
//!
//! Rows that belong to the record (minutes, minutes comments, decisions, attendance, memberships, agenda
//! requests, chair comments, change requests, the audit log) stay and point at the person's row, which
//! now carries the neutral name. Free text anywhere in the database (minutes, mail bodies, audit labels,
//! tables added later) is scrubbed of the old name, address and phone number by the SQL function
//! `scrub_personal_text` (migration 0017), which walks every text and jsonb column itself.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::PgPool;

use super::Error;
use super::audit::{self, Actor, Change};
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::personal_data::{ErasureCase, may_erase, neutral_name, pseudonym_email};

/// AUDIT_KEYS: personal fields as they appear in the audit log's snapshots of a person.
const AUDIT_KEYS: &[&str] = &[
    "name",
    "email",
    "old_email",
    "new_email",
    "phone",
    "title",
    "competences",
    "education",
    "networks",
    "organisation_id",
    "organisation",
];

/// Everything stored about the person, as one JSON object of sections; `None` if there is no such person.
pub async fn export(pool: &PgPool, person_id: i64) -> sqlx::Result<Option<Value>> {
    let exists = sqlx::query_scalar!("SELECT id FROM people WHERE id = $1", person_id).fetch_optional(pool).await?;
    if exists.is_none() {
        return Ok(None);
    }
    let v = sqlx::query_scalar!(
        r#"SELECT jsonb_build_object(
  'person', (SELECT to_jsonb(t) FROM (
      SELECT p.id, p.name, p.title, p.email, p.phone, o.name AS organisation, pa.name AS party, p.management_level,
             p.competences, p.education, p.networks, p.created_at, p.updated_at, p.erased_at
      FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id LEFT JOIN parties pa ON pa.id = p.party_id
      WHERE p.id = $1) t),
  'account', (SELECT to_jsonb(t) FROM (
      SELECT role, active, password_changed_at, last_login_at, created_at FROM accounts WHERE person_id = $1) t),
  'memberships', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.starts_on), '[]') FROM (
      SELECT g.name AS "group", ms.role, pa.name AS party, ms.status, ms.nominated_on, ms.approved_on, ms.starts_on, ms.ends_on
      FROM memberships ms JOIN groups g ON g.id = ms.group_id LEFT JOIN parties pa ON pa.id = ms.party_id
      WHERE ms.person_id = $1) t),
  'attendance', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.meeting_starts_at), '[]') FROM (
      SELECT m.id AS meeting_id, g.name AS "group", m.starts_at AS meeting_starts_at, a.status, a.apology_at,
             a.apology_late, a.apology_note
      FROM attendance a JOIN memberships ms ON ms.id = a.membership_id JOIN meetings m ON m.id = a.meeting_id
      LEFT JOIN groups g ON g.id = m.group_id WHERE ms.person_id = $1) t),
  'onboarding', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.done_on), '[]') FROM (
      SELECT g.name AS "group", o.step, o.done_on FROM onboarding_steps o JOIN memberships ms ON ms.id = o.membership_id
      JOIN groups g ON g.id = ms.group_id WHERE ms.person_id = $1) t),
  'buyouts', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.starts_on), '[]') FROM (
      SELECT g.name AS "group", b.description, b.hours, b.starts_on, b.ends_on FROM buyout_agreements b
      LEFT JOIN groups g ON g.id = b.group_id WHERE b.person_id = $1) t),
  'agenda_requests', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.submitted_at), '[]') FROM (
      SELECT meeting_id, title, description, wanted_decision, submitted_at, late, status, decision_reason
      FROM agenda_item_requests WHERE requested_by = $1) t),
  'chair_comments', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.created_at), '[]') FROM (
      SELECT a.meeting_id, c.body, c.created_at FROM agenda_chair_comments c JOIN agendas a ON a.id = c.agenda_id
      WHERE c.author_id = $1) t),
  'minutes_comments', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.received_at), '[]') FROM (
      SELECT mi.meeting_id, c.body, c.received_at, c.late, c.incorporated_at FROM minutes_comments c
      JOIN minutes mi ON mi.id = c.minutes_id WHERE c.person_id = $1) t),
  'decisions', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.decided_on), '[]') FROM (
      SELECT meeting_id, text, decided_on FROM decisions WHERE responsible_id = $1) t),
  'agenda_items', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.meeting_id), '[]') FROM (
      SELECT a.meeting_id, i.title, i.is_decision FROM agenda_items i JOIN agendas a ON a.id = i.agenda_id
      WHERE i.responsible_id = $1) t),
  'actions', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.due_on), '[]') FROM (
      SELECT title, due_on, status, done_at FROM actions WHERE owner_id = $1) t),
  'change_requests', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.created_at), '[]') FROM (
      SELECT reference, title, status, created_at FROM change_requests WHERE submitted_by = $1) t),
  'documents', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.uploaded_at), '[]') FROM (
      SELECT filename, content_type, size_bytes, uploaded_at FROM documents WHERE uploaded_by = $1) t),
  'notification_settings', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.kind), '[]') FROM (
      SELECT kind, mode FROM notification_settings WHERE person_id = $1) t),
  'api_tokens', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.created_at), '[]') FROM (
      SELECT label, prefix, created_at, last_used_at, revoked_at FROM api_tokens WHERE person_id = $1) t),
  'calendar_feeds', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.created_at), '[]') FROM (
      SELECT created_at, revoked_at FROM calendar_feeds WHERE person_id = $1) t),
  'account_links', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.created_at), '[]') FROM (
      SELECT purpose, created_at, expires_at, used_at FROM account_links WHERE person_id = $1) t),
  'email_changes', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.created_at), '[]') FROM (
      SELECT old_email, new_email, created_at, confirmed_at, withdrawn_at FROM email_changes WHERE person_id = $1) t),
  'login_attempts', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.at), '[]') FROM (
      SELECT l.at, l.address, l.succeeded, l.throttled FROM login_attempts l JOIN people p ON lower(p.email) = lower(l.email)
      WHERE p.id = $1) t),
  'known_sign_in_addresses', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.last_success_at), '[]') FROM (
      SELECT k.address, k.last_success_at FROM login_known_addresses k JOIN people p ON lower(p.email) = k.email
      WHERE p.id = $1) t),
  'password_reset_requests', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.created_at), '[]') FROM (
      SELECT r.requested_from, r.created_at, r.processed_at FROM password_reset_requests r
      JOIN people p ON lower(p.email) = r.email WHERE p.id = $1) t),
  'mails', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.created_at), '[]') FROM (
      SELECT kind, subject, status, created_at, sent_at FROM outbox WHERE to_person_id = $1) t),
  'audit_log', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.at), '[]') FROM (
      SELECT at, action, entity, entity_id, (actor_id = $1) AS by_the_person FROM audit_log
      WHERE actor_id = $1 OR (entity IN ('person', 'account') AND entity_id = $1::text)) t)
) AS "export!""#,
        person_id
    )
    .fetch_one(pool)
    .await?;
    Ok(Some(v))
}

/// Erases a person who has left (checked by `domain::personal_data::may_erase`), in one transaction.
pub async fn erase(pool: &PgPool, actor: &Actor, person_id: i64, now: DateTime<Utc>) -> Result<(), Error> {
    let mut tx = pool.begin().await?;
    let person = sqlx::query!(
        r#"SELECT p.name, p.email, p.phone, p.erased_at AS "erased_at: DateTime<Utc>",
                  coalesce(a.role = 'admin' AND a.active, false) AS "is_admin!"
           FROM people p LEFT JOIN accounts a ON a.person_id = p.id WHERE p.id = $1 FOR UPDATE OF p"#,
        person_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    let other_admins = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM accounts WHERE role = 'admin' AND active AND person_id <> $1"#,
        person_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let current_groups = sqlx::query_scalar!(
        "SELECT g.name FROM memberships ms JOIN groups g ON g.id = ms.group_id
         WHERE ms.person_id = $1 AND ms.status IN ('active', 'nominated') ORDER BY g.name",
        person_id
    )
    .fetch_all(&mut *tx)
    .await?;
    may_erase(&ErasureCase {
        actor_id: actor.person_id,
        person_id,
        already_erased: person.erased_at.is_some(),
        is_active_admin: person.is_admin,
        other_admins,
        current_groups,
    })?;

    let neutral = neutral_name(person_id);
    let pseudonym = pseudonym_email(person_id);

    // OWNED_ROWS: rows that exist only for the person. The account goes with its password hash, so
    // every session of the person ends at its next request.
    sqlx::query!("DELETE FROM account_links WHERE person_id = $1", person_id).execute(&mut *tx).await?;
    sqlx::query!("DELETE FROM api_tokens WHERE person_id = $1", person_id).execute(&mut *tx).await?;
    sqlx::query!("DELETE FROM calendar_feeds WHERE person_id = $1", person_id).execute(&mut *tx).await?;
    sqlx::query!("DELETE FROM notification_settings WHERE person_id = $1", person_id).execute(&mut *tx).await?;
    sqlx::query!("DELETE FROM accounts WHERE person_id = $1", person_id).execute(&mut *tx).await?;
    // Sign-in records are keyed by the address as typed, so every address the person has had goes:
    // the current one and those of their changes of address.
    let addresses = sqlx::query_scalar!(
        r#"SELECT DISTINCT lower(e) AS "email!" FROM (
               SELECT $2::text AS e
               UNION ALL SELECT old_email FROM email_changes WHERE person_id = $1
               UNION ALL SELECT new_email FROM email_changes WHERE person_id = $1) a"#,
        person_id,
        person.email
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM email_changes WHERE person_id = $1", person_id).execute(&mut *tx).await?;
    sqlx::query!("DELETE FROM login_attempts WHERE lower(trim(email)) = ANY($1)", &addresses).execute(&mut *tx).await?;
    sqlx::query!("DELETE FROM login_throttle_accounts WHERE email = ANY($1)", &addresses).execute(&mut *tx).await?;
    sqlx::query!("DELETE FROM login_throttle_pairs WHERE email = ANY($1)", &addresses).execute(&mut *tx).await?;
    sqlx::query!("DELETE FROM login_known_addresses WHERE email = ANY($1)", &addresses).execute(&mut *tx).await?;
    sqlx::query!("DELETE FROM password_reset_requests WHERE lower(email) = ANY($1)", &addresses)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("DELETE FROM outbox WHERE to_person_id = $1 AND sent_at IS NULL", person_id).execute(&mut *tx).await?;
    sqlx::query!("UPDATE outbox SET to_address = $2 WHERE to_person_id = $1", person_id, pseudonym)
        .execute(&mut *tx)
        .await?;

    // PERSON_FIELDS: the row stays (the record points at it) under the neutral name.
    sqlx::query!(
        "UPDATE people SET name = $2, email = $3, phone = '', title = '', organisation_id = NULL,
                competences = '', education = '', networks = '', management_level = false,
                erased_at = $4, updated_at = $4
         WHERE id = $1",
        person_id,
        neutral,
        pseudonym,
        now as _
    )
    .execute(&mut *tx)
    .await?;

    // AUDIT_KEYS: the audit log's snapshots of the person keep no personal field.
    let keys: Vec<String> = AUDIT_KEYS.iter().map(|k| (*k).to_owned()).collect();
    sqlx::query!(
        "UPDATE audit_log SET before = before - $2::text[], after = after - $2::text[]
         WHERE entity IN ('person', 'account') AND entity_id = $1::text",
        person_id.to_string(),
        &keys
    )
    .execute(&mut *tx)
    .await?;

    // Free text everywhere. A name another person also bears is left in free text: it cannot be told
    // whose it is there.
    let name_shared = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM people WHERE id <> $1 AND lower(name) = lower($2)) AS "e!""#,
        person_id,
        person.name
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut scrubbed = 0;
    let mut replace = vec![(person.email.as_str(), pseudonym.as_str())];
    for address in addresses.iter().filter(|a| !a.eq_ignore_ascii_case(&person.email)) {
        replace.push((address.as_str(), pseudonym.as_str()));
    }
    if !name_shared {
        replace.push((person.name.as_str(), neutral.as_str()));
    }
    if !person.phone.trim().is_empty() {
        replace.push((person.phone.as_str(), "(slettet)"));
    }
    for (old, new) in replace {
        scrubbed +=
            sqlx::query_scalar!(r#"SELECT scrub_personal_text($1, $2) AS "n!""#, old, new).fetch_one(&mut *tx).await?;
    }

    let after =
        json!({ "erased_at": now, "shown_as": neutral, "texts_scrubbed": scrubbed, "name_shared": name_shared });
    audit::record(&mut tx, actor, Change::of(AuditAction::PersonErased, AuditEntity::Person, person_id).after(after))
        .await?;
    tx.commit().await?;
    Ok(())
}
