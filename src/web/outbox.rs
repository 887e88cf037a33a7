//! The outbox at /udbakke: what was sent to whom, what waits and what failed, for the secretariat (the
//! only way mail is seen when no SMTP server is set). A mail's text can be read, and a failed one
//! queued again.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::Ctx;
use super::error::AppError;
use super::layout::{Layout, Nav};
use crate::domain::access::Viewer;
use crate::domain::outbox::OutboxStatus;
use crate::state::AppState;
use crate::store::outbox;
use crate::text;

struct MailLine {
    id: i64,
    created: String,
    to: String,
    subject: String,
    status: OutboxStatus,
    attempts: i32,
    error: String,
}

impl MailLine {
    fn of(m: outbox::OutboxRow) -> MailLine {
        MailLine {
            id: m.id,
            created: text::datetime(m.created_at),
            to: m.to_address,
            subject: m.subject,
            status: m.status,
            attempts: m.attempts,
            error: m.last_error.unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    l: Layout,
    mails: Vec<MailLine>,
    /// The status shown, or every one.
    shown: Option<OutboxStatus>,
    filters: Vec<Filter>,
    smtp_configured: bool,
    counts: outbox::Counts,
    last_scan: String,
    last_send: String,
}

/// A link that shows the mails of one status (or all), and whether it is the one shown.
struct Filter {
    label: String,
    href: String,
    current: bool,
}

#[derive(Deserialize)]
pub struct OutboxQuery {
    #[serde(default)]
    status: String,
}

/// GET /udbakke?status=failed
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<OutboxQuery>,
) -> Result<Html<String>, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let shown = OutboxStatus::parse(q.status.trim());
    let mails = outbox::latest(&state.db, shown, 200).await?.into_iter().map(MailLine::of).collect();
    let last_run = |name: &'static str| {
        let db = state.db.clone();
        async move {
            Ok::<String, AppError>(
                outbox::last_job_run(&db, name).await?.map(text::datetime).unwrap_or_else(|| "Aldrig".into()),
            )
        }
    };
    let counts = outbox::counts(&state.db).await?;
    let page = OutboxPage {
        l: ctx.layout(Nav::Outbox, "Udbakke"),
        mails,
        shown,
        filters: std::iter::once(Filter { label: "Alle".into(), href: "/udbakke".into(), current: shown.is_none() })
            .chain(
                [
                    (OutboxStatus::Queued, counts.queued),
                    (OutboxStatus::Sent, counts.sent),
                    (OutboxStatus::Failed, counts.failed),
                ]
                .into_iter()
                .map(|(status, n)| Filter {
                    label: format!("{} ({n})", status.label()),
                    href: format!("/udbakke?status={}", status.as_str()),
                    current: shown == Some(status),
                }),
            )
            .collect(),
        smtp_configured: state.config.smtp_url.is_some(),
        counts,
        last_scan: last_run("deadline_scan").await?,
        last_send: last_run("mail_sender").await?,
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "admin/outbox_mail.html")]
struct MailPage {
    l: Layout,
    mail: MailLine,
    kind: String,
    sent: String,
    body: String,
}

/// GET /udbakke/{id}: one mail as it was queued.
pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let m = outbox::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let sent = m.row.sent_at.map(text::datetime).unwrap_or_default();
    let kind = m.row.kind.clone();
    Ok(Html(
        MailPage {
            l: ctx.layout(Nav::Outbox, format!("Mail · {}", m.row.subject)),
            mail: MailLine::of(m.row),
            kind,
            sent,
            body: m.body_text,
        }
        .render()?,
    ))
}

/// POST /udbakke/{id}/send-igen: a failed mail queued again (the sender picks it up on its next round).
pub async fn resend(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let m = outbox::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if !m.row.status.may_resend() {
        return Err(AppError::Refused {
            rule: "D3",
            message: format!("Kun en mail, der er fejlet, sendes igen; denne er «{}».", m.row.status.label()),
        });
    }
    outbox::resend(&state.db, &ctx.actor(), id, state.clock.now()).await?;
    Ok(Redirect::to(&format!("/udbakke/{id}")).into_response())
}
