//! A group's roadmap (C3): initiatives by horizon, each with its linked change requests' titles and
//! statuses, readable without following links; the secretariat adds and edits initiatives.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Datelike;
use serde::Deserialize;

use super::auth::Ctx;
use super::error::AppError;
use super::forms::FieldErrors;
use super::groups::readable_group;
use super::layout::{Layout, Nav};
use crate::domain::access::Viewer;
use crate::domain::calendar::local_date;
use crate::domain::input;
use crate::domain::input::Choice;
use crate::domain::roadmap::{Horizon, InitiativeStatus};
use crate::state::AppState;
use crate::store::{groups, roadmap as store};

struct RequestLine {
    id: i64,
    reference: String,
    title: String,
    status: &'static str,
}

struct InitiativeView {
    id: i64,
    title: String,
    description: String,
    years: String,
    status: &'static str,
    requests: Vec<RequestLine>,
}

struct HorizonView {
    label: &'static str,
    initiatives: Vec<InitiativeView>,
}

#[derive(Deserialize, Default, Clone)]
pub struct InitiativeForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    start_year: String,
    #[serde(default)]
    end_year: String,
    #[serde(default)]
    status: String,
}

impl InitiativeForm {
    fn from(i: &store::Initiative) -> Self {
        InitiativeForm {
            title: i.title.clone(),
            description: i.description.clone(),
            start_year: i.start_year.to_string(),
            end_year: i.end_year.to_string(),
            status: i.status.as_str().into(),
        }
    }

    fn validate(&self) -> Result<store::InitiativeInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = input::one_line(&self.title, 200).map_err(|m| e.add("title", m)).unwrap_or_default();
        if title.is_empty() && e.get("title").is_empty() {
            e.add("title", "Giv initiativet en titel.");
        }
        let description = input::text(&self.description, 4000).map_err(|m| e.add("description", m)).unwrap_or_default();
        let year = |s: &str| s.trim().parse::<i32>().ok().filter(|y| (2000..=2200).contains(y));
        let start_year = year(&self.start_year);
        if start_year.is_none() {
            e.add("start_year", "Skriv startåret som et årstal, fx 2027.");
        }
        let end_year = match self.end_year.trim() {
            "" => start_year,
            s => year(s),
        };
        match (start_year, end_year) {
            (_, None) => e.add("end_year", "Skriv slutåret som et årstal, fx 2028."),
            (Some(s), Some(end)) if end < s => e.add("end_year", "Slutåret ligger før startåret."),
            _ => {}
        }
        let status = InitiativeStatus::parse(&self.status);
        if status.is_none() {
            e.add("status", "Vælg en status.");
        }
        match (start_year, end_year, status) {
            (Some(start_year), Some(end_year), Some(status)) if e.is_empty() => {
                Ok(store::InitiativeInput { title, description, start_year, end_year, status })
            }
            _ => Err(e),
        }
    }
}

fn status_choices() -> Vec<Choice> {
    InitiativeStatus::ALL.iter().map(|s| Choice { value: s.as_str().into(), label: s.label().into() }).collect()
}

#[derive(Template)]
#[template(path = "roadmap/group.html")]
struct GroupPage {
    l: Layout,
    group: groups::Group,
    horizons: Vec<HorizonView>,
    solutions: Vec<groups::Solution>,
    can_edit: bool,
    form: InitiativeForm,
    errors: FieldErrors,
    statuses: Vec<Choice>,
}

async fn group_page(state: &AppState, ctx: &Ctx, slug: &str) -> Result<GroupPage, AppError> {
    let group = readable_group(state, ctx, slug).await?;
    let (initiatives, requests, solutions) = tokio::try_join!(
        store::of_group(&state.db, group.id),
        store::linked_requests(&state.db, group.id),
        groups::solutions(&state.db, group.id),
    )?;
    let this_year = local_date(state.clock.now()).year();
    let horizons = Horizon::ALL
        .into_iter()
        .map(|h| HorizonView {
            label: h.label(),
            initiatives: initiatives
                .iter()
                .filter(|i| Horizon::of(i.start_year, this_year) == h)
                .map(|i| InitiativeView {
                    id: i.id,
                    title: i.title.clone(),
                    description: i.description.clone(),
                    years: if i.start_year == i.end_year {
                        i.start_year.to_string()
                    } else {
                        format!("{}–{}", i.start_year, i.end_year)
                    },
                    status: i.status.label(),
                    requests: requests
                        .iter()
                        .filter(|r| r.initiative_id == i.id)
                        .map(|r| RequestLine {
                            id: r.id,
                            reference: r.reference.clone(),
                            title: r.title.clone(),
                            status: r.status.label(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    Ok(GroupPage {
        l: ctx.layout(Nav::Roadmap, format!("Roadmap · {}", group.name)),
        can_edit: ctx.viewer().is_secretariat(),
        form: InitiativeForm {
            start_year: (this_year + 1).to_string(),
            status: InitiativeStatus::Planned.as_str().into(),
            ..Default::default()
        },
        errors: FieldErrors::default(),
        statuses: status_choices(),
        horizons,
        solutions,
        group,
    })
}

/// GET /grupper/{slug}/roadmap
pub async fn page(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> Result<Html<String>, AppError> {
    Ok(Html(group_page(&state, &ctx, &slug).await?.render()?))
}

/// POST /grupper/{slug}/roadmap
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<InitiativeForm>,
) -> Result<Response, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    ctx.require(Viewer::is_secretariat)?;
    match form.validate() {
        Ok(input) => {
            store::create(&state.db, &ctx.actor(), group.id, &input).await?;
            Ok(Redirect::to(&format!("/grupper/{slug}/roadmap")).into_response())
        }
        Err(errors) => {
            let mut page = group_page(&state, &ctx, &slug).await?;
            page.form = form;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "roadmap/edit.html")]
struct EditPage {
    l: Layout,
    id: i64,
    group: groups::Group,
    form: InitiativeForm,
    errors: FieldErrors,
    statuses: Vec<Choice>,
}

async fn editable(state: &AppState, ctx: &Ctx, id: i64) -> Result<(store::Initiative, groups::Group), AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let initiative = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let group = groups::readable(&state.db, groups::GroupKey::Id(initiative.group_id), ctx.scope())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((initiative, group))
}

fn edit_page(ctx: &Ctx, id: i64, group: groups::Group, form: InitiativeForm, errors: FieldErrors) -> EditPage {
    EditPage { l: ctx.layout(Nav::Roadmap, "Rediger initiativ"), id, group, form, errors, statuses: status_choices() }
}

/// GET /roadmap/{id}/rediger
pub async fn edit_form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, AppError> {
    let (initiative, group) = editable(&state, &ctx, id).await?;
    let form = InitiativeForm::from(&initiative);
    Ok(Html(edit_page(&ctx, id, group, form, FieldErrors::default()).render()?))
}

/// POST /roadmap/{id}
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<InitiativeForm>,
) -> Result<Response, AppError> {
    let (_, group) = editable(&state, &ctx, id).await?;
    match form.validate() {
        Ok(input) => {
            store::update(&state.db, &ctx.actor(), id, &input).await?;
            Ok(Redirect::to(&format!("/grupper/{}/roadmap", group.slug)).into_response())
        }
        Err(errors) => {
            let page = edit_page(&ctx, id, group, form, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}
