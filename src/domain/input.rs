//! Parsing a person's input into bounded values, shared by forms and the API: dates within the years
//! the app plans in, one-line texts without line breaks or control characters, sensible amounts.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The first and last year a date may fall in: a wider range is a typing error, never a meeting.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange;

/// Why a text was refused. Its `Display` is the Danish message shown beside the field, or in the
/// API's 422 under the field's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unfit {
    #[error("Teksten skal stå på én linje uden linjeskift eller kontroltegn.")]
    NotOneLine,
    #[error("Teksten indeholder et kontroltegn, der ikke kan gemmes.")]
    ControlCharacter,
    #[error("Teksten må højst have {0} tegn.")]
    TooLong(usize),
    #[error("Linket skal begynde med https:// (eller http://).")]
    NotAWebLink,
    #[error("Kortnavnet må kun indeholde a-z, 0-9 og bindestreg (højst {0} tegn).")]
    NotAShortName(usize),
    /// A required text left blank; the message says what to write.
    #[error("{0}")]
    Missing(&'static str),
}

impl From<Unfit> for String {
    fn from(unfit: Unfit) -> String {
        unfit.to_string()
    }
}

/// An ISO date (`2027-03-31`) between 1900 and 2200.
pub fn date(s: &str) -> Result<NaiveDate, OutOfRange> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (FIRST_YEAR..=LAST_YEAR).contains(&chrono::Datelike::year(d)))
        .ok_or(OutOfRange)
}

/// A one-line text (a name, a title): trimmed, at most `max` characters, no line breaks or other
/// control characters. The message says what is wrong, in Danish.
pub fn one_line(s: &str, max: usize) -> Result<String, Unfit> {
    let s = s.trim();
    if s.chars().any(char::is_control) {
        return Err(Unfit::NotOneLine);
    }
    if s.chars().count() > max {
        return Err(Unfit::TooLong(max));
    }
    Ok(s.to_owned())
}

/// Free text (a description, an agenda item's body): line breaks allowed, other control characters not.
pub fn text(s: &str, max: usize) -> Result<String, Unfit> {
    let s = s.trim();
    if s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(Unfit::ControlCharacter);
    }
    if s.chars().count() > max {
        return Err(Unfit::TooLong(max));
    }
    Ok(s.to_owned())
}

/// Hours of a buy-out agreement (M10): 0 to 10,000, a comma or a point as decimal mark.
pub fn hours(s: &str) -> Option<Decimal> {
    s.trim().replace(',', ".").parse::<Decimal>().ok().filter(|h| !h.is_sign_negative() && *h <= Decimal::from(10_000))
}

/// The largest amount a register takes: far above any group's budget, well inside numeric(14, 2).
pub const MAX_AMOUNT: i64 = 1_000_000_000;

/// An amount in kroner (B1-B3, C1), written the Danish way (1.250.000,50) or plainly (1250000.50): points
/// grouping thousands are dropped, a comma is the decimal mark; 0 to [`MAX_AMOUNT`], at most two decimals.
pub fn amount(s: &str) -> Option<Decimal> {
    let s = s.trim().replace(' ', "");
    let groups_thousands = s.split('.').skip(1).all(|g| g.len() == 3) && s.contains('.');
    let s = if s.contains(',') || groups_thousands { s.replace('.', "").replace(',', ".") } else { s };
    s.parse::<Decimal>().ok().filter(|d| !d.is_sign_negative() && *d <= Decimal::from(MAX_AMOUNT) && d.scale() <= 2)
}

/// A link to an online meeting (T3): only http(s), so that no `javascript:` ever becomes a link.
pub fn web_link(s: &str) -> Result<String, Unfit> {
    let s = one_line(s, 500)?;
    let lower = s.to_ascii_lowercase();
    if s.is_empty() || ((lower.starts_with("https://") || lower.starts_with("http://")) && s.len() > 8) {
        Ok(s)
    } else {
        Err(Unfit::NotAWebLink)
    }
}

/// One option of a choice (a select or radio group): the value sent and the Danish label shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Choice {
        Choice { value: value.into(), label: label.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_outside_the_planning_years_are_refused() {
        assert!(date("2027-03-31").is_ok());
        assert!(date(" 1900-01-01 ").is_ok());
        assert_eq!(date("-5000-01-01"), Err(OutOfRange));
        assert_eq!(date("275760-09-13"), Err(OutOfRange));
        assert_eq!(date("2027-02-30"), Err(OutOfRange));
    }

    #[test]
    fn a_one_line_text_has_no_line_breaks_and_a_length_limit() {
        assert_eq!(one_line("  Faggruppe Natur ", 200).as_deref(), Ok("Faggruppe Natur"));
        assert!(one_line("Natur\r\nBcc: x", 200).is_err());
        assert!(one_line("a\u{0}", 200).is_err());
        assert!(one_line(&"æ".repeat(201), 200).is_err());
        assert!(text("Linje 1\nLinje 2", 100).is_ok());
        assert_eq!(text("bip\u{7}", 100), Err(Unfit::ControlCharacter));
    }

    #[test]
    fn each_refusal_reads_as_the_danish_message_beside_the_field() {
        let message = |u: Unfit| String::from(u);
        assert_eq!(message(one_line("abc", 2).unwrap_err()), "Teksten må højst have 2 tegn.");
        assert_eq!(
            message(one_line("a\nb", 9).unwrap_err()),
            "Teksten skal stå på én linje uden linjeskift eller kontroltegn."
        );
        assert_eq!(
            message(web_link("javascript:alert(1)").unwrap_err()),
            "Linket skal begynde med https:// (eller http://)."
        );
        assert_eq!(message(Unfit::Missing("Skriv en titel.")), "Skriv en titel.");
    }

    #[test]
    fn hours_are_bounded_m10() {
        assert_eq!(hours("7,5"), Some(Decimal::new(75, 1)));
        assert_eq!(hours("10000000"), None);
        assert_eq!(hours("-1"), None);
    }

    #[test]
    fn amounts_take_danish_and_plain_decimals_within_bounds() {
        assert_eq!(amount("185.000,50"), Some(Decimal::new(18_500_050, 2)));
        assert_eq!(amount("95000"), Some(Decimal::from(95_000)));
        assert_eq!(amount("1 000"), Some(Decimal::from(1_000)));
        assert_eq!(amount("100.000"), Some(Decimal::from(100_000)));
        assert_eq!(amount("1.250.000"), Some(Decimal::from(1_250_000)));
        assert_eq!(amount("1.5"), Some(Decimal::new(15, 1)));
        assert_eq!(amount("-1"), None);
        assert_eq!(amount("1e309"), None);
        assert_eq!(amount("99999999999999999999"), None);
        assert_eq!(amount("1,005"), None);
        assert_eq!(amount("NaN"), None);
    }

    #[test]
    fn only_web_links_become_links_t3() {
        assert!(web_link("https://teams.example/m/1").is_ok());
        assert!(web_link("").is_ok());
        assert!(web_link("javascript:alert(1)").is_err());
        assert!(web_link("JaVaScRiPt:alert(1)").is_err());
        assert!(web_link("https://").is_err());
    }
}
