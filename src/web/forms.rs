//! The form pattern: a typed struct per form, validation into field errors, and the page
//! re-rendered with the user's input and Danish messages.

#[derive(Debug, Default, Clone)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    /// The message for one field, for the template (empty when the field is fine).
    pub fn get(&self, field: &str) -> &str {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str()).unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All messages, for the summary at the top of the form.
    pub fn messages(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(f, m)| (*f, m.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::FieldErrors;

    #[test]
    fn errors_are_found_by_field() {
        let mut errors = FieldErrors::default();
        assert!(errors.is_empty());
        errors.add("email", "Skriv en e-mailadresse.");
        assert_eq!(errors.get("email"), "Skriv en e-mailadresse.");
        assert_eq!(errors.get("password"), "");
        assert_eq!(errors.messages().count(), 1);
    }
}
