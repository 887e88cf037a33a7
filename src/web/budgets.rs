//! A group's budget page (B1-B3): each year's budget, transfers, disposed, spent and undisposed, the
//! dispositions linked to change requests and the roadmap, and the secretariat's forms to set a budget,
//! dispose of it, record spending and transfer undisposed funds to another group.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Datelike;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::auth::Ctx;

use super::error::AppError;
use super::forms::{FieldErrors, optional_id};
use super::groups::readable_group;
use super::layout::{Layout, Nav};
use crate::app;
use crate::domain::access::Viewer;
use crate::domain::calendar::local_date;
use crate::domain::ids::DispositionId;
use crate::domain::input;
use crate::domain::input::Choice;
use crate::domain::refusal::Refusal;
use crate::state::AppState;
use crate::store::{self, budgets, change_requests as register, groups};
use crate::text;

struct YearLine {
    year: i32,
    amount: String,
    decided: String,
    transfers_in: String,
    transfers_out: String,
    available: String,
    disposed: String,
    spent: String,
    undisposed: String,
    /// Bar widths in percent of the year's largest figure, for the chart.
    bars: Vec<(&'static str, &'static str, String, u32)>,
}

struct DispositionView {
    year: i32,
    date: String,
    description: String,
    link: Option<(i64, String)>,
    initiative: String,
    amount: String,
    spent: String,
}

struct TransferView {
    year: i32,
    from: String,
    to: String,
    amount: String,
    reason: String,
    at: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct BudgetForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    decided_on: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct DispositionForm {
    #[serde(default)]
    d_year: String,
    #[serde(default)]
    d_amount: String,
    #[serde(default)]
    change_request_id: String,
    #[serde(default)]
    initiative_id: String,
    #[serde(default)]
    disposed_on: String,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct SpentForm {
    #[serde(default)]
    disposition_id: String,
    #[serde(default)]
    spent: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct TransferForm {
    #[serde(default)]
    t_year: String,
    #[serde(default)]
    to_group_id: String,
    #[serde(default)]
    to_year: String,
    #[serde(default)]
    t_amount: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "budgets/group.html")]
struct GroupPage {
    l: Layout,
    group: groups::Group,
    years: Vec<YearLine>,
    dispositions: Vec<DispositionView>,
    transfers: Vec<TransferView>,
    can_edit: bool,
    requests: Vec<Choice>,
    initiatives: Vec<Choice>,
    other_groups: Vec<Choice>,
    disposition_choices: Vec<Choice>,
    budget: BudgetForm,
    disposition: DispositionForm,
    spent: SpentForm,
    transfer: TransferForm,
    errors: FieldErrors,
    refusal: Option<Refusal>,
    /// B2, B3: spending beyond what is disposed.
    warnings: Vec<crate::domain::composition::Warning>,
}

fn percent(part: Decimal, whole: Decimal) -> u32 {
    if whole <= Decimal::ZERO || part <= Decimal::ZERO {
        return 0;
    }
    let p = (part * Decimal::from(100) / whole).round();
    u32::try_from(p.mantissa()).unwrap_or(0).min(100)
}

fn year_line(b: &budgets::BudgetLine) -> YearLine {
    let p = b.position;
    let top = [p.amount, p.available(), p.disposed, p.spent].into_iter().max().unwrap_or_default();
    let undisposed = p.undisposed().max(Decimal::ZERO);
    YearLine {
        year: p.year,
        amount: text::kroner(p.amount),
        decided: format!("{} {}", b.set_by, text::date(b.set_on)),
        transfers_in: text::kroner(p.transfers_in),
        transfers_out: text::kroner(p.transfers_out),
        available: text::kroner(p.available()),
        disposed: text::kroner(p.disposed),
        spent: text::kroner(p.spent),
        undisposed: text::kroner(p.undisposed()),
        bars: vec![
            ("Til rådighed", "bar-available", text::kroner(p.available()), percent(p.available(), top)),
            ("Disponeret", "bar-disposed", text::kroner(p.disposed), percent(p.disposed, top)),
            ("Forbrugt", "bar-spent", text::kroner(p.spent), percent(p.spent, top)),
            ("Ikke disponeret", "bar-undisposed", text::kroner(undisposed), percent(undisposed, top)),
        ],
    }
}

async fn group_page(state: &AppState, ctx: &Ctx, slug: &str) -> Result<GroupPage, AppError> {
    let group = readable_group(state, ctx, slug).await?;
    let can_edit = ctx.viewer().is_secretariat();
    let (years, dispositions, transfers) = tokio::try_join!(
        budgets::of_group(&state.db, group.id),
        budgets::dispositions(&state.db, group.id),
        budgets::transfers(&state.db, group.id),
    )?;
    let (requests, initiatives, others) = if can_edit {
        let filter = register::Filter { group_id: Some(group.id), ..Default::default() };
        tokio::try_join!(
            register::list(&state.db, ctx.scope(), &filter),
            register::initiatives(&state.db, ctx.scope(), Some(group.id)),
            groups::list(&state.db, ctx.scope()),
        )?
    } else {
        Default::default()
    };
    let year = local_date(state.clock.now()).year().to_string();
    let positions: Vec<_> = years.iter().map(|b| b.position).collect();
    let spending: Vec<_> = dispositions.iter().map(|d| (d.year, d.description.as_str(), d.amount, d.spent)).collect();
    let warnings = crate::domain::budget::spending_warnings(&positions, &spending);
    Ok(GroupPage {
        warnings,
        l: ctx.layout(Nav::Budget, format!("Budget · {}", group.name)),
        years: years.iter().map(year_line).collect(),
        disposition_choices: dispositions
            .iter()
            .map(|d| Choice { value: d.id.to_string(), label: format!("{} · {}", d.year, d.description) })
            .collect(),
        dispositions: dispositions
            .into_iter()
            .map(|d| DispositionView {
                year: d.year,
                date: text::short_date(d.disposed_on),
                link: d.change_request_id.zip(d.reference),
                initiative: d.initiative.unwrap_or_default(),
                amount: text::kroner(d.amount),
                spent: text::kroner(d.spent),
                description: d.description,
            })
            .collect(),
        transfers: transfers
            .into_iter()
            .map(|t| TransferView {
                year: t.year,
                from: t.from_group,
                to: t.to_group,
                amount: text::kroner(t.amount),
                reason: t.reason,
                at: text::datetime(t.made_at),
            })
            .collect(),
        can_edit,
        requests: requests
            .into_iter()
            .map(|r| Choice { value: r.id.to_string(), label: format!("{} {}", r.reference, r.title) })
            .collect(),
        initiatives: initiatives.into_iter().map(|i| Choice { value: i.id.to_string(), label: i.title }).collect(),
        other_groups: others
            .into_iter()
            .filter(|g| g.id != group.id)
            .map(|g| Choice { value: g.id.to_string(), label: g.name })
            .collect(),
        budget: BudgetForm { year: year.clone(), ..Default::default() },
        disposition: DispositionForm { d_year: year.clone(), ..Default::default() },
        spent: SpentForm::default(),
        transfer: TransferForm { t_year: year, ..Default::default() },
        errors: FieldErrors::default(),
        refusal: None,
        group,
    })
}

/// GET /grupper/{slug}/budget (B3)
pub async fn page(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> Result<Html<String>, AppError> {
    Ok(Html(group_page(&state, &ctx, &slug).await?.render()?))
}

fn year_of(s: &str, field: &'static str, errors: &mut FieldErrors) -> Option<i32> {
    let year = s.trim().parse::<i32>().ok().filter(|y| (2000..=2200).contains(y));
    if year.is_none() {
        errors.add(field, "Skriv budgetåret som et årstal, fx 2027.");
    }
    year
}

fn amount_of(s: &str, field: &'static str, errors: &mut FieldErrors) -> Option<Decimal> {
    let value = input::amount(s);
    if value.is_none() {
        errors.add(field, "Skriv beløbet i kroner som et tal mellem 0 og 1.000.000.000 (højst to decimaler).");
    }
    value
}

async fn again(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    errors: FieldErrors,
    refusal: Option<Refusal>,
    fill: impl FnOnce(&mut GroupPage),
) -> Result<Response, AppError> {
    let mut page = group_page(state, ctx, slug).await?;
    fill(&mut page);
    page.errors = errors;
    page.refusal = refusal;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

fn done(slug: &str) -> Result<Response, AppError> {
    Ok(Redirect::to(&format!("/grupper/{slug}/budget")).into_response())
}

/// POST /grupper/{slug}/budget (B1): the board's budget for a year, with the decision's date.
pub async fn set(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<BudgetForm>,
) -> Result<Response, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    ctx.require(Viewer::is_secretariat)?;
    let mut errors = FieldErrors::default();
    let year = year_of(&form.year, "year", &mut errors);
    let value = amount_of(&form.amount, "amount", &mut errors);
    let decided_on = input::date(&form.decided_on)
        .map_err(|_| errors.add("decided_on", "Skriv datoen for Bestyrelsens beslutning som åååå-mm-dd."))
        .ok();
    let (Some(year), Some(value), Some(decided_on), true) = (year, value, decided_on, errors.is_empty()) else {
        return again(&state, &ctx, &slug, errors, None, |p| p.budget = form).await;
    };
    match app::budgets::set(&state, &ctx.actor(), &group, year, value, decided_on).await {
        Ok(_) => done(&slug),
        Err(app::Error::Store(store::Error::Refused(r))) => {
            again(&state, &ctx, &slug, errors, Some(r), |p| p.budget = form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /grupper/{slug}/budget/dispositioner (B2, B3)
pub async fn dispose(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<DispositionForm>,
) -> Result<Response, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    ctx.require(Viewer::is_secretariat)?;
    let mut errors = FieldErrors::default();
    let year = year_of(&form.d_year, "d_year", &mut errors);
    let value = amount_of(&form.d_amount, "d_amount", &mut errors);
    let disposed_on =
        input::date(&form.disposed_on).map_err(|_| errors.add("disposed_on", "Skriv datoen som åååå-mm-dd.")).ok();
    let description =
        input::one_line(&form.description, 300).map_err(|m| errors.add("description", m)).unwrap_or_default();
    if description.is_empty() && errors.get("description").is_empty() {
        errors.add("description", "Beskriv, hvad beløbet er disponeret til.");
    }
    let (Some(year), Some(value), Some(disposed_on), true) = (year, value, disposed_on, errors.is_empty()) else {
        return again(&state, &ctx, &slug, errors, None, |p| p.disposition = form).await;
    };
    let new = budgets::NewDisposition {
        year,
        amount: value,
        change_request_id: optional_id(&form.change_request_id),
        initiative_id: optional_id(&form.initiative_id),
        disposed_on,
        description,
    };
    match app::budgets::dispose(&state, &ctx.actor(), &group, &new).await {
        Ok(_) => done(&slug),
        Err(app::Error::Store(store::Error::Refused(r))) => {
            again(&state, &ctx, &slug, errors, Some(r), |p| p.disposition = form).await
        }
        Err(app::Error::Store(store::Error::Unknown(_))) => {
            errors.add("change_request_id", "Vælg et ændringsønske og et initiativ fra gruppens egne lister.");
            again(&state, &ctx, &slug, errors, None, |p| p.disposition = form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /grupper/{slug}/budget/forbrug (B3)
pub async fn spend(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<SpentForm>,
) -> Result<Response, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    ctx.require(Viewer::is_secretariat)?;
    let mut errors = FieldErrors::default();
    let disposition = optional_id(&form.disposition_id);
    if disposition.is_none() {
        errors.add("disposition_id", "Vælg en disposition.");
    }
    let value = amount_of(&form.spent, "spent", &mut errors);
    let (Some(disposition), Some(value), true) = (disposition, value, errors.is_empty()) else {
        return again(&state, &ctx, &slug, errors, None, |p| p.spent = form).await;
    };
    match app::budgets::spend(&state, &ctx.actor(), &group, DispositionId(disposition), value).await {
        Ok(()) => done(&slug),
        Err(app::Error::Store(store::Error::Unknown(_))) => {
            errors.add("disposition_id", "Vælg en af gruppens dispositioner.");
            again(&state, &ctx, &slug, errors, None, |p| p.spent = form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /grupper/{slug}/budget/overfoersler (B2): undisposed funds to another group, within the year.
pub async fn transfer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<TransferForm>,
) -> Result<Response, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    ctx.require(Viewer::is_secretariat)?;
    let mut errors = FieldErrors::default();
    let year = year_of(&form.t_year, "t_year", &mut errors);
    let to_year = match form.to_year.trim() {
        "" => year,
        s => year_of(s, "to_year", &mut errors),
    };
    let to_group = optional_id(&form.to_group_id);
    if to_group.is_none() {
        errors.add("to_group_id", "Vælg den gruppe, der modtager midlerne.");
    }
    let value = amount_of(&form.t_amount, "t_amount", &mut errors);
    let reason = input::text(&form.reason, 2000).map_err(|m| errors.add("reason", m)).unwrap_or_default();
    if reason.is_empty() && errors.get("reason").is_empty() {
        errors.add("reason", "Skriv begrundelsen for overførslen.");
    }
    let (Some(year), Some(to_year), Some(to_group), Some(value), true) =
        (year, to_year, to_group, value, errors.is_empty())
    else {
        return again(&state, &ctx, &slug, errors, None, |p| p.transfer = form).await;
    };
    let Some(receiver) = groups::readable(&state.db, groups::GroupKey::Id(to_group), ctx.scope()).await? else {
        errors.add("to_group_id", "Gruppen findes ikke.");
        return again(&state, &ctx, &slug, errors, None, |p| p.transfer = form).await;
    };
    let new = budgets::NewTransfer { from_group: group.id, from_year: year, to_group, to_year, amount: value, reason };
    match app::budgets::transfer(&state, &ctx.actor(), &group, &receiver, &new).await {
        Ok(_) => done(&slug),
        Err(app::Error::Store(store::Error::Refused(r))) => {
            again(&state, &ctx, &slug, errors, Some(r), |p| p.transfer = form).await
        }
        Err(e) => Err(e.into()),
    }
}
