//! A group's charter (O3, S2): the version in force, older versions with their differences, a new
//! draft from the kind's template or pasted text, and the recorded approval.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::Ctx;
use super::error::AppError;
use super::forms::FieldErrors;
use super::groups::readable_group;
use super::layout::{Layout, Nav};
use super::meetings::downloads::{Format, as_file, render};
use super::upload::one_file;
use crate::documents::word_import;
use crate::domain::access::Viewer;
use crate::domain::calendar::local_date;
use crate::domain::charter_approval;
use crate::domain::charter_text;
use crate::domain::document_codes::CharterStatus;
use crate::domain::input::{self, Unfit};
use crate::domain::refusal::Refusal;
use crate::domain::text_diff::{DiffLine, LineChange, diff_lines};
use crate::state::AppState;
use crate::store::{charters, groups};
use crate::text;

struct VersionLine {
    version: i32,
    status: &'static str,
    approved: String,
    created: String,
}

#[derive(Template)]
#[template(path = "groups/charter.html")]
struct CharterPage {
    l: Layout,
    group: groups::Group,
    versions: Vec<VersionLine>,
    shown: Option<charters::Charter>,
    shown_status: &'static str,
    diff: Vec<DiffView>,
    can_edit: bool,
    draft_body: String,
    bodies: Vec<BodyChoice>,
    required_body: Option<String>,
    approve_by: String,
    today: String,
    errors: FieldErrors,
    refusal: Option<Refusal>,
}

struct BodyChoice {
    value: String,
    label: String,
}

struct DiffView {
    class: &'static str,
    mark: &'static str,
    text: String,
}

impl From<DiffLine> for DiffView {
    fn from(line: DiffLine) -> Self {
        let (class, mark) = match line.change {
            LineChange::Same => ("diff-same", " "),
            LineChange::Added => ("diff-added", "+"),
            LineChange::Removed => ("diff-removed", "−"),
        };
        DiffView { class, mark, text: line.text }
    }
}

async fn page(state: &AppState, ctx: &Ctx, slug: &str, version: Option<i32>) -> Result<CharterPage, AppError> {
    let group = readable_group(state, ctx, slug).await?;
    let all = charters::versions(&state.db, group.id).await?;
    let shown = match version {
        Some(v) => Some(all.iter().find(|c| c.version == v).cloned().ok_or(AppError::NotFound)?),
        None => all.iter().find(|c| c.status == CharterStatus::Approved).or(all.first()).cloned(),
    };
    let diff = match &shown {
        Some(c) => match all.iter().find(|p| p.version == c.version - 1) {
            Some(previous) if version.is_some() => {
                diff_lines(&previous.body, &c.body).into_iter().map(DiffView::from).collect()
            }
            _ => Vec::new(),
        },
        None => Vec::new(),
    };
    let (kinds, solutions) = tokio::try_join!(groups::kinds(&state.db), groups::solutions(&state.db, group.id))?;
    let solutions: Vec<String> = solutions.into_iter().map(|s| s.name).collect();
    let template = kinds
        .into_iter()
        .find(|k| k.id == group.kind_id)
        .map(|k| crate::domain::group::fill_charter_template(&k.charter_template, &group.name, &solutions))
        .unwrap_or_default();
    // A new draft starts from the newest draft (one just imported from Word, to correct), else
    // from the text in force, else from the kind's template.
    let newest = all.first().filter(|c| c.status == CharterStatus::Draft);
    let start = newest.or(all.iter().find(|c| c.status == CharterStatus::Approved)).map(|c| c.body.clone());
    let bodies = charters::bodies(&state.db).await?;
    let required = charters::required_body(&state.db, group.id).await?;
    let approve_by = required.as_ref().map(|b| b.id.to_string()).unwrap_or_default();
    Ok(CharterPage {
        l: ctx.layout(Nav::Groups, format!("Kommissorium · {}", group.name)),
        versions: all
            .iter()
            .map(|c| VersionLine {
                version: c.version,
                status: c.status.label(),
                approved: match (&c.approved_by, c.approved_on) {
                    (Some(by), Some(on)) => format!("{by}, {}", text::date(on)),
                    _ => String::new(),
                },
                created: text::datetime(c.created_at),
            })
            .collect(),
        shown_status: shown.as_ref().map(|c| c.status.label()).unwrap_or(""),
        shown,
        diff,
        can_edit: ctx.viewer().is_secretariat(),
        draft_body: start.unwrap_or(template),
        bodies: bodies.into_iter().map(|b| BodyChoice { value: b.id.to_string(), label: b.name }).collect(),
        required_body: required.map(|b| b.name),
        approve_by,
        today: local_date(state.clock.now()).to_string(),
        errors: FieldErrors::default(),
        refusal: None,
        group,
    })
}

/// GET /grupper/{slug}/kommissorium
pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> Result<Html<String>, AppError> {
    Ok(Html(page(&state, &ctx, &slug, None).await?.render()?))
}

/// GET /grupper/{slug}/kommissorium/{version}, and the version as a document to file (O3) at
/// `{version}.pdf` and `{version}.docx`: the router matches whole path segments only, so the
/// extension is read here.
pub async fn version(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, version)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (number, format) = match version.split_once('.') {
        None => (version.as_str(), None),
        Some((n, "pdf")) => (n, Some(Format::Pdf)),
        Some((n, "docx")) => (n, Some(Format::Docx)),
        Some(_) => return Err(AppError::NotFound),
    };
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    let Some(format) = format else {
        return Ok(Html(page(&state, &ctx, &slug, Some(number)).await?.render()?).into_response());
    };
    let group = readable_group(&state, &ctx, &slug).await?;
    let charter = charters::versions(&state.db, group.id)
        .await?
        .into_iter()
        .find(|c| c.version == number)
        .ok_or(AppError::NotFound)?;
    let stem = format!("kommissorium-{}-version-{number}", crate::documents::file_stem(&group.name));
    let doc = crate::documents::charter::document(&group, &charter);
    Ok(as_file(render(doc, format).await?, format, &stem))
}

#[derive(Deserialize)]
pub struct DraftForm {
    #[serde(default)]
    body: String,
}

/// POST /grupper/{slug}/kommissorium
pub async fn add_draft(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<DraftForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let body = match form.body.trim() {
        "" => Err(Unfit::Missing("Skriv eller indsæt kommissoriets tekst.")),
        typed => input::text(typed, charter_text::MAX_CHARS),
    };
    let body = match body {
        Ok(body) => body,
        Err(message) => {
            let mut p = page(&state, &ctx, &slug, None).await?;
            p.errors.add("body", message);
            p.draft_body = form.body;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(p.render()?)).into_response());
        }
    };
    let group = readable_group(&state, &ctx, &slug).await?;
    let version = charters::add_draft(&state.db, &ctx.actor(), group.id, &body).await?;
    Ok(Redirect::to(&format!("/grupper/{slug}/kommissorium/{version}")).into_response())
}

/// POST /grupper/{slug}/kommissorium/fra-word (multipart): a charter written in Word starts a new
/// draft version with its text (O3); an unreadable, empty or too large file is refused on the page.
pub async fn from_word(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    mut form: Multipart,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let group = readable_group(&state, &ctx, &slug).await?;
    let max_mb = state.config.max_attachment_mb;
    let imported = match one_file(&mut form, max_mb, "Vælg en Word-fil (.docx) med kommissoriet.").await {
        Ok((_, bytes)) => tokio::task::spawn_blocking(move || word_import::charter_text(&bytes))
            .await
            .map_err(|e| AppError::Internal(e.into()))?
            .map_err(|refusal| refusal.to_string())
            .and_then(|text| input::text(&text, charter_text::MAX_CHARS).map_err(String::from)),
        Err(message) => Err(message),
    };
    let body = match imported {
        Ok(body) => body,
        Err(message) => {
            let mut p = page(&state, &ctx, &slug, None).await?;
            p.errors.add("fil", message);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(p.render()?)).into_response());
        }
    };
    let version = charters::add_draft(&state.db, &ctx.actor(), group.id, &body).await?;
    Ok(Redirect::to(&format!("/grupper/{slug}/kommissorium/{version}")).into_response())
}

#[derive(Deserialize)]
pub struct ApproveForm {
    #[serde(default)]
    approving_body_id: String,
    #[serde(default)]
    approved_on: String,
}

/// POST /grupper/{slug}/kommissorium/{version}/godkend (O3: the approving body, chosen from the
/// installation's bodies, and the date of its decision)
pub async fn approve(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, version)): Path<(String, i32)>,
    Form(form): Form<ApproveForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let group = readable_group(&state, &ctx, &slug).await?;
    let bodies = charters::bodies(&state.db).await?;
    let chosen = form.approving_body_id.trim().parse::<i64>().ok().and_then(|id| bodies.iter().find(|b| b.id == id));
    let date = crate::domain::input::date(form.approved_on.trim()).ok();
    let required = charters::required_body(&state.db, group.id).await?;
    let today = local_date(state.clock.now());
    let checked = charter_approval::check(required.as_ref(), chosen, date, today);
    let (Ok(()), Some(body), Some(approved_on)) = (checked.clone(), chosen, date) else {
        let mut p = page(&state, &ctx, &slug, Some(version)).await?;
        if chosen.is_none() {
            p.errors.add("approving_body_id", "Vælg det organ, der har godkendt kommissoriet (O3).");
        }
        if date.is_none() {
            p.errors.add("approved_on", "Skriv beslutningsdatoen som åååå-mm-dd.");
        }
        p.refusal = checked.err();
        p.approve_by = form.approving_body_id;
        p.today = form.approved_on;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(p.render()?)).into_response());
    };
    if !charters::approve(&state.db, &ctx.actor(), group.id, version, body, approved_on).await? {
        return Err(AppError::Refused {
            rule: "O3",
            message: "Kun et udkast kan godkendes; godkendte versioner ændres ikke.".into(),
        });
    }
    Ok(Redirect::to(&format!("/grupper/{slug}/kommissorium")).into_response())
}
