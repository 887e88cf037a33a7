//! The agenda's way from draft to published (A1, A2), and who may read it on the way.
//!
//! A1: the secretariat drafts the agenda and sends it to the chair, who comments on it and approves
//! it before it goes out. A2: the secretariat publishes it in the group's room and sends it to the
//! participants; nothing goes out unapproved, and a published agenda is final.
//!
//! | from          | action          | by          | to            |
//! |---------------|-----------------|-------------|---------------|
//! | draft         | edit            | secretariat | draft         |
//! | draft         | send to chair   | secretariat | sent_to_chair |
//! | sent_to_chair | comment         | chair       | sent_to_chair |
//! | sent_to_chair | approve         | chair       | approved      |
//! | sent_to_chair | return to draft | secretariat | draft         |
//! | approved      | return to draft | secretariat | draft         |
//! | approved      | publish         | secretariat | published     |
//!
//! Everything else is refused. Who may take an action is checked before the agenda's status, so a
//! refusal never tells someone about an agenda they may not read.

use serde::Serialize;

/// Where the agenda is in A1-A2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum AgendaStatus {
    /// The secretariat is writing it (A1).
    Draft,
    /// The chair has it for comments and approval (A1).
    SentToChair,
    /// The chair has approved it; it may go out (A1).
    Approved,
    /// In the group's room and sent to the participants (A2); final.
    Published,
}

impl AgendaStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "sent_to_chair" => Some(Self::SentToChair),
            "approved" => Some(Self::Approved),
            "published" => Some(Self::Published),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::SentToChair => "sent_to_chair",
            Self::Approved => "approved",
            Self::Published => "published",
        }
    }

    /// The status as the users read it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Kladde",
            Self::SentToChair => "Til kommentering hos forpersonen",
            Self::Approved => "Godkendt af forpersonen",
            Self::Published => "Offentliggjort",
        }
    }

    /// How a list of meetings names where a meeting's agenda is (none yet, or its status).
    pub fn summary(status: Option<AgendaStatus>) -> &'static str {
        match status {
            None => "Ingen dagsorden endnu",
            Some(Self::Draft) => "Dagsorden i kladde",
            Some(Self::SentToChair) => "Dagsorden hos forpersonen",
            Some(Self::Approved) => "Dagsorden godkendt",
            Some(Self::Published) => "Dagsorden udsendt",
        }
    }
}

/// Who acts on (or reads) this group's agenda, by their role in the group. A substitute counts as a
/// member; `Other` is anyone without a role in the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Secretariat,
    Chair,
    Member,
    Other,
}

/// What someone tries to do with the agenda (A1, A2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgendaAction {
    /// A1: the secretariat sends its draft to the chair for comments.
    SendToChair,
    /// A1: the chair comments on the draft.
    Comment,
    /// A1: the chair approves the agenda.
    Approve,
    /// A1: the secretariat takes the agenda back to work on it; a new approval is then needed.
    ReturnToDraft,
    /// A2: the secretariat publishes the approved agenda and sends it to the participants.
    Publish,
    /// A1: the secretariat adds, changes or removes items.
    Edit,
}

pub use super::refusal::Refusal;

fn refuse(rule: &'static str, message: &str) -> Result<AgendaStatus, Refusal> {
    Err(Refusal { rule, message: message.to_string() })
}

/// A1: the chair's comments are a conversation between the chair and the secretariat; members and
/// substitutes never read them, whatever the agenda's status.
pub fn may_read_chair_comments(actor: Actor) -> bool {
    matches!(actor, Actor::Secretariat | Actor::Chair)
}

/// The status after `actor` takes `action` on an agenda in `current` (A1, A2), or why not.
pub fn next_status(current: AgendaStatus, action: AgendaAction, actor: Actor) -> Result<AgendaStatus, Refusal> {
    use AgendaAction as Do;
    use AgendaStatus as S;

    // Who may take the action at all (A1, A2).
    let (allowed, rule, who) = match action {
        Do::Edit => (Actor::Secretariat, "A1", "Kun sekretariatet kan redigere dagsordenens punkter (A1)."),
        Do::SendToChair => (Actor::Secretariat, "A1", "Kun sekretariatet kan sende dagsordenen til forpersonen (A1)."),
        Do::Comment => (Actor::Chair, "A1", "Kun forpersonen kan kommentere udkastet til dagsorden (A1)."),
        Do::Approve => (Actor::Chair, "A1", "Kun forpersonen kan godkende dagsordenen (A1)."),
        Do::ReturnToDraft => {
            (Actor::Secretariat, "A1", "Kun sekretariatet kan tage dagsordenen tilbage til kladde (A1).")
        }
        Do::Publish => {
            (Actor::Secretariat, "A2", "Kun sekretariatet kan offentliggøre dagsordenen og sende den ud (A2).")
        }
    };
    if actor != allowed {
        return refuse(rule, who);
    }

    match (current, action) {
        // A2: what has gone out stays as it went out.
        (S::Published, Do::Publish) => refuse("A2", "Dagsordenen er allerede offentliggjort (A2)."),
        (S::Published, _) => refuse("A2", "Dagsordenen er offentliggjort og kan ikke længere ændres (A2)."),

        (S::Draft, Do::Edit) => Ok(S::Draft),
        (S::SentToChair, Do::Edit) => refuse(
            "A1",
            "Dagsordenen ligger hos forpersonen til kommentering. \
             Tag den tilbage til kladde, før du retter i den (A1).",
        ),
        (S::Approved, Do::Edit) => refuse(
            "A1",
            "Dagsordenen er godkendt. Tag den tilbage til kladde for at rette i den; \
             så skal forpersonen godkende den igen (A1).",
        ),

        (S::Draft, Do::SendToChair) => Ok(S::SentToChair),
        (S::SentToChair, Do::SendToChair) => refuse("A1", "Dagsordenen er allerede sendt til forpersonen (A1)."),
        (S::Approved, Do::SendToChair) => refuse("A1", "Forpersonen har allerede godkendt dagsordenen (A1)."),

        (S::Draft, Do::Comment | Do::Approve) => {
            refuse("A1", "Sekretariatet har endnu ikke sendt dagsordenen til forpersonen (A1).")
        }
        (S::SentToChair, Do::Comment) => Ok(S::SentToChair),
        (S::SentToChair, Do::Approve) => Ok(S::Approved),
        (S::Approved, Do::Comment) => refuse(
            "A1",
            "Dagsordenen er allerede godkendt. \
             Bed sekretariatet tage den tilbage til kladde, hvis den skal ændres (A1).",
        ),
        (S::Approved, Do::Approve) => refuse("A1", "Dagsordenen er allerede godkendt (A1)."),

        (S::Draft, Do::ReturnToDraft) => refuse("A1", "Dagsordenen er allerede en kladde (A1)."),
        (S::SentToChair | S::Approved, Do::ReturnToDraft) => Ok(S::Draft),

        (S::Draft | S::SentToChair, Do::Publish) => {
            refuse("A1", "Forpersonen skal godkende dagsordenen, før den kan offentliggøres og sendes ud (A1).")
        }
        (S::Approved, Do::Publish) => Ok(S::Published),
    }
}

/// A4: whether `actor` may change the order of the items and their times in `status`: the
/// secretariat while it drafts, the chair while the draft is with them for comments. Once approved,
/// order and times are what the chair approved; to change them, the agenda goes back to draft (A1).
pub fn may_reorder(status: AgendaStatus, actor: Actor) -> bool {
    matches!((status, actor), (AgendaStatus::Draft, Actor::Secretariat) | (AgendaStatus::SentToChair, Actor::Chair))
}

/// Whether `actor` may read an agenda in `status` (A1, A2): the secretariat always, the chair once it
/// has been sent to them, members and substitutes once it is published. Anyone else reads no agenda
/// of the group here.
pub fn can_read(status: AgendaStatus, actor: Actor) -> bool {
    match actor {
        Actor::Secretariat => true,
        Actor::Chair => status != AgendaStatus::Draft,
        Actor::Member => status == AgendaStatus::Published,
        Actor::Other => false,
    }
}

/// T7 with A1, A2: a meeting's attachments go with its agenda, so they are read by whoever may read the
/// agenda; before there is an agenda, only the secretariat sees them.
pub fn can_read_attachments(agenda: Option<AgendaStatus>, actor: Actor) -> bool {
    agenda.is_some_and(|status| can_read(status, actor)) || actor == Actor::Secretariat
}

#[cfg(test)]
mod tests {
    use super::AgendaAction as Do;
    use super::AgendaStatus as S;
    use super::*;

    #[test]
    fn only_the_chair_and_the_secretariat_read_the_chairs_comments_a1() {
        assert!(may_read_chair_comments(Actor::Chair) && may_read_chair_comments(Actor::Secretariat));
        assert!(!may_read_chair_comments(Actor::Member) && !may_read_chair_comments(Actor::Other));
    }

    const STATUSES: [AgendaStatus; 4] = [S::Draft, S::SentToChair, S::Approved, S::Published];
    const ACTIONS: [AgendaAction; 6] =
        [Do::SendToChair, Do::Comment, Do::Approve, Do::ReturnToDraft, Do::Publish, Do::Edit];
    const ACTORS: [Actor; 4] = [Actor::Secretariat, Actor::Chair, Actor::Member, Actor::Other];

    /// An expected outcome: the new status, or the rule a refusal cites.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Want {
        To(AgendaStatus),
        No(&'static str),
    }
    use Want::{No, To};

    const A1: Want = No("A1");
    const A2: Want = No("A2");

    /// Every status × action, with the outcome for secretariat, chair, member, other.
    const TABLE: [(AgendaStatus, AgendaAction, [Want; 4]); 24] = [
        (S::Draft, Do::SendToChair, [To(S::SentToChair), A1, A1, A1]),
        (S::Draft, Do::Comment, [A1, A1, A1, A1]),
        (S::Draft, Do::Approve, [A1, A1, A1, A1]),
        (S::Draft, Do::ReturnToDraft, [A1, A1, A1, A1]),
        (S::Draft, Do::Publish, [A1, A2, A2, A2]),
        (S::Draft, Do::Edit, [To(S::Draft), A1, A1, A1]),
        (S::SentToChair, Do::SendToChair, [A1, A1, A1, A1]),
        (S::SentToChair, Do::Comment, [A1, To(S::SentToChair), A1, A1]),
        (S::SentToChair, Do::Approve, [A1, To(S::Approved), A1, A1]),
        (S::SentToChair, Do::ReturnToDraft, [To(S::Draft), A1, A1, A1]),
        (S::SentToChair, Do::Publish, [A1, A2, A2, A2]),
        (S::SentToChair, Do::Edit, [A1, A1, A1, A1]),
        (S::Approved, Do::SendToChair, [A1, A1, A1, A1]),
        (S::Approved, Do::Comment, [A1, A1, A1, A1]),
        (S::Approved, Do::Approve, [A1, A1, A1, A1]),
        (S::Approved, Do::ReturnToDraft, [To(S::Draft), A1, A1, A1]),
        (S::Approved, Do::Publish, [To(S::Published), A2, A2, A2]),
        (S::Approved, Do::Edit, [A1, A1, A1, A1]),
        (S::Published, Do::SendToChair, [A2, A1, A1, A1]),
        (S::Published, Do::Comment, [A1, A2, A1, A1]),
        (S::Published, Do::Approve, [A1, A2, A1, A1]),
        (S::Published, Do::ReturnToDraft, [A2, A1, A1, A1]),
        (S::Published, Do::Publish, [A2, A2, A2, A2]),
        (S::Published, Do::Edit, [A2, A1, A1, A1]),
    ];

    #[test]
    fn table_covers_every_status_and_action_once() {
        for status in STATUSES {
            for action in ACTIONS {
                let rows = TABLE.iter().filter(|(s, a, _)| *s == status && *a == action).count();
                assert_eq!(rows, 1, "{status:?} × {action:?}");
            }
        }
    }

    #[test]
    fn every_status_action_and_actor_a1_a2() {
        let mut checked = 0;
        for (status, action, outcomes) in TABLE {
            for (actor, want) in ACTORS.into_iter().zip(outcomes) {
                let got = next_status(status, action, actor);
                match (want, &got) {
                    (To(to), Ok(s)) => assert_eq!(*s, to, "{status:?} × {action:?} × {actor:?}"),
                    (No(rule), Err(refusal)) => {
                        assert_eq!(refusal.rule, rule, "{status:?} × {action:?} × {actor:?}: {}", refusal.message);
                        assert!(
                            refusal.message.ends_with(&format!("({rule}).")),
                            "the message cites its rule: {}",
                            refusal.message
                        );
                    }
                    _ => panic!("{status:?} × {action:?} × {actor:?}: expected {want:?}, got {got:?}"),
                }
                checked += 1;
            }
        }
        assert_eq!(checked, STATUSES.len() * ACTIONS.len() * ACTORS.len());
    }

    #[test]
    fn exactly_seven_transitions_are_allowed() {
        let allowed = STATUSES
            .into_iter()
            .flat_map(|s| ACTIONS.into_iter().flat_map(move |a| ACTORS.into_iter().map(move |r| (s, a, r))))
            .filter(|&(s, a, r)| next_status(s, a, r).is_ok())
            .count();
        assert_eq!(allowed, 7);
    }

    #[test]
    fn nothing_reaches_published_without_the_chairs_approval_a1() {
        for action in ACTIONS {
            for actor in ACTORS {
                for from in [S::Draft, S::SentToChair] {
                    assert_ne!(next_status(from, action, actor), Ok(S::Published));
                }
            }
        }
        let sent = next_status(S::Draft, Do::SendToChair, Actor::Secretariat).unwrap();
        let approved = next_status(sent, Do::Approve, Actor::Chair).unwrap();
        assert_eq!(next_status(approved, Do::Publish, Actor::Secretariat), Ok(S::Published));
    }

    #[test]
    fn refusals_say_why_in_danish() {
        let refusal = next_status(S::SentToChair, Do::Publish, Actor::Secretariat).unwrap_err();
        assert_eq!(
            refusal.message,
            "Forpersonen skal godkende dagsordenen, før den kan offentliggøres og sendes ud (A1)."
        );
        let refusal = next_status(S::Approved, Do::Approve, Actor::Secretariat).unwrap_err();
        assert_eq!(refusal.message, "Kun forpersonen kan godkende dagsordenen (A1).");
        let refusal = next_status(S::Published, Do::Edit, Actor::Secretariat).unwrap_err();
        assert_eq!(
            refusal,
            Refusal { rule: "A2", message: "Dagsordenen er offentliggjort og kan ikke længere ændres (A2).".into() }
        );
        let refusal = next_status(S::Approved, Do::Publish, Actor::Chair).unwrap_err();
        assert_eq!(refusal.message, "Kun sekretariatet kan offentliggøre dagsordenen og sende den ud (A2).");
        let refusal = next_status(S::SentToChair, Do::Edit, Actor::Secretariat).unwrap_err();
        assert!(refusal.message.contains("tilbage til kladde"));
    }

    #[test]
    fn who_may_act_is_checked_before_the_status() {
        // A member learns nothing about an agenda they may not read yet.
        for status in STATUSES {
            let refusal = next_status(status, Do::Approve, Actor::Member).unwrap_err();
            assert_eq!(refusal.message, "Kun forpersonen kan godkende dagsordenen (A1).");
        }
    }

    #[test]
    fn who_reads_what() {
        let table = [
            // secretariat, chair, member, other
            (S::Draft, [true, false, false, false]),
            (S::SentToChair, [true, true, false, false]),
            (S::Approved, [true, true, false, false]),
            (S::Published, [true, true, true, false]),
        ];
        for (status, expected) in table {
            for (actor, want) in ACTORS.into_iter().zip(expected) {
                assert_eq!(can_read(status, actor), want, "{status:?} × {actor:?}");
            }
        }
    }

    #[test]
    fn who_reorders_when_a4() {
        let table = [
            // secretariat, chair, member, other
            (S::Draft, [true, false, false, false]),
            (S::SentToChair, [false, true, false, false]),
            (S::Approved, [false, false, false, false]),
            (S::Published, [false, false, false, false]),
        ];
        for (status, expected) in table {
            for (actor, want) in ACTORS.into_iter().zip(expected) {
                assert_eq!(may_reorder(status, actor), want, "{status:?} × {actor:?}");
                if want {
                    assert!(can_read(status, actor), "whoever reorders can read the agenda");
                }
            }
        }
    }

    #[test]
    fn status_codes_round_trip() {
        for status in STATUSES {
            assert_eq!(AgendaStatus::parse(status.as_str()), Some(status));
            assert!(!status.label().is_empty());
        }
        assert_eq!(S::SentToChair.as_str(), "sent_to_chair");
        assert_eq!(AgendaStatus::parse("Draft"), None);
        assert_eq!(AgendaStatus::parse(""), None);
    }

    #[test]
    fn attachments_follow_the_agenda_they_belong_to_t7_a1_a2() {
        for status in [S::Draft, S::SentToChair, S::Approved, S::Published] {
            for actor in ACTORS {
                assert_eq!(
                    can_read_attachments(Some(status), actor),
                    can_read(status, actor),
                    "{status:?} × {actor:?}"
                );
            }
        }
        assert!(can_read_attachments(None, Actor::Secretariat));
        for actor in [Actor::Chair, Actor::Member, Actor::Other] {
            assert!(!can_read_attachments(None, actor), "no agenda yet: {actor:?} sees no attachments");
        }
        assert!(!can_read_attachments(Some(S::Approved), Actor::Member), "approved is not yet published (A2)");
    }
}

/// A5: a decision item names the person responsible for it.
pub fn check_decision_item(is_decision: bool, has_responsible: bool) -> Result<(), Refusal> {
    if is_decision && !has_responsible {
        return Err(Refusal { rule: "A5", message: "Et beslutningspunkt skal have en ansvarlig person (A5).".into() });
    }
    Ok(())
}

#[cfg(test)]
mod decision_item_tests {
    use super::check_decision_item;

    #[test]
    fn a_decision_item_needs_a_responsible_person_a5() {
        assert!(check_decision_item(false, false).is_ok());
        assert!(check_decision_item(true, true).is_ok());
        assert_eq!(check_decision_item(true, false).map_err(|r| r.rule), Err("A5"));
    }
}
