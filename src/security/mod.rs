//! Secrets: password hashing and the rule for new passwords, API and feed tokens, CSRF tokens.

pub mod password;
pub mod password_policy;
pub mod tokens;
