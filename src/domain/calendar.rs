//! Danish working-day calendar and local-time helpers (DOMAIN.md D1, D2).
//!
//! Every deadline in the app is counted in working days on local dates in
//! Europe/Copenhagen, so this module is the single place that knows which
//! days are closed and how UTC timestamps map to local dates.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc, Weekday};

use crate::time_zone::TZ;

/// Holidays that move with Easter: (days from Easter Sunday, name, last
/// year observed).
const MOVABLE_HOLIDAYS: [(i64, &str, i32); 8] = [
    (-3, "Skærtorsdag", i32::MAX),
    (-2, "Langfredag", i32::MAX),
    (0, "Påskedag", i32::MAX),
    (1, "2. påskedag", i32::MAX),
    // Abolished from 2024 by Act no. 214 of 6 March 2023 (D1).
    (26, "Store bededag", 2023),
    (39, "Kristi himmelfartsdag", i32::MAX),
    (49, "Pinsedag", i32::MAX),
    (50, "2. pinsedag", i32::MAX),
];

/// Holidays on a fixed date: (month, day, name). Grundlovsdag, 24 and 31
/// December are not public holidays, but Danish law closes them when it
/// extends deadlines, so D1 treats them alike.
const FIXED_HOLIDAYS: [(u32, u32, &str); 6] = [
    (1, 1, "Nytårsdag"),
    (6, 5, "Grundlovsdag"),
    (12, 24, "Juleaftensdag"),
    (12, 25, "Juledag"),
    (12, 26, "2. juledag"),
    (12, 31, "Nytårsaftensdag"),
];

/// The moment a step done "on the day" must be done by (D2).
const LAST_SECOND_OF_DAY: NaiveTime = match NaiveTime::from_hms_opt(23, 59, 59) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

/// Easter Sunday of `year` by the anonymous Gregorian algorithm
/// (Meeus/Jones/Butcher); the movable holidays of D1 hang off it.
///
/// Years outside chrono's date range are clamped to that range, so the
/// function is total.
pub fn easter_sunday(year: i32) -> NaiveDate {
    let year = year.clamp(NaiveDate::MIN.year(), NaiveDate::MAX.year());
    // Euclidean division keeps the algorithm right for proleptic negative years.
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let (d, e) = (b.div_euclid(4), b.rem_euclid(4));
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    // n / 31 is 3 or 4 and n % 31 + 1 is at most 31, so both fit in u32.
    let month = u32::try_from(n / 31).unwrap_or(4);
    let day = u32::try_from(n % 31 + 1).unwrap_or(1);
    // Always a valid date: Easter falls between 22 March and 25 April and
    // the year was clamped into range above.
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// All closed days of D1 in `year` with their Danish names, sorted by date.
///
/// When two holidays share a date (Pinsedag or 2. pinsedag on Grundlovsdag,
/// e.g. 5 June 2022 and 2028) both entries are kept, the movable one first.
/// Extra per-installation closed days are not included. Years outside
/// chrono's date range have no holidays.
pub fn public_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    if !(NaiveDate::MIN.year()..=NaiveDate::MAX.year()).contains(&year) {
        return Vec::new();
    }
    let easter = easter_sunday(year);
    let movable = MOVABLE_HOLIDAYS
        .iter()
        .filter(|&&(_, _, last_year)| year <= last_year)
        .filter_map(|&(offset, name, _)| easter.checked_add_signed(TimeDelta::days(offset)).map(|d| (d, name)));
    let fixed = FIXED_HOLIDAYS
        .iter()
        .filter_map(|&(month, day, name)| NaiveDate::from_ymd_opt(year, month, day).map(|d| (d, name)));
    let mut days: Vec<_> = movable.chain(fixed).collect();
    // Stable sort, so a shared date lists the same name first as `closed_reason`.
    days.sort_by_key(|&(d, _)| d);
    days
}

/// The D1 holiday name of `d`, preferring the movable feast on a shared date.
fn holiday_name(d: NaiveDate) -> Option<&'static str> {
    let year = d.year();
    // The movable holidays fall between 19 March (Maundy Thursday at its earliest) and 14 June (Whit
    // Monday at its latest); outside those months Easter need not be computed (the deadline pages ask
    // for thousands of days a request).
    let movable = (3..=6).contains(&d.month()).then(|| {
        let offset = d.signed_duration_since(easter_sunday(year)).num_days();
        MOVABLE_HOLIDAYS.iter().find(|&&(o, _, last_year)| o == offset && year <= last_year).map(|&(_, name, _)| name)
    });
    movable.flatten().or_else(|| {
        FIXED_HOLIDAYS.iter().find(|&&(month, day, _)| d.month() == month && d.day() == day).map(|&(_, _, name)| name)
    })
}

/// Which days count as working days (D1): Monday–Friday minus the Danish
/// holidays and the installation's own extra closed days (e.g. 1 May).
#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    extra_closed: BTreeSet<NaiveDate>,
}

impl WorkingCalendar {
    /// A calendar with the installation's extra closed days (D1); these are a
    /// setting because they differ between institutions.
    pub fn new(extra_closed: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self { extra_closed: extra_closed.into_iter().collect() }
    }

    /// Whether `d` is a working day under D1.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        self.closed_reason(d).is_none()
    }

    /// Why `d` is closed, in Danish, or `None` on a working day (D1).
    ///
    /// A holiday name wins over the weekday (Påskedag rather than Søndag)
    /// because it tells the user more; "Lukkedag" marks the installation's
    /// own extra closed days.
    pub fn closed_reason(&self, d: NaiveDate) -> Option<&'static str> {
        holiday_name(d)
            .or(match d.weekday() {
                Weekday::Sat => Some("Lørdag"),
                Weekday::Sun => Some("Søndag"),
                _ => None,
            })
            .or_else(|| self.extra_closed.contains(&d).then_some("Lukkedag"))
    }

    /// The `n`-th working day counted back from `d`, not counting `d` itself
    /// (D2). `n == 0` returns `d` unchanged. Saturates at the start of
    /// chrono's date range.
    pub fn working_days_before(&self, d: NaiveDate, n: u32) -> NaiveDate {
        self.step_working_days(d, n, NaiveDate::pred_opt)
    }

    /// The `n`-th working day counted forward from `d`, not counting `d`
    /// itself (D2). `n == 0` returns `d` unchanged. Saturates at the end of
    /// chrono's date range.
    pub fn working_days_after(&self, d: NaiveDate, n: u32) -> NaiveDate {
        self.step_working_days(d, n, NaiveDate::succ_opt)
    }

    fn step_working_days(&self, mut d: NaiveDate, n: u32, step: fn(&NaiveDate) -> Option<NaiveDate>) -> NaiveDate {
        let mut remaining = n;
        while remaining > 0 {
            let Some(next) = step(&d) else {
                return d;
            };
            d = next;
            if self.is_working_day(d) {
                remaining -= 1;
            }
        }
        d
    }

    /// The number of working days in `(from, to]`, negated when `to < from`,
    /// so that `working_days_between(d, working_days_after(d, n)) == n` (D2).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        from.iter_days().skip(1).take_while(|&d| d <= to).filter(|&d| self.is_working_day(d)).map(|_| 1).sum()
    }

    /// `d` if it is a working day, otherwise the next one (D1). Saturates at
    /// the end of chrono's date range.
    pub fn next_working_day_on_or_after(&self, d: NaiveDate) -> NaiveDate {
        d.iter_days().find(|&day| self.is_working_day(day)).unwrap_or(NaiveDate::MAX)
    }
}

/// The local date in Europe/Copenhagen of a stored UTC timestamp (D2).
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&TZ).date_naive()
}

/// 23:59:59 local time on `d` as a UTC instant: the last moment a step due on
/// `d` is on time (D2). Resolved through the time zone rather than a fixed
/// offset so it is right on both sides of a DST change.
pub fn end_of_local_day(d: NaiveDate) -> DateTime<Utc> {
    let local = d.and_time(LAST_SECOND_OF_DAY);
    match TZ.from_local_datetime(&local).latest() {
        Some(t) => t.with_timezone(&Utc),
        // Copenhagen changes clocks at 02:00/03:00, so 23:59:59 always
        // exists; fall back to standard time (UTC+1) only to stay total.
        None => Utc.from_utc_datetime(&local.checked_sub_signed(TimeDelta::hours(1)).unwrap_or(local)),
    }
}

/// 00:00 local time on `d` as a UTC instant: where the local day `d` begins (D2). Copenhagen changes
/// clocks at 02:00/03:00, so midnight always exists; the fallback (UTC+1) only keeps this total.
pub fn start_of_local_day(d: NaiveDate) -> DateTime<Utc> {
    local_to_utc(d, NaiveTime::MIN)
        .unwrap_or_else(|| Utc.from_utc_datetime(&(d.and_time(NaiveTime::MIN) - TimeDelta::hours(1))))
}

/// The UTC instant of a local wall-clock time in Copenhagen. A time skipped by the spring DST change
/// does not exist and gives `None`; an hour repeated in autumn takes the first (summer-time) one.
pub fn local_to_utc(date: NaiveDate, time: chrono::NaiveTime) -> Option<DateTime<Utc>> {
    TZ.from_local_datetime(&date.and_time(time)).earliest().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_wall_times_become_utc_across_dst_d2() {
        let t = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).expect("valid time");
        assert_eq!(
            local_to_utc(ymd(2027, 3, 31), t(13, 0)).map(|d| d.to_rfc3339()),
            Some("2027-03-31T11:00:00+00:00".into())
        );
        assert_eq!(
            local_to_utc(ymd(2027, 1, 12), t(13, 0)).map(|d| d.to_rfc3339()),
            Some("2027-01-12T12:00:00+00:00".into())
        );
        assert_eq!(local_to_utc(ymd(2027, 3, 28), t(2, 30)), None, "skipped by the spring change");
        assert_eq!(
            local_to_utc(ymd(2027, 10, 31), t(2, 30)).map(|d| d.to_rfc3339()),
            Some("2027-10-31T00:30:00+00:00".into())
        );
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, s).single().expect("valid test instant")
    }

    fn all_days_2020_2035() -> impl Iterator<Item = NaiveDate> {
        ymd(2020, 1, 1).iter_days().take_while(|&d| d <= ymd(2035, 12, 31))
    }

    /// Written out by hand from the known Easter dates, not derived from the
    /// code under test.
    type YearTable = (i32, &'static [(u32, u32, &'static str)]);
    const HOLIDAYS_2020_2035: &[YearTable] = &[
        (
            2020,
            &[
                (1, 1, "Nytårsdag"),
                (4, 9, "Skærtorsdag"),
                (4, 10, "Langfredag"),
                (4, 12, "Påskedag"),
                (4, 13, "2. påskedag"),
                (5, 8, "Store bededag"),
                (5, 21, "Kristi himmelfartsdag"),
                (5, 31, "Pinsedag"),
                (6, 1, "2. pinsedag"),
                (6, 5, "Grundlovsdag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
        (
            2021,
            &[
                (1, 1, "Nytårsdag"),
                (4, 1, "Skærtorsdag"),
                (4, 2, "Langfredag"),
                (4, 4, "Påskedag"),
                (4, 5, "2. påskedag"),
                (4, 30, "Store bededag"),
                (5, 13, "Kristi himmelfartsdag"),
                (5, 23, "Pinsedag"),
                (5, 24, "2. pinsedag"),
                (6, 5, "Grundlovsdag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
        (
            2022,
            &[
                (1, 1, "Nytårsdag"),
                (4, 14, "Skærtorsdag"),
                (4, 15, "Langfredag"),
                (4, 17, "Påskedag"),
                (4, 18, "2. påskedag"),
                (5, 13, "Store bededag"),
                (5, 26, "Kristi himmelfartsdag"),
                (6, 5, "Pinsedag"),
                (6, 5, "Grundlovsdag"),
                (6, 6, "2. pinsedag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
        (
            2023,
            &[
                (1, 1, "Nytårsdag"),
                (4, 6, "Skærtorsdag"),
                (4, 7, "Langfredag"),
                (4, 9, "Påskedag"),
                (4, 10, "2. påskedag"),
                (5, 5, "Store bededag"),
                (5, 18, "Kristi himmelfartsdag"),
                (5, 28, "Pinsedag"),
                (5, 29, "2. pinsedag"),
                (6, 5, "Grundlovsdag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
        (
            2024,
            &[
                (1, 1, "Nytårsdag"),
                (3, 28, "Skærtorsdag"),
                (3, 29, "Langfredag"),
                (3, 31, "Påskedag"),
                (4, 1, "2. påskedag"),
                (5, 9, "Kristi himmelfartsdag"),
                (5, 19, "Pinsedag"),
                (5, 20, "2. pinsedag"),
                (6, 5, "Grundlovsdag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
        (
            2025,
            &[
                (1, 1, "Nytårsdag"),
                (4, 17, "Skærtorsdag"),
                (4, 18, "Langfredag"),
                (4, 20, "Påskedag"),
                (4, 21, "2. påskedag"),
                (5, 29, "Kristi himmelfartsdag"),
                (6, 5, "Grundlovsdag"),
                (6, 8, "Pinsedag"),
                (6, 9, "2. pinsedag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
        (
            2026,
            &[
                (1, 1, "Nytårsdag"),
                (4, 2, "Skærtorsdag"),
                (4, 3, "Langfredag"),
                (4, 5, "Påskedag"),
                (4, 6, "2. påskedag"),
                (5, 14, "Kristi himmelfartsdag"),
                (5, 24, "Pinsedag"),
                (5, 25, "2. pinsedag"),
                (6, 5, "Grundlovsdag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
        (
            2027,
            &[
                (1, 1, "Nytårsdag"),
                (3, 25, "Skærtorsdag"),
                (3, 26, "Langfredag"),
                (3, 28, "Påskedag"),
                (3, 29, "2. påskedag"),
                (5, 6, "Kristi himmelfartsdag"),
                (5, 16, "Pinsedag"),
                (5, 17, "2. pinsedag"),
                (6, 5, "Grundlovsdag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
        (
            2028,
            &[
                (1, 1, "Nytårsdag"),
                (4, 13, "Skærtorsdag"),
                (4, 14, "Langfredag"),
                (4, 16, "Påskedag"),
                (4, 17, "2. påskedag"),
                (5, 25, "Kristi himmelfartsdag"),
                (6, 4, "Pinsedag"),
                (6, 5, "2. pinsedag"),
                (6, 5, "Grundlovsdag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
        (
            2029,
            &[
                (1, 1, "Nytårsdag"),
                (3, 29, "Skærtorsdag"),
                (3, 30, "Langfredag"),
                (4, 1, "Påskedag"),
                (4, 2, "2. påskedag"),
                (5, 10, "Kristi himmelfartsdag"),
                (5, 20, "Pinsedag"),
                (5, 21, "2. pinsedag"),
                (6, 5, "Grundlovsdag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
        (
            2030,
            &[
                (1, 1, "Nytårsdag"),
                (4, 18, "Skærtorsdag"),
                (4, 19, "Langfredag"),
                (4, 21, "Påskedag"),
                (4, 22, "2. påskedag"),
                (5, 30, "Kristi himmelfartsdag"),
                (6, 5, "Grundlovsdag"),
                (6, 9, "Pinsedag"),
                (6, 10, "2. pinsedag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
        (
            2031,
            &[
                (1, 1, "Nytårsdag"),
                (4, 10, "Skærtorsdag"),
                (4, 11, "Langfredag"),
                (4, 13, "Påskedag"),
                (4, 14, "2. påskedag"),
                (5, 22, "Kristi himmelfartsdag"),
                (6, 1, "Pinsedag"),
                (6, 2, "2. pinsedag"),
                (6, 5, "Grundlovsdag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
        (
            2032,
            &[
                (1, 1, "Nytårsdag"),
                (3, 25, "Skærtorsdag"),
                (3, 26, "Langfredag"),
                (3, 28, "Påskedag"),
                (3, 29, "2. påskedag"),
                (5, 6, "Kristi himmelfartsdag"),
                (5, 16, "Pinsedag"),
                (5, 17, "2. pinsedag"),
                (6, 5, "Grundlovsdag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
        (
            2033,
            &[
                (1, 1, "Nytårsdag"),
                (4, 14, "Skærtorsdag"),
                (4, 15, "Langfredag"),
                (4, 17, "Påskedag"),
                (4, 18, "2. påskedag"),
                (5, 26, "Kristi himmelfartsdag"),
                (6, 5, "Pinsedag"),
                (6, 5, "Grundlovsdag"),
                (6, 6, "2. pinsedag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
        (
            2034,
            &[
                (1, 1, "Nytårsdag"),
                (4, 6, "Skærtorsdag"),
                (4, 7, "Langfredag"),
                (4, 9, "Påskedag"),
                (4, 10, "2. påskedag"),
                (5, 18, "Kristi himmelfartsdag"),
                (5, 28, "Pinsedag"),
                (5, 29, "2. pinsedag"),
                (6, 5, "Grundlovsdag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
        (
            2035,
            &[
                (1, 1, "Nytårsdag"),
                (3, 22, "Skærtorsdag"),
                (3, 23, "Langfredag"),
                (3, 25, "Påskedag"),
                (3, 26, "2. påskedag"),
                (5, 3, "Kristi himmelfartsdag"),
                (5, 13, "Pinsedag"),
                (5, 14, "2. pinsedag"),
                (6, 5, "Grundlovsdag"),
                (12, 24, "Juleaftensdag"),
                (12, 25, "Juledag"),
                (12, 26, "2. juledag"),
                (12, 31, "Nytårsaftensdag"),
            ],
        ),
    ];

    const EASTER_2020_2035: [(i32, u32, u32); 16] = [
        (2020, 4, 12),
        (2021, 4, 4),
        (2022, 4, 17),
        (2023, 4, 9),
        (2024, 3, 31),
        (2025, 4, 20),
        (2026, 4, 5),
        (2027, 3, 28),
        (2028, 4, 16),
        (2029, 4, 1),
        (2030, 4, 21),
        (2031, 4, 13),
        (2032, 3, 28),
        (2033, 4, 17),
        (2034, 4, 9),
        (2035, 3, 25),
    ];

    #[test]
    fn easter_matches_known_dates() {
        for (y, m, d) in EASTER_2020_2035 {
            assert_eq!(easter_sunday(y), ymd(y, m, d), "Easter {y}");
        }
        // Extremes of the Gregorian range of Easter.
        assert_eq!(easter_sunday(1818), ymd(1818, 3, 22));
        assert_eq!(easter_sunday(1943), ymd(1943, 4, 25));
        assert_eq!(easter_sunday(2038), ymd(2038, 4, 25));
        assert_eq!(easter_sunday(2285), ymd(2285, 3, 22));
        assert_eq!(easter_sunday(2000), ymd(2000, 4, 23));
    }

    #[test]
    fn easter_is_a_sunday_between_22_march_and_25_april() {
        for y in 1583..=4099 {
            let e = easter_sunday(y);
            assert_eq!(e.weekday(), Weekday::Sun, "{y}");
            assert!(e >= ymd(y, 3, 22) && e <= ymd(y, 4, 25), "{y}");
        }
    }

    #[test]
    fn easter_is_total_for_extreme_years() {
        for y in [i32::MIN, -1, 0, 1, i32::MAX] {
            let _ = easter_sunday(y);
            let _ = public_holidays(y);
        }
        assert!(public_holidays(i32::MAX).is_empty());
    }

    #[test]
    fn public_holidays_match_table_2020_2035() {
        assert_eq!(HOLIDAYS_2020_2035.len(), 16);
        for &(year, expected) in HOLIDAYS_2020_2035 {
            let expected: Vec<_> = expected.iter().map(|&(m, d, name)| (ymd(year, m, d), name)).collect();
            assert_eq!(public_holidays(year), expected, "holidays {year}");
        }
    }

    #[test]
    fn every_table_holiday_is_closed_with_a_matching_reason() {
        let cal = WorkingCalendar::default();
        for &(year, days) in HOLIDAYS_2020_2035 {
            for &(m, d, name) in days {
                let date = ymd(year, m, d);
                assert!(!cal.is_working_day(date), "{date} {name}");
                let reason = cal.closed_reason(date);
                // Shared dates may report either name (D1).
                let names: Vec<_> =
                    days.iter().filter(|&&(m2, d2, _)| (m2, d2) == (m, d)).map(|&(_, _, n)| Some(n)).collect();
                assert!(names.contains(&reason), "{date}: {reason:?}");
            }
        }
    }

    #[test]
    fn store_bededag_only_until_2023() {
        let cal = WorkingCalendar::default();
        assert!(public_holidays(2023).contains(&(ymd(2023, 5, 5), "Store bededag")));
        assert_eq!(cal.closed_reason(ymd(2023, 5, 5)), Some("Store bededag"));
        assert!(!cal.is_working_day(ymd(2023, 5, 5)));
        // Easter 2024 + 26 = Friday 26 April 2024, now an ordinary day.
        assert!(public_holidays(2024).iter().all(|&(_, n)| n != "Store bededag"));
        assert!(cal.is_working_day(ymd(2024, 4, 26)));
        assert_eq!(cal.closed_reason(ymd(2024, 4, 26)), None);
        assert_eq!(public_holidays(2023).len(), 14);
        assert_eq!(public_holidays(2024).len(), 13);
    }

    #[test]
    fn grundlovsdag_and_second_pentecost_share_5_june_2028() {
        let cal = WorkingCalendar::default();
        let day = ymd(2028, 6, 5);
        assert_eq!(day.weekday(), Weekday::Mon);
        assert!(!cal.is_working_day(day));
        assert!(matches!(cal.closed_reason(day), Some("2. pinsedag" | "Grundlovsdag")));
        let on_day: Vec<_> = public_holidays(2028).into_iter().filter(|&(d, _)| d == day).collect();
        assert_eq!(on_day.len(), 2);
        // The Friday before and Tuesday after are ordinary working days.
        assert_eq!(cal.working_days_after(ymd(2028, 6, 2), 1), ymd(2028, 6, 6));
    }

    #[test]
    fn closed_reasons() {
        let may_day = ymd(2027, 5, 3);
        let cal = WorkingCalendar::new([may_day, ymd(2027, 5, 1)]);
        assert_eq!(cal.closed_reason(ymd(2027, 3, 27)), Some("Lørdag"));
        assert_eq!(cal.closed_reason(ymd(2027, 3, 28)), Some("Påskedag"));
        assert_eq!(cal.closed_reason(ymd(2027, 4, 4)), Some("Søndag"));
        assert_eq!(cal.closed_reason(may_day), Some("Lukkedag"));
        // An extra day on a weekend still reads as the weekday.
        assert_eq!(cal.closed_reason(ymd(2027, 5, 1)), Some("Lørdag"));
        assert_eq!(cal.closed_reason(ymd(2027, 5, 4)), None);
        assert!(!cal.is_working_day(may_day));
        assert!(WorkingCalendar::default().is_working_day(may_day));
    }

    #[test]
    fn is_working_day_agrees_with_weekdays_and_holiday_list() {
        let cal = WorkingCalendar::default();
        let holidays: BTreeSet<NaiveDate> = (2020..=2035).flat_map(public_holidays).map(|(d, _)| d).collect();
        for d in all_days_2020_2035() {
            let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            assert_eq!(cal.is_working_day(d), !weekend && !holidays.contains(&d), "{d}");
            assert_eq!(cal.closed_reason(d).is_none(), cal.is_working_day(d), "{d}");
        }
    }

    #[test]
    fn d2_example_meeting_31_march_2027() {
        let cal = WorkingCalendar::default();
        let meeting = ymd(2027, 3, 31);
        assert_eq!(cal.working_days_before(meeting, 10), ymd(2027, 3, 12));
        assert_eq!(cal.working_days_before(meeting, 5), ymd(2027, 3, 19));
        assert_eq!(cal.working_days_before(meeting, 1), ymd(2027, 3, 30));
        assert_eq!(cal.working_days_before(meeting, 2), ymd(2027, 3, 24));
        assert_eq!(cal.working_days_after(meeting, 5), ymd(2027, 4, 7));
        assert_eq!(cal.working_days_between(ymd(2027, 3, 19), meeting), 5);
        assert_eq!(cal.working_days_between(meeting, ymd(2027, 3, 19)), -5);
    }

    #[test]
    fn zero_steps_and_empty_ranges() {
        let cal = WorkingCalendar::default();
        let sunday = ymd(2027, 3, 28);
        assert_eq!(cal.working_days_before(sunday, 0), sunday);
        assert_eq!(cal.working_days_after(sunday, 0), sunday);
        assert_eq!(cal.working_days_between(sunday, sunday), 0);
        // (Sat, Mon 29 March = 2. påskedag] holds no working day.
        assert_eq!(cal.working_days_between(ymd(2027, 3, 26), ymd(2027, 3, 29)), 0);
    }

    #[test]
    fn steps_saturate_at_the_ends_of_the_date_range() {
        let cal = WorkingCalendar::default();
        assert_eq!(cal.working_days_before(NaiveDate::MIN, 3), NaiveDate::MIN);
        assert_eq!(cal.working_days_after(NaiveDate::MAX, 3), NaiveDate::MAX);
        // 31 December is closed, so nothing is left on or after it.
        assert_eq!(cal.next_working_day_on_or_after(NaiveDate::MAX), NaiveDate::MAX);
        let _ = end_of_local_day(NaiveDate::MIN);
        let _ = end_of_local_day(NaiveDate::MAX);
    }

    #[test]
    fn next_working_day_skips_christmas_and_new_year() {
        let cal = WorkingCalendar::default();
        // Thu 24 Dec 2026 .. Sun 27 Dec, Thu 31 Dec, Fri 1 Jan 2027.
        assert_eq!(cal.next_working_day_on_or_after(ymd(2026, 12, 24)), ymd(2026, 12, 28));
        assert_eq!(cal.next_working_day_on_or_after(ymd(2026, 12, 31)), ymd(2027, 1, 4));
        assert_eq!(cal.next_working_day_on_or_after(ymd(2027, 1, 4)), ymd(2027, 1, 4));
        assert_eq!(cal.next_working_day_on_or_after(ymd(2027, 3, 25)), ymd(2027, 3, 30));
    }

    #[test]
    fn property_stepping_back_and_forth_2020_2035() {
        let cal = WorkingCalendar::new([ymd(2027, 5, 3), ymd(2030, 11, 15)]);
        for d in all_days_2020_2035() {
            let working = cal.is_working_day(d);
            let next = cal.next_working_day_on_or_after(d);
            assert!(next >= d && cal.is_working_day(next), "{d}");
            assert_eq!(working, next == d, "{d}");
            for n in 1..=12 {
                let before = cal.working_days_before(d, n);
                let after = cal.working_days_after(d, n);
                let n64 = i64::from(n);
                assert!(before < d && cal.is_working_day(before), "{d} -{n}");
                assert!(after > d && cal.is_working_day(after), "{d} +{n}");
                // (before, d) holds n - 1 working days, plus d itself if open.
                assert_eq!(cal.working_days_between(before, d), n64 - 1 + i64::from(working), "{d} -{n}");
                assert_eq!(cal.working_days_between(d, after), n64, "{d} +{n}");
                assert_eq!(cal.working_days_between(after, d), -n64, "{d} +{n}");
                // Stepping from a working day is reversible.
                assert_eq!(cal.working_days_after(before, n), next, "{d} -{n}");
                if working {
                    assert_eq!(cal.working_days_before(after, n), d, "{d} +{n}");
                }
            }
        }
    }

    #[test]
    fn local_date_converts_before_taking_the_date() {
        // CEST (UTC+2) after 28 March 2027.
        assert_eq!(local_date(utc(2027, 3, 30, 22, 30, 0)), ymd(2027, 3, 31));
        assert_eq!(local_date(utc(2027, 3, 30, 21, 59, 59)), ymd(2027, 3, 30));
        // CET (UTC+1) in winter.
        assert_eq!(local_date(utc(2027, 1, 3, 23, 0, 0)), ymd(2027, 1, 4));
        assert_eq!(local_date(utc(2027, 1, 3, 22, 59, 59)), ymd(2027, 1, 3));
    }

    #[test]
    fn end_of_local_day_across_dst_changes() {
        // Summer time begins on the last Sunday of March, ends on the last of October.
        assert_eq!(end_of_local_day(ymd(2027, 3, 27)), utc(2027, 3, 27, 22, 59, 59));
        assert_eq!(end_of_local_day(ymd(2027, 3, 28)), utc(2027, 3, 28, 21, 59, 59));
        assert_eq!(end_of_local_day(ymd(2027, 10, 30)), utc(2027, 10, 30, 21, 59, 59));
        assert_eq!(end_of_local_day(ymd(2027, 10, 31)), utc(2027, 10, 31, 22, 59, 59));
        assert_eq!(end_of_local_day(ymd(2026, 3, 29)), utc(2026, 3, 29, 21, 59, 59));
        assert_eq!(end_of_local_day(ymd(2026, 10, 25)), utc(2026, 10, 25, 22, 59, 59));
        for d in all_days_2020_2035() {
            let end = end_of_local_day(d);
            assert_eq!(local_date(end), d, "{d}");
            assert_eq!(local_date(end + TimeDelta::seconds(1)), d.succ_opt().expect("in range"));
        }
    }
}
