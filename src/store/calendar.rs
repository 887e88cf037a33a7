//! The installation's extra closed days (D1), which complete the working-day calendar.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use sqlx::{PgConnection, PgPool};

use super::audit::{self, Change};
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::ids::{FeedId, PersonId};

pub async fn working_calendar(pool: &PgPool) -> sqlx::Result<WorkingCalendar> {
    let days = sqlx::query_scalar!(r#"SELECT day AS "day: chrono::NaiveDate" FROM closed_days ORDER BY day"#)
        .fetch_all(pool)
        .await?;
    Ok(WorkingCalendar::new(days))
}

/// How long an instance trusts the closed days it read: a change made through this instance is seen at
/// once (`invalidate`), a change made through another instance behind the same load balancer within this.
const CALENDAR_FRESH_FOR: Duration = Duration::from_secs(60);

/// The working calendar (D1) read once and shared by every request, instead of one statement per page.
/// The administrators' closed days change a few times a year.
#[derive(Clone, Default)]
pub struct CalendarCache {
    held: Arc<RwLock<Option<(Instant, WorkingCalendar)>>>,
}

impl CalendarCache {
    pub async fn get(&self, pool: &PgPool) -> sqlx::Result<WorkingCalendar> {
        if let Ok(held) = self.held.read()
            && let Some((read_at, cal)) = held.as_ref()
            && read_at.elapsed() < CALENDAR_FRESH_FOR
        {
            return Ok(cal.clone());
        }
        let cal = working_calendar(pool).await?;
        if let Ok(mut held) = self.held.write() {
            *held = Some((Instant::now(), cal.clone()));
        }
        Ok(cal)
    }

    /// After an administrator added or removed a closed day.
    pub fn invalidate(&self) {
        if let Ok(mut held) = self.held.write() {
            *held = None;
        }
    }
}

/// Secret calendar subscription feeds: only a SHA-256 of the secret is kept.
#[derive(Debug, Clone)]
pub struct Feed {
    pub id: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

pub async fn feeds(pool: &PgPool, person_id: i64) -> sqlx::Result<Vec<Feed>> {
    sqlx::query_as!(
        Feed,
        r#"SELECT id, created_at AS "created_at: chrono::DateTime<chrono::Utc>", revoked_at AS "revoked_at: chrono::DateTime<chrono::Utc>"
           FROM calendar_feeds WHERE person_id = $1 ORDER BY id DESC"#,
        person_id
    )
    .fetch_all(pool)
    .await
}

pub async fn create_feed(
    pool: &PgPool,
    actor: &super::audit::Actor,
    person_id: i64,
    secret_hash: &[u8],
) -> sqlx::Result<i64> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO calendar_feeds (person_id, secret_hash) VALUES ($1, $2) RETURNING id",
        person_id,
        secret_hash
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(&mut tx, actor, Change::of(AuditAction::CalendarFeedCreated, AuditEntity::CalendarFeed, id)).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn revoke_feed(
    pool: &PgPool,
    actor: &super::audit::Actor,
    person_id: PersonId,
    id: FeedId,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query!(
        "UPDATE calendar_feeds SET revoked_at = now() WHERE id = $1 AND person_id = $2 AND revoked_at IS NULL",
        id.0,
        person_id.0
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(&mut tx, actor, Change::of(AuditAction::CalendarFeedRevoked, AuditEntity::CalendarFeed, id)).await?;
    tx.commit().await?;
    Ok(true)
}

/// Revokes every live feed of the person (inside the caller's transaction); returns how many.
pub async fn revoke_all_feeds(conn: &mut PgConnection, person_id: i64) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "UPDATE calendar_feeds SET revoked_at = now() WHERE person_id = $1 AND revoked_at IS NULL",
        person_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The person a live feed secret belongs to, while their account is active.
pub async fn feed_owner(pool: &PgPool, secret_hash: &[u8]) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "SELECT f.person_id FROM calendar_feeds f JOIN accounts a ON a.person_id = f.person_id
         WHERE f.secret_hash = $1 AND f.revoked_at IS NULL AND a.active",
        secret_hash
    )
    .fetch_optional(pool)
    .await
}
