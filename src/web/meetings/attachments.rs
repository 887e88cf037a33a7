//! Attachments on a meeting (T7): the secretariat uploads, everyone who may read the meeting
//! downloads. Size and type are checked before anything is stored.

use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use super::{readable_meeting, relation};
use crate::domain::access::Viewer;
use crate::domain::agenda_workflow;
use crate::domain::attachments::{clean_filename, content_disposition, content_matches, content_type_for};
use crate::domain::ids::{DocumentId, MeetingId};
use crate::security::tokens;
use crate::state::AppState;
use crate::store::{agendas, documents};
use crate::web::auth::Ctx;
use crate::web::error::AppError;
use crate::web::upload::one_file;

/// The meeting page again with the refusal (T7), at 422.
async fn refused(state: &AppState, ctx: &Ctx, id: i64, message: String) -> Result<Response, AppError> {
    super::refused(state, ctx, id, "T7", message).await
}

/// A checked file from the upload form: its clean name, its type and its bytes; or why not, in Danish.
struct File {
    name: String,
    content_type: &'static str,
    bytes: axum::body::Bytes,
}

async fn read_file(state: &AppState, form: &mut Multipart) -> Result<File, String> {
    let (raw_name, bytes) = one_file(form, state.config.max_attachment_mb, "Vælg en fil at vedhæfte.").await?;
    let name = clean_filename(&raw_name)?;
    let Some(content_type) = content_type_for(&name) else {
        return Err(format!(
            "{name}: kun PDF, Word, Excel, PowerPoint, OpenDocument, billeder, tekst og CSV kan vedhæftes."
        ));
    };
    if !content_matches(content_type, &bytes) {
        return Err(format!("{name}: indholdet passer ikke til filtypen."));
    }
    Ok(File { name, content_type, bytes })
}

/// POST /moeder/{id}/bilag (multipart; the CSRF token is its first field)
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let file = match read_file(&state, &mut form).await {
        Ok(file) => file,
        Err(message) => return refused(&state, &ctx, id, message).await,
    };
    let doc = documents::NewDocument {
        meeting_id: id,
        group_id: meeting.group_id,
        filename: &file.name,
        content_type: file.content_type,
        sha256: &tokens::sha256_bytes(&file.bytes),
        content: &file.bytes,
    };
    documents::add(&state.db, &ctx.actor(), doc).await?;
    Ok(Redirect::to(&format!("/moeder/{id}#bilag")).into_response())
}

/// POST /moeder/{id}/bilag/{document}/erstat (multipart): a new file in the same place (T7, audited).
pub async fn replace(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, document)): Path<(i64, DocumentId)>,
    mut form: Multipart,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let file = match read_file(&state, &mut form).await {
        Ok(file) => file,
        Err(message) => return refused(&state, &ctx, id, message).await,
    };
    let doc = documents::NewDocument {
        meeting_id: id,
        group_id: meeting.group_id,
        filename: &file.name,
        content_type: file.content_type,
        sha256: &tokens::sha256_bytes(&file.bytes),
        content: &file.bytes,
    };
    if !documents::replace(&state.db, &ctx.actor(), MeetingId(id), document, doc).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/moeder/{id}#bilag")).into_response())
}

#[derive(serde::Deserialize)]
pub struct RemoveForm {
    #[serde(default, deserialize_with = "crate::web::forms::checkbox")]
    confirm: bool,
}

/// POST /moeder/{id}/bilag/{document}/slet: the attachment is gone; the audit log keeps its name (T7).
pub async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, document)): Path<(i64, DocumentId)>,
    Form(form): Form<RemoveForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    readable_meeting(&state, &ctx, id).await?;
    if !form.confirm {
        return refused(&state, &ctx, id, "Sæt flueben for at bekræfte, at bilaget skal fjernes.".into()).await;
    }
    if !documents::remove(&state.db, &ctx.actor(), MeetingId(id), document).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/moeder/{id}#bilag")).into_response())
}

/// GET /moeder/{id}/bilag/{document}
pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, document)): Path<(i64, DocumentId)>,
) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let actor = relation(&state, &ctx, &meeting).await?.actor;
    let agenda = agendas::for_meeting(&state.db, id).await?.map(|a| a.status);
    if !agenda_workflow::can_read_attachments(agenda, actor) {
        return Err(AppError::NotFound);
    }
    let doc = documents::content(&state.db, MeetingId(id), document).await?.ok_or(AppError::NotFound)?;
    let disposition = content_disposition(&doc.filename);
    Ok(([(header::CONTENT_TYPE, doc.content_type), (header::CONTENT_DISPOSITION, disposition)], doc.content)
        .into_response())
}
