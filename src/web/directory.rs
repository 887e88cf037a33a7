//! The public member directory for the website (M7): per group, name, organisation, phone, email and
//! competence areas of the active members; as a page and as CSV. Confidential groups are left out (O5).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use super::error::AppError;
use super::layout::Layout;
use crate::state::AppState;
use crate::store::{groups, memberships};

async fn listed_group(state: &AppState, slug: &str) -> Result<groups::Group, AppError> {
    groups::in_directory(&state.db, Some(groups::GroupKey::Slug(slug)), None).await?.pop().ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "directory/index.html")]
struct IndexPage {
    l: Layout,
    groups: Vec<groups::Group>,
}

/// GET /medlemmer
pub async fn index(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let groups = groups::in_directory(&state.db, None, None).await?;
    Ok(Html(IndexPage { l: Layout::bare("Medlemmer af grupperne"), groups }.render()?))
}

struct Entry {
    name: String,
    title: String,
    organisation: String,
    role: &'static str,
    email: String,
    phone: String,
    competences: String,
}

#[derive(Template)]
#[template(path = "directory/group.html")]
struct GroupPage {
    l: Layout,
    group: groups::Group,
    entries: Vec<Entry>,
}

async fn entries(state: &AppState, group_id: i64) -> Result<Vec<Entry>, AppError> {
    Ok(memberships::directory(&state.db, group_id)
        .await?
        .into_iter()
        .map(|m| Entry {
            role: m.role.label(),
            name: m.name,
            title: m.title,
            organisation: m.organisation.unwrap_or_default(),
            email: m.email,
            phone: m.phone,
            competences: m.competences,
        })
        .collect())
}

/// GET /medlemmer/{slug}
pub async fn group(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Html<String>, AppError> {
    let group = listed_group(&state, &slug).await?;
    let entries = entries(&state, group.id).await?;
    Ok(Html(GroupPage { l: Layout::bare(format!("Medlemmer · {}", group.name)), group, entries }.render()?))
}

/// GET /medlemmer/{slug}/medlemsliste.csv (semicolon-separated, as Danish spreadsheets expect)
pub async fn csv(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let group = listed_group(&state, &slug).await?;
    let mut out = String::from("\u{feff}Navn;Titel;Organisation;Rolle;E-mail;Telefon;Kompetenceområder\r\n");
    for e in entries(&state, group.id).await? {
        let row = [e.name.as_str(), &e.title, &e.organisation, e.role, &e.email, &e.phone, &e.competences];
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    }
    let disposition = format!("attachment; filename=\"medlemmer-{}.csv\"", group.slug);
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        out,
    )
        .into_response())
}

/// Quotes a field when needed; a leading formula character is defused for spreadsheets.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value.to_owned() };
    if value.contains([';', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("Aarhus Kommune"), "Aarhus Kommune");
        assert_eq!(csv_field("GIS; kort"), "\"GIS; kort\"");
        assert_eq!(csv_field("Sig \"hej\""), "\"Sig \"\"hej\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
    }
}
