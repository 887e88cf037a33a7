//! The accessibility statement (webtilgængelighedserklæring) that Danish public bodies must publish:
//! public, linked from every page's footer, the login page too.

use askama::Template;
use axum::response::Html;

use super::error::AppError;
use super::layout::Layout;

#[derive(Template)]
#[template(path = "accessibility.html")]
struct StatementPage {
    l: Layout,
}

/// GET /tilgaengelighed
pub async fn statement() -> Result<Html<String>, AppError> {
    Ok(Html(StatementPage { l: Layout::bare("Tilgængelighedserklæring") }.render()?))
}
