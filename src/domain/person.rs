//! A person's details as the secretariat enters them (M8), parsed once for the form and the API.

use serde::Serialize;

use super::email::Email;
use super::field_errors::FieldErrors;
use super::input;

/// The longest name, title and phone number the register keeps (the schema's CHECKs agree).
pub const NAME_MAX: usize = 200;
pub const PHONE_MAX: usize = 50;
/// Competences, education and networks are free text, a few paragraphs at most.
pub const NOTES_MAX: usize = 4_000;

/// The fields a person is created or edited with, parsed and bounded.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PersonInput {
    pub name: String,
    pub title: String,
    pub organisation_id: Option<i64>,
    pub management_level: bool,
    pub email: String,
    pub phone: String,
    pub competences: String,
    pub education: String,
    pub networks: String,
}

/// The raw fields, as typed in the form or sent as JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct PersonDraft<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub organisation_id: Option<i64>,
    pub management_level: bool,
    pub email: &'a str,
    pub phone: &'a str,
    pub competences: &'a str,
    pub education: &'a str,
    pub networks: &'a str,
}

impl PersonDraft<'_> {
    /// The input, or every field's Danish message. `errors` may already hold what the caller found
    /// while reading its own fields (a select box that did not hold a number).
    pub fn parse(&self, mut errors: FieldErrors) -> Result<PersonInput, FieldErrors> {
        let name = errors.check("name", input::one_line(self.name, NAME_MAX)).unwrap_or_default();
        if name.is_empty() && !errors.has("name") {
            errors.add("name", "Skriv personens navn.");
        }
        let title = errors.check("title", input::one_line(self.title, NAME_MAX)).unwrap_or_default();
        let phone = errors.check("phone", input::one_line(self.phone, PHONE_MAX)).unwrap_or_default();
        let email = errors.check("email", Email::parse(self.email).map_err(str::to_owned));
        let competences = errors.check("competences", input::text(self.competences, NOTES_MAX)).unwrap_or_default();
        let education = errors.check("education", input::text(self.education, NOTES_MAX)).unwrap_or_default();
        let networks = errors.check("networks", input::text(self.networks, NOTES_MAX)).unwrap_or_default();
        match email {
            Some(email) if errors.is_empty() => Ok(PersonInput {
                name,
                title,
                organisation_id: self.organisation_id,
                management_level: self.management_level,
                email: email.to_string(),
                phone,
                competences,
                education,
                networks,
            }),
            _ => Err(errors),
        }
    }
}

/// The message when the e-mail address belongs to someone else.
pub const EMAIL_TAKEN: &str = "Der findes allerede en person med denne e-mailadresse.";
/// The message when the organisation does not exist.
pub const UNKNOWN_ORGANISATION: &str = "Organisationen findes ikke. Vælg en fra listen.";

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> PersonDraft<'static> {
        PersonDraft { name: " Ane Holm ", email: "ane@example.dk", ..PersonDraft::default() }
    }

    #[test]
    fn a_valid_person_is_trimmed() {
        let p = draft().parse(FieldErrors::default()).expect("valid");
        assert_eq!(p.name, "Ane Holm");
        assert_eq!(p.email, "ane@example.dk");
    }

    #[test]
    fn each_bad_field_gets_its_message() {
        let long = "x".repeat(NAME_MAX + 1);
        let d = PersonDraft { name: &long, email: "nope", phone: "1\n2", ..draft() };
        let errors = d.parse(FieldErrors::default()).expect_err("invalid");
        assert!(errors.has("name") && errors.has("email") && errors.has("phone"));
        let blank = PersonDraft { name: "  ", ..draft() };
        assert_eq!(blank.parse(FieldErrors::default()).expect_err("blank").get("name"), "Skriv personens navn.");
    }

    #[test]
    fn errors_found_by_the_caller_are_kept() {
        let errors = draft().parse(FieldErrors::one("organisation_id", "Vælg en organisation.")).expect_err("kept");
        assert!(errors.has("organisation_id"));
    }
}
