//! Who gets which deadline reminder today (D3). The scanner reads the open meetings, the yearly
//! duties and the groups' members, asks these functions, and queues what they return; when a
//! reminder is due at all is `reminders::phase`.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::access::GroupRole;
use super::agenda_workflow::AgendaStatus;
use super::annual_cycle::Topic;
use super::calendar::{WorkingCalendar, local_date};
use super::deadlines::{DeadlineKind, DeadlineSettings, MeetingDeadlines, meeting_deadlines};
use super::minutes::{self, MinutesStatus};
use super::notifications::MailKind;
use super::reminders::{Phase, due_dates_with_a_phase, phase};

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// A3: members may still ask for agenda items.
    AgendaItems,
    /// A1: the secretariat sends the draft agenda to the chair.
    AgendaToChair,
    /// A1: the chair comments on or approves the draft sent on `sent_on`; the reminder's due date is
    /// the approval deadline, the day the agenda must go out (A2).
    AgendaApproval { sent_on: NaiveDate },
    /// A2: the agenda is published.
    AgendaPublished,
    /// R2: the minutes are sent.
    Minutes,
    /// R3: the members' comment window closes soon.
    MinutesComments,
    /// R4: the secretariat works the comments in.
    MinutesWorkIn,
    /// Y2, Y3, B3: a yearly duty of the årshjul is prepared for its meeting.
    YearlyDuty(Topic),
}

impl What {
    /// The deadline the reminder points at: its rule and, unless the mail names something else,
    /// its label.
    pub fn deadline(self) -> DeadlineKind {
        match self {
            What::AgendaItems | What::YearlyDuty(_) => DeadlineKind::AgendaItemsDue,
            What::AgendaToChair => DeadlineKind::AgendaToChairDue,
            What::AgendaApproval { .. } | What::AgendaPublished => DeadlineKind::AgendaPublishedDue,
            What::Minutes => DeadlineKind::MinutesDue,
            What::MinutesComments => DeadlineKind::MinutesCommentsDue,
            What::MinutesWorkIn => DeadlineKind::CommentsIncorporatedDue,
        }
    }

    /// The secretariat's own steps (A1, A2, R2, R4 and the yearly duties), whose mails may name the
    /// rule; members' and the chair's reminders (A3, R3, the chair's approval) speak only in words.
    pub fn for_secretariat(self) -> bool {
        !matches!(self, What::AgendaItems | What::MinutesComments | What::AgendaApproval { .. })
    }

    /// The outbox kind: what a person switches on, off or to a digest, and the first part of the
    /// idempotency key.
    pub fn kind(self) -> MailKind {
        match self {
            What::AgendaItems => MailKind::AgendaItems,
            What::AgendaToChair => MailKind::AgendaToChair,
            What::AgendaApproval { .. } => MailKind::AgendaApproval,
            What::AgendaPublished => MailKind::AgendaPublishedDue,
            What::Minutes => MailKind::Minutes,
            What::MinutesComments => MailKind::MinutesComments,
            What::MinutesWorkIn => MailKind::MinutesWorkIn,
            What::YearlyDuty(topic) => MailKind::Yearly(topic),
        }
    }
}

/// One reminder to queue: about what, soon or late, for which due date, to whom (person ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub what: What,
    pub phase: Phase,
    pub due: NaiveDate,
    pub to: Vec<i64>,
}

/// An approved member of the group (M5: nominated members get nothing as participants).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub person_id: i64,
    pub role: GroupRole,
}

/// An ordinary meeting and how far its steps have come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenMeeting {
    pub starts_at: DateTime<Utc>,
    pub agenda: Option<AgendaStatus>,
    pub sent_to_chair_at: Option<DateTime<Utc>>,
    pub minutes_sent: bool,
    /// R3, R4: the minutes' status and when they were sent.
    pub minutes_status: Option<MinutesStatus>,
    pub minutes_sent_at: Option<DateTime<Utc>>,
    /// D3: when the meeting was entered. A deadline that had passed before then was never anyone's to
    /// keep: it shows as missed on the meeting's page but is not mailed as "Overskredet".
    pub registered_at: DateTime<Utc>,
    /// R3: who has commented on the sent minutes or answered "Ingen bemærkninger": their part is done.
    pub answered: Vec<i64>,
}

impl Reminder {
    /// The day that makes the reminder once-only in the outbox: its due date, or for the chair's
    /// approval the day the draft was sent (a new sending asks again, the same one does not).
    pub fn key_day(&self) -> NaiveDate {
        match self.what {
            What::AgendaApproval { sent_on } => sent_on,
            _ => self.due,
        }
    }
}

/// Today's reminders for one ordinary meeting (A1-A3, R2). `members` are the group's approved
/// members; `secretariat_staff` stand in for a group without a secretariat member of its own.
pub fn for_meeting(
    cal: &WorkingCalendar,
    settings: &DeadlineSettings,
    now: DateTime<Utc>,
    meeting: &OpenMeeting,
    members: &[Member],
    secretariat_staff: &[i64],
) -> Vec<Reminder> {
    Planner::new(cal, settings, now).for_meeting(meeting, members, secretariat_staff)
}

/// Y2, Y3, B3: the secretariat prepares a yearly duty for the meeting it is placed on, by the
/// meeting's agenda-item deadline (A3); reminded while that is due soon.
pub fn for_yearly_duty(
    cal: &WorkingCalendar,
    settings: &DeadlineSettings,
    now: DateTime<Utc>,
    duty: Topic,
    meeting_starts_at: DateTime<Utc>,
    members: &[Member],
    secretariat_staff: &[i64],
) -> Option<Reminder> {
    Planner::new(cal, settings, now).for_yearly_duty(duty, meeting_starts_at, members, secretariat_staff)
}

/// The first and last local meeting day whose dated reminders (A1-A3, R2, and Y2, Y3, B3 on A3's
/// date) can be due on `today`: every such deadline is a fixed number of working days from the meeting
/// day and only due dates within `due_dates_with_a_phase` are reminded, so a scan reads only the
/// meetings of these days. Reminders that hang on a sending instead of the meeting day
/// (the chair's approval, A1; the comment window and its working-in, R3, R4) are not bounded by it.
pub fn meeting_days_to_scan(
    cal: &WorkingCalendar,
    settings: &DeadlineSettings,
    today: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    let (lo, hi) = due_dates_with_a_phase(cal, settings, today);
    let day = chrono::Days::new(1);
    let mut first = NaiveDate::MAX;
    let mut last = NaiveDate::MIN;
    // A deadline n working days before the meeting day is on or after `lo` from the day after the
    // n-th working day on or after `lo`, and on or before `hi` up to the n-th working day after `hi`.
    for n in [settings.agenda_items_wd, settings.agenda_to_chair_wd, settings.agenda_published_wd] {
        first = first.min(cal.working_days_after(lo - day, n) + day);
        last = last.max(cal.working_days_after(hi, n));
    }
    // A deadline n working days after the meeting day (R2) is on or after `lo` from the n-th working
    // day before `lo`, and on or before `hi` up to the day before the n-th working day back from the
    // day after `hi`.
    first = first.min(cal.working_days_before(lo, settings.minutes_wd));
    last = last.max(cal.working_days_before(hi + day, settings.minutes_wd) - day);
    (first, last)
}

/// Plans today's reminders for many meetings at once. A scan over 100,000 open meetings
/// meets only a few dozen distinct meeting days and sending days, so each day's deadlines, comment
/// window and reminder phase are worked out once and remembered.
pub struct Planner<'a> {
    cal: &'a WorkingCalendar,
    settings: &'a DeadlineSettings,
    now: DateTime<Utc>,
    today: NaiveDate,
    deadlines: HashMap<NaiveDate, MeetingDeadlines>,
    windows: HashMap<NaiveDate, minutes::Window>,
    phases: HashMap<NaiveDate, Option<Phase>>,
}

impl<'a> Planner<'a> {
    pub fn new(cal: &'a WorkingCalendar, settings: &'a DeadlineSettings, now: DateTime<Utc>) -> Self {
        Self {
            cal,
            settings,
            now,
            today: local_date(now),
            deadlines: HashMap::new(),
            windows: HashMap::new(),
            phases: HashMap::new(),
        }
    }

    fn deadlines(&mut self, meeting_starts_at: DateTime<Utc>) -> MeetingDeadlines {
        let (cal, settings) = (self.cal, self.settings);
        *self
            .deadlines
            .entry(local_date(meeting_starts_at))
            .or_insert_with_key(|&day| meeting_deadlines(cal, settings, day))
    }

    fn window(&mut self, minutes_sent_at: DateTime<Utc>) -> minutes::Window {
        let (cal, settings) = (self.cal, self.settings);
        *self
            .windows
            .entry(local_date(minutes_sent_at))
            .or_insert_with_key(|&sent| minutes::window(cal, settings, sent))
    }

    fn phase(&mut self, due: NaiveDate) -> Option<Phase> {
        let (cal, settings, today) = (self.cal, self.settings, self.today);
        *self.phases.entry(due).or_insert_with(|| phase(cal, settings, today, due))
    }

    /// Today's reminders for one ordinary meeting (A1-A3, R2, R3, R4).
    pub fn for_meeting(
        &mut self,
        meeting: &OpenMeeting,
        members: &[Member],
        secretariat_staff: &[i64],
    ) -> Vec<Reminder> {
        let d = self.deadlines(meeting.starts_at);
        let secretariat = || secretariat_of(members, secretariat_staff);
        let registered_on = local_date(meeting.registered_at);
        let mut out = Vec::new();
        let mut add = |what, phase, due, to: Vec<i64>| {
            let before_it_existed = phase == Phase::Late && due < registered_on;
            if !to.is_empty() && !before_it_existed {
                out.push(Reminder { what, phase, due, to });
            }
        };

        // A3: members are reminded before the agenda-item deadline (never after: then it is late).
        if self.phase(d.agenda_items_due) == Some(Phase::Soon) {
            let to = with_roles(members, &[GroupRole::Chair, GroupRole::Member]);
            add(What::AgendaItems, Phase::Soon, d.agenda_items_due, to);
        }
        // A1: the draft goes to the chair.
        if matches!(meeting.agenda, None | Some(AgendaStatus::Draft))
            && let Some(p) = self.phase(d.agenda_to_chair_due)
        {
            add(What::AgendaToChair, p, d.agenda_to_chair_due, secretariat());
        }
        // A1: the chair is told at once when the draft reaches them (a hand-off in the sending's
        // transaction) and reminded, once per sending, when the approval deadline (A2: the agenda goes
        // out then) is near, unless the draft arrived that near: then the hand-off said it all.
        if let (Some(AgendaStatus::SentToChair), Some(sent)) = (meeting.agenda, meeting.sent_to_chair_at) {
            let sent_on = local_date(sent);
            let near_from = self.cal.working_days_before(d.agenda_published_due, self.settings.due_soon_wd);
            if sent_on < near_from && self.phase(d.agenda_published_due) == Some(Phase::Soon) {
                let what = What::AgendaApproval { sent_on };
                add(what, Phase::Soon, d.agenda_published_due, with_roles(members, &[GroupRole::Chair]));
            }
        }
        // A2: the agenda is published.
        if meeting.agenda != Some(AgendaStatus::Published)
            && let Some(p) = self.phase(d.agenda_published_due)
        {
            add(What::AgendaPublished, p, d.agenda_published_due, secretariat());
        }
        // R2: minutes within five working days after a held meeting.
        if meeting.starts_at <= self.now
            && !meeting.minutes_sent
            && let Some(p) = self.phase(d.minutes_due)
        {
            add(What::Minutes, p, d.minutes_due, secretariat());
        }
        // R3, R4: while the minutes are out, members are told once that the window closes soon; once
        // it has closed, the secretariat is reminded to work the comments in (soon, then late).
        if let (Some(MinutesStatus::Sent), Some(sent)) = (meeting.minutes_status, meeting.minutes_sent_at) {
            let w = self.window(sent);
            if self.today <= w.closes_on {
                if self.phase(w.closes_on) == Some(Phase::Soon) {
                    let mut to = with_roles(members, &[GroupRole::Chair, GroupRole::Member, GroupRole::Substitute]);
                    to.retain(|person| !meeting.answered.contains(person));
                    add(What::MinutesComments, Phase::Soon, w.closes_on, to);
                }
            } else if let Some(p) = self.phase(w.work_in_by) {
                add(What::MinutesWorkIn, p, w.work_in_by, secretariat());
            }
        }
        out
    }

    /// Y2, Y3, B3: the secretariat prepares a yearly duty for the meeting it is placed on, by the
    /// meeting's agenda-item deadline (A3); reminded while that is due soon.
    pub fn for_yearly_duty(
        &mut self,
        duty: Topic,
        meeting_starts_at: DateTime<Utc>,
        members: &[Member],
        secretariat_staff: &[i64],
    ) -> Option<Reminder> {
        let due = self.deadlines(meeting_starts_at).agenda_items_due;
        let Some(Phase::Soon) = self.phase(due) else { return None };
        let to = secretariat_of(members, secretariat_staff);
        (!to.is_empty()).then_some(Reminder { what: What::YearlyDuty(duty), phase: Phase::Soon, due, to })
    }
}

fn with_roles(members: &[Member], roles: &[GroupRole]) -> Vec<i64> {
    members.iter().filter(|m| roles.contains(&m.role)).map(|m| m.person_id).collect()
}

/// The group's own secretariat, or the secretariat staff when it has none.
fn secretariat_of(members: &[Member], secretariat_staff: &[i64]) -> Vec<i64> {
    let own = with_roles(members, &[GroupRole::Secretariat]);
    if own.is_empty() { secretariat_staff.to_vec() } else { own }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::local_to_utc;
    use chrono::NaiveTime;

    const CHAIR: i64 = 1;
    const MEMBER: i64 = 2;
    const SUBSTITUTE: i64 = 3;
    const SECRETARY: i64 = 4;
    const STAFF: i64 = 90;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, day).expect("valid date")
    }

    fn at(m: u32, day: u32, h: u32) -> DateTime<Utc> {
        local_to_utc(d(m, day), NaiveTime::from_hms_opt(h, 0, 0).expect("valid time")).expect("not in a DST gap")
    }

    fn group() -> Vec<Member> {
        [
            (CHAIR, GroupRole::Chair),
            (MEMBER, GroupRole::Member),
            (SUBSTITUTE, GroupRole::Substitute),
            (SECRETARY, GroupRole::Secretariat),
        ]
        .map(|(person_id, role)| Member { person_id, role })
        .to_vec()
    }

    /// The ordinary meeting of Wednesday 31 March 2027: items due Friday 12 March (A3), draft to
    /// the chair Wednesday 17 (A1), agenda out Friday 19 (A2), minutes Wednesday 7 April (R2).
    fn meeting(agenda: Option<AgendaStatus>) -> OpenMeeting {
        OpenMeeting {
            starts_at: at(3, 31, 13),
            agenda,
            sent_to_chair_at: None,
            minutes_sent: false,
            minutes_status: None,
            minutes_sent_at: None,
            registered_at: at(1, 4, 9) - chrono::Days::new(3650),
            answered: Vec::new(),
        }
    }

    fn plan(now: DateTime<Utc>, meeting: &OpenMeeting, members: &[Member]) -> Vec<Reminder> {
        for_meeting(&WorkingCalendar::default(), &DeadlineSettings::default(), now, meeting, members, &[STAFF])
    }

    #[test]
    fn chair_and_members_are_asked_for_items_before_the_deadline_not_substitutes_a3_d3() {
        assert_eq!(plan(at(3, 9, 9), &meeting(None), &group()), vec![], "three working days before");
        let soon = plan(at(3, 10, 9), &meeting(None), &group());
        assert_eq!(soon, vec![Reminder { what: What::AgendaItems, phase: Phase::Soon, due: d(3, 12), to: vec![1, 2] }]);
        let after = plan(at(3, 15, 9), &meeting(None), &group());
        assert!(after.iter().all(|r| r.what != What::AgendaItems), "no late reminder to members: {after:?}");
    }

    #[test]
    fn the_secretariat_is_reminded_to_send_the_draft_soon_and_when_late_a1() {
        let soon = plan(at(3, 15, 9), &meeting(Some(AgendaStatus::Draft)), &group());
        assert_eq!(
            soon,
            vec![Reminder { what: What::AgendaToChair, phase: Phase::Soon, due: d(3, 17), to: vec![SECRETARY] }]
        );
        let late = plan(at(3, 18, 9), &meeting(None), &group());
        assert!(late.contains(&Reminder {
            what: What::AgendaToChair,
            phase: Phase::Late,
            due: d(3, 17),
            to: vec![SECRETARY]
        }));
        let sent = plan(at(3, 18, 9), &meeting(Some(AgendaStatus::Approved)), &group());
        assert!(sent.iter().all(|r| r.what != What::AgendaToChair), "the draft has gone: {sent:?}");
    }

    #[test]
    fn a_meeting_registered_after_a_deadline_never_mails_it_as_overdue_d3() {
        // Entered on 22 March, after the draft (17 March) and the agenda (19 March) were due.
        let after_the_fact = OpenMeeting { registered_at: at(3, 22, 8), ..meeting(None) };
        let reminders = plan(at(3, 22, 9), &after_the_fact, &group());
        assert!(reminders.iter().all(|r| r.phase != Phase::Late), "nothing overdue mailed: {reminders:?}");
        // The same meeting entered in time is reminded as late.
        let in_time = plan(at(3, 22, 9), &meeting(None), &group());
        assert!(in_time.iter().any(|r| r.what == What::AgendaPublished && r.phase == Phase::Late));
        // R2 falls due after the registration and is reminded as usual once it is late.
        let minutes = plan(at(4, 8, 9), &after_the_fact, &group());
        assert!(minutes.iter().any(|r| r.what == What::Minutes && r.phase == Phase::Late), "{minutes:?}");
    }

    #[test]
    fn the_chair_is_asked_to_approve_once_per_sending_keyed_by_its_day_a1() {
        let mut m = meeting(Some(AgendaStatus::SentToChair));
        let approval = |r: &Vec<Reminder>| r.iter().any(|r| matches!(r.what, What::AgendaApproval { .. }));
        assert!(!approval(&plan(at(3, 16, 11), &m, &group())), "nothing was sent");
        // Sent a week before: the hand-off told the chair; the reminder waits until the deadline is near.
        m.sent_to_chair_at = Some(at(3, 10, 10));
        assert!(!approval(&plan(at(3, 15, 11), &m, &group())), "not yet near 19 March");
        let asked = plan(at(3, 17, 11), &m, &group());
        assert!(asked.contains(&Reminder {
            what: What::AgendaApproval { sent_on: d(3, 10) },
            phase: Phase::Soon,
            due: d(3, 19),
            to: vec![CHAIR],
        }));
        // Sent when the deadline was already near: the hand-off at the sending is the one mail.
        m.sent_to_chair_at = Some(at(3, 17, 10));
        assert!(!approval(&plan(at(3, 18, 9), &m, &group())), "no second mail about the same draft");
    }

    #[test]
    fn an_unpublished_agenda_is_reminded_until_published_a2() {
        let late = plan(at(3, 22, 9), &meeting(Some(AgendaStatus::Approved)), &group());
        assert!(late.contains(&Reminder {
            what: What::AgendaPublished,
            phase: Phase::Late,
            due: d(3, 19),
            to: vec![SECRETARY]
        }));
        let published = plan(at(3, 22, 9), &meeting(Some(AgendaStatus::Published)), &group());
        assert_eq!(published, vec![], "published: nothing to remind");
    }

    #[test]
    fn minutes_are_reminded_only_after_the_meeting_and_until_sent_r2() {
        let soon = plan(at(4, 5, 9), &meeting(Some(AgendaStatus::Published)), &group());
        assert_eq!(soon, vec![Reminder { what: What::Minutes, phase: Phase::Soon, due: d(4, 7), to: vec![SECRETARY] }]);
        let mut sent = meeting(Some(AgendaStatus::Published));
        sent.minutes_sent = true;
        assert_eq!(plan(at(4, 5, 9), &sent, &group()), vec![]);
    }

    /// Minutes of 31 March 2027 sent Thursday 1 April: the window runs 2, 5, 6, 7, 8 April (Easter
    /// Monday 29 March is behind it); working in is due 9, 12, 13, 14, 15 April.
    #[test]
    fn members_hear_once_that_the_window_closes_and_then_the_secretariat_works_comments_in_r3_r4() {
        let mut sent = meeting(Some(AgendaStatus::Published));
        sent.minutes_sent = true;
        sent.minutes_status = Some(MinutesStatus::Sent);
        sent.minutes_sent_at = Some(at(4, 1, 10));
        assert_eq!(plan(at(4, 2, 9), &sent, &group()), vec![], "three working days before the window closes");
        let soon = plan(at(4, 6, 9), &sent, &group());
        let to = vec![CHAIR, MEMBER, SUBSTITUTE];
        assert_eq!(soon, vec![Reminder { what: What::MinutesComments, phase: Phase::Soon, due: d(4, 8), to }]);
        // R3: whoever has commented or answered "Ingen bemærkninger" is not reminded.
        let answered = OpenMeeting { answered: vec![MEMBER], ..sent.clone() };
        let to = vec![CHAIR, SUBSTITUTE];
        assert_eq!(
            plan(at(4, 6, 9), &answered, &group()),
            vec![Reminder { what: What::MinutesComments, phase: Phase::Soon, due: d(4, 8), to }]
        );
        assert_eq!(plan(at(4, 9, 9), &sent, &group()), vec![], "closed; working in is not due soon yet");
        let work_in = plan(at(4, 13, 9), &sent, &group());
        let expected = Reminder { what: What::MinutesWorkIn, phase: Phase::Soon, due: d(4, 15), to: vec![SECRETARY] };
        assert_eq!(work_in, vec![expected]);
        let late = plan(at(4, 16, 9), &sent, &group());
        assert_eq!(late.first().map(|r| (r.what, r.phase)), Some((What::MinutesWorkIn, Phase::Late)));
        sent.minutes_status = Some(MinutesStatus::WorkedIn);
        assert_eq!(plan(at(4, 16, 9), &sent, &group()), vec![], "worked in: nothing to remind");
    }

    #[test]
    fn a_group_without_its_own_secretariat_has_the_secretariat_staff_reminded_d3() {
        let no_secretary: Vec<Member> = group().into_iter().filter(|m| m.role != GroupRole::Secretariat).collect();
        let soon = plan(at(3, 15, 9), &meeting(None), &no_secretary);
        assert_eq!(
            soon,
            vec![Reminder { what: What::AgendaToChair, phase: Phase::Soon, due: d(3, 17), to: vec![STAFF] }]
        );
    }

    #[test]
    fn nobody_to_tell_means_no_reminder() {
        let chairless: Vec<Member> = group().into_iter().filter(|m| m.role == GroupRole::Secretariat).collect();
        assert!(plan(at(3, 10, 9), &meeting(None), &chairless).is_empty(), "no chair or member to ask for items");
    }

    #[test]
    fn a_yearly_duty_is_reminded_to_the_secretariat_while_its_meetings_items_are_due_soon_y2_y3_b3() {
        let cal = WorkingCalendar::default();
        let s = DeadlineSettings::default();
        let duty = |now| for_yearly_duty(&cal, &s, now, Topic::DataAgreement, at(3, 31, 13), &group(), &[STAFF]);
        assert_eq!(duty(at(3, 9, 9)), None);
        assert_eq!(
            duty(at(3, 10, 9)),
            Some(Reminder {
                what: What::YearlyDuty(Topic::DataAgreement),
                phase: Phase::Soon,
                due: d(3, 12),
                to: vec![SECRETARY]
            })
        );
        assert_eq!(duty(at(3, 15, 9)), None, "no late reminder");
    }

    fn at_day(day: NaiveDate, h: u32) -> DateTime<Utc> {
        local_to_utc(day, NaiveTime::from_hms_opt(h, 0, 0).expect("valid time")).expect("not in a DST gap")
    }

    /// A scan reads only the meetings of `meeting_days_to_scan`, so no meeting day outside
    /// it may have a dated reminder due (A1-A3, R2; Y2, Y3, B3), on any day of 13 months and under
    /// other settings too; with the defaults its first and last day do have one (it is no wider).
    #[test]
    fn no_dated_reminder_is_due_for_a_meeting_day_the_scan_does_not_read_d3() {
        let cal = WorkingCalendar::new([d(5, 1)]);
        let other = DeadlineSettings {
            agenda_items_wd: 15,
            agenda_to_chair_wd: 3,
            agenda_published_wd: 0,
            minutes_wd: 10,
            due_soon_wd: 4,
            ..DeadlineSettings::default()
        };
        for settings in [DeadlineSettings::default(), other] {
            for today in d(1, 1).iter_days().take(400) {
                let mut planner = Planner::new(&cal, &settings, at_day(today, 9));
                let mut reminded = |day: NaiveDate| {
                    let starts_at = at_day(day, 13);
                    let agendas = [None, Some(AgendaStatus::Draft), Some(AgendaStatus::Approved)];
                    agendas.into_iter().any(|agenda| {
                        let m = OpenMeeting { starts_at, agenda, ..meeting(None) };
                        !planner.for_meeting(&m, &group(), &[STAFF]).is_empty()
                    }) || planner.for_yearly_duty(Topic::DataAgreement, starts_at, &group(), &[STAFF]).is_some()
                };
                let (first, last) = meeting_days_to_scan(&cal, &settings, today);
                for day in (today - chrono::Days::new(60)).iter_days().take(121) {
                    if reminded(day) {
                        assert!(
                            first <= day && day <= last,
                            "today {today}: {day} is reminded outside {first}..{last}"
                        );
                    }
                }
                if settings == DeadlineSettings::default() {
                    assert!(reminded(first) && reminded(last), "today {today}: {first}..{last} is wider than needed");
                }
            }
        }
    }

    #[test]
    fn each_reminder_has_its_outbox_kind_and_deadline() {
        assert_eq!(What::AgendaPublished.kind().as_str(), "agenda_published_due");
        assert_eq!(What::YearlyDuty(Topic::BudgetDecision).kind().as_str(), "yearly_budget_decision");
        assert_eq!(What::AgendaApproval { sent_on: d(3, 16) }.deadline().rule(), "A2");
        assert_eq!(What::YearlyDuty(Topic::MetadataReview).deadline().rule(), "A3");
    }
}
