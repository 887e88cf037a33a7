//! The secretariat's overview of every group's deadlines (D3): the coming and recent ordinary
//! meetings with the state of each step, the urgent first, 100 a page (hundreds of groups
//! must not make one page of thousands of rows).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use chrono::Duration;

use super::auth::Ctx;
use super::error::AppError;
use super::layout::{Layout, Nav};
use super::meetings::panels::deadlines::{self, DeadlineLine};
use crate::domain::access::Viewer;
use crate::domain::deadlines::{DeadlineStatus, StepsDone, meeting_deadline_states};
use crate::domain::paging::PageNumber;
use crate::state::AppState;
use crate::store::meetings::{self, DeadlineSteps};
use crate::store::read_cache::{self, Stamp};
use crate::text;

struct Row {
    meeting_id: i64,
    group: String,
    when: String,
    deadlines: Vec<DeadlineLine>,
}

#[derive(Template)]
#[template(path = "overviews/deadlines.html")]
struct Page {
    l: Layout,
    rows: Vec<Row>,
    /// This page's number, and the neighbours' when they exist.
    number: u32,
    previous: Option<u32>,
    next: Option<u32>,
}

#[derive(serde::Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    side: String,
}

/// GET /frister
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let number = PageNumber::parse(&query.side).map_err(|message| AppError::BadRequest(message.into()))?;
    let now = state.clock.now();
    // Every meeting's deadline states decide the order (the urgent first); they are worked out when
    // something changed or a minute has passed, and kept with the order for the views in between
    // (`store::read_cache`): a view only draws the lines of its hundred.
    let stamp =
        Stamp([read_cache::any_version(&state.db, ctx.user.read_version).await?, now.timestamp().div_euclid(60), 0]);
    let ordered = state
        .kept
        .deadline_overview
        .get_or_load((), stamp, || async {
            let cal = state.calendar.get(&state.db).await?;
            let settings = state.config.deadline_settings();
            let list = meetings::deadline_steps(&state.db, now - Duration::days(21), now + Duration::days(90)).await?;
            let mut ordered: Vec<(bool, DeadlineSteps, Vec<DeadlineStatus>)> = list
                .into_iter()
                .map(|m| {
                    let states = meeting_deadline_states(&cal, &settings, m.starts_at, steps_done(&m), now);
                    let urgent = deadlines::lines_of(&states)
                        .iter()
                        .any(|d| matches!(d.state_class, "badge-warn" | "badge-danger"));
                    (urgent, m, states)
                })
                .collect();
            ordered.sort_by_key(|(urgent, _, _)| !urgent);
            Ok::<_, AppError>(Some(ordered.into_iter().map(|(_, m, states)| (m, states)).collect()))
        })
        .await?
        .unwrap_or_default();
    let (shown, more) = number.of(ordered.iter().collect::<Vec<_>>());
    let rows = shown
        .into_iter()
        .map(|(m, states)| Row {
            meeting_id: m.id,
            group: m.group_name.clone().unwrap_or_default(),
            when: text::datetime(m.starts_at),
            deadlines: deadlines::lines_of(states),
        })
        .collect();
    let n = number.get();
    let page = Page {
        l: ctx.layout(Nav::Deadlines, "Frister"),
        rows,
        number: n,
        previous: (n > 1).then(|| n - 1),
        next: more.then(|| n + 1),
    };
    Ok(Html(page.render()?))
}

fn steps_done(m: &DeadlineSteps) -> StepsDone {
    StepsDone {
        agenda_sent_to_chair: m.agenda_sent_to_chair_at,
        agenda_published: m.agenda_published_at,
        minutes_sent: m.minutes_sent_at,
        minutes_worked_in: m.minutes_worked_in_at,
    }
}
