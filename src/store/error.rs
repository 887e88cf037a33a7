//! The one error a store function returns. Handlers match on what it means, never on sqlx.

use crate::domain::refusal::Refusal;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule refused the change; nothing was stored.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The thing to change does not exist (or is not this caller's to change).
    #[error("not found")]
    NotFound,
    /// A unique value is in use already; the field it belongs to.
    #[error("{0} is taken")]
    Taken(&'static str),
    /// A chosen reference (an organisation, a person ...) does not exist; the field it came from.
    #[error("{0} does not exist")]
    Unknown(&'static str),
    /// A chosen party or organisation is retired (O1): kept where referenced, no new choice; the field.
    #[error("{0} is retired")]
    Retired(&'static str),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub type Result<T> = std::result::Result<T, Error>;
