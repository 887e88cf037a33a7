//! Administration: accounts, group kinds, closed days and the audit log (changes in admin_settings.rs);
//! and the outbox, which the secretariat sees too.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::auth::Ctx;
use super::error::AppError;
use super::layout::{Layout, Nav};
use crate::domain::access::Viewer;
use crate::domain::audit_codes::{self, AuditEntity};
use crate::state::AppState;
use crate::store::{accounts, audit, backups, closed_days, groups, sign_in};
use crate::text;

struct AccountLine {
    person_id: i64,
    is_me: bool,
    name: String,
    email: String,
    role: &'static str,
    active: bool,
    last_login: String,
}

struct AuditLine {
    at: String,
    actor: String,
    /// In Danish after the actor: "aflyste mødet".
    action: String,
    /// "møde 43"
    entity: String,
    /// The page of what was changed, where it has one.
    href: Option<String>,
}

/// The page an audit line's entity can be opened on.
fn entity_page(entity: &str, id: Option<&str>) -> Option<String> {
    let id = id?;
    match AuditEntity::parse(entity)? {
        AuditEntity::Meeting => Some(format!("/moeder/{id}")),
        AuditEntity::Person | AuditEntity::Account => Some(format!("/personer/{id}")),
        AuditEntity::ChangeRequest => Some(format!("/aendringsoensker/{id}")),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "admin/index.html")]
struct AdminPage {
    l: Layout,
    accounts: Vec<AccountLine>,
    audit: Vec<AuditLine>,
    kinds: Vec<groups::Kind>,
    closed_days: Vec<(String, String, String)>,
    /// The identity provider's label, when one is configured.
    oidc_label: Option<String>,
    password_sign_in: bool,
    second_factor_for_staff: bool,
    /// The nightly backups: whether they are set up, and the last one's time and what came of it.
    backups_on: bool,
    last_backup: Option<(String, String, bool)>,
    /// (person id, name, break-glass) of each active administrator.
    administrators: Vec<(i64, String, bool)>,
}

/// GET /administration
pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    ctx.require(Viewer::can_administer)?;
    let (accounts, audit, kinds, closed, password_sign_in, second_factor_for_staff, administrators) = tokio::try_join!(
        accounts::list(&state.db),
        audit::latest(&state.db, 50),
        groups::kinds(&state.db),
        closed_days::list(&state.db),
        sign_in::password_sign_in(&state.db),
        sign_in::second_factor_for_staff(&state.db),
        sign_in::administrators(&state.db),
    )?;
    let last_backup = backups::last(&state.db).await?.map(|b| match (b.file, b.bytes, b.error) {
        (Some(file), Some(bytes), _) => (text::datetime(b.at), format!("{file}, {} MB", bytes / 1_000_000), true),
        (_, _, Some(error)) => (text::datetime(b.at), error, false),
        _ => (text::datetime(b.at), String::new(), true),
    });
    let closed_days = closed.into_iter().map(|d| (d.day.to_string(), text::date(d.day), d.reason)).collect();
    let accounts = accounts
        .into_iter()
        .map(|a| AccountLine {
            person_id: a.person_id,
            is_me: a.person_id == ctx.user.person_id,
            name: a.name,
            email: a.email,
            role: a.role.label(),
            active: a.active,
            last_login: a.last_login_at.map(text::datetime).unwrap_or_else(|| "Aldrig".into()),
        })
        .collect();
    let audit = audit
        .into_iter()
        .map(|e| {
            let (action, entity) = audit_codes::describe(&e.action, &e.entity, e.entity_id.as_deref());
            let href = entity_page(&e.entity, e.entity_id.as_deref());
            AuditLine { at: text::datetime(e.at), actor: e.actor_label, action, entity, href }
        })
        .collect();
    let page = AdminPage {
        l: ctx.layout(Nav::Admin, "Administration"),
        accounts,
        audit,
        kinds,
        closed_days,
        oidc_label: state.oidc.as_ref().map(|o| o.label().to_owned()),
        password_sign_in,
        second_factor_for_staff,
        backups_on: state.config.backup_dir.is_some(),
        last_backup,
        administrators,
    };
    Ok(Html(page.render()?))
}
