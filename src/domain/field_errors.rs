//! What is wrong with a person's input, field by field, in Danish. One type for every form and the
//! API: a page shows each message next to its field, the API answers 422 with the same pairs.

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    /// One field's error, e.g. a unique key the database refused.
    pub fn one(field: &'static str, message: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.add(field, message);
        errors
    }

    /// The message for one field, for the template (empty when the field is fine).
    pub fn get(&self, field: &str) -> &str {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str()).unwrap_or("")
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|(f, _)| *f == field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All messages, for the summary at the top of the form.
    pub fn messages(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(f, m)| (*f, m.as_str()))
    }

    /// The pairs, for the API's 422 body.
    pub fn into_pairs(self) -> Vec<(&'static str, String)> {
        self.0
    }

    /// Parses one field: the value, or `None` with the message recorded under `field`.
    pub fn check<T, E: Into<String>>(&mut self, field: &'static str, parsed: Result<T, E>) -> Option<T> {
        parsed.map_err(|m| self.add(field, m)).ok()
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
        assert!(errors.has("email") && !errors.has("password"));
        assert_eq!(errors.messages().count(), 1);
    }

    #[test]
    fn check_keeps_the_value_or_the_message() {
        let mut errors = FieldErrors::default();
        assert_eq!(errors.check("a", Ok::<_, String>(3)), Some(3));
        assert_eq!(errors.check::<i32, &str>("b", Err("Forkert.")), None);
        assert_eq!(errors.into_pairs(), vec![("b", "Forkert.".to_owned())]);
    }
}
