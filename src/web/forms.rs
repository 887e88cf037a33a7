//! The form pattern: a typed struct per form, parsed into a domain input type (shared with the API)
//! or into field errors, and the page re-rendered with the user's input and Danish messages.

pub use crate::domain::field_errors::FieldErrors;
