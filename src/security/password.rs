//! Passwords: argon2id with OWASP's parameters (argon2's defaults: m=19 MiB, t=2, p=1), hashed off
//! the async runtime because a hash takes tens of milliseconds of CPU.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let hash =
        hasher().hash_password(password.as_bytes(), &salt).map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
    Ok(hash.to_string())
}

/// Each argon2id run holds 19 MiB; a burst of sign-ins at 64 connections took the server to 2.6 GB
/// (the target: RSS <= 100 MB). At most this many run at once, the rest wait their turn.
const HASHES_AT_ONCE: usize = 2;
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HASHES_AT_ONCE);

pub async fn hash(password: String) -> anyhow::Result<String> {
    let _turn = HASHING.acquire().await?;
    tokio::task::spawn_blocking(move || hash_blocking(&password)).await?
}

/// Checks a password against a stored hash; an unreadable hash never matches.
pub async fn verify(password: String, stored: String) -> anyhow::Result<bool> {
    let _turn = HASHING.acquire().await?;
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        hasher().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
    .map_err(Into::into)
}

/// A real hash to verify against when the account does not exist, so a wrong email costs as long as
/// a wrong password and timing does not reveal which accounts exist.
pub static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_blocking("no such account").unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_with_owasp_parameters_and_verifies() {
        let hash = hash_blocking("korrekt hest batteri").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        assert!(rt.block_on(verify("korrekt hest batteri".into(), hash.clone())).unwrap());
        assert!(!rt.block_on(verify("forkert".into(), hash)).unwrap());
    }

    #[test]
    fn an_unreadable_hash_never_matches() {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        assert!(!rt.block_on(verify("x".into(), "DEMO".into())).unwrap());
        assert!(!rt.block_on(verify("x".into(), DUMMY_HASH.clone())).unwrap());
    }
}
