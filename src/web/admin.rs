//! Administration: accounts and the audit log; and the outbox, which the secretariat sees too.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::auth::Ctx;
use super::error::AppError;
use super::labels;
use super::layout::{Layout, Nav};
use crate::domain::access::{GlobalRole, Viewer};
use crate::state::AppState;
use crate::store::{accounts, audit, outbox};
use crate::text;

struct AccountLine {
    name: String,
    email: String,
    role: &'static str,
    active: bool,
    last_login: String,
}

struct AuditLine {
    at: String,
    actor: String,
    action: String,
    entity: String,
}

struct MailLine {
    created: String,
    to: String,
    subject: String,
    status: &'static str,
    status_class: &'static str,
    attempts: i32,
    error: String,
}

#[derive(Template)]
#[template(path = "admin/index.html")]
struct AdminPage {
    l: Layout,
    accounts: Vec<AccountLine>,
    audit: Vec<AuditLine>,
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    l: Layout,
    mails: Vec<MailLine>,
    smtp_configured: bool,
    counts: outbox::Counts,
    last_scan: String,
    last_send: String,
}

/// GET /administration
pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    ctx.require(Viewer::can_administer)?;
    let (accounts, audit) = tokio::try_join!(accounts::list(&state.db), audit::latest(&state.db, 50))?;
    let accounts = accounts
        .into_iter()
        .map(|a| AccountLine {
            name: a.name,
            email: a.email,
            role: GlobalRole::parse(&a.role).map(GlobalRole::label).unwrap_or(""),
            active: a.active,
            last_login: a.last_login_at.map(text::datetime).unwrap_or_else(|| "Aldrig".into()),
        })
        .collect();
    let audit = audit
        .into_iter()
        .map(|e| AuditLine {
            at: text::datetime(e.at),
            actor: e.actor_label,
            action: e.action,
            entity: match e.entity_id {
                Some(id) => format!("{} #{id}", e.entity),
                None => e.entity,
            },
        })
        .collect();
    let page = AdminPage { l: ctx.layout(Nav::Admin, "Administration"), accounts, audit };
    Ok(Html(page.render()?))
}

/// GET /udbakke: what was sent to whom, what waits and what failed; the secretariat's view of the
/// outbox (and the only way mail is seen when no SMTP server is set).
pub async fn outbox(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let mails = outbox::latest(&state.db, 200)
        .await?
        .into_iter()
        .map(|m| MailLine {
            created: text::datetime(m.created_at),
            to: m.to_address,
            subject: m.subject,
            status: labels::outbox_status(&m.status),
            status_class: match m.status.as_str() {
                "sent" => "badge-ok",
                "failed" => "badge-danger",
                _ => "badge-muted",
            },
            attempts: m.attempts,
            error: m.last_error.unwrap_or_default(),
        })
        .collect();
    let last_run = |name: &'static str| {
        let db = state.db.clone();
        async move {
            Ok::<String, AppError>(
                outbox::last_job_run(&db, name).await?.map(text::datetime).unwrap_or_else(|| "Aldrig".into()),
            )
        }
    };
    let page = OutboxPage {
        l: ctx.layout(Nav::Outbox, "Udbakke"),
        mails,
        smtp_configured: state.config.smtp_url.is_some(),
        counts: outbox::counts(&state.db).await?,
        last_scan: last_run("deadline_scan").await?,
        last_send: last_run("mail_sender").await?,
    };
    Ok(Html(page.render()?))
}
