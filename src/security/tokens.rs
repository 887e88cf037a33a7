//! Random secrets shown once (API tokens, calendar feeds, CSRF) and the SHA-256 that is stored instead.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Prefix that makes a leaked token recognisable (e.g. by secret scanners).
pub const API_TOKEN_PREFIX: &str = "sr_";

pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn new_api_token() -> String {
    format!("{API_TOKEN_PREFIX}{}", random_secret())
}

pub fn sha256(secret: &str) -> Vec<u8> {
    sha256_bytes(secret.as_bytes())
}

pub fn sha256_bytes(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

/// The first characters of a token, safe to show in a list so a person can tell tokens apart.
pub fn display_prefix(token: &str) -> String {
    token.chars().take(API_TOKEN_PREFIX.len() + 6).collect()
}

pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_prefixed() {
        let a = new_api_token();
        let b = new_api_token();
        assert!(a.starts_with("sr_") && a.len() == 3 + 43);
        assert_ne!(a, b);
        assert_eq!(sha256(&a).len(), 32);
        assert_ne!(sha256(&a), sha256(&b));
        assert_eq!(display_prefix(&a).len(), 9);
    }

    #[test]
    fn comparison_is_exact() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
