//! Danish presentation of dates, times and amounts (always in Europe/Copenhagen).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::domain::calendar::TZ;

const WEEKDAYS: [&str; 7] = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"];
const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

/// "onsdag 31. marts 2027"
pub fn date(d: NaiveDate) -> String {
    let weekday = WEEKDAYS[d.weekday().num_days_from_monday() as usize];
    format!("{weekday} {}. {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// "31.03.2027"
pub fn short_date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// "onsdag 31. marts 2027 kl. 13:00"
pub fn datetime(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&TZ);
    format!("{} kl. {}", date(local.date_naive()), local.format("%H:%M"))
}

/// "13:00"
pub fn time(at: DateTime<Utc>) -> String {
    at.with_timezone(&TZ).format("%H:%M").to_string()
}

/// "1.250.000 kr." (Danish thousands separator, whole kroner unless there are øre).
pub fn kroner(amount: Decimal) -> String {
    let rounded = amount.round_dp(2);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let abs = rounded.abs();
    let whole = abs.trunc().to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let fraction = (abs.fract() * Decimal::from(100)).trunc();
    let sign = if negative { "-" } else { "" };
    if fraction.is_zero() { format!("{sign}{grouped} kr.") } else { format!("{sign}{grouped},{fraction:0>2} kr.") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_read_as_danish() {
        let d = NaiveDate::from_ymd_opt(2027, 3, 31).expect("valid test data");
        assert_eq!(date(d), "onsdag 31. marts 2027");
        assert_eq!(short_date(d), "31.03.2027");
    }

    #[test]
    fn times_are_shown_in_copenhagen_across_daylight_saving() {
        let winter = Utc.with_ymd_and_hms(2027, 1, 12, 12, 0, 0).single().expect("valid test data");
        let summer = Utc.with_ymd_and_hms(2027, 6, 12, 11, 0, 0).single().expect("valid test data");
        assert_eq!(time(winter), "13:00");
        assert_eq!(time(summer), "13:00");
        assert_eq!(datetime(summer), "lørdag 12. juni 2027 kl. 13:00");
    }

    #[test]
    fn amounts_use_danish_separators() {
        assert_eq!(kroner(Decimal::new(1_250_000, 0)), "1.250.000 kr.");
        assert_eq!(kroner(Decimal::new(99_950, 2)), "999,50 kr.");
        assert_eq!(kroner(Decimal::new(-500_000, 0)), "-500.000 kr.");
        assert_eq!(kroner(Decimal::ZERO), "0 kr.");
    }
}
