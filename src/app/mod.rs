//! Use cases: one function per command, called by the pages and the API alike. Each takes typed input,
//! the actor and the state (database, clock, settings), checks the rule (`domain/`), writes in one
//! transaction with its audit line and its mails (`store/`), and returns an outcome or a refusal.

pub mod accounts;
pub mod memberships;
