//! Danish words and formats shared by pages, mail and jobs: dates and times (always shown in
//! Europe/Copenhagen, `time_zone::TZ`), durations and amounts. Labels of database codes
//! live with their codes, not here.

pub mod annual_wheel;
pub mod dates;
pub mod money;

pub use dates::{date, datetime, short_date, time};
pub use money::{kroner, spreadsheet_number};

/// Escapes text for HTML content and attribute values (for the few places that build HTML outside a
/// template, such as a mail's greeting).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
