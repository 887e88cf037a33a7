//! Attachments on a meeting (T7): the secretariat uploads, everyone who may read the meeting
//! downloads. Size and type are checked before anything is stored.

use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use super::{readable_meeting, relation};
use crate::domain::access::Viewer;
use crate::domain::agenda_workflow;
use crate::domain::attachments::{clean_filename, content_disposition, content_matches, content_type_for};
use crate::security::tokens;
use crate::state::AppState;
use crate::store::{agendas, documents};
use crate::web::auth::Ctx;
use crate::web::error::AppError;

/// The meeting page again with the refusal (T7), at 422.
async fn refused(state: &AppState, ctx: &Ctx, id: i64, message: String) -> Result<Response, AppError> {
    super::refused(state, ctx, id, "T7", message).await
}

/// POST /moeder/{id}/bilag (multipart; the CSRF token rides in the query string)
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let max = state.config.max_attachment_mb as usize * 1024 * 1024;
    let mut file = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                return refused(
                    &state,
                    &ctx,
                    id,
                    format!(
                        "Filen er for stor eller kom ikke helt frem (højst {} MB).",
                        state.config.max_attachment_mb
                    ),
                )
                .await;
            }
        };
        if field.name() != Some("fil") {
            continue;
        }
        let name = field.file_name().map(str::to_owned).unwrap_or_default();
        let Ok(bytes) = field.bytes().await else {
            return refused(
                &state,
                &ctx,
                id,
                format!("Filen er for stor eller kom ikke helt frem (højst {} MB).", state.config.max_attachment_mb),
            )
            .await;
        };
        file = Some((name, bytes));
    }
    let Some((raw_name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return refused(&state, &ctx, id, "Vælg en fil at vedhæfte.".into()).await;
    };
    if bytes.len() > max {
        return refused(&state, &ctx, id, format!("Filen er for stor (højst {} MB).", state.config.max_attachment_mb))
            .await;
    }
    let Some(filename) = clean_filename(&raw_name) else {
        return refused(&state, &ctx, id, "Filen mangler et navn.".into()).await;
    };
    let Some(content_type) = content_type_for(&filename) else {
        return refused(
            &state,
            &ctx,
            id,
            format!(
                "{filename}: kun PDF, Word, Excel, PowerPoint, OpenDocument, billeder, tekst og CSV kan vedhæftes."
            ),
        )
        .await;
    };
    if !content_matches(content_type, &bytes) {
        return refused(&state, &ctx, id, format!("{filename}: indholdet passer ikke til filtypen.")).await;
    }
    let doc = documents::NewDocument {
        meeting_id: id,
        group_id: meeting.group_id,
        filename: &filename,
        content_type,
        sha256: &tokens::sha256_bytes(&bytes),
        content: &bytes,
    };
    documents::add(&state.db, &ctx.actor(), doc).await?;
    Ok(Redirect::to(&format!("/moeder/{id}#bilag")).into_response())
}

/// GET /moeder/{id}/bilag/{document}
pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, document)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let actor = relation(&state, &ctx, &meeting).await?.actor;
    let agenda = agendas::for_meeting(&state.db, id).await?.map(|a| a.status);
    if !agenda_workflow::can_read_attachments(agenda, actor) {
        return Err(AppError::NotFound);
    }
    let doc = documents::content(&state.db, id, document).await?.ok_or(AppError::NotFound)?;
    let disposition = content_disposition(&doc.filename);
    Ok(([(header::CONTENT_TYPE, doc.content_type), (header::CONTENT_DISPOSITION, disposition)], doc.content)
        .into_response())
}
