//! One error type for every page. It renders the Danish error page with the right status and never
//! shows internals; internal errors are logged by `log_errors` middleware, not here.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::layout::Layout;
use crate::store::db_error::{self, DbProblem};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Not signed in: pages redirect to the login page and come back afterwards.
    #[error("sign-in required")]
    SignInRequired { back_to: String },
    #[error("missing or wrong CSRF token")]
    Csrf,
    #[error("too many attempts")]
    RateLimited(String),
    /// A rule of DOMAIN.md refused the action; nothing was stored.
    #[error("refused by rule {rule}")]
    Refused { rule: &'static str, message: String },
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The database is away (a restart, an outage): answered 503, the request can be repeated.
    #[error("database unavailable")]
    Unavailable,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match db_error::classify(&e) {
            Some(DbProblem::Unavailable) => AppError::Unavailable,
            Some(DbProblem::BadInput { field: Some(field), message }) => {
                AppError::BadRequest(format!("{}: {message}", db_error::field_label(field)))
            }
            Some(DbProblem::BadInput { field: None, message }) => AppError::BadRequest(message.into()),
            None => AppError::Internal(e.into()),
        }
    }
}

impl From<crate::store::Error> for AppError {
    fn from(e: crate::store::Error) -> Self {
        use crate::store::Error;
        match e {
            Error::Refused(r) => AppError::Refused { rule: r.rule, message: r.message },
            Error::NotFound => AppError::NotFound,
            Error::Taken(field) => {
                AppError::BadRequest(format!("{} er allerede i brug.", db_error::field_label(field)))
            }
            Error::Unknown(field) => {
                AppError::BadRequest(format!("{}: den valgte værdi findes ikke.", db_error::field_label(field)))
            }
            Error::Retired(field) => AppError::Refused {
                rule: "O1",
                message: format!("{}: den valgte værdi er udgået og kan ikke vælges.", db_error::field_label(field)),
            },
            Error::Db(e) => e.into(),
        }
    }
}

impl From<crate::app::Error> for AppError {
    fn from(e: crate::app::Error) -> Self {
        match e {
            crate::app::Error::Store(e) => e.into(),
            crate::app::Error::Mail(e) => e.into(),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(e.into())
    }
}

/// Carried on the response so the logging middleware can report what the user does not see.
#[derive(Debug, Clone)]
pub struct InternalErrorReport(pub String);

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    l: Layout,
    status: u16,
    heading: &'a str,
    message: &'a str,
    rule: Option<&'a str>,
}

/// What an error page said, carried on its response so that `error_page::with_menu` can draw it
/// again inside the signed-in person's own layout (menu, name, role).
#[derive(Debug, Clone)]
pub struct ErrorPageParts {
    pub status: StatusCode,
    pub heading: &'static str,
    pub message: String,
    pub rule: Option<&'static str>,
}

impl ErrorPageParts {
    /// The page in `layout`; plain text if the template cannot be drawn.
    pub fn render(&self, layout: Layout) -> Response {
        let page = ErrorPage {
            l: layout,
            status: self.status.as_u16(),
            heading: self.heading,
            message: &self.message,
            rule: self.rule,
        };
        match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(_) => (self.status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], self.message.clone())
                .into_response(),
        }
    }
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::SignInRequired { .. } => StatusCode::SEE_OTHER,
            AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Refused { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (heading, message, rule): (&'static str, String, Option<&'static str>) = match &self {
            AppError::SignInRequired { back_to } => {
                return Redirect::to(&format!("/login?next={}", urlencode(back_to))).into_response();
            }
            AppError::NotFound => ("Siden findes ikke", "Adressen findes ikke, eller siden er flyttet.".into(), None),
            AppError::Forbidden => ("Ingen adgang", "Du har ikke adgang til denne side eller handling.".into(), None),
            AppError::Csrf => (
                "Formularen er udløbet",
                "Sikkerhedsnøglen i formularen passede ikke. Gå tilbage, genindlæs siden og prøv igen.".into(),
                None,
            ),
            AppError::RateLimited(msg) => ("For mange forsøg", msg.clone(), None),
            AppError::Refused { rule, message } => ("Handlingen er afvist", message.clone(), Some(*rule)),
            AppError::BadRequest(msg) => ("Forkert forespørgsel", msg.clone(), None),
            AppError::Unavailable => (
                "Midlertidigt utilgængelig",
                "Databasen svarer ikke lige nu. Intet er gemt; prøv igen om et øjeblik.".into(),
                None,
            ),
            AppError::Internal(_) => (
                "Der skete en fejl",
                "Der skete en uventet fejl hos os. Prøv igen om lidt; fortsætter fejlen, så kontakt sekretariatet."
                    .into(),
                None,
            ),
        };
        let parts = ErrorPageParts { status, heading, message, rule };
        let mut response = parts.render(Layout::bare(heading));
        response.extensions_mut().insert(parts);
        if let AppError::Internal(err) = &self {
            response.extensions_mut().insert(InternalErrorReport(format!("{err:#}")));
        }
        response
    }
}

/// Percent-encodes a path for a query parameter.
pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|q| q.trim_start_matches('=').to_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencode_escapes_query_characters() {
        assert_eq!(urlencode("/moeder?x=1&y"), "%2Fmoeder%3Fx%3D1%26y");
    }
}
