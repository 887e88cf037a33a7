//! Deletes expired sessions and old sign-in attempts. Safe on several instances at once: each run
//! is an idempotent DELETE.

use std::time::Duration;

use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use tower_sessions::session_store::ExpiredDeletion;

use crate::store::login_attempts;
use crate::store::sessions::Sessions;

pub async fn run(pool: PgPool, sessions: Sessions, every: Duration, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Err(err) = run_once(&pool, &sessions).await {
                    tracing::warn!(error = %err, "housekeeping failed");
                }
            }
            _ = shutdown.cancelled() => break,
        }
    }
}

pub async fn run_once(pool: &PgPool, sessions: &Sessions) -> anyhow::Result<()> {
    sessions.delete_expired().await?;
    login_attempts::prune(pool).await?;
    Ok(())
}
