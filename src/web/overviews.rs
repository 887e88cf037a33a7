//! The read-only overview pages of the main navigation: meetings, roadmap and budget (change requests
//! have their own module). Later areas add their own pages beside these.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::auth::Ctx;
use super::error::AppError;
use super::layout::{Layout, Nav};
use crate::domain::agenda_workflow::AgendaStatus;
use crate::domain::meeting_codes::MeetingStatus;
use crate::state::AppState;
use crate::store::{meetings, registers};
use crate::text;

struct MeetingLine {
    id: i64,
    when: String,
    group_name: String,
    kind: &'static str,
    place: String,
    agenda: &'static str,
    cancelled: bool,
}

#[derive(Template)]
#[template(path = "overviews/meetings.html")]
struct MeetingsPage {
    l: Layout,
    all_groups: bool,
    meetings: Vec<MeetingLine>,
}

/// GET /moeder: the secretariat sees every group's meetings; others their own groups'.
pub async fn meetings(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    let now = state.clock.now();
    let all_groups = ctx.viewer().is_secretariat();
    let rows = meetings::upcoming(&state.db, ctx.scope(), now, 200, true).await?;
    let meetings = rows
        .into_iter()
        .map(|m| MeetingLine {
            id: m.id,
            when: text::datetime(m.starts_at),
            group_name: m.group_name.unwrap_or_else(|| "Alle grupper".into()),
            kind: m.kind.label(),
            place: m.format.place(&m.location),
            agenda: AgendaStatus::summary(m.agenda_status),
            cancelled: m.status == MeetingStatus::Cancelled,
        })
        .collect();
    Ok(Html(MeetingsPage { l: ctx.layout(Nav::Meetings, "Møder"), all_groups, meetings }.render()?))
}

#[derive(Template)]
#[template(path = "overviews/roadmap.html")]
struct RoadmapPage {
    l: Layout,
    initiatives: Vec<registers::InitiativeRow>,
}

/// GET /roadmap
pub async fn roadmap(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    let initiatives = registers::roadmap(&state.db, ctx.scope()).await?;
    Ok(Html(RoadmapPage { l: ctx.layout(Nav::Roadmap, "Roadmap"), initiatives }.render()?))
}

struct BudgetLine {
    group_slug: String,
    group_name: String,
    year: i32,
    amount: String,
    transferred: String,
    available: String,
    disposed: String,
    spent: String,
    undisposed: String,
}

#[derive(Template)]
#[template(path = "overviews/budget.html")]
struct BudgetPage {
    l: Layout,
    lines: Vec<BudgetLine>,
}

/// GET /budget (B3)
pub async fn budget(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    let lines = registers::budgets(&state.db, ctx.scope())
        .await?
        .into_iter()
        .map(|b| {
            let available = b.amount + b.transferred;
            BudgetLine {
                group_slug: b.group_slug,
                group_name: b.group_name,
                year: b.year,
                amount: text::kroner(b.amount),
                transferred: text::kroner(b.transferred),
                available: text::kroner(available),
                disposed: text::kroner(b.disposed),
                spent: text::kroner(b.spent),
                undisposed: text::kroner(available - b.disposed),
            }
        })
        .collect();
    Ok(Html(BudgetPage { l: ctx.layout(Nav::Budget, "Budget"), lines }.render()?))
}
