//! Secrets and sign-in: password hashing and the rule for new passwords, API and feed tokens, CSRF
//! tokens, and OpenID Connect sign-in through the organisation's identity provider.

pub mod oidc;
pub mod password;
pub mod password_policy;
pub mod second_factor;
pub mod tokens;
