//! What waits for a person on the start page, read in one statement (a page issues at most
//! five statements): agendas sent to them as chair and not yet approved (A1), minutes out for
//! comments or being worked in (R3, R4) in their groups, and for the secretariat its own work:
//! item requests to decide (A3), agendas to send to the chair or publish (A1, A2), nominations to
//! approve (M5) and mails that failed; every group's for the secretariat staff.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use sqlx::types::Json;

use super::groups::MyGroup;
use super::meetings::{self, MeetingRow};
use super::read_cache::{self, Kept, Stamp};
use crate::domain::access::GroupScope;
use crate::domain::minutes::MinutesStatus;

/// How many coming meetings the start page lists.
const UPCOMING: i64 = 8;

/// The start page's kept copy for one person: their groups, the coming meetings and what waits for them.
#[derive(Debug, Clone)]
pub struct StartPageCopy {
    pub groups: Vec<MyGroup>,
    pub upcoming: Vec<MeetingRow>,
    pub waiting: Waiting,
}

/// A kept start page: the person as the read rules see them (their scope and whether they are the
/// secretariat of all groups, which can change with their account's role).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StartPageKey {
    pub scope: GroupScope,
    pub secretariat: bool,
}

/// The start page's data for a view. It reads across the person's groups (all of them for the
/// secretariat), so it is kept under the version raised by every change ('any'), and for the minute it
/// was read in: what is coming and what is due within three weeks move with the clock. (Always Some:
/// the Option is the shape every kept page shares.)
pub async fn view(
    pool: &PgPool,
    kept: &Kept<StartPageKey, StartPageCopy>,
    scope: GroupScope,
    secretariat: bool,
    read_version: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Arc<StartPageCopy>>> {
    let any = read_cache::any_version(pool, read_version).await?;
    let key = StartPageKey { scope, secretariat };
    let stamp = Stamp([any, now.timestamp().div_euclid(60), 0]);
    kept.get_or_load(key, stamp, || async move {
        let (upcoming, (groups, waiting)) = tokio::try_join!(
            meetings::upcoming(pool, scope, now, UPCOMING, false),
            waiting_for(pool, scope, secretariat, now),
        )?;
        Ok(Some(StartPageCopy { groups, upcoming, waiting }))
    })
    .await
}

/// A1: an agenda awaiting this person's approval as chair.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct AwaitingApproval {
    pub meeting_id: i64,
    pub group_name: String,
    pub starts_at: DateTime<Utc>,
}

/// R3, R4: minutes out for comments or being worked in.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct OpenMinutes {
    pub meeting_id: i64,
    pub group_name: String,
    pub starts_at: DateTime<Utc>,
    pub status: MinutesStatus,
    pub sent_at: Option<DateTime<Utc>>,
    pub worked_in_at: Option<DateTime<Utc>>,
}

/// The secretariat's own work in a group's meeting: what the step is about and when the meeting is.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Task {
    pub kind: TaskKind,
    pub meeting_id: Option<i64>,
    pub group_slug: String,
    pub group_name: String,
    pub starts_at: Option<DateTime<Utc>>,
    /// What the task is about: a request's title, a nominee's name.
    pub subject: String,
}

/// The kinds of work waiting for the secretariat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// A3: a member's request for an agenda item, to accept or decline.
    ItemRequest,
    /// A1: a draft agenda to send to the chair.
    DraftToChair,
    /// A2: an approved agenda to publish.
    Publish,
    /// M5: a nomination to approve.
    Nomination,
}

#[derive(Debug, Clone, Default)]
pub struct Waiting {
    pub approvals: Vec<AwaitingApproval>,
    pub minutes: Vec<OpenMinutes>,
    /// For the secretariat: the work that waits in its groups (every group's for the staff).
    pub tasks: Vec<Task>,
    /// For the secretariat staff: mails the sender gave up on.
    pub failed_mails: i64,
}

/// The person's live groups (as `groups::for_person`, O5, M5) and what waits for them. `every_group`:
/// the secretariat staff follows every group; a group's own secretariat member its group.
async fn waiting_for(
    pool: &PgPool,
    scope: GroupScope,
    every_group: bool,
    now: DateTime<Utc>,
) -> sqlx::Result<(Vec<MyGroup>, Waiting)> {
    let person_id = scope.reader;
    let row = sqlx::query!(
        r#"SELECT
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT g.id AS group_id, g.slug, g.name, k.name AS kind_name, m.role, m.status
                FROM memberships m JOIN groups g ON g.id = m.group_id JOIN group_kinds k ON k.id = g.kind_id
                WHERE m.person_id = $1 AND m.status <> 'ended'
                  AND group_readable(g.id, g.confidentiality, $4, $5, $1)
                ORDER BY g.name
             ) x) AS "groups!: Json<Vec<MyGroup>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT mt.id AS meeting_id, g.name AS group_name, mt.starts_at
                FROM agendas a
                JOIN meetings mt ON mt.id = a.meeting_id
                JOIN groups g ON g.id = mt.group_id
                JOIN memberships m ON m.group_id = g.id AND m.person_id = $1 AND m.role = 'chair' AND m.status = 'active'
                WHERE a.status = 'sent_to_chair'
                ORDER BY mt.starts_at
             ) x) AS "approvals!: Json<Vec<AwaitingApproval>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT m.id AS meeting_id, g.name AS group_name, m.starts_at, mi.status, mi.sent_at, mi.worked_in_at
                FROM minutes mi JOIN meetings m ON m.id = mi.meeting_id JOIN groups g ON g.id = m.group_id
                WHERE mi.status IN ('sent', 'worked_in')
                  AND ($2 OR EXISTS (SELECT 1 FROM memberships ms
                                     WHERE ms.group_id = g.id AND ms.person_id = $1 AND ms.status = 'active'))
                ORDER BY mi.sent_at
             ) x) AS "minutes!: Json<Vec<OpenMinutes>>",
             (SELECT coalesce(json_agg(x ORDER BY x.starts_at NULLS LAST), '[]') FROM (
                SELECT 'item_request' AS kind, m.id AS meeting_id, g.slug AS group_slug, g.name AS group_name,
                       m.starts_at, r.title AS subject
                FROM agenda_item_requests r JOIN meetings m ON m.id = r.meeting_id JOIN groups g ON g.id = m.group_id
                WHERE r.status = 'pending' AND m.status = 'planned' AND ($2 OR EXISTS (SELECT 1 FROM memberships s WHERE s.group_id = g.id AND s.person_id = $1
                                      AND s.role = 'secretariat' AND s.status = 'active'))
                UNION ALL
                SELECT CASE WHEN coalesce(a.status, 'draft') = 'draft' THEN 'draft_to_chair' ELSE 'publish' END,
                       m.id, g.slug, g.name, m.starts_at, coalesce(nullif(m.title, ''), 'Møde')
                FROM meetings m JOIN groups g ON g.id = m.group_id LEFT JOIN agendas a ON a.meeting_id = m.id
                WHERE m.kind = 'ordinary' AND m.status = 'planned' AND coalesce(a.status, 'draft') IN ('draft', 'approved')
                  AND m.starts_at BETWEEN $3::timestamptz AND $3::timestamptz + interval '21 days' AND ($2 OR EXISTS (SELECT 1 FROM memberships s WHERE s.group_id = g.id AND s.person_id = $1
                                      AND s.role = 'secretariat' AND s.status = 'active'))
                UNION ALL
                SELECT 'nomination', NULL, g.slug, g.name, NULL, p.name
                FROM memberships ms JOIN groups g ON g.id = ms.group_id JOIN people p ON p.id = ms.person_id
                WHERE ms.status = 'nominated' AND ($2 OR EXISTS (SELECT 1 FROM memberships s WHERE s.group_id = g.id AND s.person_id = $1
                                      AND s.role = 'secretariat' AND s.status = 'active'))
             ) x) AS "tasks!: Json<Vec<Task>>",
             CASE WHEN $2 THEN (SELECT count(*) FROM outbox WHERE status = 'failed') ELSE 0 END AS "failed_mails!""#,
        person_id,
        every_group,
        now as _,
        scope.every_group,
        scope.open_up_to as _
    )
    .fetch_one(pool)
    .await?;
    let waiting = Waiting {
        approvals: row.approvals.0,
        minutes: row.minutes.0,
        tasks: row.tasks.0,
        failed_mails: row.failed_mails,
    };
    Ok((row.groups.0, waiting))
}
