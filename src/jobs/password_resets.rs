//! The background half of "Glemt adgangskode?": for each recorded request, the active account of the
//! address (if any) gets a reset link, at most [`RESETS_PER_EMAIL`] an hour. The form spawns this step
//! right after recording a request, and the periodic jobs run it too, so a request recorded just before
//! a crash is still answered. Doing the lookup here keeps the form's answer the same, in time and
//! statements, for every address.

use anyhow::Context;
use chrono::Duration;

use crate::mail;
use crate::security::tokens;
use crate::state::AppState;
use crate::store::account_links::{self, NewLink, Purpose};
use crate::store::audit::Actor;
use crate::store::outbox::NewMail;
use crate::store::{accounts, password_resets, people};

const INVITATION_HOURS: i64 = 72;
const RESET_HOURS: i64 = 2;
/// Reset links per address an hour: enough for a typo, too few to flood an inbox.
pub const RESETS_PER_EMAIL: i64 = 3;

/// Issues a link for the person and queues its mail in the same transaction.
pub async fn send_link(
    state: &AppState,
    actor: &Actor,
    person: &people::Person,
    purpose: Purpose,
    requested_from: &str,
) -> anyhow::Result<()> {
    let secret = tokens::random_secret();
    let now = state.clock.now();
    let hours = if purpose == Purpose::Invitation { INVITATION_HOURS } else { RESET_HOURS };
    let expires_at = now + Duration::hours(hours);
    let link = format!("{}/adgangskode/{secret}", state.config.base_url());
    let message = mail::account_link(&person.name, purpose == Purpose::Invitation, &link, expires_at)?;
    let key = format!("account-link-{}", tokens::random_secret());
    let mail = NewMail {
        idempotency_key: &key,
        kind: "account",
        to_person_id: Some(person.id),
        to_address: &person.email,
        subject: &message.subject,
        body_text: &message.text,
        body_html: Some(&message.html),
        ics: None,
        queued_at: now,
    };
    let hash = tokens::sha256(&secret);
    let new = NewLink { person_id: person.id, purpose, secret_hash: &hash, requested_from, now, expires_at };
    account_links::issue(&state.db, actor, new, mail).await.context("issuing an account link")?;
    Ok(())
}

/// Processes every waiting request; returns how many links were issued. Each request is held under
/// `SKIP LOCKED` until its link is issued and it is marked done, so two runs never take the same one and
/// a crash in between leaves it waiting for the next run.
pub async fn run_once(state: &AppState) -> anyhow::Result<usize> {
    let mut issued = 0;
    loop {
        let mut tx = state.db.begin().await?;
        let Some(request) = password_resets::next_pending(&mut tx).await? else {
            tx.commit().await?;
            break;
        };
        // Held until this request is done, so parallel runs cannot both slip under the limit per address.
        password_resets::lock_address(&mut tx, &request.email).await?;
        let account = accounts::by_email(&state.db, &request.email).await?.filter(|a| a.active);
        if let Some(account) = account {
            let since = request.created_at - Duration::hours(1);
            let recent = account_links::recent_resets(&state.db, &request.email, since).await?;
            if recent < RESETS_PER_EMAIL
                && let Some(person) = people::get(&state.db, account.person_id).await?
            {
                let actor = Actor { person_id: None, label: "Glemt adgangskode".into(), request_id: None };
                send_link(state, &actor, &person, Purpose::Reset, &request.requested_from).await?;
                issued += 1;
            }
        }
        password_resets::processed(&mut tx, request.id, state.clock.now()).await?;
        tx.commit().await?;
    }
    Ok(issued)
}
