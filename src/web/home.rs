//! The start page: the person's groups, their next meetings with the agenda deadline, and agendas
//! awaiting their approval as chair (A1).

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::auth::Ctx;
use super::error::AppError;
use super::layout::{Layout, Nav};
use crate::domain::access::GroupRole;
use crate::domain::agenda_workflow::AgendaStatus;
use crate::domain::calendar::local_date;
use crate::domain::composition::SeatStatus;
use crate::domain::deadlines::{DeadlineSettings, DeadlineState, deadline_state, meeting_deadlines};
use crate::domain::minutes::{self as domain_minutes, MinutesStatus};
use crate::state::AppState;
use crate::store::start_page;
use crate::store::start_page::TaskKind;
use crate::text;

struct GroupView {
    name: String,
    kind_name: String,
    role: &'static str,
    effort: &'static str,
    nominated: bool,
}

struct MeetingView {
    id: i64,
    when: String,
    group_name: String,
    kind: &'static str,
    place: String,
    agenda: &'static str,
    agenda_due: String,
    agenda_state: DeadlineState,
}

/// R3, R4: minutes out for comments or being worked in, with the deadline that matters now.
struct MinutesView {
    meeting_id: i64,
    group_name: String,
    when: String,
    step: &'static str,
    due: String,
    state: DeadlineState,
}

/// The secretariat's own work, with the deadline it answers to.
struct TaskView {
    what: &'static str,
    subject: String,
    link: String,
    place: String,
    due: String,
    state: Option<DeadlineState>,
}

struct ApprovalView {
    meeting_id: i64,
    group_name: String,
    when: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: Layout,
    first_name: String,
    groups: Vec<GroupView>,
    meetings: Vec<MeetingView>,
    approvals: Vec<ApprovalView>,
    minutes: Vec<MinutesView>,
    tasks: Vec<TaskView>,
    failed_mails: i64,
}

/// GET /
pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    let now = state.clock.now();
    let (kept, cal) = tokio::try_join!(
        start_page::view(
            &state.db,
            &state.kept.start_pages,
            ctx.scope(),
            ctx.viewer().is_secretariat(),
            ctx.user.read_version,
            now
        ),
        state.calendar.get(&state.db),
    )?;
    let kept = kept.ok_or(AppError::NotFound)?;
    // The page takes its parts apart; the kept copy stays as it is for the next view.
    let start_page::StartPageCopy { groups: my_groups, upcoming, waiting } = start_page::StartPageCopy::clone(&kept);
    let settings = DeadlineSettings::default();
    let groups = my_groups
        .into_iter()
        .map(|g| {
            let role = Some(g.role);
            GroupView {
                name: g.name,
                kind_name: g.kind_name,
                role: role.map(GroupRole::label).unwrap_or("Deltager"),
                effort: role.and_then(GroupRole::expected_effort).unwrap_or(""),
                nominated: g.status == SeatStatus::Nominated,
            }
        })
        .collect();
    let meetings = upcoming
        .into_iter()
        .map(|m| {
            let due = meeting_deadlines(&cal, &settings, local_date(m.starts_at)).agenda_published_due;
            MeetingView {
                id: m.id,
                when: text::datetime(m.starts_at),
                group_name: m.group_name.unwrap_or_else(|| "Alle grupper".into()),
                kind: m.kind.label(),
                place: m.format.place(&m.location),
                agenda: AgendaStatus::summary(m.agenda_status),
                agenda_due: text::date(due),
                agenda_state: deadline_state(&cal, &settings, due, m.agenda_published_at, now),
            }
        })
        .collect();
    let approvals = waiting
        .approvals
        .into_iter()
        .map(|a| ApprovalView { meeting_id: a.meeting_id, group_name: a.group_name, when: text::datetime(a.starts_at) })
        .collect();
    let minutes = waiting
        .minutes
        .into_iter()
        .filter_map(|m| {
            let w = domain_minutes::window(&cal, &settings, local_date(m.sent_at?));
            let (step, due, done) = if m.status == MinutesStatus::Sent && local_date(now) <= w.closes_on {
                ("Bemærkninger til referatet", w.closes_on, None)
            } else {
                ("Indarbejdelse af bemærkninger", w.work_in_by, m.worked_in_at)
            };
            Some(MinutesView {
                meeting_id: m.meeting_id,
                group_name: m.group_name,
                when: text::datetime(m.starts_at),
                step,
                due: text::date(due),
                state: deadline_state(&cal, &settings, due, done, now),
            })
        })
        .collect();
    let tasks = waiting
        .tasks
        .into_iter()
        .map(|t| {
            let d = t.starts_at.map(|at| meeting_deadlines(&cal, &settings, local_date(at)));
            let (what, due) = match t.kind {
                TaskKind::ItemRequest => ("Ønske om punkt at tage stilling til", d.map(|d| d.agenda_to_chair_due)),
                TaskKind::DraftToChair => {
                    ("Udkast til dagsorden at sende til forpersonen", d.map(|d| d.agenda_to_chair_due))
                }
                TaskKind::Publish => ("Godkendt dagsorden at udsende", d.map(|d| d.agenda_published_due)),
                TaskKind::Nomination => ("Indstillet medlem at godkende", None),
            };
            TaskView {
                what,
                subject: t.subject,
                link: match (t.kind, t.meeting_id) {
                    (TaskKind::ItemRequest, Some(id)) => format!("/moeder/{id}#punktoensker"),
                    (_, Some(id)) => format!("/moeder/{id}#dagsorden"),
                    (_, None) => format!("/grupper/{}#medlemmer", t.group_slug),
                },
                place: match t.starts_at {
                    Some(at) => format!("{}, møde {}", t.group_name, text::short_date(local_date(at))),
                    None => t.group_name,
                },
                due: due.map(text::date).unwrap_or_default(),
                state: due.map(|due| deadline_state(&cal, &settings, due, None, now)),
            }
        })
        .collect();
    let first_name = ctx.user.name.split_whitespace().next().unwrap_or_default().to_owned();
    let page = HomePage {
        l: ctx.layout(Nav::Home, "Forside"),
        first_name,
        groups,
        meetings,
        approvals,
        minutes,
        tasks,
        failed_mails: waiting.failed_mails,
    };
    Ok(Html(page.render()?))
}
