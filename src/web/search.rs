//! GET /soeg: one search over change requests, agendas, minutes, decisions, actions and people, grouped by
//! kind, each hit with its group and a snippet with the hits marked. The read rules are in the SQL
//! (store/search.rs); here the snippet is escaped (by the template) before the hits are marked.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use serde::Deserialize;

use super::auth::Ctx;
use super::error::AppError;
use super::layout::{Layout, Nav};
use crate::domain::input;
use crate::state::AppState;
use crate::store::search::{self, HitKind, MARK_END, MARK_START};

/// The longest query taken: a search box, not a document.
const MAX_QUERY: usize = 200;

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub struct HitView {
    title: String,
    group: String,
    link: String,
    /// The snippet's text in pieces, each marked or not; the template escapes every piece.
    snippet: Vec<(String, bool)>,
}

pub struct KindGroup {
    label: &'static str,
    hits: Vec<HitView>,
}

#[derive(Template)]
#[template(path = "search/results.html")]
struct SearchPage {
    l: Layout,
    q: String,
    problem: String,
    searched: bool,
    groups: Vec<KindGroup>,
}

/// Splits a `ts_headline` snippet at its marks into plain and marked pieces. A stray mark (the text had
/// none: they are removed before the headline) never opens a piece that is not closed.
pub fn marked_pieces(snippet: &str) -> Vec<(String, bool)> {
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut current = String::new();
    let mut marked = false;
    for c in snippet.chars() {
        match c {
            MARK_START | MARK_END => {
                if !current.is_empty() {
                    pieces.push((std::mem::take(&mut current), marked));
                }
                marked = c == MARK_START;
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        pieces.push((current, marked));
    }
    pieces
}

/// GET /soeg?q=...
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<SearchQuery>,
) -> Result<Html<String>, AppError> {
    let (q, problem) = match input::one_line(&query.q, MAX_QUERY) {
        Ok(q) => (q, String::new()),
        Err(_) => (
            query.q.chars().filter(|c| !c.is_control()).take(MAX_QUERY).collect(),
            format!("Skriv højst {MAX_QUERY} tegn på én linje."),
        ),
    };
    let searched = !q.is_empty() && problem.is_empty();
    let hits = if searched {
        search::search(&state.db, &q, ctx.scope(), ctx.viewer().can_see_people_register()).await?
    } else {
        Vec::new()
    };
    let groups = HitKind::ALL
        .into_iter()
        .map(|kind| KindGroup {
            label: kind.label(),
            hits: hits
                .iter()
                .filter(|h| h.kind == kind)
                .map(|h| HitView {
                    title: h.title.clone(),
                    group: h.group_name.clone().unwrap_or_default(),
                    link: h.link.clone(),
                    snippet: marked_pieces(&h.snippet),
                })
                .collect(),
        })
        .filter(|g| !g.hits.is_empty())
        .collect();
    let title = if searched { format!("Søg: {q}") } else { "Søg".to_owned() };
    Ok(Html(SearchPage { l: ctx.layout(Nav::Home, title), q, problem, searched, groups }.render()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_are_marked_and_stray_marks_open_nothing() {
        let s = format!("Et {MARK_START}ændringsønske{MARK_END} om <b>eksport</b>");
        assert_eq!(
            marked_pieces(&s),
            vec![("Et ".into(), false), ("ændringsønske".into(), true), (" om <b>eksport</b>".into(), false)]
        );
        assert_eq!(marked_pieces(&format!("a{MARK_END}b")), vec![("a".into(), false), ("b".into(), false)]);
        assert!(marked_pieces("").is_empty());
    }
}
