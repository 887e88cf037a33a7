//! The secretariat's overview of every group's deadlines (D3): the coming and recent ordinary
//! meetings with the state of each step, the urgent first.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use chrono::Duration;

use super::auth::Ctx;
use super::error::AppError;
use super::layout::{Layout, Nav};
use super::meetings::panels::deadlines::{self, DeadlineLine};
use crate::domain::access::Viewer;
use crate::domain::deadlines::StepsDone;
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
}

/// GET /frister
pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    ctx.require(Viewer::is_secretariat)?;
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
    Ok(Html(Page { l: ctx.layout(Nav::Deadlines, "Frister"), rows }.render()?))
}
