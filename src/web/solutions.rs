//! Solutions in operation (O4): the secretariat's register, where a solution is added, edited and
//! assigned to the group responsible for it, including a group's takeover when it goes into production.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::Ctx;
use super::error::AppError;
use super::forms::FieldErrors;
use super::layout::{Layout, Nav};
use crate::domain::access::Viewer;
use crate::domain::input;
use crate::domain::input::Choice;
use crate::domain::operations::{EntryState, OperationalKind};
use crate::state::AppState;
use crate::store::{self, groups, solutions};
use crate::text;

struct EntryLine {
    kind: &'static str,
    date: String,
    summary: String,
    count: String,
    status: &'static str,
}

/// A8: one operational status entry as typed.
#[derive(Deserialize, Default, Clone)]
pub struct EntryForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reported_on: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    count: String,
    #[serde(default)]
    entry_status: String,
}

fn kind_choices() -> Vec<Choice> {
    OperationalKind::ALL.iter().map(|k| Choice { value: k.as_str().into(), label: k.label().into() }).collect()
}

fn state_choices() -> Vec<Choice> {
    EntryState::ALL.iter().map(|k| Choice { value: k.as_str().into(), label: k.label().into() }).collect()
}

impl EntryForm {
    fn validate(&self) -> Result<solutions::NewEntry, FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = OperationalKind::parse(&self.kind);
        if kind.is_none() {
            e.add("kind", "Vælg hvilken slags driftsstatus det er.");
        }
        let reported_on =
            input::date(&self.reported_on).map_err(|_| e.add("reported_on", "Skriv datoen som åååå-mm-dd.")).ok();
        let summary = input::text(&self.summary, 2000).map_err(|m| e.add("summary", m)).unwrap_or_default();
        if summary.is_empty() && e.get("summary").is_empty() {
            e.add("summary", "Beskriv kort, hvad der er sket.");
        }
        let count = match self.count.trim() {
            "" => None,
            s => s.parse::<i32>().ok().filter(|n| (0..=1_000_000).contains(n)).or_else(|| {
                e.add("count", "Skriv antallet som et helt tal mellem 0 og 1.000.000.");
                None
            }),
        };
        let status = EntryState::parse(&self.entry_status);
        if status.is_none() {
            e.add("entry_status", "Vælg om sagen er åben eller løst.");
        }
        match (kind, reported_on, status) {
            (Some(kind), Some(reported_on), Some(status)) if e.is_empty() => {
                Ok(solutions::NewEntry { kind, reported_on, summary, count, status })
            }
            _ => Err(e),
        }
    }
}

struct Line {
    id: i64,
    name: String,
    description: String,
    group: String,
    in_operation: bool,
    taken_over: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct SolutionForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    group_id: String,
    #[serde(default)]
    in_operation: Option<String>,
    #[serde(default)]
    taken_over_on: String,
}

impl SolutionForm {
    fn from(s: &solutions::Solution) -> Self {
        SolutionForm {
            name: s.name.clone(),
            description: s.description.clone(),
            group_id: s.group_id.map(|g| g.to_string()).unwrap_or_default(),
            in_operation: s.in_operation.then(|| "ja".into()),
            taken_over_on: s.taken_over_on.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    fn validate(&self) -> Result<solutions::SolutionInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = input::one_line(&self.name, 200).map_err(|m| e.add("name", m)).unwrap_or_default();
        if name.is_empty() && e.get("name").is_empty() {
            e.add("name", "Skriv løsningens navn.");
        }
        let description = input::text(&self.description, 4000).map_err(|m| e.add("description", m)).unwrap_or_default();
        let group_id = match self.group_id.trim() {
            "" => None,
            s => s.parse::<i64>().map_err(|_| e.add("group_id", "Vælg en gruppe fra listen.")).ok(),
        };
        let taken_over_on = match self.taken_over_on.trim() {
            "" => None,
            s => input::date(s).map_err(|_| e.add("taken_over_on", "Skriv datoen som åååå-mm-dd.")).ok(),
        };
        if taken_over_on.is_some() && group_id.is_none() && e.get("group_id").is_empty() {
            e.add("group_id", "Vælg den gruppe, der overtager løsningen.");
        }
        if e.is_empty() {
            Ok(solutions::SolutionInput {
                name,
                description,
                group_id,
                in_operation: self.in_operation.is_some(),
                taken_over_on,
            })
        } else {
            Err(e)
        }
    }
}

#[derive(Template)]
#[template(path = "solutions/list.html")]
struct ListPage {
    l: Layout,
    lines: Vec<Line>,
    groups: Vec<Choice>,
    editing: Option<i64>,
    form: SolutionForm,
    errors: FieldErrors,
    entries: Vec<EntryLine>,
    entry: EntryForm,
    kinds: Vec<Choice>,
    states: Vec<Choice>,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    editing: Option<i64>,
    form: SolutionForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = build(state, ctx, editing, form, errors).await?;
    Ok((status, Html(page.render()?)).into_response())
}

async fn build(
    state: &AppState,
    ctx: &Ctx,
    editing: Option<i64>,
    form: SolutionForm,
    errors: FieldErrors,
) -> Result<ListPage, AppError> {
    let (all, groups) = tokio::try_join!(solutions::all(&state.db), groups::list(&state.db, ctx.scope()))?;
    let entries = match editing {
        Some(id) => solutions::entries(&state.db, id).await?,
        None => Vec::new(),
    };
    let title = if editing.is_some() { "Rediger løsning" } else { "Løsninger i drift" };
    let page = ListPage {
        l: ctx.layout(Nav::Roadmap, title),
        lines: all
            .into_iter()
            .map(|s| Line {
                id: s.id,
                name: s.name,
                description: s.description,
                group: s.group_name.unwrap_or_default(),
                in_operation: s.in_operation,
                taken_over: s.taken_over_on.map(text::date).unwrap_or_default(),
            })
            .collect(),
        groups: groups.into_iter().map(|g| Choice { value: g.id.to_string(), label: g.name }).collect(),
        editing,
        form,
        errors,
        entries: entries
            .into_iter()
            .map(|e| EntryLine {
                kind: e.kind.label(),
                date: text::date(e.reported_on),
                summary: e.summary,
                count: e.count.map(|n| n.to_string()).unwrap_or_default(),
                status: e.status.label(),
            })
            .collect(),
        entry: EntryForm { entry_status: "open".into(), ..Default::default() },
        kinds: kind_choices(),
        states: state_choices(),
    };
    Ok(page)
}

/// GET /loesninger (O4)
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let form = SolutionForm { in_operation: Some("ja".into()), ..Default::default() };
    page(&state, &ctx, None, form, FieldErrors::default(), StatusCode::OK).await
}

/// GET /loesninger/{id}/rediger
pub async fn edit_form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let solution = solutions::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    page(&state, &ctx, Some(id), SolutionForm::from(&solution), FieldErrors::default(), StatusCode::OK).await
}

async fn save(state: &AppState, ctx: &Ctx, editing: Option<i64>, form: SolutionForm) -> Result<Response, AppError> {
    let input = match form.validate() {
        Ok(input) => input,
        Err(errors) => return page(state, ctx, editing, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let result = match editing {
        Some(id) => solutions::update(&state.db, &ctx.actor(), id, &input).await,
        None => solutions::create(&state.db, &ctx.actor(), &input).await.map(|_| ()),
    };
    let mut errors = FieldErrors::default();
    match result {
        Ok(()) => return Ok(Redirect::to("/loesninger").into_response()),
        Err(store::Error::Taken(_)) => errors.add("name", "Der findes allerede en løsning med dette navn."),
        Err(store::Error::Unknown(_)) => errors.add("group_id", "Gruppen findes ikke. Vælg en fra listen."),
        Err(e) => return Err(e.into()),
    }
    page(state, ctx, editing, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// POST /loesninger
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SolutionForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    save(&state, &ctx, None, form).await
}

/// POST /loesninger/{id}: an edit, or a group's takeover (O4).
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<SolutionForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    solutions::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    save(&state, &ctx, Some(id), form).await
}

/// POST /loesninger/{id}/drift (A8): an operational status entry for the solution.
pub async fn add_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let solution = solutions::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    match form.validate() {
        Ok(entry) => {
            solutions::add_entry(&state.db, &ctx.actor(), id, &entry).await?;
            Ok(Redirect::to(&format!("/loesninger/{id}/rediger#drift")).into_response())
        }
        Err(errors) => {
            let mut page = build(&state, &ctx, Some(id), SolutionForm::from(&solution), errors).await?;
            page.entry = form;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}
