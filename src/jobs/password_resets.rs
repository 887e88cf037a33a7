//! The background half of "Glemt adgangskode?": for each recorded request, the active account of the
//! address (if any) gets a reset link, at most [`RESETS_PER_EMAIL`] an hour. The form spawns this step
//! right after recording a request, and the periodic jobs run it too, so a request recorded just before
//! a crash is still answered. Doing the lookup here keeps the form's answer the same, in time and
//! statements, for every address.

use anyhow::Context;
use chrono::Duration;

use crate::app;
use crate::state::AppState;
use crate::store::account_links::{self, Purpose};
use crate::store::audit::Actor;
use crate::store::{accounts, password_resets, people};

/// Reset links per address an hour: enough for a typo, too few to flood an inbox.
pub const RESETS_PER_EMAIL: i64 = 3;

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
                app::accounts::send_password_link(state, &actor, &person, Purpose::Reset, &request.requested_from)
                    .await
                    .context("issuing a reset link")?;
                issued += 1;
            }
        }
        password_resets::processed(&mut tx, request.id, state.clock.now()).await?;
        tx.commit().await?;
    }
    Ok(issued)
}
