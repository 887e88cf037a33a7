//! When a deadline reminder goes out (D3): a few working days before the due date ("due soon", a
//! setting) and once the date has passed without the step being done ("late"). The scanner asks
//! this for every open deadline; the idempotency key (kind, subject, due date, recipient) makes
//! each reminder go out at most once however often it scans.

use chrono::NaiveDate;

use super::calendar::WorkingCalendar;
use super::deadlines::DeadlineSettings;

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
    const LATE_FOR_DAYS: i64 = 14;
    if today > due {
        return ((today - due).num_days() <= LATE_FOR_DAYS).then_some(Phase::Late);
    }
    (cal.working_days_between(today, due) <= i64::from(settings.due_soon_wd)).then_some(Phase::Soon)
}

/// The idempotency key of one reminder: it is queued once per step, due date, phase and person.
pub fn key(kind: &str, phase: Phase, subject_id: i64, due: NaiveDate, person_id: i64) -> String {
    format!("{kind}:{}:{subject_id}:{due}:{person_id}", phase.code())
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
        let key = key("agenda_items", Phase::Soon, 4, d(3, 12), 17);
        assert!(key.starts_with("agenda_items:soon:4:"));
        assert!(pattern.starts_with("^[a-z_]+:(soon|late):4:"));
        assert!(!super::key("minutes", Phase::Late, 42, d(3, 12), 4).starts_with("minutes:late:4:"));
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

    #[test]
    fn the_key_names_kind_phase_subject_due_date_and_person() {
        assert_eq!(key("agenda_published", Phase::Soon, 7, d(3, 19), 42), "agenda_published:soon:7:2027-03-19:42");
        assert_ne!(key("a", Phase::Soon, 1, d(3, 19), 1), key("a", Phase::Late, 1, d(3, 19), 1));
    }
}
