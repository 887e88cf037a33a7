//! A validated email address, compared case-insensitively.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Trims and lower-cases; refuses anything that is not `local@domain.tld` in Danish.
    pub fn parse(input: &str) -> Result<Email, &'static str> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err("Skriv en e-mailadresse.");
        }
        if email.len() > 254 || email.chars().any(char::is_whitespace) {
            return Err("E-mailadressen er ikke gyldig.");
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err("E-mailadressen skal indeholde @.");
        };
        if local.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
        {
            return Err("E-mailadressen er ikke gyldig.");
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn valid_addresses_are_trimmed_and_lower_cased() {
        assert_eq!(Email::parse("  Mette.Holm@MST.example ").unwrap().as_str(), "mette.holm@mst.example");
    }

    #[test]
    fn invalid_addresses_are_refused_with_a_danish_reason() {
        for bad in ["", "   ", "mette", "@mst.dk", "mette@", "mette@dk", "a b@mst.dk", "a@@mst.dk", "a@mst.dk."] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(Email::parse("mette"), Err("E-mailadressen skal indeholde @."));
    }
}
