//! Change requests (C1, C2): the lists across groups and per group with filters and CSV export, the
//! detail page with its history, the forms to propose and edit, status steps and escalations.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::Ctx;
use super::directory::csv_field;
use super::error::AppError;
use super::forms::FieldErrors;
use super::groups::readable_group;
use super::layout::{Layout, Nav};
use crate::app;
use crate::domain::access::Viewer;
use crate::domain::calendar::local_date;
use crate::domain::change_requests::{FieldProblems, Priority, RequestDraft, Status};
use crate::domain::composition::SeatStatus;
use crate::domain::ids::EscalationId;
use crate::domain::input;
use crate::domain::input::Choice;
use crate::domain::refusal::Refusal;
use crate::state::AppState;
use crate::store::{self, change_requests as register, memberships};
use crate::text;

fn status_choices() -> Vec<Choice> {
    Status::ALL.iter().map(|s| Choice { value: s.as_str().into(), label: s.label().into() }).collect()
}

fn priority_choices() -> Vec<Choice> {
    Priority::ALL.iter().map(|p| Choice { value: p.as_str().into(), label: p.label().into() }).collect()
}

/// The list's filter as typed in the query string; what does not parse is ignored.
#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    initiativ: String,
    #[serde(default)]
    prioritet: String,
    #[serde(default)]
    q: String,
}

impl ListQuery {
    fn filter(&self, group_id: Option<i64>) -> register::Filter {
        register::Filter {
            group_id,
            status: Status::parse(&self.status),
            initiative_id: self.initiativ.parse().ok(),
            priority: Priority::parse(&self.prioritet),
            text: input::one_line(&self.q, 200).unwrap_or_default(),
        }
    }
}

struct Line {
    id: i64,
    reference: String,
    title: String,
    group_name: String,
    priority: &'static str,
    status: &'static str,
    initiative: String,
    cost: String,
}

#[derive(Template)]
#[template(path = "change_requests/list.html")]
struct ListPage {
    l: Layout,
    group: Option<store::groups::Group>,
    query: ListQuery,
    statuses: Vec<Choice>,
    priorities: Vec<Choice>,
    initiatives: Vec<Choice>,
    lines: Vec<Line>,
    csv_href: String,
    may_propose: bool,
}

fn line(r: register::Row) -> Line {
    Line {
        id: r.id,
        priority: r.priority.label(),
        status: r.status.label(),
        initiative: r.initiative.unwrap_or_default(),
        cost: r.cost.map(text::kroner).unwrap_or_default(),
        reference: r.reference,
        title: r.title,
        group_name: r.group_name,
    }
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    group: Option<store::groups::Group>,
    query: ListQuery,
    raw: Option<String>,
) -> Result<Html<String>, AppError> {
    let group_id = group.as_ref().map(|g| g.id);
    let filter = query.filter(group_id);
    let (rows, initiatives) = tokio::try_join!(
        register::list(&state.db, ctx.scope(), &filter),
        register::initiatives(&state.db, ctx.scope(), group_id),
    )?;
    let base = match &group {
        Some(g) => format!("/grupper/{}/aendringsoensker", g.slug),
        None => "/aendringsoensker".into(),
    };
    let csv_href = match raw.filter(|q| !q.is_empty()) {
        Some(q) => format!("{base}.csv?{q}"),
        None => format!("{base}.csv"),
    };
    let may_propose = match &group {
        Some(g) => may_propose(state, ctx, g.id).await?,
        None => false,
    };
    let title = match &group {
        Some(g) => format!("Ændringsønsker · {}", g.name),
        None => "Ændringsønsker".into(),
    };
    let page = ListPage {
        l: ctx.layout(Nav::ChangeRequests, title),
        query,
        statuses: status_choices(),
        priorities: priority_choices(),
        initiatives: initiatives
            .into_iter()
            .map(|i| Choice {
                value: i.id.to_string(),
                label: if group.is_some() { i.title } else { format!("{} ({})", i.title, i.group_name) },
            })
            .collect(),
        lines: rows.into_iter().map(line).collect(),
        csv_href,
        may_propose,
        group,
    };
    Ok(Html(page.render()?))
}

/// GET /aendringsoensker: every readable group's requests (O5, M5), filtered.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ListQuery>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, AppError> {
    list_page(&state, &ctx, None, query, raw).await
}

/// GET /grupper/{slug}/aendringsoensker
pub async fn group_list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    list_page(&state, &ctx, Some(group), query, raw).await
}

/// The list as a spreadsheet opens it: semicolons, a UTF-8 byte order mark, formulas defused.
async fn csv(
    state: &AppState,
    ctx: &Ctx,
    group_id: Option<i64>,
    query: &ListQuery,
    name: &str,
) -> Result<Response, AppError> {
    let rows = register::list(&state.db, ctx.scope(), &query.filter(group_id)).await?;
    let mut out = String::from("\u{feff}Nr.;Titel;Gruppe;Prioritet;Status;Roadmap-initiativ;Omkostning (kr.)\r\n");
    for r in rows {
        let cost = r.cost.map(text::spreadsheet_number).unwrap_or_default();
        let r = line(r);
        let row = [r.reference.as_str(), &r.title, &r.group_name, r.priority, r.status, &r.initiative, &cost];
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    }
    let disposition = format!("attachment; filename=\"{name}.csv\"");
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        out,
    )
        .into_response())
}

/// GET /aendringsoensker.csv
pub async fn list_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    csv(&state, &ctx, None, &query, "aendringsoensker").await
}

/// GET /grupper/{slug}/aendringsoensker.csv
pub async fn group_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    csv(&state, &ctx, Some(group.id), &query, &format!("aendringsoensker-{}", group.slug)).await
}

/// C1: the secretariat, and the group's active members, may propose a change request.
async fn may_propose(state: &AppState, ctx: &Ctx, group_id: i64) -> Result<bool, AppError> {
    if ctx.viewer().is_secretariat() {
        return Ok(true);
    }
    let members = memberships::of_group(&state.db, group_id).await?;
    Ok(members.iter().any(|m| m.person_id == ctx.user.person_id && m.status == SeatStatus::Active))
}

struct HistoryView {
    when: String,
    who: String,
    what: String,
    text: String,
    outcome: String,
    link: Option<String>,
    open_escalation: Option<i64>,
}

#[derive(Deserialize, Default, Clone)]
pub struct StepForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct EscalationForm {
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct OutcomeForm {
    #[serde(default)]
    outcome: String,
}

#[derive(Template)]
#[template(path = "change_requests/show.html")]
struct ShowPage {
    l: Layout,
    c: register::Detail,
    status: &'static str,
    priority: &'static str,
    cost: String,
    created: String,
    history: Vec<HistoryView>,
    /// A7: the meetings whose agenda carries the request: (meeting id, date, purpose).
    on_agendas: Vec<(i64, String, &'static str)>,
    next: Vec<Choice>,
    can_edit: bool,
    escalated: bool,
    step: StepForm,
    escalation: EscalationForm,
    outcome: OutcomeForm,
    errors: FieldErrors,
    refusal: Option<Refusal>,
}

async fn show_page(state: &AppState, ctx: &Ctx, id: i64) -> Result<ShowPage, AppError> {
    let c = register::get(&state.db, id, ctx.scope()).await?.ok_or(AppError::NotFound)?;
    let (lines, on_agendas) =
        tokio::try_join!(register::history(&state.db, id), store::registers::agendas_of_request(&state.db, id))?;
    let on_agendas = on_agendas
        .into_iter()
        .map(|a| (a.meeting_id, text::date(local_date(a.starts_at)), a.purpose.label()))
        .collect();
    let decision =
        lines.iter().rev().find(|h| h.kind == register::HistoryKind::Decision).map(|h| format!("/moeder/{}", h.ref_id));
    let history = lines
        .into_iter()
        .map(|h| {
            let when = text::datetime(h.at);
            let who = h.by.clone().unwrap_or_default();
            match h.kind {
                register::HistoryKind::Status => {
                    let to = h.to_status.map(Status::label).unwrap_or_default();
                    let what = match h.from_status {
                        None => format!("Oprettet som {}", to.to_lowercase()),
                        Some(from) => format!("{} → {}", from.label(), to),
                    };
                    let decided = matches!(h.to_status, Some(Status::Approved | Status::Rejected));
                    let link = decided.then(|| decision.clone()).flatten();
                    HistoryView { when, who, what, text: h.text, outcome: String::new(), link, open_escalation: None }
                }
                register::HistoryKind::Decision => HistoryView {
                    when: text::date(local_date(h.at)),
                    who,
                    what: "Beslutning i referatet".into(),
                    text: h.text,
                    outcome: String::new(),
                    link: Some(format!("/moeder/{}", h.ref_id)),
                    open_escalation: None,
                },
                register::HistoryKind::Escalation => HistoryView {
                    when,
                    who,
                    what: "Eskaleret til Bestyrelsen (C2)".into(),
                    text: h.text,
                    outcome: h.outcome,
                    link: None,
                    open_escalation: h.open.then_some(h.ref_id),
                },
            }
        })
        .collect::<Vec<_>>();
    let escalated = history.iter().any(|h| h.open_escalation.is_some());
    let next = c.status.next().iter().map(|n| Choice { value: n.as_str().into(), label: n.label().into() }).collect();
    Ok(ShowPage {
        l: ctx.layout(Nav::ChangeRequests, format!("{} {}", c.reference, c.title)),
        status: c.status.label(),
        priority: c.priority.label(),
        cost: c.cost.map(text::kroner).unwrap_or_default(),
        created: text::datetime(c.created_at),
        history,
        on_agendas,
        next,
        can_edit: ctx.viewer().is_secretariat(),
        escalated,
        step: StepForm::default(),
        escalation: EscalationForm::default(),
        outcome: OutcomeForm::default(),
        errors: FieldErrors::default(),
        refusal: None,
        c,
    })
}

/// GET /aendringsoensker/{id}
pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, AppError> {
    Ok(Html(show_page(&state, &ctx, id).await?.render()?))
}

async fn show_again(mut page: ShowPage, errors: FieldErrors, refusal: Option<Refusal>) -> Result<Response, AppError> {
    page.errors = errors;
    page.refusal = refusal;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

/// POST /aendringsoensker/{id}/status (C1): one step forward, by the secretariat.
pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Result<Response, AppError> {
    let page = show_page(&state, &ctx, id).await?;
    ctx.require(Viewer::is_secretariat)?;
    let mut errors = FieldErrors::default();
    let to = Status::parse(&form.status);
    if to.is_none() {
        errors.add("status", "Vælg den nye status.");
    }
    let note = input::text(&form.note, 2000).map_err(|m| errors.add("note", m)).unwrap_or_default();
    let Some(to) = to.filter(|_| errors.is_empty()) else {
        let mut page = page;
        page.step = form;
        return show_again(page, errors, None).await;
    };
    match app::change_requests::step(&state, &ctx.actor(), &page.c, to, &note).await {
        Ok(()) => Ok(Redirect::to(&format!("/aendringsoensker/{id}#historik")).into_response()),
        Err(app::Error::Store(store::Error::Refused(r))) => {
            let mut page = page;
            page.step = form;
            show_again(page, errors, Some(r)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /aendringsoensker/{id}/eskaleringer (C2)
pub async fn escalate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<EscalationForm>,
) -> Result<Response, AppError> {
    let mut page = show_page(&state, &ctx, id).await?;
    ctx.require(Viewer::is_secretariat)?;
    let mut errors = FieldErrors::default();
    let reason = input::text(&form.reason, 4000).map_err(|m| errors.add("reason", m)).unwrap_or_default();
    if reason.is_empty() && errors.is_empty() {
        errors.add("reason", "Skriv hvorfor ændringsønsket eskaleres til Bestyrelsen.");
    }
    if errors.is_empty() {
        match app::change_requests::escalate(&state, &ctx.actor(), &page.c, &reason).await {
            Ok(_) => return Ok(Redirect::to(&format!("/aendringsoensker/{id}#historik")).into_response()),
            Err(app::Error::Store(store::Error::Refused(r))) => {
                page.escalation = form;
                return show_again(page, errors, Some(r)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    page.escalation = form;
    show_again(page, errors, None).await
}

/// POST /aendringsoensker/{id}/eskaleringer/{escalation} (C2): the board's outcome.
pub async fn record_outcome(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, escalation)): Path<(i64, EscalationId)>,
    Form(form): Form<OutcomeForm>,
) -> Result<Response, AppError> {
    let mut page = show_page(&state, &ctx, id).await?;
    ctx.require(Viewer::is_secretariat)?;
    let mut errors = FieldErrors::default();
    let outcome = input::text(&form.outcome, 4000).map_err(|m| errors.add("outcome", m)).unwrap_or_default();
    if outcome.is_empty() && errors.is_empty() {
        errors.add("outcome", "Skriv Bestyrelsens udfald.");
    }
    if errors.is_empty() {
        match app::change_requests::record_outcome(&state, &ctx.actor(), &page.c, escalation, &outcome).await {
            Ok(()) => return Ok(Redirect::to(&format!("/aendringsoensker/{id}#historik")).into_response()),
            Err(app::Error::Store(store::Error::Refused(r))) => {
                page.outcome = form;
                return show_again(page, errors, Some(r)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    page.outcome = form;
    show_again(page, errors, None).await
}

struct EscalationLine {
    id: i64,
    reference: String,
    title: String,
    group_name: String,
    reason: String,
    by: String,
    at: String,
}

#[derive(Template)]
#[template(path = "change_requests/escalations.html")]
struct EscalationsPage {
    l: Layout,
    lines: Vec<EscalationLine>,
}

/// GET /eskaleringer (C2): the escalations awaiting the board, in the groups the reader may see.
pub async fn escalations(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    let lines = register::open_escalations(&state.db, ctx.scope())
        .await?
        .into_iter()
        .map(|e| EscalationLine {
            id: e.change_request_id,
            reference: e.reference,
            title: e.title,
            group_name: e.group_name,
            reason: e.reason,
            by: e.escalated_by.unwrap_or_default(),
            at: text::datetime(e.escalated_at),
        })
        .collect();
    Ok(Html(EscalationsPage { l: ctx.layout(Nav::ChangeRequests, "Åbne eskaleringer"), lines }.render()?))
}

/// The request form: the draft the API parses too (C1).
pub type RequestForm = RequestDraft;

fn field_errors(problems: FieldProblems) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for (field, message) in problems {
        errors.add(field, message);
    }
    errors
}

#[derive(Template)]
#[template(path = "change_requests/form.html")]
struct FormPage {
    l: Layout,
    group: store::groups::Group,
    editing: Option<i64>,
    full: bool,
    form: RequestForm,
    errors: FieldErrors,
    priorities: Vec<Choice>,
    initiatives: Vec<Choice>,
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    group: store::groups::Group,
    editing: Option<i64>,
    form: RequestForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let full = ctx.viewer().is_secretariat();
    let initiatives = register::initiatives(&state.db, ctx.scope(), Some(group.id))
        .await?
        .into_iter()
        .map(|i| Choice { value: i.id.to_string(), label: i.title })
        .collect();
    let title = if editing.is_some() { "Rediger ændringsønske" } else { "Nyt ændringsønske" };
    let page = FormPage {
        l: ctx.layout(Nav::ChangeRequests, title),
        group,
        editing,
        full,
        form,
        errors,
        priorities: priority_choices(),
        initiatives,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// GET /grupper/{slug}/aendringsoensker/ny
pub async fn new_form(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> Result<Response, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    if !may_propose(&state, &ctx, group.id).await? {
        return Err(AppError::Forbidden);
    }
    let form = RequestForm { priority: Priority::Medium.as_str().into(), ..Default::default() };
    form_page(&state, &ctx, group, None, form, FieldErrors::default(), StatusCode::OK).await
}

fn unknown_initiative() -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.add("initiative_id", "Initiativet findes ikke i gruppens roadmap. Vælg et fra listen.");
    errors
}

/// POST /grupper/{slug}/aendringsoensker (C1): a member proposes an idea; the secretariat registers one.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<RequestForm>,
) -> Result<Response, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    if !may_propose(&state, &ctx, group.id).await? {
        return Err(AppError::Forbidden);
    }
    let full = ctx.viewer().is_secretariat();
    let input = match form.parse(full) {
        Ok(input) => input,
        Err(problems) => {
            let errors = field_errors(problems);
            return form_page(&state, &ctx, group, None, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match app::change_requests::propose(&state, &ctx.actor(), &group, full, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/aendringsoensker/{id}")).into_response()),
        Err(app::Error::Store(store::Error::Unknown(_))) => {
            form_page(&state, &ctx, group, None, form, unknown_initiative(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn editable(state: &AppState, ctx: &Ctx, id: i64) -> Result<(register::Detail, store::groups::Group), AppError> {
    let c = register::get(&state.db, id, ctx.scope()).await?.ok_or(AppError::NotFound)?;
    ctx.require(Viewer::is_secretariat)?;
    let group = readable_group(state, ctx, &c.group_slug).await?;
    Ok((c, group))
}

/// GET /aendringsoensker/{id}/rediger
pub async fn edit_form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let (c, group) = editable(&state, &ctx, id).await?;
    form_page(&state, &ctx, group, Some(id), RequestDraft::of(&c.input()), FieldErrors::default(), StatusCode::OK).await
}

/// POST /aendringsoensker/{id}
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<RequestForm>,
) -> Result<Response, AppError> {
    let (c, group) = editable(&state, &ctx, id).await?;
    let input = match form.parse(true) {
        Ok(input) => input,
        Err(problems) => {
            let errors = field_errors(problems);
            return form_page(&state, &ctx, group, Some(id), form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match app::change_requests::update(&state, &ctx.actor(), &c, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/aendringsoensker/{id}")).into_response()),
        Err(app::Error::Store(store::Error::Unknown(_))) => {
            form_page(&state, &ctx, group, Some(id), form, unknown_initiative(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}
