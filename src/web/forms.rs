//! The form pattern: a typed struct per form, parsed into a domain input type (shared with the API)
//! or into field errors, and the page re-rendered with the user's input and Danish messages.

pub use crate::domain::field_errors::FieldErrors;

use serde::{Deserialize, Deserializer};

/// The value every checkbox in the templates sends when ticked.
pub const TICKED: &str = "ja";

/// A checkbox field: ticked when sent with [`TICKED`], unticked when absent or anything else.
pub fn checkbox<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<String>::deserialize(d)?.is_some_and(|v| v == TICKED))
}

/// The ids sent under one name many times (a column of checkboxes); what is not a number is skipped.
pub fn ids_named(fields: &[(String, String)], name: &str) -> Vec<i64> {
    fields.iter().filter(|(k, _)| k == name).filter_map(|(_, v)| v.trim().parse().ok()).collect()
}

/// An optional choice of a select list by id: empty (or not a number) is no choice.
pub fn optional_id(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Tick {
        #[serde(default, deserialize_with = "checkbox")]
        done: bool,
    }

    #[test]
    fn a_checkbox_is_ticked_only_by_its_value() {
        let tick = |q: &str| serde_urlencoded::from_str::<Tick>(q).map(|t| t.done).ok();
        assert_eq!(tick("done=ja"), Some(true));
        assert_eq!(tick("done=nej"), Some(false));
        assert_eq!(tick(""), Some(false));
    }

    #[test]
    fn ids_are_collected_by_name() {
        let fields = vec![("a".to_owned(), "1".to_owned()), ("b".into(), "2".into()), ("a".into(), "x".into())];
        assert_eq!(ids_named(&fields, "a"), vec![1]);
    }
}
