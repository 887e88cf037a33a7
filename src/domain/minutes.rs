//! Minutes from draft to approval (R1-R4) and the actions they create (R5, C4).
//!
//! | from      | step     | by          | to        | refused when                                  |
//! |-----------|----------|-------------|-----------|-----------------------------------------------|
//! | draft     | edit     | secretariat | draft     |                                               |
//! | draft     | send     | secretariat | sent      | (R2: sent at the latest 5 working days after) |
//! | sent      | comment  | group       | sent      | R3: after the comment window has closed       |
//! | sent      | resolve  | secretariat | sent      |                                               |
//! | sent      | work in  | secretariat | worked_in | R3: window still open; R4: comment unhandled  |
//! | worked_in | approve  | secretariat | approved  |                                               |
//! | sent      | approve  | secretariat | —         | R4: comments not worked in                    |
//! | approved  | approve  | secretariat | approved  | never: a second approval changes nothing      |
//! | approved  | correct  | secretariat | worked_in | (a new version; the approved one stays)       |
//!
//! A comment after the window is refused (R3), never accepted as late: the window is the members'
//! five working days from the sending, and the page says when it closes.

use chrono::NaiveDate;
use serde::Serialize;

use super::access::GroupRole;
use super::agenda_workflow::Actor;
use super::calendar::WorkingCalendar;
use super::composition::SeatStatus;
use super::deadlines::{DeadlineSettings, comments_incorporated_due, minutes_comments_due};
use super::refusal::Refusal;

/// Where the minutes are in R1-R4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum MinutesStatus {
    Draft,
    Sent,
    WorkedIn,
    Approved,
}

impl MinutesStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Kladde",
            Self::Sent => "Sendt til bemærkninger",
            Self::WorkedIn => "Bemærkninger indarbejdet",
            Self::Approved => "Godkendt og offentliggjort",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::WorkedIn => "worked_in",
            Self::Approved => "approved",
        }
    }
}

/// R1: what an entry beside an item's text records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum EntryKind {
    Decision,
    Action,
    Agreement,
}

impl EntryKind {
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Decision, Self::Action, Self::Agreement].into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Decision => "decision",
            Self::Action => "action",
            Self::Agreement => "agreement",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Decision => "Beslutning",
            Self::Action => "Aktion",
            Self::Agreement => "Aftale",
        }
    }
}

/// R1: the outcome of a decision item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum Outcome {
    Approved,
    Rejected,
    Postponed,
    Noted,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [Self::Approved, Self::Rejected, Self::Postponed, Self::Noted];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Postponed => "postponed",
            Self::Noted => "noted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Approved => "Godkendt",
            Self::Rejected => "Afvist",
            Self::Postponed => "Udsat",
            Self::Noted => "Taget til efterretning",
        }
    }
}

/// R4: how the secretariat handled a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum Resolution {
    Incorporated,
    Answered,
}

impl Resolution {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "incorporated" => Some(Self::Incorporated),
            "answered" => Some(Self::Answered),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Incorporated => "incorporated",
            Self::Answered => "answered",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Incorporated => "Indarbejdet",
            Self::Answered => "Besvaret",
        }
    }
}

/// C4: an action's status on the action list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    Done,
    /// Shown as "dropped": nobody will do it.
    Cancelled,
}

impl ActionStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(Self::Open),
            "done" => Some(Self::Done),
            "cancelled" | "dropped" => Some(Self::Cancelled),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Åben",
            Self::Done => "Udført",
            Self::Cancelled => "Droppet",
        }
    }
}

/// What someone does to the minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Edit,
    Send,
    Comment,
    Resolve,
    WorkIn,
    Approve,
    Correct,
}

/// Why a step is not taken: not this person's to take (the page answers 403 or 404), or a rule says
/// no (the page shows the rule and its message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    NotYours,
    Refused(Refusal),
}

/// The comment window of minutes sent on `sent_on` (R3) and the day comments must be worked in
/// (R4): both counted in working days (D1, D2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub closes_on: NaiveDate,
    pub work_in_by: NaiveDate,
}

pub fn window(cal: &WorkingCalendar, settings: &DeadlineSettings, sent_on: NaiveDate) -> Window {
    let closes_on = minutes_comments_due(cal, settings, sent_on);
    Window { closes_on, work_in_by: comments_incorporated_due(cal, settings, closes_on) }
}

/// What the rule needs to know besides the status and the actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub today: NaiveDate,
    pub window: Option<Window>,
    pub unresolved_comments: usize,
    /// R3, R4: every active member and the chair has commented or answered "Ingen bemærkninger".
    pub everyone_answered: bool,
}

/// R3, R4: whether the secretariat waits for this seat's answer before closing the comment window
/// early: an active member or the chair (a substitute may comment but is not waited for).
pub fn awaited(status: SeatStatus, role: GroupRole) -> bool {
    status == SeatStatus::Active && matches!(role, GroupRole::Chair | GroupRole::Member)
}

/// R3, R4: the people the secretariat waits for (`awaited`) who have neither commented nor answered
/// "Ingen bemærkninger".
pub fn waiting_for<'a>(expected: impl IntoIterator<Item = (i64, &'a str)>, answered: &[i64]) -> Vec<&'a str> {
    expected.into_iter().filter(|(person, _)| !answered.contains(person)).map(|(_, name)| name).collect()
}

/// Who may read minutes in this status (R3, O5): the group and the secretariat read them from the
/// sending on (the secretariat also the draft); anyone else who may read the group only approved
/// minutes.
pub fn can_read(status: MinutesStatus, actor: Actor) -> bool {
    match actor {
        Actor::Secretariat => true,
        Actor::Chair | Actor::Member => status != MinutesStatus::Draft,
        Actor::Other => status == MinutesStatus::Approved,
    }
}

/// Comments are the group's and the secretariat's (R3).
pub fn can_read_comments(actor: Actor) -> bool {
    actor != Actor::Other
}

/// The status after `step`, or why not. `Ok(None)` means nothing changes: a second approval.
pub fn next(status: MinutesStatus, step: Step, actor: Actor, facts: Facts) -> Result<Option<MinutesStatus>, Denied> {
    use MinutesStatus::*;
    let refuse = |rule, message: &str| Err(Denied::Refused(Refusal::new(rule, message)));
    if step == Step::Comment {
        if matches!(actor, Actor::Other) || !can_read(status, actor) {
            return Err(Denied::NotYours);
        }
        return match (status, facts.window) {
            (Sent, Some(w)) if facts.today <= w.closes_on => Ok(Some(Sent)),
            (Sent, Some(w)) => refuse(
                "R3",
                &format!(
                    "Fristen for bemærkninger udløb {}. Bemærkninger modtages kun inden for 5 arbejdsdage efter udsendelsen.",
                    crate::text::date(w.closes_on)
                ),
            ),
            _ => refuse("R3", "Referatet er ikke åbent for bemærkninger."),
        };
    }
    if actor != Actor::Secretariat {
        return Err(Denied::NotYours);
    }
    match (step, status) {
        (Step::Edit, Draft | Sent | WorkedIn) => Ok(Some(status)),
        (Step::Edit | Step::Resolve, Approved) => {
            refuse("R4", "Referatet er godkendt og låst. Ret det som en ny version.")
        }
        (Step::Send, Draft) => Ok(Some(Sent)),
        (Step::Send, _) => refuse("R2", "Referatet er allerede sendt."),
        (Step::Resolve, Sent | WorkedIn) => Ok(Some(status)),
        (Step::Resolve, Draft) => refuse("R4", "Referatet er ikke sendt; der er ingen bemærkninger at behandle."),
        (Step::WorkIn, Sent) => match facts.window {
            Some(w) if facts.today <= w.closes_on && !facts.everyone_answered => refuse(
                "R3",
                &format!(
                    "Fristen for bemærkninger løber til og med {}. Bemærkningerne indarbejdes, når den er udløbet, \
                     eller før, når alle medlemmer og forpersonen har givet bemærkninger eller svaret «Ingen bemærkninger».",
                    crate::text::date(w.closes_on)
                ),
            ),
            _ if facts.unresolved_comments > 0 => refuse(
                "R4",
                &match facts.unresolved_comments {
                    1 => "1 bemærkning mangler at blive markeret som indarbejdet eller besvaret.".to_owned(),
                    n => format!("{n} bemærkninger mangler at blive markeret som indarbejdet eller besvaret."),
                },
            ),
            _ => Ok(Some(WorkedIn)),
        },
        (Step::WorkIn, _) => refuse("R4", "Kun et sendt referat kan få bemærkningerne indarbejdet."),
        (Step::Approve, WorkedIn) => Ok(Some(Approved)),
        (Step::Approve, Approved) => Ok(None),
        (Step::Approve, Draft | Sent) => {
            refuse("R4", "Bemærkningerne skal være indarbejdet, før referatet kan godkendes.")
        }
        (Step::Correct, Approved) => Ok(Some(WorkedIn)),
        (Step::Correct, _) => refuse("R4", "Kun et godkendt referat rettes som en ny version."),
        (Step::Comment, _) => Err(Denied::NotYours),
    }
}

/// One entry as typed, checked against R1 and C4 before anything is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryInput {
    pub kind: EntryKind,
    pub text: String,
    pub outcome: Option<Outcome>,
    pub owner_id: Option<i64>,
    pub due_on: Option<NaiveDate>,
    /// R5, C1: the change request a decision decides (its status rule is asked when it is stored).
    pub change_request_id: Option<i64>,
}

/// A field and its Danish message.
pub type FieldError = (&'static str, String);

/// Where an entry goes: its item, its meeting's local date and the group's active people.
#[derive(Debug, Clone, Copy)]
pub struct EntryPlace<'a> {
    pub decision_item: bool,
    pub meeting_day: NaiveDate,
    pub group_people: &'a [i64],
}

/// R1, C4: a decision, action or agreement needs its text; a decision on a decision item its
/// outcome; an action an owner among the group's people and a due date not before the meeting day.
pub fn check_entry(
    kind: EntryKind,
    text: &str,
    outcome: Option<Outcome>,
    owner_id: Option<i64>,
    due_on: Option<NaiveDate>,
    place: EntryPlace<'_>,
) -> Result<EntryInput, FieldError> {
    let EntryPlace { decision_item, meeting_day, group_people } = place;
    let text = text.trim();
    if text.is_empty() {
        let what = match kind {
            EntryKind::Decision => "beslutningen",
            EntryKind::Action => "aktionen",
            EntryKind::Agreement => "aftalen",
        };
        return Err(("text", format!("Skriv {what}.")));
    }
    let outcome = match kind {
        EntryKind::Decision => outcome,
        _ => None,
    };
    if kind == EntryKind::Decision && decision_item && outcome.is_none() {
        return Err(("outcome", "Vælg beslutningens udfald; punktet er et beslutningspunkt.".into()));
    }
    let (owner_id, due_on) = match kind {
        EntryKind::Action => {
            let Some(owner) = owner_id.filter(|o| group_people.contains(o)) else {
                return Err(("owner_id", "Vælg en ansvarlig fra gruppen.".into()));
            };
            let Some(due) = due_on else {
                return Err(("due_on", "Skriv en frist for aktionen (dd-mm-åååå).".into()));
            };
            if due < meeting_day {
                return Err(("due_on", "Fristen kan ikke ligge før mødet.".into()));
            }
            (Some(owner), Some(due))
        }
        _ => (None, None),
    };
    Ok(EntryInput { kind, text: text.to_owned(), outcome, owner_id, due_on, change_request_id: None })
}

/// R5, C1: a decision names the change request it decides, with its outcome; nothing else names one.
pub fn deciding(entry: EntryInput, change_request_id: Option<i64>) -> Result<EntryInput, FieldError> {
    let Some(request) = change_request_id else { return Ok(entry) };
    if entry.kind != EntryKind::Decision {
        return Err(("change_request_id", "Kun en beslutning kan gælde et ændringsønske.".into()));
    }
    if entry.outcome.is_none() {
        return Err(("outcome", "Vælg udfaldet af beslutningen om ændringsønsket.".into()));
    }
    Ok(EntryInput { change_request_id: Some(request), ..entry })
}

/// C4: the owner and the secretariat close an open action, as done or dropped.
pub fn may_close_action(status: ActionStatus, is_owner: bool, is_secretariat: bool) -> Result<(), Denied> {
    if !is_owner && !is_secretariat {
        return Err(Denied::NotYours);
    }
    if status != ActionStatus::Open {
        return Err(Denied::Refused(Refusal::new("C4", "Aktionen er allerede lukket.")));
    }
    Ok(())
}

/// C4: an open action is overdue the day after its due date.
pub fn is_overdue(status: ActionStatus, due_on: NaiveDate, today: NaiveDate) -> bool {
    status == ActionStatus::Open && today > due_on
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secretariat_waits_for_active_members_and_the_chair_not_substitutes_or_nominees_r3_r4() {
        assert!(awaited(SeatStatus::Active, GroupRole::Member) && awaited(SeatStatus::Active, GroupRole::Chair));
        assert!(
            !awaited(SeatStatus::Active, GroupRole::Substitute) && !awaited(SeatStatus::Active, GroupRole::Secretariat)
        );
        assert!(!awaited(SeatStatus::Nominated, GroupRole::Member) && !awaited(SeatStatus::Ended, GroupRole::Chair));
    }
    use MinutesStatus::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn win(sent: NaiveDate) -> Window {
        window(&WorkingCalendar::default(), &DeadlineSettings::default(), sent)
    }

    fn facts(today: NaiveDate, sent: NaiveDate, unresolved: usize) -> Facts {
        Facts { today, window: Some(win(sent)), unresolved_comments: unresolved, everyone_answered: false }
    }

    fn rule(r: Result<Option<MinutesStatus>, Denied>) -> &'static str {
        match r {
            Err(Denied::Refused(r)) => r.rule,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn the_comment_window_spans_easter_r3_d1() {
        // Sent Tuesday 23 March 2027; 25, 26, 28, 29 March are closed (Easter): 24, 30, 31 Mar, 1, 2 Apr.
        let w = win(d(2027, 3, 23));
        assert_eq!(w.closes_on, d(2027, 4, 2));
        // R4: five working days after the window: 5, 6, 7, 8, 9 April.
        assert_eq!(w.work_in_by, d(2027, 4, 9));
    }

    #[test]
    fn the_comment_window_spans_24_to_31_december_r3_d1() {
        // Sent Monday 21 December 2026: 22, 23 Dec; 24, 25, 26, 31 Dec and 1 Jan closed; 28, 29, 30 Dec.
        let w = win(d(2026, 12, 21));
        assert_eq!(w.closes_on, d(2026, 12, 30));
        // R4: 4, 5, 6, 7, 8 January 2027 (1 January closed, 2-3 a weekend).
        assert_eq!(w.work_in_by, d(2027, 1, 8));
        // Sent Wednesday 23 December 2026: 28, 29, 30 Dec, 4, 5 Jan.
        assert_eq!(win(d(2026, 12, 23)).closes_on, d(2027, 1, 5));
    }

    #[test]
    fn a_comment_is_taken_up_to_the_last_day_of_the_window_and_refused_after_it_r3() {
        let sent = d(2027, 3, 23);
        let ok = next(Sent, Step::Comment, Actor::Member, facts(d(2027, 4, 2), sent, 0));
        assert_eq!(ok, Ok(Some(Sent)), "on the last day");
        assert_eq!(next(Sent, Step::Comment, Actor::Chair, facts(d(2027, 3, 23), sent, 0)), Ok(Some(Sent)));
        assert_eq!(rule(next(Sent, Step::Comment, Actor::Member, facts(d(2027, 4, 5), sent, 0))), "R3");
        assert_eq!(rule(next(WorkedIn, Step::Comment, Actor::Member, facts(d(2027, 3, 24), sent, 0))), "R3");
        assert_eq!(next(Sent, Step::Comment, Actor::Other, facts(d(2027, 3, 24), sent, 0)), Err(Denied::NotYours));
        assert_eq!(
            next(
                Draft,
                Step::Comment,
                Actor::Member,
                Facts { today: sent, window: None, unresolved_comments: 0, everyone_answered: false }
            ),
            Err(Denied::NotYours),
            "members do not see drafts"
        );
    }

    #[test]
    fn only_the_secretariat_moves_the_minutes_r1_r4() {
        let f = facts(d(2027, 4, 6), d(2027, 3, 23), 0);
        for step in [Step::Edit, Step::Send, Step::Resolve, Step::WorkIn, Step::Approve, Step::Correct] {
            for actor in [Actor::Chair, Actor::Member, Actor::Other] {
                assert_eq!(next(Sent, step, actor, f), Err(Denied::NotYours), "{step:?} by {actor:?}");
            }
        }
    }

    #[test]
    fn the_whole_cycle_and_its_refusals_r2_r3_r4() {
        let sent = d(2027, 3, 23);
        let s = Actor::Secretariat;
        let none = Facts { today: sent, window: None, unresolved_comments: 0, everyone_answered: false };
        assert_eq!(next(Draft, Step::Edit, s, none), Ok(Some(Draft)));
        assert_eq!(next(Draft, Step::Send, s, none), Ok(Some(Sent)));
        assert_eq!(rule(next(Sent, Step::Send, s, facts(sent, sent, 0))), "R2");
        assert_eq!(rule(next(Sent, Step::Approve, s, facts(d(2027, 4, 6), sent, 0))), "R4", "not worked in");
        assert_eq!(rule(next(Draft, Step::Approve, s, none)), "R4");
        assert_eq!(rule(next(Sent, Step::WorkIn, s, facts(d(2027, 4, 2), sent, 0))), "R3", "window still open");
        assert_eq!(rule(next(Sent, Step::WorkIn, s, facts(d(2027, 4, 5), sent, 1))), "R4", "a comment unhandled");
        assert_eq!(next(Sent, Step::Resolve, s, facts(d(2027, 4, 5), sent, 1)), Ok(Some(Sent)));
        assert_eq!(next(Sent, Step::WorkIn, s, facts(d(2027, 4, 5), sent, 0)), Ok(Some(WorkedIn)));
        // R3, R4: everyone has spoken, so the window may close early; an unhandled comment still holds it.
        let all_answered = Facts { everyone_answered: true, ..facts(d(2027, 4, 2), sent, 0) };
        assert_eq!(next(Sent, Step::WorkIn, s, all_answered), Ok(Some(WorkedIn)));
        let unhandled = Facts { everyone_answered: true, ..facts(d(2027, 4, 2), sent, 1) };
        assert_eq!(rule(next(Sent, Step::WorkIn, s, unhandled)), "R4");
        assert_eq!(next(WorkedIn, Step::Edit, s, none), Ok(Some(WorkedIn)));
        assert_eq!(next(WorkedIn, Step::Approve, s, none), Ok(Some(Approved)));
        assert_eq!(next(Approved, Step::Approve, s, none), Ok(None), "a second approval changes nothing");
        assert_eq!(rule(next(Approved, Step::Edit, s, none)), "R4", "approved minutes are read-only");
        assert_eq!(next(Approved, Step::Correct, s, none), Ok(Some(WorkedIn)), "a correction is a new version");
        assert_eq!(rule(next(Sent, Step::Correct, s, none)), "R4");
    }

    #[test]
    fn the_window_waits_for_every_active_member_and_the_chair_who_has_not_spoken_r3_r4() {
        let expected = [(1, "Ane"), (2, "Bo"), (3, "Carl")];
        assert_eq!(waiting_for(expected, &[2]), ["Ane", "Carl"]);
        assert!(waiting_for(expected, &[3, 1, 2, 9]).is_empty());
    }

    #[test]
    fn who_reads_minutes_in_which_status_r3_o5() {
        assert!(can_read(Draft, Actor::Secretariat));
        assert!(!can_read(Draft, Actor::Member) && !can_read(Draft, Actor::Chair));
        assert!(can_read(Sent, Actor::Member) && can_read(WorkedIn, Actor::Chair));
        assert!(!can_read(Sent, Actor::Other) && !can_read(WorkedIn, Actor::Other));
        assert!(can_read(Approved, Actor::Other));
        assert!(!can_read_comments(Actor::Other) && can_read_comments(Actor::Member));
    }

    #[test]
    fn an_entry_needs_its_text_an_action_its_owner_and_a_due_date_not_before_the_meeting_r1_c4() {
        let day = d(2027, 3, 31);
        let people = [7, 8];
        let check = |kind, text, outcome, owner, due, decision_item| {
            let place = EntryPlace { decision_item, meeting_day: day, group_people: &people };
            check_entry(kind, text, outcome, owner, due, place).map_err(|(f, _)| f)
        };
        assert_eq!(check(EntryKind::Decision, "  ", None, None, None, false), Err("text"));
        assert_eq!(check(EntryKind::Decision, "Godkendt", None, None, None, true), Err("outcome"));
        let ok = check(EntryKind::Decision, " Godkendt ", Some(Outcome::Approved), Some(7), None, true);
        assert_eq!(ok.map(|e| (e.text, e.owner_id)), Ok(("Godkendt".to_owned(), None)));
        assert_eq!(check(EntryKind::Action, "Gør det", None, None, Some(day), false), Err("owner_id"));
        assert_eq!(check(EntryKind::Action, "Gør det", None, Some(99), Some(day), false), Err("owner_id"));
        assert_eq!(check(EntryKind::Action, "Gør det", None, Some(7), None, false), Err("due_on"));
        assert_eq!(check(EntryKind::Action, "Gør det", None, Some(7), Some(d(2027, 3, 30)), false), Err("due_on"));
        assert!(check(EntryKind::Action, "Gør det", None, Some(7), Some(day), false).is_ok(), "on the meeting day");
        let decision = check(EntryKind::Decision, "Ønsket godkendes", Some(Outcome::Approved), None, None, true);
        let linked = deciding(decision.clone().expect("checked"), Some(12)).map_err(|(f, _)| f);
        assert_eq!(linked.map(|e| e.change_request_id), Ok(Some(12)), "R5: a decision names its request");
        let agreement = check(EntryKind::Agreement, "Vi følger op", None, None, None, false).expect("checked");
        assert_eq!(deciding(agreement, Some(12)).map_err(|(f, _)| f), Err("change_request_id"));
        let open = check(EntryKind::Decision, "Drøftet", None, None, None, false).expect("checked");
        assert_eq!(deciding(open, Some(12)).map_err(|(f, _)| f), Err("outcome"));
        let agreement = check(EntryKind::Agreement, "Næste møde i Aarhus", Some(Outcome::Noted), Some(7), None, false);
        assert_eq!(agreement.map(|e| (e.outcome, e.owner_id)), Ok((None, None)));
    }

    #[test]
    fn the_owner_or_the_secretariat_closes_an_open_action_c4() {
        assert_eq!(may_close_action(ActionStatus::Open, true, false), Ok(()));
        assert_eq!(may_close_action(ActionStatus::Open, false, true), Ok(()));
        assert_eq!(may_close_action(ActionStatus::Open, false, false), Err(Denied::NotYours));
        assert!(matches!(may_close_action(ActionStatus::Done, true, false), Err(Denied::Refused(r)) if r.rule == "C4"));
        assert!(is_overdue(ActionStatus::Open, d(2027, 4, 1), d(2027, 4, 2)));
        assert!(!is_overdue(ActionStatus::Open, d(2027, 4, 1), d(2027, 4, 1)));
        assert!(!is_overdue(ActionStatus::Done, d(2027, 4, 1), d(2027, 4, 9)));
        assert_eq!(ActionStatus::parse("dropped").map(ActionStatus::label), Some("Droppet"));
    }
}
