//! Everything the minutes page shows besides the meeting and its members, read in one statement
//! (a page issues at most five statements, the session's included): the minutes with who
//! took each step, their items, entries and comments, the approved versions, the attendance and the
//! group's undecided change requests. Each
//! part is the query of its own store function (`minutes::for_meeting`, `minutes::items` ...,
//! `attendance::for_meeting`) aggregated to JSON and decoded into the same row types.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use sqlx::types::Json;

use super::attendance::Line;
use super::meetings::{self, Meeting};
use super::memberships::Member;
use super::minutes::{Comment, Entry, Item, Minutes};
use super::read_cache::{self, Kept, MeetingReader, MeetingStamp, ReadChecks};
use crate::domain::access::GroupScope;
use crate::domain::change_requests::Status;

/// An approved version as the page lists it (the content is read only when a version is opened).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct VersionStamp {
    pub version: i32,
    pub approved_at: DateTime<Utc>,
}

/// The minutes page's kept copy: the meeting, its group's live members and the rest.
#[derive(Debug, Clone)]
pub struct MinutesPageCopy {
    pub meeting: Meeting,
    pub members: Vec<Member>,
    pub data: MinutesPageData,
}

/// The minutes page's data for a view: the read rule and the read versions in one small statement
/// (`read_cache::meeting_stamp`), then the kept copy while the meeting's group and the reference data
/// are unchanged. None when the meeting does not exist, is across groups (no minutes) or the reader may
/// not see it. The minutes' own read rule (R2-R4) is the page's, on the copy.
pub async fn view(
    pool: &PgPool,
    kept: &Kept<i64, MinutesPageCopy>,
    checks: &ReadChecks<MeetingReader, MeetingStamp>,
    meeting_id: i64,
    scope: GroupScope,
    read_version: Option<i64>,
) -> sqlx::Result<Option<Arc<MinutesPageCopy>>> {
    let asking = MeetingReader { meeting: meeting_id, scope, secretariat: false };
    let Some(now) = read_cache::meeting_stamp(pool, checks, asking, read_version).await? else { return Ok(None) };
    if now.group_id.is_none() {
        return Ok(None);
    }
    kept.get_or_load(meeting_id, now.stamp, || async move {
        let Some(meeting) = meetings::readable(pool, meeting_id, scope).await? else { return Ok(None) };
        let (members, data) = load(pool, meeting_id).await?;
        Ok(Some(MinutesPageCopy { meeting, members, data }))
    })
    .await
}

#[derive(Debug, Clone)]
pub struct MinutesPageData {
    /// None before the secretariat starts the minutes.
    pub minutes: Option<Minutes>,
    pub items: Vec<Item>,
    pub entries: Vec<Entry>,
    pub comments: Vec<Comment>,
    /// R3, R4: who has commented or answered "Ingen bemærkninger".
    pub answered: Vec<i64>,
    /// Newest first.
    pub versions: Vec<VersionStamp>,
    pub attendance: Vec<Line>,
    /// R5, C1: the group's undecided change requests, for a decision to name.
    pub requests: Vec<OpenRequest>,
}

/// A change request a decision in the minutes may decide.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct OpenRequest {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub status: Status,
}

/// The group's live members (as `memberships::of_group`) and the minutes page's data, for a meeting
/// the caller has checked the reader may see.
async fn load(pool: &PgPool, meeting_id: i64) -> sqlx::Result<(Vec<Member>, MinutesPageData)> {
    let row = sqlx::query!(
        r#"WITH mi AS (SELECT * FROM minutes WHERE meeting_id = $1)
           SELECT
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT r.* FROM member_rows r JOIN meetings m ON m.group_id = r.group_id
                WHERE m.id = $1 AND r.status <> 'ended'
                ORDER BY r.party_order NULLS LAST, r.party_name, r.role_order, r.name
             ) x) AS "members!: Json<Vec<Member>>",
             (SELECT row_to_json(x) FROM (
                SELECT mi.id, mi.meeting_id, mi.status, mi.body, mi.party_summary, mi.sent_at, s.name AS sent_by_name,
                       mi.worked_in_at, w.name AS worked_in_by_name, mi.approved_at, a.name AS approved_by_name,
                       mi.version, mi.correction
                FROM mi
                LEFT JOIN people s ON s.id = mi.sent_by
                LEFT JOIN people w ON w.id = mi.worked_in_by
                LEFT JOIN people a ON a.id = mi.approved_by
             ) x) AS "minutes: Json<Minutes>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT i.id, i.agenda_item_id, i.number, i.title, i.is_decision_item, i.body
                FROM minutes_items i JOIN mi ON mi.id = i.minutes_id ORDER BY i.position, i.id
             ) x) AS "items!: Json<Vec<Item>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT e.id, e.minutes_item_id, e.kind, e.text, e.outcome, e.owner_id, p.name AS owner_name, e.due_on,
                       e.change_request_id, c.reference AS change_request_ref
                FROM minutes_entries e JOIN minutes_items i ON i.id = e.minutes_item_id JOIN mi ON mi.id = i.minutes_id
                LEFT JOIN people p ON p.id = e.owner_id LEFT JOIN change_requests c ON c.id = e.change_request_id
                ORDER BY e.id
             ) x) AS "entries!: Json<Vec<Entry>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT c.id, c.minutes_item_id, p.name AS author, c.body, c.received_at, c.resolution, c.reply,
                       c.resolved_at, r.name AS resolved_by_name
                FROM minutes_comments c JOIN mi ON mi.id = c.minutes_id JOIN people p ON p.id = c.person_id
                LEFT JOIN people r ON r.id = c.resolved_by
                ORDER BY c.received_at, c.id
             ) x) AS "comments!: Json<Vec<Comment>>",
             (SELECT coalesce(json_agg(DISTINCT x.person_id), '[]') FROM (
                SELECT c.person_id FROM minutes_comments c JOIN mi ON mi.id = c.minutes_id
                UNION ALL SELECT n.person_id FROM minutes_no_remarks n JOIN mi ON mi.id = n.minutes_id
             ) x) AS "answered!: Json<Vec<i64>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT v.version, v.approved_at FROM minutes_versions v JOIN mi ON mi.id = v.minutes_id
                ORDER BY v.version DESC
             ) x) AS "versions!: Json<Vec<VersionStamp>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT c.id, c.reference, c.title, c.status FROM change_requests c JOIN meetings m ON m.group_id = c.group_id
                WHERE m.id = $1 AND c.status IN ('idea', 'described', 'ready_for_decision')
                ORDER BY c.status = 'ready_for_decision' DESC, c.reference
             ) x) AS "requests!: Json<Vec<OpenRequest>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT s.* FROM seat_rows s WHERE s.meeting_id = $1
                ORDER BY s.party_order NULLS LAST, (s.role = 'substitute'), s.name
             ) x) AS "attendance!: Json<Vec<Line>>""#,
        meeting_id
    )
    .fetch_one(pool)
    .await?;
    let data = MinutesPageData {
        minutes: row.minutes.map(|m| m.0),
        items: row.items.0,
        entries: row.entries.0,
        comments: row.comments.0,
        answered: row.answered.0,
        versions: row.versions.0,
        attendance: row.attendance.0,
        requests: row.requests.0,
    };
    Ok((row.members.0, data))
}
