//! Danish names and formats of dates, times and durations.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};

use crate::time_zone::TZ;

pub const WEEKDAYS: [&str; 7] = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"];
pub const MONTHS: [&str; 12] = [
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
/// Where a full month name does not fit (the årshjul).
pub const MONTH_ABBREVIATIONS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];

/// "31. marts 2027"
pub fn day_month_year(d: NaiveDate) -> String {
    format!("{}. {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// "onsdag 31. marts 2027"
pub fn date(d: NaiveDate) -> String {
    format!("{} {}", WEEKDAYS[d.weekday().num_days_from_monday() as usize], day_month_year(d))
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

/// "3 timer", "1 time og 1 minut", "4 timer og 2 minutter"
pub fn duration(length: TimeDelta) -> String {
    let hours = length.num_hours();
    let minutes = length.num_minutes() % 60;
    let hours_text = if hours == 1 { "1 time".to_string() } else { format!("{hours} timer") };
    match minutes {
        0 => hours_text,
        1 => format!("{hours_text} og 1 minut"),
        m => format!("{hours_text} og {m} minutter"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_read_as_danish() {
        let d = NaiveDate::from_ymd_opt(2027, 3, 31).expect("valid test data");
        assert_eq!(date(d), "onsdag 31. marts 2027");
        assert_eq!(day_month_year(d), "31. marts 2027");
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
    fn durations_read_as_danish() {
        assert_eq!(duration(TimeDelta::hours(1)), "1 time");
        assert_eq!(duration(TimeDelta::minutes(5 * 60)), "5 timer");
        assert_eq!(duration(TimeDelta::minutes(3 * 60 + 1)), "3 timer og 1 minut");
        assert_eq!(duration(TimeDelta::minutes(4 * 60 + 2)), "4 timer og 2 minutter");
    }
}
