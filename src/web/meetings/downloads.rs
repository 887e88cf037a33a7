//! The agenda and the minutes as PDF and Word, and a meeting's file for the case system (T7). Each
//! reads what its page reads, under the page's rules (A1, A2 for the agenda; R2-R4 for the minutes),
//! composes a `documents::Document` from it, and renders it on a blocking thread.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::minutes::{self, MinutesPage};
use super::page::{self, MeetingPage};
use crate::documents::{Block, Document, case_file, docx, file_stem, pdf};
use crate::domain::access::Viewer;
use crate::domain::agenda_workflow::AgendaStatus;
use crate::domain::attachments::content_disposition;
use crate::domain::calendar::local_date;
use crate::domain::group::GroupFamily;
use crate::domain::meeting_codes::AttendanceStatus;
use crate::state::AppState;
use crate::store::documents;
use crate::text;
use crate::web::auth::Ctx;
use crate::web::error::AppError;
use crate::web::groups::readable_group;

const PDF: &str = "application/pdf";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

#[derive(Clone, Copy)]
pub(crate) enum Format {
    Pdf,
    Docx,
}

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(anyhow::Error::new(e))
}

/// Renders off the async runtime: laying out a long agenda is CPU work.
pub(crate) async fn render(doc: Document, format: Format) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(move || match format {
        Format::Pdf => pdf::render(&doc).map_err(internal),
        Format::Docx => docx::render(&doc).map_err(internal),
    })
    .await
    .map_err(internal)?
}

/// The file as an attachment to save, named `{stem}.pdf` or `{stem}.docx`.
pub(crate) fn as_file(bytes: Vec<u8>, format: Format, stem: &str) -> Response {
    match format {
        Format::Pdf => download(bytes, PDF, &format!("{stem}.pdf")),
        Format::Docx => download(bytes, DOCX, &format!("{stem}.docx")),
    }
}

fn download(bytes: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, content_disposition(filename)),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// "natur-2027-03-31": the group and the meeting's date (T7), for file and folder names.
fn stem(meeting: &crate::store::meetings::Meeting) -> String {
    let group = meeting.group_name.as_deref().unwrap_or("møde");
    format!("{}-{}", file_stem(group), local_date(meeting.starts_at).format("%Y-%m-%d"))
}

/// Who the document is from: the group's organisation and the group. The meetings across groups
/// (T1) are Danmarks Miljøportal's.
async fn organisation(state: &AppState, ctx: &Ctx, meeting: &crate::store::meetings::Meeting) -> String {
    let group = match &meeting.group_slug {
        Some(slug) => readable_group(state, ctx, slug).await.ok(),
        None => None,
    };
    match group {
        Some(g) => format!("{} · {}", g.family.organisation(), g.name),
        None => GroupFamily::Dmp.organisation().into(),
    }
}

/// A1-A8, T4, T7: the agenda as the page shows it to this person; `None` when they may not read it.
fn agenda_document(page: &MeetingPage, organisation: String) -> Option<Document> {
    let agenda = page.agenda.as_ref()?;
    let m = &page.meeting;
    let title = if m.title.is_empty() { page.kind.to_owned() } else { m.title.clone() };
    let cycle = if page.cycle.is_empty() { String::new() } else { format!("Møde {}", page.cycle) };
    let apologies: Vec<String> = page
        .attendance
        .iter()
        .filter(|l| l.status == AttendanceStatus::Apology.label())
        .map(|l| if l.stand_in.is_empty() { l.name.clone() } else { format!("{} ({})", l.name, l.stand_in) })
        .collect();
    let mut blocks = vec![Block::Facts(vec![
        ("Gruppe".into(), m.group_name.clone().unwrap_or_default()),
        ("Møde".into(), [page.kind, &cycle].iter().filter(|s| !s.is_empty()).cloned().collect::<Vec<_>>().join(", ")),
        ("Tidspunkt".into(), format!("{} {}", page.when, page.time_range)),
        ("Sted".into(), page.place.clone()),
        ("Format".into(), m.format.label().into()),
        ("Status".into(), agenda.status_label.into()),
    ])];
    if !agenda.history.is_empty() {
        blocks.push(Block::Paragraph(agenda.history.join(" · ")));
    }
    if !page.attendance.is_empty() {
        blocks.push(Block::Heading("Inviterede".into()));
        blocks.push(Block::Table {
            columns: vec![("Navn".into(), 0.34), ("Part".into(), 0.3), ("Rolle".into(), 0.16), ("Status".into(), 0.2)],
            rows: page
                .attendance
                .iter()
                .map(|l| vec![l.name.clone(), l.party.clone(), l.role.into(), l.status.into()])
                .collect(),
        });
    } else if !page.participants.is_empty() {
        blocks.push(Block::Heading("Inviterede".into()));
        blocks.push(Block::Paragraph(page.participants.join(", ")));
    }
    blocks.push(Block::Heading("Afbud".into()));
    blocks.push(if apologies.is_empty() { Block::Paragraph("Ingen".into()) } else { Block::Bullets(apologies) });
    blocks.push(Block::Heading("Dagsorden".into()));
    for i in &agenda.items {
        let mut lines = Vec::new();
        let mut about = Vec::new();
        if !i.clock.is_empty() {
            about.push(format!("kl. {}", i.clock));
        }
        if !i.presenter.is_empty() {
            about.push(format!("v/ {}", i.presenter));
        }
        if !about.is_empty() {
            lines.push(about.join(" · "));
        }
        if i.is_decision {
            let who =
                if i.responsible.is_empty() { String::new() } else { format!(" – ansvarlig: {}", i.responsible) };
            lines.push(format!("[Beslutning{who}]"));
        }
        if !i.body.is_empty() {
            lines.push(i.body.clone());
        }
        lines.extend(i.shows.iter().map(|s| format!("• {s}")));
        blocks.push(Block::Item { number: i.number.clone(), title: i.title.clone(), top_level: i.top_level, lines });
    }
    if !page.change_requests.is_empty() {
        blocks.push(Block::Heading("Ændringsønsker efter roadmap".into()));
        for initiative in &page.change_requests {
            blocks.push(Block::Subheading(initiative.title.clone()));
            for c in &initiative.requests {
                let mut text = format!("{} {} ({}, {})", c.reference, c.title, c.purpose, c.status);
                if !c.not_ready.is_empty() {
                    text.push_str(&format!(" – ikke klar: {}", c.not_ready));
                }
                text.push_str(&format!("\nBehov: {}\nVærdi: {}\nFor hvem: {}", c.need, c.value, c.beneficiaries));
                blocks.push(Block::Paragraph(text));
            }
        }
    }
    let d = &page.dashboard;
    if !(d.operational.is_empty() && d.budget.is_empty() && d.actions.is_empty()) {
        blocks.push(Block::Heading("Dashboard".into()));
        if !page.registers_as_of.is_empty() {
            blocks.push(Block::Paragraph(format!("Som ved udsendelsen af dagsordenen {}.", page.registers_as_of)));
        }
        blocks.push(Block::Subheading("Driftsstatus".into()));
        blocks.push(Block::Facts(d.operational.clone()));
        blocks.push(Block::Subheading("Budget".into()));
        blocks.push(Block::Facts(d.budget.clone()));
        blocks.push(Block::Subheading("Aktionsliste".into()));
        blocks.push(Block::Table {
            columns: vec![("Aktion".into(), 0.55), ("Ansvarlig".into(), 0.25), ("Frist".into(), 0.2)],
            rows: d
                .actions
                .iter()
                .map(|(title, owner, due, _)| vec![title.clone(), owner.clone(), due.clone()])
                .collect(),
        });
    }
    blocks.push(Block::Heading("Bilag".into()));
    blocks.push(if page.attachments.is_empty() {
        Block::Paragraph("Ingen bilag.".into())
    } else {
        Block::Bullets(page.attachments.iter().map(|(_, name, _)| name.clone()).collect())
    });
    Some(Document {
        kind: "Dagsorden".into(),
        organisation,
        title,
        draft: agenda.status != AgendaStatus::Published,
        blocks,
    })
}

/// R1-R4: the minutes as the page shows them; "UDKAST" until approved; a later version names the one
/// it replaces.
fn minutes_document(page: &MinutesPage, organisation: String) -> Option<Document> {
    if !page.exists {
        return None;
    }
    let m = &page.meeting;
    let list = |names: &[String]| if names.is_empty() { "Ingen".to_owned() } else { names.join(", ") };
    let mut status = page.status.to_owned();
    if page.version > 1 {
        status.push_str(&format!(", version {} (erstatter version {})", page.version, page.version - 1));
    }
    let mut blocks = vec![Block::Facts(vec![
        ("Gruppe".into(), m.group_name.clone().unwrap_or_default()),
        ("Møde".into(), page.when.clone()),
        ("Status".into(), status),
        ("Til stede".into(), if page.present.is_empty() { "Ikke registreret".into() } else { page.present.join(", ") }),
        ("Afbud".into(), list(&page.apologies)),
        ("Suppleanter".into(), list(&page.substitutes)),
    ])];
    if !page.history.is_empty() {
        blocks.push(Block::Paragraph(page.history.join(" · ")));
    }
    if page.version > 1 && !page.correction.is_empty() {
        blocks.push(Block::Paragraph(format!("Rettelse: {}", page.correction)));
    }
    blocks.push(Block::Heading("Referat".into()));
    for i in &page.items {
        let mut lines = Vec::new();
        if !i.body.is_empty() {
            lines.push(i.body.clone());
        }
        for e in &i.entries {
            let mut line = format!("{}: {}", e.kind, e.text);
            if !e.outcome.is_empty() {
                line.push_str(&format!(" ({})", e.outcome));
            }
            if !e.owner.is_empty() {
                line.push_str(&format!(" – {}", e.owner));
                if !e.due.is_empty() {
                    line.push_str(&format!(", senest {}", e.due));
                }
            }
            lines.push(line);
        }
        blocks.push(Block::Item { number: i.number.clone(), title: i.title.clone(), top_level: true, lines });
    }
    if !page.party_summary.is_empty() {
        blocks.push(Block::Heading("Status fra Parterne".into()));
        blocks.push(Block::Paragraph(page.party_summary.clone()));
    }
    Some(Document { kind: "Referat".into(), organisation, title: m.title.clone(), draft: !page.approved, blocks })
}

async fn agenda(state: AppState, ctx: Ctx, id: i64, format: Format) -> Result<Response, AppError> {
    let page = page::build(&state, &ctx, id).await?;
    let from = organisation(&state, &ctx, &page.meeting).await;
    let doc = agenda_document(&page, from).ok_or(AppError::NotFound)?;
    let name = format!("dagsorden-{}", stem(&page.meeting));
    Ok(as_file(render(doc, format).await?, format, &name))
}

async fn minutes_file(state: AppState, ctx: Ctx, id: i64, format: Format) -> Result<Response, AppError> {
    let page = minutes::page::build(&state, &ctx, id).await?;
    let from = organisation(&state, &ctx, &page.meeting).await;
    let doc = minutes_document(&page, from).ok_or(AppError::NotFound)?;
    let name = format!("referat-{}", stem(&page.meeting));
    Ok(as_file(render(doc, format).await?, format, &name))
}

/// GET /moeder/{id}/dagsorden.pdf
pub async fn agenda_pdf(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    agenda(state, ctx, id, Format::Pdf).await
}

/// GET /moeder/{id}/dagsorden.docx
pub async fn agenda_docx(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    agenda(state, ctx, id, Format::Docx).await
}

/// GET /moeder/{id}/referat.pdf
pub async fn minutes_pdf(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    minutes_file(state, ctx, id, Format::Pdf).await
}

/// GET /moeder/{id}/referat.docx
pub async fn minutes_docx(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    minutes_file(state, ctx, id, Format::Docx).await
}

/// GET /moeder/{id}/sag.zip: for the secretariat once the agenda is published (A2, T7): the agenda,
/// the minutes when approved (R4), the attachments and an index.
pub async fn case_file(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let page = page::build(&state, &ctx, id).await?;
    if page.agenda.as_ref().map(|a| a.status) != Some(AgendaStatus::Published) {
        return Err(AppError::NotFound);
    }
    let from = organisation(&state, &ctx, &page.meeting).await;
    let agenda_doc = agenda_document(&page, from.clone()).ok_or(AppError::NotFound)?;
    let minutes_doc = match minutes::page::build(&state, &ctx, id).await {
        Ok(minutes) if minutes.approved => minutes_document(&minutes, from.clone()),
        Ok(_) | Err(AppError::NotFound) => None,
        Err(e) => return Err(e),
    };
    let attachments =
        documents::contents_of_meeting(&state.db, id).await?.into_iter().map(|d| (d.filename, d.content)).collect();
    let folder = stem(&page.meeting);
    let m = &page.meeting;
    let about = vec![
        format!("Sag: {from}"),
        format!("Møde: {} {} · {}", page.when, page.time_range, if m.title.is_empty() { page.kind } else { &m.title }),
        format!("Dannet: {} af {}", text::datetime(state.clock.now()), ctx.user.name),
    ];
    let zip_name = format!("{folder}.zip");
    let (_, bytes) = tokio::task::spawn_blocking(move || -> Result<_, AppError> {
        let agenda_pdf = pdf::render(&agenda_doc).map_err(internal)?;
        let minutes_pdf = minutes_doc.map(|d| pdf::render(&d)).transpose().map_err(internal)?;
        let file = case_file::CaseFile { folder, about, agenda_pdf, minutes_pdf, attachments };
        case_file::render(file).map_err(internal)
    })
    .await
    .map_err(internal)??;
    Ok(download(bytes, "application/zip", &zip_name))
}
