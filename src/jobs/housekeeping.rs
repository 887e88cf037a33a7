//! Deletes expired sessions, old sign-in attempts and old reset requests, and answers reset requests
//! left waiting (by a crash between recording and processing, or an installation without a mail
//! sender). Safe on several instances at once: each run is an idempotent DELETE, and the reset step
//! claims its requests with `SKIP LOCKED`.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tower_sessions::session_store::ExpiredDeletion;

use super::password_resets;
use crate::state::AppState;
use crate::store::sessions::Sessions;
use crate::store::{login_attempts, password_resets as reset_requests};

pub async fn run(state: AppState, sessions: Sessions, every: Duration, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Err(err) = run_once(&state, &sessions).await {
                    tracing::warn!(error = %err, "housekeeping failed");
                }
            }
            _ = shutdown.cancelled() => break,
        }
    }
}

pub async fn run_once(state: &AppState, sessions: &Sessions) -> anyhow::Result<()> {
    sessions.delete_expired().await?;
    login_attempts::prune(&state.db).await?;
    password_resets::run_once(state).await?;
    reset_requests::prune(&state.db).await?;
    Ok(())
}
