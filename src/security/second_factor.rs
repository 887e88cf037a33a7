//! The second factor for password sign-in: a time-based one-time code (TOTP, RFC 6238: SHA-1, six
//! digits, 30-second steps, one step of clock drift either way) from an authenticator app, enrolled
//! by scanning a QR code drawn here as SVG, and ten single-use recovery codes kept only as hashes.

use qrcode::QrCode;
use qrcode::render::svg;
use rand::Rng;
use totp_rs::{Algorithm, Secret, TOTP};

use super::tokens;

pub const STEP_SECONDS: i64 = 30;
pub const RECOVERY_CODES: usize = 10;

/// A new random secret, base32 as authenticator apps show it.
pub fn new_secret() -> String {
    match Secret::generate_secret().to_encoded() {
        Secret::Encoded(s) => s,
        Secret::Raw(bytes) => base32_of(&bytes),
    }
}

fn base32_of(bytes: &[u8]) -> String {
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

fn totp(secret: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, 6, 1, STEP_SECONDS as u64, bytes, Some("Samarbejdsrum".into()), account.to_owned()).ok()
}

/// The otpauth:// address the QR code holds.
pub fn enrolment_url(secret: &str, account: &str) -> Option<String> {
    totp(secret, account).map(|t| t.get_url())
}

/// The QR code of the enrolment address as an SVG element, drawn on the server.
pub fn qr_svg(url: &str) -> Option<String> {
    let code = QrCode::new(url.as_bytes()).ok()?;
    let drawn = code.render::<svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build();
    // Inline in an HTML page: no XML declaration, and a name for screen readers.
    let svg = &drawn[drawn.find("<svg")?..];
    Some(svg.replacen("<svg", r#"<svg role="img" aria-label="QR-kode til godkendelsesappen""#, 1))
}

/// The code the app shows at `unix_seconds` (for tests and the enrolment check).
pub fn code_at(secret: &str, unix_seconds: i64) -> Option<String> {
    totp(secret, "").map(|t| t.generate(u64::try_from(unix_seconds).unwrap_or(0)))
}

/// The time step a typed code belongs to, within one step of `now`, if it is later than the last
/// step used: a code works once, however quickly it is typed again.
pub fn accepted_step(secret: &str, typed: &str, unix_seconds: i64, last_used_step: Option<i64>) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != 6 || !typed.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let now_step = unix_seconds.div_euclid(STEP_SECONDS);
    [now_step - 1, now_step, now_step + 1].into_iter().find(|step| {
        last_used_step.is_none_or(|last| *step > last)
            && code_at(secret, step * STEP_SECONDS).is_some_and(|code| tokens::constant_time_eq(&code, &typed))
    })
}

/// Ten recovery codes to show once, as "xxxx-xxxx-xx" in an alphabet without look-alikes.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let chars: String = (0..10).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
            format!("{}-{}-{}", &chars[..4], &chars[4..8], &chars[8..])
        })
        .collect()
}

/// The stored form of a recovery code: the hash of its letters, whatever the case and dashes typed.
pub fn recovery_hash(typed: &str) -> Vec<u8> {
    let letters: String = typed.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
    tokens::sha256(&letters)
}

/// Whether what was typed looks like a recovery code rather than a six-digit code.
pub fn looks_like_recovery_code(typed: &str) -> bool {
    typed.chars().filter(|c| c.is_ascii_alphanumeric()).count() == 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_accepted_in_its_step_and_one_either_side_and_only_once() {
        let secret = new_secret();
        let now = 1_800_000_000;
        let code = code_at(&secret, now).unwrap();
        let step = accepted_step(&secret, &code, now, None).expect("the current code");
        assert_eq!(step, now / STEP_SECONDS);
        assert_eq!(accepted_step(&secret, &code, now, Some(step)), None, "the same code again in its step");
        assert!(accepted_step(&secret, &code, now + STEP_SECONDS, None).is_some(), "a step late");
        assert_eq!(accepted_step(&secret, &code, now + 3 * STEP_SECONDS, None), None, "too late");
        assert_eq!(accepted_step(&secret, "12345", now, None), None);
        assert_eq!(accepted_step(&secret, "abcdef", now, None), None);
    }

    #[test]
    fn the_codes_are_rfc_6238s() {
        // RFC 6238 appendix B, SHA-1: the secret "12345678901234567890" at 59 s gives 94287082 (8 digits);
        // its last six digits are the six-digit code.
        let secret = base32_of(b"12345678901234567890");
        assert_eq!(code_at(&secret, 59).as_deref(), Some("287082"));
        assert_eq!(code_at(&secret, 1_111_111_109).as_deref(), Some("081804"));
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_hash_the_same_however_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(codes.iter().collect::<std::collections::HashSet<_>>().len(), RECOVERY_CODES);
        let code = &codes[0];
        assert!(looks_like_recovery_code(code));
        assert_eq!(recovery_hash(code), recovery_hash(&code.to_uppercase().replace('-', " ")));
    }

    #[test]
    fn the_qr_code_is_an_svg_of_the_otpauth_address() {
        let url = enrolment_url(&new_secret(), "sekretariat@dmp.example").unwrap();
        assert!(url.starts_with("otpauth://totp/Samarbejdsrum:"));
        let svg = qr_svg(&url).unwrap();
        assert!(svg.starts_with("<svg role=\"img\"") && svg.ends_with("</svg>"), "inline SVG, no XML prolog");
    }
}
