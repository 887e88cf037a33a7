//! A4: the chair gives the agenda's items durations; their clock times follow from the meeting's
//! start, item after item in reading order. An item without a duration gets no time and takes
//! none. Times that run past the meeting's end only warn: the chair decides what to cut.

use chrono::{NaiveTime, TimeDelta};

use super::refusal::Refusal;

/// The clock times of items with these durations (minutes), from `start`, and how many minutes they
/// run past `end` (0 when they fit).
pub fn clock_times(
    start: NaiveTime,
    end: NaiveTime,
    durations: &[Option<i32>],
) -> (Vec<Option<(NaiveTime, NaiveTime)>>, i64) {
    let mut at = start;
    let mut used = TimeDelta::zero();
    let times = durations
        .iter()
        .map(|d| {
            let minutes = (*d).filter(|m| *m > 0)?;
            let span = TimeDelta::minutes(i64::from(minutes));
            let from = at;
            at += span;
            used += span;
            Some((from, at))
        })
        .collect();
    let available = end.signed_duration_since(start);
    (times, (used - available).num_minutes().max(0))
}

/// A4: the warning when the items' times run past the meeting's end.
pub fn overrun_warning(overrun_minutes: i64, end: NaiveTime) -> Option<Refusal> {
    (overrun_minutes > 0).then(|| {
        Refusal::new(
            "A4",
            format!(
                "Punkternes tider løber {overrun_minutes} min. over mødets slut kl. {}. Kort et punkt ned, eller flyt et til næste møde.",
                end.format("%H:%M")
            ),
        )
    })
}

/// A duration as typed: empty for none, else whole minutes from 1 to 480.
pub fn parse_minutes(s: &str) -> Result<Option<i32>, String> {
    match s.trim() {
        "" => Ok(None),
        s => match s.parse::<i32>() {
            Ok(m) if (1..=480).contains(&m) => Ok(Some(m)),
            _ => Err("Skriv tiden i hele minutter, fra 1 til 480.".into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
    }

    #[test]
    fn clock_times_follow_from_the_start_and_the_durations_a4() {
        let (times, over) = clock_times(t(13, 0), t(16, 0), &[Some(15), None, Some(45), Some(30)]);
        assert_eq!(
            times,
            vec![Some((t(13, 0), t(13, 15))), None, Some((t(13, 15), t(14, 0))), Some((t(14, 0), t(14, 30)))]
        );
        assert_eq!(over, 0);
    }

    #[test]
    fn times_past_the_end_warn_with_the_minutes_over_a4() {
        let (_, over) = clock_times(t(13, 0), t(14, 0), &[Some(45), Some(35)]);
        assert_eq!(over, 20);
        let warning = overrun_warning(over, t(14, 0)).expect("a warning");
        assert_eq!(warning.rule, "A4");
        assert!(warning.message.contains("20 min. over mødets slut kl. 14:00"));
        assert_eq!(overrun_warning(0, t(14, 0)), None);
    }

    #[test]
    fn a_duration_is_whole_minutes_within_a_working_day() {
        assert_eq!(parse_minutes(" 20 "), Ok(Some(20)));
        assert_eq!(parse_minutes(""), Ok(None));
        for bad in ["0", "-5", "481", "tyve", "1.5"] {
            assert!(parse_minutes(bad).is_err(), "{bad}");
        }
    }
}
