//! What the minutes feed (R5, C4): the decisions register and the action list across groups and per
//! group, closing an action, and a group's minutes archive. Read rules apply in SQL (O5, M5).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::Ctx;
use super::error::AppError;
use super::groups::readable_group;
use super::layout::{Layout, Nav};
use crate::app;
use crate::domain::calendar::local_date;
use crate::domain::composition::SeatStatus;
use crate::domain::input;
use crate::domain::input::Choice;
use crate::domain::minutes::{self, ActionStatus, Denied};
use crate::domain::refusal::Refusal;
use crate::state::AppState;
use crate::store::{self, actions as register, groups, memberships};
use crate::text;

#[derive(Deserialize, Default, Clone)]
pub struct DecisionQuery {
    #[serde(default)]
    gruppe: String,
    #[serde(default)]
    aar: String,
    #[serde(default)]
    q: String,
}

struct DecisionLine {
    group_name: String,
    meeting_id: i64,
    decided_on: String,
    text: String,
    outcome: &'static str,
    responsible: String,
    item: String,
}

#[derive(Template)]
#[template(path = "registers/decisions.html")]
struct DecisionsPage {
    l: Layout,
    action: String,
    group: Option<groups::Group>,
    groups: Vec<Choice>,
    query: DecisionQuery,
    lines: Vec<DecisionLine>,
}

/// GET /beslutninger: the decisions of every group the reader may see (R5).
pub async fn decisions(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<DecisionQuery>,
) -> Result<Html<String>, AppError> {
    let all = groups::list(&state.db, ctx.scope()).await?;
    let group_id = all.iter().find(|g| g.slug == query.gruppe).map(|g| g.id);
    let choices = all.into_iter().map(|g| Choice { value: g.slug, label: g.name }).collect();
    decisions_page(&state, &ctx, None, group_id, choices, query).await
}

/// GET /grupper/{slug}/beslutninger
pub async fn group_decisions(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(query): Query<DecisionQuery>,
) -> Result<Html<String>, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    let id = group.id;
    decisions_page(&state, &ctx, Some(group), Some(id), Vec::new(), query).await
}

async fn decisions_page(
    state: &AppState,
    ctx: &Ctx,
    group: Option<groups::Group>,
    group_id: Option<i64>,
    choices: Vec<Choice>,
    query: DecisionQuery,
) -> Result<Html<String>, AppError> {
    let text = input::one_line(&query.q, 200).unwrap_or_default();
    let filter = register::DecisionFilter {
        group_id,
        year: query.aar.trim().parse::<i32>().ok().filter(|y| (1900..=2200).contains(y)),
        text: (!text.is_empty()).then_some(text),
    };
    let rows = register::decisions(&state.db, ctx.scope(), &filter).await?;
    let lines = rows
        .into_iter()
        .map(|d| DecisionLine {
            group_name: d.group_name,
            meeting_id: d.meeting_id,
            decided_on: text::date(d.decided_on),
            text: d.text,
            outcome: d.outcome.map(minutes::Outcome::label).unwrap_or(""),
            responsible: d.responsible.unwrap_or_default(),
            item: d.item.unwrap_or_default(),
        })
        .collect();
    let (title, action) = match &group {
        Some(g) => (format!("Beslutninger · {}", g.name), format!("/grupper/{}/beslutninger", g.slug)),
        None => ("Beslutninger".to_owned(), "/beslutninger".to_owned()),
    };
    let page = DecisionsPage { l: ctx.layout(Nav::Meetings, title), action, group, groups: choices, query, lines };
    Ok(Html(page.render()?))
}

struct ActionLine {
    id: i64,
    group_name: String,
    meeting_id: Option<i64>,
    title: String,
    owner: String,
    due: String,
    status: &'static str,
    note: String,
    overdue: bool,
    can_close: bool,
}

#[derive(Template)]
#[template(path = "registers/actions.html")]
struct ActionsPage {
    l: Layout,
    group: Option<groups::Group>,
    lines: Vec<ActionLine>,
    refusal: Option<Refusal>,
}

/// GET /aktioner: the action list of every group the reader may see (C4).
pub async fn actions(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    Ok(Html(actions_page(&state, &ctx, None, None).await?.render()?))
}

/// GET /grupper/{slug}/aktioner
pub async fn group_actions(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Html<String>, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    Ok(Html(actions_page(&state, &ctx, Some(group), None).await?.render()?))
}

async fn actions_page(
    state: &AppState,
    ctx: &Ctx,
    group: Option<groups::Group>,
    refusal: Option<Refusal>,
) -> Result<ActionsPage, AppError> {
    let rows = register::actions(&state.db, ctx.scope(), group.as_ref().map(|g| g.id)).await?;
    let today = local_date(state.clock.now());
    let secretariat = ctx.viewer().is_secretariat();
    let lines = rows
        .into_iter()
        .map(|a| ActionLine {
            id: a.id,
            group_name: a.group_name,
            meeting_id: a.meeting_id,
            due: text::date(a.due_on),
            overdue: minutes::is_overdue(a.status, a.due_on, today),
            can_close: minutes::may_close_action(a.status, a.owner_id == ctx.user.person_id, secretariat).is_ok(),
            status: a.status.label(),
            title: a.title,
            owner: a.owner,
            note: a.note,
        })
        .collect();
    let title = match &group {
        Some(g) => format!("Aktionsliste · {}", g.name),
        None => "Aktionsliste".to_owned(),
    };
    Ok(ActionsPage { l: ctx.layout(Nav::Meetings, title), group, lines, refusal })
}

#[derive(Deserialize, Default)]
pub struct CloseForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

/// POST /aktioner/{id}/luk: the owner or the secretariat closes an action as done or dropped (C4).
pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<CloseForm>,
) -> Result<Response, AppError> {
    let action = register::action(&state.db, ctx.scope(), id).await?.ok_or(AppError::NotFound)?;
    let status = ActionStatus::parse(&form.status).unwrap_or(ActionStatus::Open);
    let note = match input::text(&form.note, 2_000) {
        Ok(n) => n,
        Err(message) => return refuse(&state, &ctx, "C4", message).await,
    };
    let by_secretariat = ctx.viewer().is_secretariat();
    match app::actions::close(&state, &ctx.actor(), &action, by_secretariat, status, &note).await? {
        Ok(()) => Ok(Redirect::to(&format!("/aktioner#aktion-{id}")).into_response()),
        Err(Denied::NotYours) => Err(AppError::Forbidden),
        Err(Denied::Refused(r)) => refuse(&state, &ctx, r.rule, r.message).await,
    }
}

async fn refuse(
    state: &AppState,
    ctx: &Ctx,
    rule: &'static str,
    message: impl Into<String>,
) -> Result<Response, AppError> {
    let page = actions_page(state, ctx, None, Some(Refusal::new(rule, message))).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

struct ArchiveLine {
    meeting_id: i64,
    title: String,
    when: String,
    status: &'static str,
    approved: String,
}

#[derive(Template)]
#[template(path = "registers/minutes_archive.html")]
struct ArchivePage {
    l: Layout,
    group: groups::Group,
    lines: Vec<ArchiveLine>,
}

/// GET /grupper/{slug}/referater: the group's minutes, newest first (R3, O5).
pub async fn archive(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Html<String>, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    let members = memberships::of_group(&state.db, group.id).await?;
    let in_group = members.iter().any(|m| m.person_id == ctx.user.person_id && m.status == SeatStatus::Active);
    let rows = store::minutes::archive(&state.db, ctx.scope(), group.id, in_group).await?;
    let lines = rows
        .into_iter()
        .map(|r| ArchiveLine {
            meeting_id: r.meeting_id,
            title: r.title,
            when: text::date(local_date(r.starts_at)),
            status: r.status.label(),
            approved: match (r.approved_at, r.version) {
                (Some(t), 1) => text::datetime(t),
                (Some(t), v) => format!("{} (version {v})", text::datetime(t)),
                (None, _) => String::new(),
            },
        })
        .collect();
    let page = ArchivePage { l: ctx.layout(Nav::Meetings, format!("Referater · {}", group.name)), group, lines };
    Ok(Html(page.render()?))
}
