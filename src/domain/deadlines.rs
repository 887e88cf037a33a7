//! Meeting deadlines and the state users see for each (DOMAIN.md A1–A3,
//! R2–R4, D2, D3, T4).
//!
//! All counting is delegated to the working-day calendar so that every
//! deadline follows the same D1/D2 rules.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Serialize;

use super::calendar::{WorkingCalendar, local_date};

/// The state of a deadline as shown to users (D3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DeadlineState {
    Upcoming,
    DueSoon,
    Met,
    Missed,
}

impl DeadlineState {
    /// Danish label for the UI (D3).
    pub fn label(self) -> &'static str {
        match self {
            Self::Upcoming => "Kommende",
            Self::DueSoon => "Snart",
            Self::Met => "Overholdt",
            Self::Missed => "Overskredet",
        }
    }

    /// CSS badge class for the UI.
    pub fn css_class(self) -> &'static str {
        match self {
            Self::Upcoming => "badge-info",
            Self::DueSoon => "badge-warn",
            Self::Met => "badge-ok",
            Self::Missed => "badge-danger",
        }
    }
}

/// The deadlines a meeting carries, each tied to its DOMAIN.md rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DeadlineKind {
    AgendaItemsDue,
    AgendaToChairDue,
    AgendaPublishedDue,
    MinutesDue,
    MinutesCommentsDue,
    CommentsIncorporatedDue,
}

impl DeadlineKind {
    /// The DOMAIN.md rule id, so the UI can point users at the rule.
    pub fn rule(self) -> &'static str {
        match self {
            Self::AgendaItemsDue => "A3",
            Self::AgendaToChairDue => "A1",
            Self::AgendaPublishedDue => "A2",
            Self::MinutesDue => "R2",
            Self::MinutesCommentsDue => "R3",
            Self::CommentsIncorporatedDue => "R4",
        }
    }

    /// Danish label for the UI.
    pub fn label(self) -> &'static str {
        match self {
            Self::AgendaItemsDue => "Punkter til dagsordenen",
            Self::AgendaToChairDue => "Udkast til dagsorden til forpersonen",
            Self::AgendaPublishedDue => "Udsendelse af dagsorden",
            Self::MinutesDue => "Udsendelse af referat",
            Self::MinutesCommentsDue => "Bemærkninger til referatet",
            Self::CommentsIncorporatedDue => "Indarbejdelse af bemærkninger",
        }
    }
}

/// Working-day counts behind each deadline. They are settings because an
/// installation's rules of procedure may differ from DOMAIN.md's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineSettings {
    /// A3: agenda items from members, before an ordinary meeting.
    pub agenda_items_wd: u32,
    /// A1: draft agenda to the chair, before the meeting.
    pub agenda_to_chair_wd: u32,
    /// A2: agenda published, before the meeting.
    pub agenda_published_wd: u32,
    /// R2: minutes sent, after the meeting.
    pub minutes_wd: u32,
    /// R3: comments on the minutes, after they were sent.
    pub comments_wd: u32,
    /// R4: comments worked in, after receipt.
    pub incorporate_wd: u32,
    /// D3: how many working days ahead an open deadline shows as due soon.
    pub due_soon_wd: u32,
}

impl Default for DeadlineSettings {
    fn default() -> Self {
        Self {
            agenda_items_wd: 10,
            agenda_to_chair_wd: 7,
            agenda_published_wd: 5,
            minutes_wd: 5,
            comments_wd: 5,
            incorporate_wd: 5,
            due_soon_wd: 2,
        }
    }
}

/// The deadlines fixed by the meeting day alone (A1, A2, A3, R2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MeetingDeadlines {
    pub agenda_items_due: NaiveDate,
    pub agenda_to_chair_due: NaiveDate,
    pub agenda_published_due: NaiveDate,
    pub minutes_due: NaiveDate,
}

/// Deadlines for a meeting on the local date `meeting_day` (A1, A2, A3, R2),
/// counted in working days excluding the meeting day itself (D2).
pub fn meeting_deadlines(
    cal: &WorkingCalendar,
    settings: &DeadlineSettings,
    meeting_day: NaiveDate,
) -> MeetingDeadlines {
    MeetingDeadlines {
        agenda_items_due: cal.working_days_before(meeting_day, settings.agenda_items_wd),
        agenda_to_chair_due: cal.working_days_before(meeting_day, settings.agenda_to_chair_wd),
        agenda_published_due: cal.working_days_before(meeting_day, settings.agenda_published_wd),
        minutes_due: cal.working_days_after(meeting_day, settings.minutes_wd),
    }
}

/// Last day for comments on minutes sent on the local date `minutes_sent_on`
/// (R3). Counted from the actual sending, not from the R2 deadline, because
/// members need the full window whenever the minutes arrive.
pub fn minutes_comments_due(
    cal: &WorkingCalendar,
    settings: &DeadlineSettings,
    minutes_sent_on: NaiveDate,
) -> NaiveDate {
    cal.working_days_after(minutes_sent_on, settings.comments_wd)
}

/// Last day to work comments into the minutes (R4). `received_on` is the
/// local date of the last comment or the end of the comment window,
/// whichever the caller's workflow waits for.
pub fn comments_incorporated_due(
    cal: &WorkingCalendar,
    settings: &DeadlineSettings,
    received_on: NaiveDate,
) -> NaiveDate {
    cal.working_days_after(received_on, settings.incorporate_wd)
}

/// The state of a deadline due on the local date `due` (D3).
///
/// Both timestamps are turned into Copenhagen local dates first (D2), so a
/// step done at any moment up to midnight local time on `due` is met,
/// whatever the UTC offset that day. A done step is judged only by when it
/// was done, so a late completion stays missed for good.
pub fn deadline_state(
    cal: &WorkingCalendar,
    settings: &DeadlineSettings,
    due: NaiveDate,
    done_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> DeadlineState {
    if let Some(done_at) = done_at {
        return if local_date(done_at) <= due { DeadlineState::Met } else { DeadlineState::Missed };
    }
    let today = local_date(now);
    if today > due {
        DeadlineState::Missed
    } else if cal.working_days_between(today, due) <= i64::from(settings.due_soon_wd) {
        DeadlineState::DueSoon
    } else {
        DeadlineState::Upcoming
    }
}

/// When each step of a meeting was done, as far as it has been (D3).
#[derive(Debug, Clone, Copy, Default)]
pub struct StepsDone {
    pub agenda_sent_to_chair: Option<DateTime<Utc>>,
    pub agenda_published: Option<DateTime<Utc>>,
    pub minutes_sent: Option<DateTime<Utc>>,
    /// R4: when the comments were worked in.
    pub minutes_worked_in: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DeadlineStatus {
    pub kind: DeadlineKind,
    pub due: NaiveDate,
    pub state: DeadlineState,
}

/// Every deadline of a meeting with its state, in the order they fall (D3). The agenda-item
/// deadline (A3) is the members', not a step anyone completes: once it has passed it counts as
/// met, and requests after it are flagged late instead.
pub fn meeting_deadline_states(
    cal: &WorkingCalendar,
    settings: &DeadlineSettings,
    meeting_starts_at: DateTime<Utc>,
    done: StepsDone,
    now: DateTime<Utc>,
) -> Vec<DeadlineStatus> {
    let d = meeting_deadlines(cal, settings, local_date(meeting_starts_at));
    let items_closed = (local_date(now) > d.agenda_items_due).then_some(now);
    [
        (
            DeadlineKind::AgendaItemsDue,
            d.agenda_items_due,
            items_closed.map(|_| crate::domain::calendar::end_of_local_day(d.agenda_items_due)),
        ),
        (DeadlineKind::AgendaToChairDue, d.agenda_to_chair_due, done.agenda_sent_to_chair),
        (DeadlineKind::AgendaPublishedDue, d.agenda_published_due, done.agenda_published),
        (DeadlineKind::MinutesDue, d.minutes_due, done.minutes_sent),
    ]
    .into_iter()
    .chain(done.minutes_sent.into_iter().flat_map(|sent| {
        // R3 is the members' window, like A3: once it has closed it counts as met, and so it does once
        // the comments are worked in (the minutes go on to approval). R4 follows it.
        let closes = minutes_comments_due(cal, settings, local_date(sent));
        let work_in_by = comments_incorporated_due(cal, settings, closes);
        let closed = (local_date(now) > closes)
            .then(|| crate::domain::calendar::end_of_local_day(closes))
            .or(done.minutes_worked_in);
        [
            (DeadlineKind::MinutesCommentsDue, closes, closed),
            (DeadlineKind::CommentsIncorporatedDue, work_in_by, done.minutes_worked_in),
        ]
    }))
    .map(|(kind, due, done_at)| DeadlineStatus { kind, due, state: deadline_state(cal, settings, due, done_at, now) })
    .collect()
}

/// A3: a request for an agenda item is late after the agenda-item deadline (local date).
pub fn request_is_late(
    cal: &WorkingCalendar,
    settings: &DeadlineSettings,
    meeting_starts_at: DateTime<Utc>,
    at: DateTime<Utc>,
) -> bool {
    local_date(at) > meeting_deadlines(cal, settings, local_date(meeting_starts_at)).agenda_items_due
}

/// T4: an apology is sent before the meeting begins; afterwards attendance is recorded instead.
pub fn apology_allowed(now: DateTime<Utc>, meeting_starts_at: DateTime<Utc>) -> Result<(), super::refusal::Refusal> {
    if now < meeting_starts_at {
        Ok(())
    } else {
        Err(super::refusal::Refusal::new("T4", "Mødet er begyndt; afbud meldes før mødet."))
    }
}

/// T4: an apology is withdrawn, like it is sent, before the meeting begins.
pub fn apology_withdrawal_allowed(
    now: DateTime<Utc>,
    meeting_starts_at: DateTime<Utc>,
) -> Result<(), super::refusal::Refusal> {
    if now < meeting_starts_at {
        Ok(())
    } else {
        Err(super::refusal::Refusal::new("T4", "Mødet er begyndt; et afbud trækkes tilbage før mødet."))
    }
}

/// T5: attendance is what happened at the meeting, so it is recorded once the meeting has begun; before,
/// everyone not ticked would be stored as absent.
pub fn attendance_allowed(now: DateTime<Utc>, meeting_starts_at: DateTime<Utc>) -> Result<(), super::refusal::Refusal> {
    if now >= meeting_starts_at {
        Ok(())
    } else {
        Err(super::refusal::Refusal::new(
            "T5",
            "Fremmødet registreres, når mødet er begyndt. Indtil da viser listen, hvem der har meldt afbud.",
        ))
    }
}

/// Whether an apology for absence is late (T4: given under 7 days before
/// the meeting).
///
/// Counted in calendar days on local dates, like every other deadline (D2),
/// rather than as 7 × 24 hours from the start time: an apology given at any
/// time on the local date one week before the meeting day is on time, and
/// from the following day on it is late. This keeps the rule readable as a
/// date ("senest onsdag den 24.") and is never stricter than 7 × 24 hours.
pub fn apology_is_late(given_at: DateTime<Utc>, meeting_starts_at: DateTime<Utc>) -> bool {
    match local_date(meeting_starts_at).checked_sub_days(Days::new(7)) {
        Some(last_on_time) => local_date(given_at) > last_on_time,
        // No representable date is a week before the meeting, so none is on time.
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time_zone::TZ;
    use chrono::TimeZone;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    /// A Copenhagen wall-clock time as the stored UTC instant.
    fn local(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
        TZ.with_ymd_and_hms(y, m, d, h, min, s).single().expect("unambiguous test time").with_timezone(&Utc)
    }

    fn defaults() -> (WorkingCalendar, DeadlineSettings) {
        (WorkingCalendar::default(), DeadlineSettings::default())
    }

    #[test]
    fn state_labels_and_classes() {
        use DeadlineState::*;
        let all = [Upcoming, DueSoon, Met, Missed];
        let labels: Vec<_> = all.iter().map(|s| s.label()).collect();
        let classes: Vec<_> = all.iter().map(|s| s.css_class()).collect();
        assert_eq!(labels, ["Kommende", "Snart", "Overholdt", "Overskredet"]);
        assert_eq!(classes, ["badge-info", "badge-warn", "badge-ok", "badge-danger"]);
    }

    #[test]
    fn kind_rules_and_labels() {
        use DeadlineKind::*;
        let all = [
            AgendaItemsDue,
            AgendaToChairDue,
            AgendaPublishedDue,
            MinutesDue,
            MinutesCommentsDue,
            CommentsIncorporatedDue,
        ];
        let rules: Vec<_> = all.iter().map(|k| k.rule()).collect();
        assert_eq!(rules, ["A3", "A1", "A2", "R2", "R3", "R4"]);
        for k in all {
            assert!(!k.label().is_empty());
        }
        assert_eq!(AgendaItemsDue.label(), "Punkter til dagsordenen");
    }

    #[test]
    fn default_settings_follow_domain_md() {
        let s = DeadlineSettings::default();
        assert_eq!(
            (
                s.agenda_items_wd,
                s.agenda_to_chair_wd,
                s.agenda_published_wd,
                s.minutes_wd,
                s.comments_wd,
                s.incorporate_wd,
                s.due_soon_wd
            ),
            (10, 7, 5, 5, 5, 5, 2)
        );
    }

    #[test]
    fn d2_example_wednesday_31_march_2027() {
        let (cal, s) = defaults();
        assert_eq!(
            meeting_deadlines(&cal, &s, ymd(2027, 3, 31)),
            MeetingDeadlines {
                agenda_items_due: ymd(2027, 3, 12),
                agenda_to_chair_due: ymd(2027, 3, 17),
                agenda_published_due: ymd(2027, 3, 19),
                minutes_due: ymd(2027, 4, 7),
            }
        );
    }

    #[test]
    fn meeting_right_after_easter() {
        let (cal, s) = defaults();
        // Tuesday 7 April 2026; 2–6 April are closed.
        assert_eq!(
            meeting_deadlines(&cal, &s, ymd(2026, 4, 7)),
            MeetingDeadlines {
                agenda_items_due: ymd(2026, 3, 19),
                agenda_to_chair_due: ymd(2026, 3, 24),
                agenda_published_due: ymd(2026, 3, 26),
                minutes_due: ymd(2026, 4, 14),
            }
        );
    }

    #[test]
    fn meeting_after_christmas_and_new_year() {
        let (cal, s) = defaults();
        // Monday 4 January 2027; 24–27 and 31 December and 1–3 January are closed.
        assert_eq!(
            meeting_deadlines(&cal, &s, ymd(2027, 1, 4)),
            MeetingDeadlines {
                agenda_items_due: ymd(2026, 12, 15),
                agenda_to_chair_due: ymd(2026, 12, 18),
                agenda_published_due: ymd(2026, 12, 22),
                minutes_due: ymd(2027, 1, 11),
            }
        );
    }

    #[test]
    fn meeting_on_an_ordinary_monday() {
        let (cal, s) = defaults();
        assert_eq!(
            meeting_deadlines(&cal, &s, ymd(2027, 9, 13)),
            MeetingDeadlines {
                agenda_items_due: ymd(2027, 8, 30),
                agenda_to_chair_due: ymd(2027, 9, 2),
                agenda_published_due: ymd(2027, 9, 6),
                minutes_due: ymd(2027, 9, 20),
            }
        );
    }

    #[test]
    fn settings_and_extra_closed_days_are_honoured() {
        let cal = WorkingCalendar::new([ymd(2027, 9, 10)]);
        let s = DeadlineSettings { agenda_to_chair_wd: 3, minutes_wd: 1, ..DeadlineSettings::default() };
        let d = meeting_deadlines(&cal, &s, ymd(2027, 9, 13));
        // Friday 10 September is the installation's own closed day.
        assert_eq!(d.agenda_to_chair_due, ymd(2027, 9, 7));
        assert_eq!(d.agenda_published_due, ymd(2027, 9, 3));
        assert_eq!(d.agenda_items_due, ymd(2027, 8, 27));
        assert_eq!(d.minutes_due, ymd(2027, 9, 14));
    }

    #[test]
    fn minutes_comments_window() {
        let (cal, s) = defaults();
        assert_eq!(minutes_comments_due(&cal, &s, ymd(2027, 4, 7)), ymd(2027, 4, 14));
        // Sent just before Christmas: 24–27 and 31 Dec and 1 Jan are closed.
        assert_eq!(minutes_comments_due(&cal, &s, ymd(2026, 12, 23)), ymd(2027, 1, 5));
        // Sent on Easter Saturday: counting starts after 2. påskedag.
        assert_eq!(minutes_comments_due(&cal, &s, ymd(2027, 3, 27)), ymd(2027, 4, 5));
    }

    #[test]
    fn comments_incorporated_window() {
        let (cal, s) = defaults();
        assert_eq!(comments_incorporated_due(&cal, &s, ymd(2027, 4, 14)), ymd(2027, 4, 21));
        // Kristi himmelfartsdag, Thursday 6 May 2027.
        assert_eq!(comments_incorporated_due(&cal, &s, ymd(2027, 5, 3)), ymd(2027, 5, 11));
        // ...and the Friday after it closed by the installation.
        let cal = WorkingCalendar::new([ymd(2027, 5, 7)]);
        assert_eq!(comments_incorporated_due(&cal, &s, ymd(2027, 5, 3)), ymd(2027, 5, 12));
    }

    #[test]
    fn open_deadline_moves_from_upcoming_to_due_soon_to_missed() {
        let (cal, s) = defaults();
        let due = ymd(2027, 3, 19); // Friday
        let state = |now| deadline_state(&cal, &s, due, None, now);
        assert_eq!(state(local(2027, 3, 1, 9, 0, 0)), DeadlineState::Upcoming);
        // Tuesday: three working days ahead.
        assert_eq!(state(local(2027, 3, 16, 23, 59, 59)), DeadlineState::Upcoming);
        // Wednesday: two working days ahead.
        assert_eq!(state(local(2027, 3, 17, 0, 0, 0)), DeadlineState::DueSoon);
        assert_eq!(state(local(2027, 3, 19, 0, 0, 0)), DeadlineState::DueSoon);
        assert_eq!(state(local(2027, 3, 19, 23, 59, 59)), DeadlineState::DueSoon);
        assert_eq!(state(local(2027, 3, 20, 0, 0, 0)), DeadlineState::Missed);
        assert_eq!(state(local(2027, 6, 1, 12, 0, 0)), DeadlineState::Missed);
    }

    #[test]
    fn due_soon_counts_working_days_not_calendar_days() {
        let (cal, s) = defaults();
        // Wednesday 24 March 2027 to Tuesday 30 March spans Easter: one working day.
        let due = ymd(2027, 3, 30);
        assert_eq!(deadline_state(&cal, &s, due, None, local(2027, 3, 24, 12, 0, 0)), DeadlineState::DueSoon);
        // Monday 22 March: 23, 24 and 30 March are three working days.
        assert_eq!(deadline_state(&cal, &s, due, None, local(2027, 3, 22, 12, 0, 0)), DeadlineState::Upcoming);
        // With a window of 0 only the due day itself is due soon.
        let strict = DeadlineSettings { due_soon_wd: 0, ..s };
        assert_eq!(deadline_state(&cal, &strict, due, None, local(2027, 3, 24, 12, 0, 0)), DeadlineState::Upcoming);
        assert_eq!(deadline_state(&cal, &strict, due, None, local(2027, 3, 30, 8, 0, 0)), DeadlineState::DueSoon);
    }

    #[test]
    fn done_on_the_due_date_up_to_local_midnight_is_met() {
        let (cal, s) = defaults();
        let due = ymd(2027, 3, 19); // CET, UTC+1
        let later = local(2027, 4, 1, 12, 0, 0);
        let state = |done| deadline_state(&cal, &s, due, Some(done), later);
        assert_eq!(state(local(2027, 3, 10, 10, 0, 0)), DeadlineState::Met);
        assert_eq!(state(local(2027, 3, 19, 23, 59, 59)), DeadlineState::Met);
        assert_eq!(state(local(2027, 3, 20, 0, 0, 0)), DeadlineState::Missed);
        assert_eq!(state(local(2027, 3, 25, 9, 0, 0)), DeadlineState::Missed);
    }

    #[test]
    fn done_boundary_in_summer_time() {
        let (cal, s) = defaults();
        let due = ymd(2027, 4, 7); // CEST, UTC+2
        let now = local(2027, 4, 20, 12, 0, 0);
        let on_time = Utc.with_ymd_and_hms(2027, 4, 7, 21, 59, 59).single();
        let late = Utc.with_ymd_and_hms(2027, 4, 7, 22, 0, 0).single();
        assert_eq!(deadline_state(&cal, &s, due, on_time, now), DeadlineState::Met);
        assert_eq!(deadline_state(&cal, &s, due, late, now), DeadlineState::Missed);
    }

    #[test]
    fn done_state_does_not_depend_on_now() {
        let (cal, s) = defaults();
        let due = ymd(2027, 3, 19);
        let early = Some(local(2027, 3, 15, 9, 0, 0));
        let late = Some(local(2027, 3, 22, 9, 0, 0));
        for now in [local(2027, 3, 15, 10, 0, 0), local(2027, 3, 30, 10, 0, 0)] {
            assert_eq!(deadline_state(&cal, &s, due, early, now), DeadlineState::Met);
        }
        assert_eq!(deadline_state(&cal, &s, due, late, local(2027, 3, 30, 10, 0, 0)), DeadlineState::Missed);
    }

    #[test]
    fn apology_deadline_is_one_week_of_local_dates() {
        // Meeting Wednesday 31 March 2027 at 10:00 (CEST); a week before is
        // Wednesday 24 March, still CET.
        let meeting = local(2027, 3, 31, 10, 0, 0);
        assert!(!apology_is_late(local(2027, 3, 1, 9, 0, 0), meeting));
        assert!(!apology_is_late(local(2027, 3, 24, 0, 0, 0), meeting));
        // Under 7 × 24 hours before, but on the same local date: on time.
        assert!(!apology_is_late(local(2027, 3, 24, 11, 0, 0), meeting));
        assert!(!apology_is_late(local(2027, 3, 24, 23, 59, 59), meeting));
        assert!(apology_is_late(local(2027, 3, 25, 0, 0, 0), meeting));
        assert!(apology_is_late(local(2027, 3, 31, 9, 0, 0), meeting));
        assert!(apology_is_late(local(2027, 3, 31, 12, 0, 0), meeting));
    }

    #[test]
    fn apology_meeting_start_uses_local_date() {
        // 00:30 local on Thursday 1 April 2027 is still 31 March in UTC.
        let meeting = local(2027, 4, 1, 0, 30, 0);
        assert!(!apology_is_late(local(2027, 3, 25, 23, 0, 0), meeting));
        assert!(apology_is_late(local(2027, 3, 26, 0, 0, 0), meeting));
        // Far past meetings cannot panic.
        assert!(apology_is_late(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MIN_UTC));
    }
}

#[cfg(test)]
mod step_tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().expect("valid instant")
    }

    /// The D2 example: a meeting on Wednesday 31 March 2027 at 13:00 local (11:00 UTC).
    #[test]
    fn the_states_follow_the_steps_done_d3() {
        let cal = WorkingCalendar::default();
        let settings = DeadlineSettings::default();
        let meeting = at(2027, 3, 31, 11);
        let done = StepsDone {
            agenda_sent_to_chair: Some(at(2027, 3, 15, 9)),
            agenda_published: None,
            minutes_sent: None,
            minutes_worked_in: None,
        };
        let states = meeting_deadline_states(&cal, &settings, meeting, done, at(2027, 3, 18, 9));
        let by_kind = |k| states.iter().find(|s| s.kind == k).copied().expect("every kind");
        assert_eq!(by_kind(DeadlineKind::AgendaItemsDue).due, NaiveDate::from_ymd_opt(2027, 3, 12).expect("date"));
        assert_eq!(by_kind(DeadlineKind::AgendaItemsDue).state, DeadlineState::Met, "closed for new items");
        assert_eq!(by_kind(DeadlineKind::AgendaToChairDue).state, DeadlineState::Met);
        assert_eq!(by_kind(DeadlineKind::AgendaPublishedDue).due, NaiveDate::from_ymd_opt(2027, 3, 19).expect("date"));
        assert_eq!(by_kind(DeadlineKind::AgendaPublishedDue).state, DeadlineState::DueSoon);
        assert_eq!(by_kind(DeadlineKind::MinutesDue).due, NaiveDate::from_ymd_opt(2027, 4, 7).expect("date"));
        assert_eq!(by_kind(DeadlineKind::MinutesDue).state, DeadlineState::Upcoming);

        let late = meeting_deadline_states(&cal, &settings, meeting, StepsDone::default(), at(2027, 3, 22, 9));
        assert_eq!(
            late.iter().find(|s| s.kind == DeadlineKind::AgendaPublishedDue).map(|s| s.state),
            Some(DeadlineState::Missed)
        );
    }

    #[test]
    fn the_comment_window_counts_as_met_once_the_comments_are_worked_in_r3_d3() {
        let cal = WorkingCalendar::default();
        let settings = DeadlineSettings::default();
        let meeting = at(2027, 3, 31, 11);
        let sent = StepsDone { minutes_sent: Some(at(2027, 4, 1, 9)), ..StepsDone::default() };
        let r3 = |done, now| {
            meeting_deadline_states(&cal, &settings, meeting, done, now)
                .into_iter()
                .find(|s| s.kind == DeadlineKind::MinutesCommentsDue)
                .map(|s| s.state)
        };
        assert_ne!(r3(sent, at(2027, 4, 2, 9)), Some(DeadlineState::Met), "the window is open");
        let worked_in = StepsDone { minutes_worked_in: Some(at(2027, 4, 2, 8)), ..sent };
        assert_eq!(r3(worked_in, at(2027, 4, 2, 9)), Some(DeadlineState::Met));
        assert_eq!(r3(sent, at(2027, 4, 20, 9)), Some(DeadlineState::Met), "closed by the calendar");
    }

    #[test]
    fn an_apology_is_sent_before_the_meeting_begins_t4() {
        let meeting = at(2027, 3, 31, 11);
        assert!(apology_allowed(at(2027, 3, 31, 10), meeting).is_ok());
        assert_eq!(apology_allowed(meeting, meeting).map_err(|e| e.rule), Err("T4"));
    }

    #[test]
    fn a_request_after_the_tenth_working_day_before_is_late_a3() {
        let cal = WorkingCalendar::default();
        let settings = DeadlineSettings::default();
        let meeting = at(2027, 3, 31, 11);
        // Friday 12 March 23:59 local is on time; Saturday 13 March is late.
        assert!(!request_is_late(
            &cal,
            &settings,
            meeting,
            Utc.with_ymd_and_hms(2027, 3, 12, 22, 59, 0).single().expect("t")
        ));
        assert!(request_is_late(
            &cal,
            &settings,
            meeting,
            Utc.with_ymd_and_hms(2027, 3, 12, 23, 0, 0).single().expect("t")
        ));
    }
}
