//! Everything the meeting page shows, read in one statement (a page issues at most five
//! statements, the session's included). Each part is the query its own store function runs
//! (`memberships::of_group`, `agendas::items`, `attendance::for_meeting` ...), aggregated to JSON here
//! so the page costs one round trip whatever its panels hold; the parts decode into the same row types.
//! The meeting is only returned when the reader may see it (O5, M5 through `group_readable`).

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgPool;
use sqlx::types::Json;

use super::agendas::{self, Agenda, ChairComment, Item, Request};
use super::attendance::Line;
use super::documents::DocumentInfo;
use super::meetings::{ChecklistLine, Meeting, Participant};
use super::memberships::Member;
use super::read_cache::{self, Kept, MeetingReader, MeetingStamp, ReadChecks};
use super::registers::{AgendaChangeRequest, BudgetRow, MinutesSteps, OpenAction, OperationalLine, Selectable};
use crate::domain::access::GroupScope;
use crate::domain::agenda_snapshot::{AgendaSnapshot, SnapshotUnreadable};
use crate::domain::meeting_codes::{MeetingFormat, MeetingKind, MeetingStatus};

/// The registers as they are now (A7, A8): what `app::agenda_snapshot::take` reads one by one.
#[derive(Debug, Clone, Default)]
pub struct LiveRegisters {
    pub change_requests: Vec<AgendaChangeRequest>,
    pub open_actions: Vec<OpenAction>,
    pub operational: Vec<OperationalLine>,
    pub budget: Option<BudgetRow>,
}

#[derive(Debug, Clone)]
pub struct MeetingPageData {
    pub meeting: Meeting,
    /// The group's live members (as `memberships::of_group`).
    pub members: Vec<Member>,
    /// The agenda; its stored snapshot is read once, into `snapshot`, when the page's data is read.
    pub agenda: Option<Agenda>,
    /// A7, A8: the registers as the published agenda kept them (None while they are live). A snapshot
    /// that cannot be read is kept as the reason, so the page fails loudly at every view.
    pub snapshot: Result<Option<AgendaSnapshot>, SnapshotUnreadable>,
    /// In reading order (`agendas::in_reading_order`).
    pub items: Vec<Item>,
    /// A1: the chair's thread; the page shows it only to the secretariat and the chair.
    pub chair_comments: Vec<ChairComment>,
    pub minutes: MinutesSteps,
    /// A7: read only while the agenda is a draft and the reader is the secretariat (of all groups or this one).
    pub selectable: Vec<Selectable>,
    /// A7, A8: read only while the agenda has no published snapshot.
    pub registers: Option<LiveRegisters>,
    pub requests: Vec<Request>,
    pub attendance: Vec<Line>,
    pub checklist: Vec<ChecklistLine>,
    pub documents: Vec<DocumentInfo>,
    /// T1: the fixed participants of a meeting across groups.
    pub participants: Vec<Participant>,
    /// Y1-Y3, B3: the annual-cycle topics placed on the meeting (A4: item 3.1 names them).
    pub topics: Vec<String>,
}

/// What the page needs of the reader besides the read scope.
pub struct Reader {
    pub scope: GroupScope,
    /// The secretariat of all groups (a group's own secretariat is found in its memberships).
    pub secretariat: bool,
    /// The version raised by every change, as read with the session (`CurrentUser::read_version`).
    pub read_version: Option<i64>,
}

/// A kept meeting page: the meeting and the reader class. The data differs between readers only in
/// the change requests the secretariat chooses from while it drafts the agenda (A7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MeetingKey {
    pub meeting: i64,
    pub chooses: bool,
}

/// The meeting page's data for a view: the read rule (O5, M5) and the read versions in one small
/// statement, then the kept copy while the meeting's group (or the meeting across groups) and the
/// reference data are unchanged, or one read of everything. None when the meeting does not exist or
/// the reader may not see it.
pub async fn view(
    pool: &PgPool,
    kept: &Kept<MeetingKey, MeetingPageData>,
    checks: &ReadChecks<MeetingReader, MeetingStamp>,
    id: i64,
    reader: Reader,
) -> sqlx::Result<Option<Arc<MeetingPageData>>> {
    let scope = reader.scope;
    let asking = MeetingReader { meeting: id, scope, secretariat: reader.secretariat };
    let Some(now) = read_cache::meeting_stamp(pool, checks, asking, reader.read_version).await? else {
        return Ok(None);
    };
    let key = MeetingKey { meeting: id, chooses: now.chooses };
    let stamp = now.stamp;
    kept.get_or_load(key, stamp, || load(pool, id, scope, now.chooses)).await
}

/// The meeting page's data read from the database. `chooses`: the reader is the secretariat of the
/// meeting's group (A7; `view` decides it). None when the meeting does not exist or the reader may not
/// see it.
async fn load(pool: &PgPool, id: i64, scope: GroupScope, chooses: bool) -> sqlx::Result<Option<MeetingPageData>> {
    let row = sqlx::query!(
        r#"WITH mt AS (
             SELECT m.id, m.group_id, g.slug AS group_slug, g.name AS group_name, m.kind, m.title, m.starts_at, m.ends_at,
                    m.format, m.location, m.online_link, m.cycle_number, m.status, m.sequence, m.cancel_reason, m.updated_at,
                    (m.starts_at AT TIME ZONE 'Europe/Copenhagen')::date AS day
             FROM meetings m LEFT JOIN groups g ON g.id = m.group_id
             WHERE m.id = $1
               AND (CASE WHEN m.group_id IS NULL THEN meeting_invited(m.id, $2, $4)
                         ELSE group_readable(g.id, g.confidentiality, $2, $3, $4) END)
           ), ag AS (
             SELECT a.id, a.meeting_id, a.status, a.sent_to_chair_at, a.approved_at, p.name AS approved_by_name,
                    a.published_at, a.snapshot
             FROM agendas a JOIN mt ON a.meeting_id = mt.id LEFT JOIN people p ON p.id = a.approved_by
           ), live AS (
             SELECT mt.id, mt.group_id, mt.day FROM mt JOIN ag ON ag.meeting_id = mt.id
             WHERE ag.snapshot IS NULL AND mt.group_id IS NOT NULL
           ), choosing AS (
             SELECT mt.id, mt.group_id FROM mt JOIN ag ON ag.meeting_id = mt.id
             WHERE ag.status = 'draft' AND mt.group_id IS NOT NULL AND $5
           )
           SELECT mt.id AS "id!", mt.group_id, mt.group_slug AS "group_slug?", mt.group_name AS "group_name?",
                  mt.kind AS "kind!: MeetingKind", mt.title AS "title!",
                  mt.starts_at AS "starts_at!: DateTime<Utc>", mt.ends_at AS "ends_at!: DateTime<Utc>",
                  mt.format AS "format!: MeetingFormat", mt.location AS "location!", mt.online_link AS "online_link!",
                  mt.cycle_number, mt.status AS "status!: MeetingStatus", mt.sequence AS "sequence!",
                  mt.cancel_reason AS "cancel_reason!", mt.updated_at AS "updated_at: DateTime<Utc>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT r.* FROM member_rows r WHERE r.group_id = mt.group_id AND r.status <> 'ended'
                ORDER BY r.party_order NULLS LAST, r.party_name, r.role_order, r.name
             ) x) AS "members!: Json<Vec<Member>>",
             (SELECT row_to_json(ag) FROM ag) AS "agenda: Json<Agenda>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT i.id, i.parent_id, i.position, i.title, i.presenter, i.body, i.is_decision, i.responsible_id,
                       p.name AS responsible_name, i.is_planning, i.planned_minutes, i.fills
                FROM agenda_items i JOIN ag ON ag.id = i.agenda_id LEFT JOIN people p ON p.id = i.responsible_id
                ORDER BY i.position, i.id
             ) x) AS "items!: Json<Vec<Item>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT p.name AS author_name, c.body, c.created_at
                FROM agenda_chair_comments c JOIN ag ON ag.id = c.agenda_id LEFT JOIN people p ON p.id = c.author_id
                ORDER BY c.created_at, c.id
             ) x) AS "chair_comments!: Json<Vec<ChairComment>>",
             (SELECT row_to_json(x) FROM (
                SELECT mi.status, mi.sent_at, mi.worked_in_at FROM minutes mi WHERE mi.meeting_id = mt.id
             ) x) AS "minutes: Json<MinutesSteps>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT c.id, c.reference, c.title, c.status, r.title AS initiative, c.not_ready_note, s.purpose
                FROM choosing
                JOIN change_requests c ON c.group_id = choosing.group_id
                LEFT JOIN roadmap_initiatives r ON r.id = c.initiative_id
                LEFT JOIN agenda_change_requests s ON s.change_request_id = c.id AND s.meeting_id = choosing.id
                WHERE c.status NOT IN ('rejected', 'evaluated') OR s.purpose IS NOT NULL
                ORDER BY r.start_year NULLS LAST, r.position, r.title, c.reference
             ) x) AS "selectable!: Json<Vec<Selectable>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT v.id, v.reference, v.title, v.business_need, v.value, v.beneficiaries, v.status, v.priority,
                       v.initiative, v.not_ready_note, v.purpose
                FROM live JOIN agenda_change_request_rows v ON v.meeting_id = live.id
                ORDER BY v.initiative_start_year NULLS LAST, v.initiative_position, v.initiative, v.purpose, v.reference
             ) x) AS "live_change_requests!: Json<Vec<AgendaChangeRequest>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT a.title, a.owner, a.due_on
                FROM live JOIN open_action_rows a ON a.group_id = live.group_id ORDER BY a.due_on
             ) x) AS "live_open_actions!: Json<Vec<OpenAction>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT o.solution, o.kind, o.reported_on, o.summary, o.count
                FROM live JOIN operational_lines o ON o.group_id = live.group_id
                WHERE o.reported_on >= live.day - $6::int
                ORDER BY o.solution, o.reported_on DESC
             ) x) AS "live_operational!: Json<Vec<OperationalLine>>",
             (SELECT row_to_json(x) FROM (
                SELECT b.group_slug, b.group_name, b.year, b.amount::text AS amount,
                       (b.transfers_in - b.transfers_out)::text AS transferred, b.disposed::text AS disposed,
                       b.spent::text AS spent
                FROM live JOIN budget_positions b ON b.group_id = live.group_id
                WHERE b.year = extract(year FROM live.day)::int
             ) x) AS "live_budget: Json<BudgetRow>",
             EXISTS (SELECT 1 FROM live) AS "is_live!",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT r.id, r.requested_by, p.name AS requester, r.title, r.description, r.wanted_decision,
                       r.submitted_at, r.late, r.status, r.decision_reason
                FROM agenda_item_requests r JOIN people p ON p.id = r.requested_by
                WHERE r.meeting_id = mt.id ORDER BY r.submitted_at
             ) x) AS "requests!: Json<Vec<Request>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT s.* FROM seat_rows s WHERE s.meeting_id = mt.id
                ORDER BY s.party_order NULLS LAST, (s.role = 'substitute'), s.name
             ) x) AS "attendance!: Json<Vec<Line>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT c.item, c.done FROM meeting_checklist c WHERE c.meeting_id = mt.id
                ORDER BY array_position(ARRAY['room', 'catering', 'equipment', 'directions'], c.item)
             ) x) AS "checklist!: Json<Vec<ChecklistLine>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT d.id, d.filename, d.content_type, d.size_bytes, d.uploaded_at
                FROM documents d WHERE d.meeting_id = mt.id ORDER BY d.filename
             ) x) AS "documents!: Json<Vec<DocumentInfo>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT p.id AS person_id, p.name FROM meeting_participants mp JOIN people p ON p.id = mp.person_id
                WHERE mp.meeting_id = mt.id ORDER BY p.name
             ) x) AS "participants!: Json<Vec<Participant>>",
             (SELECT coalesce(json_agg(t.title ORDER BY t.id), '[]') FROM annual_topics t WHERE t.meeting_id = mt.id)
               AS "topics!: Json<Vec<String>>"
           FROM mt"#,
        id,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader,
        chooses,
        OPERATIONS_DAYS
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        let mut agenda = r.agenda.map(|a| a.0);
        let snapshot = agenda.as_mut().and_then(|a| a.snapshot.take()).map(AgendaSnapshot::read).transpose();
        MeetingPageData {
            meeting: Meeting {
                id: r.id,
                group_id: r.group_id,
                group_slug: r.group_slug,
                group_name: r.group_name,
                kind: r.kind,
                title: r.title,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                format: r.format,
                location: r.location,
                online_link: r.online_link,
                cycle_number: r.cycle_number,
                status: r.status,
                sequence: r.sequence,
                cancel_reason: r.cancel_reason,
                updated_at: r.updated_at,
            },
            members: r.members.0,
            agenda,
            snapshot,
            items: agendas::in_reading_order(r.items.0),
            chair_comments: r.chair_comments.0,
            minutes: r.minutes.map(|m| m.0).unwrap_or_default(),
            selectable: r.selectable.0,
            registers: r.is_live.then(|| LiveRegisters {
                change_requests: r.live_change_requests.0,
                open_actions: r.live_open_actions.0,
                operational: r.live_operational.0,
                budget: r.live_budget.map(|b| b.0),
            }),
            requests: r.requests.0,
            attendance: r.attendance.0,
            checklist: r.checklist.0,
            documents: r.documents.0,
            participants: r.participants.0,
            topics: r.topics.0,
        }
    }))
}

/// The first day of the dashboard's operational status for a meeting on `day` (A8: the three months before).
pub fn operations_since(day: NaiveDate) -> NaiveDate {
    day - chrono::Duration::days(OPERATIONS_DAYS as i64)
}

/// How far back the dashboard's operational status reaches from the meeting day (A8: three months).
const OPERATIONS_DAYS: i32 = 92;
