//! The nightly backup (BACKUP_DIR, BACKUP_AT, BACKUP_KEEP): once a day after BACKUP_AT, Copenhagen
//! time, one instance (an advisory lock) writes a backup with `ops::backup`, keeps the newest
//! BACKUP_KEEP, and records how it went; a failure mails the administrators once.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, NaiveTime, Utc};
use tokio_util::sync::CancellationToken;

use crate::domain::calendar::local_date;
use crate::ops::backup;
use crate::state::AppState;
use crate::store::backups;
use crate::time_zone::TZ;

pub struct Schedule {
    pub dir: PathBuf,
    pub at: NaiveTime,
    pub keep: usize,
}

pub async fn run(state: AppState, schedule: Schedule, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Err(err) = run_once(&state, &schedule).await {
                    tracing::warn!(error = %format!("{err:#}"), "nightly backup: could not record the run");
                }
            }
            _ = shutdown.cancelled() => break,
        }
    }
}

/// Today's backup time in UTC.
fn todays_slot(now: DateTime<Utc>, at: NaiveTime) -> Option<DateTime<Utc>> {
    local_date(now).and_time(at).and_local_timezone(TZ).earliest().map(|t| t.with_timezone(&Utc))
}

/// Takes today's backup when it is due and no instance has taken it; returns whether this one did.
pub async fn run_once(state: &AppState, schedule: &Schedule) -> anyhow::Result<bool> {
    let now = state.clock.now();
    let Some(slot) = todays_slot(now, schedule.at) else { return Ok(false) };
    if now < slot {
        return Ok(false);
    }
    let Some(mut turn) = backups::take_turn(&state.db).await? else { return Ok(false) };
    if backups::last(&state.db).await?.is_some_and(|last| last.at >= slot) {
        // Released now, not whenever the pool next hands out this connection: a dropped transaction
        // only queues its rollback, and the lock held until then made the next night's turn fail for
        // every instance.
        turn.rollback().await?;
        return Ok(false);
    }
    let written = match backup::Target::of(&state.config) {
        Ok(target) => backup::backup(&target, &schedule.dir, now).await,
        Err(e) => Err(e),
    };
    match written {
        Ok(w) => {
            let name = w.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            backups::record(&mut turn, now, Some((&name, w.bytes)), None).await?;
            if let Err(e) = backup::prune(&schedule.dir, schedule.keep) {
                tracing::warn!(error = %e, "nightly backup: could not remove old backups");
            }
            tracing::info!(file = %w.path.display(), bytes = w.bytes, "nightly backup written");
        }
        Err(e) => {
            let error = format!("{e:#}");
            tracing::warn!(%error, "nightly backup failed");
            backups::record(&mut turn, now, None, Some(&error)).await?;
            backups::mail_failure(&mut turn, &local_date(now).to_string(), &error, now).await?;
        }
    }
    turn.commit().await?;
    Ok(true)
}
