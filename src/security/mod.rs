//! Secrets: password hashing, API and feed tokens, CSRF tokens.

pub mod password;
pub mod tokens;
