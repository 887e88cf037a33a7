//! The attendance sheet (T5): one row per person, one column per meeting of the group's year, as a
//! page and as CSV.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use super::plan::{YearQuery, year_bounds};
use crate::domain::access::GroupRole;
use crate::domain::calendar::local_date;
use crate::domain::meeting_codes::AttendanceStatus;
use crate::state::AppState;
use crate::store::groups;
use crate::text;
use crate::web::auth::Ctx;
use crate::web::directory;
use crate::web::error::AppError;
use crate::web::groups::readable_group;
use crate::web::layout::{Layout, Nav};

/// T5: the attendance sheet: one row per person, one column per meeting of the year.
pub struct Sheet {
    /// Each meeting: its id, its date, and what it is called ("Møde I", its title, or "Møde").
    pub columns: Vec<(i64, String, String)>,
    pub rows: Vec<(String, String, Vec<&'static str>)>,
}

pub async fn sheet(state: &AppState, group_id: i64, year: i32) -> Result<Sheet, AppError> {
    let (from, to) = year_bounds(year);
    let cells = crate::store::attendance::sheet(&state.db, group_id, from, to).await?;
    let mut columns: Vec<(i64, String, String)> = Vec::new();
    for c in &cells {
        if !columns.iter().any(|(id, ..)| *id == c.meeting_id) {
            let name = match (c.cycle_number, c.title.trim()) {
                (Some(n), _) => format!("Møde {}", crate::domain::annual_cycle::roman(n as u32)),
                (None, "") => "Møde".to_owned(),
                (None, title) => title.to_owned(),
            };
            columns.push((c.meeting_id, text::short_date(local_date(c.starts_at)), name));
        }
    }
    columns.sort_by_key(|(id, ..)| cells.iter().find(|c| c.meeting_id == *id).map(|c| c.starts_at));
    let mut rows: Vec<(i64, String, String, Vec<&'static str>)> = Vec::new();
    for c in &cells {
        let at = columns.iter().position(|(id, ..)| *id == c.meeting_id).unwrap_or(0);
        let mark = AttendanceStatus::sheet_mark(c.status, c.apology_late);
        match rows.iter_mut().find(|r| r.0 == c.person_id) {
            Some(row) => row.3[at] = mark,
            None => {
                let mut marks = vec![""; columns.len()];
                marks[at] = mark;
                let who = format!(
                    "{} ({})",
                    c.party_name.clone().unwrap_or_default(),
                    GroupRole::parse(&c.role).map(GroupRole::label).unwrap_or("")
                );
                rows.push((c.person_id, c.name.clone(), who, marks));
            }
        }
    }
    Ok(Sheet { columns, rows: rows.into_iter().map(|(_, name, who, marks)| (name, who, marks)).collect() })
}

#[derive(Template)]
#[template(path = "meetings/attendance.html")]
struct SheetPage {
    l: Layout,
    group: groups::Group,
    year: i32,
    sheet: Sheet,
}

/// GET /grupper/{slug}/fremmoede?aar=2027 (T5)
pub async fn attendance_sheet(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Html<String>, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    let year = q.year(&state);
    let sheet = sheet(&state, group.id, year).await?;
    Ok(Html(
        SheetPage {
            l: ctx.layout(Nav::Meetings, format!("Mødefrekvensark {year} · {}", group.name)),
            group,
            year,
            sheet,
        }
        .render()?,
    ))
}

/// GET /grupper/{slug}/fremmoede.csv?aar=2027 (T5)
pub async fn attendance_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    let year = q.year(&state);
    let sheet = sheet(&state, group.id, year).await?;
    let mut out = String::from("\u{feff}Navn;Part og rolle");
    for (_, date, name) in &sheet.columns {
        out.push(';');
        out.push_str(&directory::csv_field(&format!("{name} {date}")));
    }
    out.push_str("\r\n");
    for (name, who, marks) in &sheet.rows {
        out.push_str(&directory::csv_field(name));
        out.push(';');
        out.push_str(&directory::csv_field(who));
        for m in marks {
            out.push(';');
            out.push_str(m);
        }
        out.push_str("\r\n");
    }
    let disposition = format!("attachment; filename=\"moedefrekvens-{}-{year}.csv\"", group.slug);
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        out,
    )
        .into_response())
}
