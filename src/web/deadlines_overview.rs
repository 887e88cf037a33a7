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
use crate::domain::deadlines::StepsDone;
use crate::domain::paging::PageNumber;
use crate::state::AppState;
use crate::store::meetings;
use crate::text;

struct Row {
    meeting_id: i64,
    group: String,
    when: String,
    deadlines: Vec<DeadlineLine>,
    urgent: bool,
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
    let list = meetings::deadline_steps(&state.db, now - Duration::days(21), now + Duration::days(90)).await?;
    let cal = state.calendar.get(&state.db).await?;
    let settings = state.config.deadline_settings();
    let mut rows: Vec<Row> = list
        .into_iter()
        .map(|m| {
            let done = StepsDone {
                agenda_sent_to_chair: m.agenda_sent_to_chair_at,
                agenda_published: m.agenda_published_at,
                minutes_sent: m.minutes_sent_at,
                minutes_worked_in: m.minutes_worked_in_at,
            };
            let deadlines = deadlines::lines(&cal, &settings, m.starts_at, done, now);
            let urgent = deadlines.iter().any(|d| matches!(d.state_class, "badge-warn" | "badge-danger"));
            Row {
                meeting_id: m.id,
                group: m.group_name.unwrap_or_default(),
                when: text::datetime(m.starts_at),
                deadlines,
                urgent,
            }
        })
        .collect();
    rows.sort_by_key(|r| !r.urgent);
    let (rows, more) = number.of(rows);
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
