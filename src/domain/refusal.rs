//! The one shape of a refused action: which rule of DOMAIN.md said no, and why, in Danish. Every domain
//! function that refuses returns it; pages show it beside the form, the API answers it as a 422.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("refused by {rule}: {message}")]
pub struct Refusal {
    pub rule: &'static str,
    pub message: String,
}

impl Refusal {
    pub fn new(rule: &'static str, message: impl Into<String>) -> Refusal {
        Refusal { rule, message: message.into() }
    }
}
