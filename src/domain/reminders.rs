//! When a deadline reminder goes out (D3): a few working days before the due date ("due soon", a
//! setting) and once the date has passed without the step being done ("late"). The scanner asks
//! this for every open deadline; the idempotency key (kind, subject, due date, recipient) makes
//! each reminder go out at most once however often it scans.

use chrono::NaiveDate;

use super::calendar::WorkingCalendar;
use super::deadlines::DeadlineSettings;
use super::ids::PersonId;
use super::notifications::MailKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Soon,
    Late,
}

impl Phase {
    pub fn code(self) -> &'static str {
        match self {
            Phase::Soon => "soon",
            Phase::Late => "late",
        }
    }
}

/// The reminder due today for an undone step due on `due`, if any. Late reminders stop after a
/// while (`late_for_days`), so a long-forgotten meeting does not mail on every new installation.
pub fn phase(cal: &WorkingCalendar, settings: &DeadlineSettings, today: NaiveDate, due: NaiveDate) -> Option<Phase> {
    if today > due {
        return ((today - due).num_days() <= LATE_FOR_DAYS).then_some(Phase::Late);
    }
    (cal.working_days_between(today, due) <= i64::from(settings.due_soon_wd)).then_some(Phase::Soon)
}

/// How many calendar days after its due date an undone step is still reminded as late.
const LATE_FOR_DAYS: i64 = 14;

/// The first and last due date that has a reminder on `today` (`phase` is `Some` exactly for the
/// due dates in between), so a scan can leave out deadlines outside it without asking `phase`.
pub fn due_dates_with_a_phase(
    cal: &WorkingCalendar,
    settings: &DeadlineSettings,
    today: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    let first = today - chrono::Days::new(LATE_FOR_DAYS.unsigned_abs());
    // Due soon while at most `due_soon_wd` working days lie in (today, due]: up to the day before
    // the next working day after those.
    let last = cal.working_days_after(today, settings.due_soon_wd + 1).pred_opt().unwrap_or(today);
    (first, last)
}

/// The idempotency key of one reminder: it is queued once per step, due date, phase and person.
pub fn key(kind: MailKind, phase: Phase, subject_id: i64, due: NaiveDate, person_id: PersonId) -> String {
    format!("{}:{}:{subject_id}:{due}:{person_id}", kind.as_str(), phase.code())
}

/// A regular expression matching the keys of every reminder about one meeting (its deadlines and the
/// yearly duties placed on it), so reminders queued for dates it no longer has can be withdrawn.
pub fn keys_of_meeting(meeting_id: i64) -> String {
    format!("^[a-z_]+:(soon|late):{meeting_id}:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meetings_reminder_keys_are_found_by_its_id_and_no_other() {
        let pattern = keys_of_meeting(4);
        let key = key(MailKind::AgendaItems, Phase::Soon, 4, d(3, 12), PersonId(17));
        assert!(key.starts_with("agenda_items:soon:4:"));
        assert!(pattern.starts_with("^[a-z_]+:(soon|late):4:"));
        assert!(!super::key(MailKind::Minutes, Phase::Late, 42, d(3, 12), PersonId(4)).starts_with("minutes:late:4:"));
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, day).expect("valid date")
    }

    /// The agenda for 31 March 2027 is due Friday 19 March (A2); reminders two working days ahead.
    #[test]
    fn reminders_start_two_working_days_before_and_follow_up_when_late_d3() {
        let cal = WorkingCalendar::default();
        let s = DeadlineSettings::default();
        let due = d(3, 19);
        assert_eq!(phase(&cal, &s, d(3, 16), due), None, "three working days before");
        assert_eq!(phase(&cal, &s, d(3, 17), due), Some(Phase::Soon));
        assert_eq!(phase(&cal, &s, d(3, 19), due), Some(Phase::Soon), "on the day itself");
        assert_eq!(phase(&cal, &s, d(3, 20), due), Some(Phase::Late));
        assert_eq!(phase(&cal, &s, d(4, 2), due), Some(Phase::Late));
        assert_eq!(phase(&cal, &s, d(4, 3), due), None, "late reminders stop after two weeks");
    }

    #[test]
    fn a_weekend_or_holiday_does_not_count_toward_due_soon_d1() {
        let cal = WorkingCalendar::default();
        let s = DeadlineSettings::default();
        // Due Tuesday 30 March 2027. From Wednesday 24 only the 30th itself is a working day
        // (Maundy Thursday, Good Friday, the weekend and Easter Monday are closed): due soon.
        assert_eq!(phase(&cal, &s, d(3, 24), d(3, 30)), Some(Phase::Soon));
        // From Monday 22 the 23rd, 24th and 30th are three working days: not yet.
        assert_eq!(phase(&cal, &s, d(3, 22), d(3, 30)), None);
    }

    /// The bounds agree with `phase` for every due date around every day of 13 months (Easter,
    /// Christmas and the turn of the year included).
    #[test]
    fn due_dates_with_a_phase_are_exactly_those_phase_reminds_on_d3() {
        let cal = WorkingCalendar::new([d(5, 1)]);
        for due_soon_wd in [0, 2, 5] {
            let s = DeadlineSettings { due_soon_wd, ..DeadlineSettings::default() };
            for today in d(1, 1).iter_days().take(400) {
                let (first, last) = due_dates_with_a_phase(&cal, &s, today);
                for due in (today - chrono::Days::new(20)).iter_days().take(45) {
                    let within = first <= due && due <= last;
                    assert_eq!(phase(&cal, &s, today, due).is_some(), within, "today {today}, due {due}, {s:?}");
                }
            }
        }
    }

    #[test]
    fn the_key_names_kind_phase_subject_due_date_and_person() {
        let published = MailKind::AgendaPublished;
        assert_eq!(key(published, Phase::Soon, 7, d(3, 19), PersonId(42)), "agenda_published:soon:7:2027-03-19:42");
        assert_ne!(
            key(published, Phase::Soon, 1, d(3, 19), PersonId(1)),
            key(published, Phase::Late, 1, d(3, 19), PersonId(1))
        );
    }
}
