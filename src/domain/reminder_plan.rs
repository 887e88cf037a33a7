//! Who gets which deadline reminder today (D3). The scanner reads the open meetings, the yearly
//! duties and the groups' members, asks these functions, and queues what they return; when a
//! reminder is due at all is `reminders::phase`.

use chrono::{DateTime, NaiveDate, Utc};

use super::access::GroupRole;
use super::agenda_workflow::AgendaStatus;
use super::annual_cycle::Topic;
use super::calendar::{WorkingCalendar, local_date};
use super::deadlines::{DeadlineKind, DeadlineSettings, meeting_deadlines};
use super::minutes::{self, MinutesStatus};
use super::reminders::{Phase, phase};

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

    /// The outbox kind: what a person switches on, off or to a digest, and the first part of the
    /// idempotency key.
    pub fn kind(self) -> String {
        match self {
            What::AgendaItems => "agenda_items".into(),
            What::AgendaToChair => "agenda_to_chair".into(),
            What::AgendaApproval { .. } => "agenda_approval".into(),
            What::AgendaPublished => "agenda_published_due".into(),
            What::Minutes => "minutes".into(),
            What::MinutesComments => "minutes_comments".into(),
            What::MinutesWorkIn => "minutes_work_in".into(),
            What::YearlyDuty(topic) => format!("yearly_{}", topic.code()),
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenMeeting {
    pub starts_at: DateTime<Utc>,
    pub agenda: Option<AgendaStatus>,
    pub sent_to_chair_at: Option<DateTime<Utc>>,
    pub minutes_sent: bool,
    /// R3, R4: the minutes' status and when they were sent.
    pub minutes_status: Option<MinutesStatus>,
    pub minutes_sent_at: Option<DateTime<Utc>>,
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
    let today = local_date(now);
    let d = meeting_deadlines(cal, settings, local_date(meeting.starts_at));
    let due_phase = |due| phase(cal, settings, today, due);
    let secretariat = secretariat_of(members, secretariat_staff);
    let mut out = Vec::new();
    let mut add = |what, phase, due, to: Vec<i64>| {
        if !to.is_empty() {
            out.push(Reminder { what, phase, due, to });
        }
    };

    // A3: members are reminded before the agenda-item deadline (never after: then it is late).
    if due_phase(d.agenda_items_due) == Some(Phase::Soon) {
        let to = with_roles(members, &[GroupRole::Chair, GroupRole::Member]);
        add(What::AgendaItems, Phase::Soon, d.agenda_items_due, to);
    }
    // A1: the draft goes to the chair.
    if matches!(meeting.agenda, None | Some(AgendaStatus::Draft))
        && let Some(p) = due_phase(d.agenda_to_chair_due)
    {
        add(What::AgendaToChair, p, d.agenda_to_chair_due, secretariat.clone());
    }
    // A1: the chair is asked once per sending to approve by the approval deadline (the agenda goes out
    // then: A2); the sending day keys it.
    if let (Some(AgendaStatus::SentToChair), Some(sent)) = (meeting.agenda, meeting.sent_to_chair_at) {
        let what = What::AgendaApproval { sent_on: local_date(sent) };
        add(what, Phase::Soon, d.agenda_published_due, with_roles(members, &[GroupRole::Chair]));
    }
    // A2: the agenda is published.
    if meeting.agenda != Some(AgendaStatus::Published)
        && let Some(p) = due_phase(d.agenda_published_due)
    {
        add(What::AgendaPublished, p, d.agenda_published_due, secretariat.clone());
    }
    // R2: minutes within five working days after a held meeting.
    if meeting.starts_at <= now
        && !meeting.minutes_sent
        && let Some(p) = due_phase(d.minutes_due)
    {
        add(What::Minutes, p, d.minutes_due, secretariat.clone());
    }
    // R3, R4: while the minutes are out, members are told once that the window closes soon; once it
    // has closed, the secretariat is reminded to work the comments in (soon, then late).
    if let (Some(MinutesStatus::Sent), Some(sent)) = (meeting.minutes_status, meeting.minutes_sent_at) {
        let w = minutes::window(cal, settings, local_date(sent));
        if today <= w.closes_on {
            if due_phase(w.closes_on) == Some(Phase::Soon) {
                let to = with_roles(members, &[GroupRole::Chair, GroupRole::Member, GroupRole::Substitute]);
                add(What::MinutesComments, Phase::Soon, w.closes_on, to);
            }
        } else if let Some(p) = due_phase(w.work_in_by) {
            add(What::MinutesWorkIn, p, w.work_in_by, secretariat);
        }
    }
    out
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
    let due = meeting_deadlines(cal, settings, local_date(meeting_starts_at)).agenda_items_due;
    let Some(Phase::Soon) = phase(cal, settings, local_date(now), due) else { return None };
    let to = secretariat_of(members, secretariat_staff);
    (!to.is_empty()).then_some(Reminder { what: What::YearlyDuty(duty), phase: Phase::Soon, due, to })
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
    fn the_chair_is_asked_to_approve_once_per_sending_keyed_by_its_day_a1() {
        let mut m = meeting(Some(AgendaStatus::SentToChair));
        assert!(plan(at(3, 16, 11), &m, &group()).iter().all(|r| !matches!(r.what, What::AgendaApproval { .. })));
        m.sent_to_chair_at = Some(at(3, 16, 10));
        let asked = plan(at(3, 16, 11), &m, &group());
        assert!(asked.contains(&Reminder {
            what: What::AgendaApproval { sent_on: d(3, 16) },
            phase: Phase::Soon,
            due: d(3, 19),
            to: vec![CHAIR],
        }));
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

    #[test]
    fn each_reminder_has_its_outbox_kind_and_deadline() {
        assert_eq!(What::AgendaPublished.kind(), "agenda_published_due");
        assert_eq!(What::YearlyDuty(Topic::BudgetDecision).kind(), "yearly_budget_decision");
        assert_eq!(What::AgendaApproval { sent_on: d(3, 16) }.deadline().rule(), "A2");
        assert_eq!(What::YearlyDuty(Topic::MetadataReview).deadline().rule(), "A3");
    }
}
