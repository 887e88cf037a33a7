//! Use cases: one function per command, called by the pages and the API alike. Each takes typed input,
//! the actor and the state (database, clock, settings), checks the rule (`domain/`), writes in one
//! transaction with its audit line and its mails (`store/`), and returns an outcome or a refusal.

pub mod accounts;
pub mod actions;
pub mod agenda;
pub mod agenda_snapshot;
pub mod budgets;
pub mod change_requests;
pub mod groups;
pub mod meetings;
pub mod memberships;
pub mod minutes;
pub mod participation;

use crate::domain::refusal::Refusal;
use crate::store;

/// Why a command did not happen: what the store said (a refused rule, nothing found, the database),
/// or a mail that could not be drawn (a fault of this program, never of the input). Nothing is stored
/// in either case: the mails are drawn before the transaction that queues them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] store::Error),
    #[error("mail template: {0}")]
    Mail(#[from] askama::Error),
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Store(e.into())
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        Error::Store(r.into())
    }
}

pub type Result<T> = std::result::Result<T, Error>;
