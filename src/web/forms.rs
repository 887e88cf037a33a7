//! The form pattern: a typed struct per form, validation into field errors, and the page
//! re-rendered with the user's input and Danish messages.

pub use crate::domain::input::FieldErrors;

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
