//! Danish words and formats shared by pages, mail and jobs: dates and times (always shown in
//! Europe/Copenhagen, `domain::calendar::TZ`), durations and amounts. Labels of database codes
//! live with their codes, not here.

pub mod dates;
pub mod money;

pub use dates::{date, datetime, short_date, time};
pub use money::{kroner, spreadsheet_number};
