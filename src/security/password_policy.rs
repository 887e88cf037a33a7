//! What a new password must be (NIST SP 800-63B-4 §3.1.1.2, passwords as the only factor): at least 15
//! characters, at most 200, any characters, and not one that is easy to guess: on the list of common and
//! breached passwords, a repeated character or pattern, a keyboard or number sequence, or the account's
//! own e-mail address. No composition rules: a sentence of ordinary words is the recommended kind.

use std::collections::HashSet;
use std::sync::LazyLock;

pub const MIN_LENGTH: usize = 15;
pub const MAX_LENGTH: usize = 200;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common_passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Keyboard rows and counting orders; a password inside one of them (either way, wrapping round) is a sequence.
const SEQUENCES: &[&str] = &[
    "0123456789",
    "abcdefghijklmnopqrstuvwxyzæøå",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertyuiopåasdfghjklæøzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "1q2w3e4r5t6y7u8i9o0p",
    "qazwsxedcrfvtgbyhnujmikolp",
];

/// The password published with the demo data: anyone can read it in the README, so no real account
/// chooses it (the demo accounts are given it by the demo loader, not through this rule).
pub const DEMO_PASSWORD: &str = "demo-samarbejde";

/// The Danish message for a new password that breaks the rule, shown next to the field; None when it is
/// fine. `email` and `name` are the account's: a password built from them is the first an attacker tries.
pub fn policy_error(password: &str, email: &str, name: &str) -> Option<String> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Some(format!(
            "Adgangskoden skal have mindst {MIN_LENGTH} tegn. En sætning på flere ord er let at huske."
        ));
    }
    if length > MAX_LENGTH {
        return Some(format!("Adgangskoden må højst have {MAX_LENGTH} tegn."));
    }
    let lower = password.trim().to_lowercase();
    if lower.contains(DEMO_PASSWORD) {
        return Some("Adgangskoden er demo-adgangskoden, som alle kan læse. Vælg din egen.".into());
    }
    let email = email.trim().to_lowercase();
    let local_part = email.split('@').next().unwrap_or_default();
    if lower.contains(&email) || words_of(local_part).any(|w| lower.contains(w)) {
        return Some("Adgangskoden må ikke indeholde din e-mailadresse eller dele af den.".into());
    }
    if words_of(&name.to_lowercase()).any(|w| lower.contains(w)) {
        return Some("Adgangskoden må ikke indeholde dit navn.".into());
    }
    let core = core_of(&lower);
    if is_repetition(&lower) || is_repetition(core) {
        return Some("Adgangskoden må ikke være ét tegn eller en tegnfølge, der gentages. Vælg fx en sætning.".into());
    }
    if is_sequence(&lower) || is_sequence(core) {
        return Some("Adgangskoden må ikke være en række som 12345… eller qwerty…. Vælg fx en sætning.".into());
    }
    if COMMON.contains(lower.as_str()) || COMMON.contains(core) || COMMON.contains(lower.replace(' ', "").as_str()) {
        return Some(
            "Adgangskoden er for almindelig og findes på lister over lækkede adgangskoder. Vælg en anden, \
             fx en sætning på flere ord."
                .into(),
        );
    }
    None
}

/// The parts of a name or an e-mail's local part long enough to matter (3 characters or more), and the
/// whole of it: "anne.k-soerensen" gives "anne.k-soerensen", "anne" and "soerensen".
fn words_of(s: &str) -> impl Iterator<Item = &str> {
    std::iter::once(s).chain(s.split(|c: char| !c.is_alphanumeric())).filter(|w| w.chars().count() >= 3)
}

/// The password without the digits, punctuation and spaces around it ("Sommer2024!" -> "sommer").
fn core_of(lower: &str) -> &str {
    lower.trim_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace())
}

/// One character, or one shorter pattern, over and over ("aaaa", "abcabc", "passwordpassword").
fn is_repetition(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    n >= 2 && (1..=n / 2).any(|unit| n.is_multiple_of(unit) && chars.chunks(unit).all(|c| c == &chars[..unit]))
}

fn is_sequence(s: &str) -> bool {
    if s.chars().count() < 4 {
        return false;
    }
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    SEQUENCES.iter().any(|seq| {
        let reversed: String = seq.chars().rev().collect();
        [seq.to_string(), reversed]
            .iter()
            .any(|order| order.repeat(s.chars().count() / order.chars().count() + 2).contains(&s))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMAIL: &str = "Forperson.Natur@mst.example";
    const NAME: &str = "Karen Holm-Jessen";

    fn policy_error(password: &str, email: &str) -> Option<String> {
        super::policy_error(password, email, NAME)
    }

    fn refused(password: &str) -> bool {
        policy_error(password, EMAIL).is_some()
    }

    #[test]
    fn short_and_overlong_passwords_are_refused_in_danish() {
        for short in ["kort", "1234567890", "aaaaaaaaaa", "fjorten tegn!!"] {
            let msg = policy_error(short, EMAIL).unwrap();
            assert!(msg.starts_with("Adgangskoden skal have mindst 15 tegn."), "{short}: {msg}");
        }
        assert_eq!(policy_error(&"x y".repeat(67), EMAIL), Some("Adgangskoden må højst have 200 tegn.".into()));
    }

    #[test]
    fn long_passphrases_of_any_characters_are_accepted() {
        for good in [
            "korrekt hest batteri hæfteklamme",
            "en lang nok adgangskode",
            "Grøn kaffe på tirsdag 7!",
            "ÆØÅ æøå 😀 emoji går også",
            "tb9#Lq2@xv7!Rk4",
        ] {
            assert_eq!(policy_error(good, EMAIL), None, "{good}");
        }
    }

    #[test]
    fn common_and_breached_passwords_are_refused_whatever_the_case_and_padding() {
        for common in [
            "manchesterunited",
            "ManchesterUnited",
            "1q2w3e4r5t6y7u8i9o0p",
            "kartoffelpuffer",
            "Password1234567",
            "!!Velkommen2024!!",
            "Samarbejdsrum2026",
            "jeg elsker dig 123",
        ] {
            let msg = policy_error(common, EMAIL).unwrap_or_else(|| panic!("{common} was accepted"));
            assert!(msg.contains("for almindelig") || msg.contains("række"), "{common}: {msg}");
        }
        assert!(COMMON.len() > 3000, "{}", COMMON.len());
    }

    #[test]
    fn repeated_characters_and_patterns_are_refused() {
        for repeated in
            ["aaaaaaaaaaaaaaa", "ÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅ", "abcabcabcabcabc", "hejhejhejhejhej!!", "passwordpassword"]
        {
            assert!(refused(repeated), "{repeated}");
        }
        assert!(policy_error("aaaaaaaaaaaaaaa", EMAIL).unwrap().contains("gentages"));
    }

    #[test]
    fn keyboard_and_number_sequences_are_refused() {
        for sequence in [
            "123456789012345",
            "987654321098765",
            "qwertyuiopasdfgh",
            "QWERTZUIOPASDFGHJ",
            "abcdefghijklmnop",
            "1qaz2wsx3edc4rfv",
            "zyxwvutsrqponmlk",
        ] {
            assert!(refused(sequence), "{sequence}");
        }
    }

    #[test]
    fn the_accounts_own_email_and_its_parts_are_refused() {
        assert_eq!(
            policy_error("forperson.natur@MST.example", EMAIL),
            Some("Adgangskoden må ikke indeholde din e-mailadresse eller dele af den.".into())
        );
        assert!(refused("forperson.natur"), "the part before @ too");
        assert!(refused("forperson natur og vand"), "a part of it inside a sentence");
        assert!(super::policy_error("Victim3xexample!", "victim3x@example.org", "Vic Tim").is_some());
    }

    #[test]
    fn the_persons_name_is_refused() {
        for with_name in ["karen går en tur i skoven", "HOLM-JESSEN hele vejen", "jessenjessen1234567"] {
            let msg = policy_error(with_name, "kh@mst.example").unwrap_or_else(|| panic!("{with_name} was accepted"));
            assert!(msg.contains("dit navn") || msg.contains("gentages"), "{with_name}: {msg}");
        }
        assert_eq!(policy_error("en tur i skoven hver morgen", "kh@mst.example"), None);
    }

    #[test]
    fn the_published_demo_password_is_refused() {
        for demo in [DEMO_PASSWORD, "Demo-Samarbejde", "demo-samarbejde 2026!"] {
            let msg = policy_error(demo, "kh@mst.example").unwrap_or_else(|| panic!("{demo} was accepted"));
            assert!(msg.contains("demo-adgangskoden"), "{demo}: {msg}");
        }
    }
}
