//! Values in JSON bodies read as the OpenAPI document describes them, where serde's defaults differ.
//! Whole numbers: JSON Schema's `integer` admits `1.0` as well as `1`; serde's i64 takes only the
//! second. Dates: the document says `åååå-mm-dd` in the years 1900-2200, as the forms do; chrono alone
//! takes year 0 too, which PostgreSQL stores as 1 BC and nothing can read back.

use chrono::NaiveDate;
use serde::de::{Deserialize, Deserializer, Error};

use crate::domain::input;

fn whole(n: serde_json::Number) -> Option<i64> {
    // 2^53: beyond it a float no longer names one whole number.
    n.as_i64()
        .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0).map(|f| f as i64))
}

pub fn whole_number<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    whole(serde_json::Number::deserialize(d)?).ok_or_else(|| D::Error::custom("expected a whole number"))
}

pub fn optional_whole_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<serde_json::Number>::deserialize(d)? {
        None => Ok(None),
        Some(n) => whole(n).map(Some).ok_or_else(|| D::Error::custom("expected a whole number")),
    }
}

pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    input::date(&String::deserialize(d)?).map_err(|_| D::Error::custom("expected a date åååå-mm-dd in 1900-2200"))
}

pub fn optional_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => input::date(&s).map(Some).map_err(|_| D::Error::custom("expected a date åååå-mm-dd in 1900-2200")),
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(deserialize_with = "super::whole_number")]
        id: i64,
        #[serde(default, deserialize_with = "super::optional_whole_number")]
        n: Option<i64>,
    }

    fn parse(json: &str) -> Option<(i64, Option<i64>)> {
        serde_json::from_str::<Body>(json).ok().map(|b| (b.id, b.n))
    }

    #[derive(serde::Deserialize)]
    struct Dated {
        #[serde(deserialize_with = "super::date")]
        on: chrono::NaiveDate,
    }

    #[test]
    fn dates_are_those_of_the_document() {
        let on = |json: &str| serde_json::from_str::<Dated>(json).ok().map(|d| d.on.to_string());
        assert_eq!(on(r#"{"on": "2027-03-31"}"#).as_deref(), Some("2027-03-31"));
        assert_eq!(on(r#"{"on": "0000-01-01"}"#), None, "year 0 would be stored as 1 BC");
        assert_eq!(on(r#"{"on": "2201-01-01"}"#), None);
        assert_eq!(on(r#"{"on": "2027-02-30"}"#), None);
        assert_eq!(on(r#"{"on": ""}"#), None);
    }

    #[test]
    fn whole_floats_count_and_fractions_do_not() {
        assert_eq!(parse(r#"{"id": 22, "n": 1}"#), Some((22, Some(1))));
        assert_eq!(parse(r#"{"id": 22.0, "n": 1.0}"#), Some((22, Some(1))));
        assert_eq!(parse(r#"{"id": 22, "n": null}"#), Some((22, None)));
        assert_eq!(parse(r#"{"id": 22}"#), Some((22, None)));
        assert_eq!(parse(r#"{"id": 22.5}"#), None);
        assert_eq!(parse(r#"{"id": 1e300}"#), None);
        assert_eq!(parse(r#"{"id": "22"}"#), None);
    }
}
