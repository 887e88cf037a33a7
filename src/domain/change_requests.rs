//! Change requests (C1, C2): the status workflow, priorities and the reference numbers.

use crate::domain::refusal::Refusal;

/// C1: a change request's status. The workflow only moves forward: idea -> described -> ready for
/// decision -> approved / rejected; approved -> in development -> delivered -> evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Idea,
    Described,
    ReadyForDecision,
    Approved,
    Rejected,
    InDevelopment,
    Delivered,
    Evaluated,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Idea,
        Status::Described,
        Status::ReadyForDecision,
        Status::Approved,
        Status::Rejected,
        Status::InDevelopment,
        Status::Delivered,
        Status::Evaluated,
    ];

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Idea => "idea",
            Status::Described => "described",
            Status::ReadyForDecision => "ready_for_decision",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::InDevelopment => "in_development",
            Status::Delivered => "delivered",
            Status::Evaluated => "evaluated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Idea => "Idé",
            Status::Described => "Beskrevet",
            Status::ReadyForDecision => "Klar til beslutning",
            Status::Approved => "Godkendt",
            Status::Rejected => "Afvist",
            Status::InDevelopment => "I udvikling",
            Status::Delivered => "Leveret",
            Status::Evaluated => "Evalueret",
        }
    }

    /// The steps the rule allows from here (C1): only forward, one step at a time.
    pub fn next(self) -> &'static [Status] {
        match self {
            Status::Idea => &[Status::Described],
            Status::Described => &[Status::ReadyForDecision],
            Status::ReadyForDecision => &[Status::Approved, Status::Rejected],
            Status::Approved => &[Status::InDevelopment],
            Status::InDevelopment => &[Status::Delivered],
            Status::Delivered => &[Status::Evaluated],
            Status::Rejected | Status::Evaluated => &[],
        }
    }
}

/// Who asks to move a change request on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stepper {
    /// The secretariat keeps the register (R5) and moves requests through the workflow.
    Secretariat,
    /// A member of the group: may propose an idea, not move it on.
    Member,
    Other,
}

/// C1: the one rule for a status step. Only the secretariat moves a request, and only one step forward
/// along the workflow; anything else is refused with the rule named.
pub fn step(from: Status, to: Status, who: Stepper) -> Result<Status, Refusal> {
    if who != Stepper::Secretariat {
        return Err(Refusal::new("C1", "Kun Sekretariatet kan flytte et ændringsønske videre i forløbet."));
    }
    if from.next().contains(&to) {
        return Ok(to);
    }
    let allowed = from.next().iter().map(|s| s.label()).collect::<Vec<_>>().join(" eller ");
    let message = if allowed.is_empty() {
        format!("Et ændringsønske med status «{}» kan ikke flyttes videre.", from.label())
    } else {
        format!("Fra «{}» kan ændringsønsket kun gå til {allowed}, ikke til «{}».", from.label(), to.label())
    };
    Err(Refusal::new("C1", message))
}

/// C1: a change request's priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    High,
    Medium,
    Low,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::High, Priority::Medium, Priority::Low];

    pub fn parse(s: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Priority::High => "Høj",
            Priority::Medium => "Middel",
            Priority::Low => "Lav",
        }
    }
}

/// The prefix of every reference of a year: `ÆØ-2026-`.
pub fn reference_prefix(year: i32) -> String {
    format!("ÆØ-{year}-")
}

/// C1: the reference of the `number`-th change request of a year, as the register writes it (ÆØ-2026-013).
pub fn reference(year: i32, number: u32) -> String {
    format!("{}{number:03}", reference_prefix(year))
}

/// The number after the highest one used in a year, given the year's references.
pub fn next_number<'a>(year: i32, references: impl IntoIterator<Item = &'a str>) -> u32 {
    let prefix = reference_prefix(year);
    references.into_iter().filter_map(|r| r.strip_prefix(prefix.as_str())?.parse::<u32>().ok()).max().unwrap_or(0) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_forward_step_of_the_workflow_is_allowed_to_the_secretariat_c1() {
        use Status::*;
        let path = [
            (Idea, Described),
            (Described, ReadyForDecision),
            (ReadyForDecision, Approved),
            (ReadyForDecision, Rejected),
            (Approved, InDevelopment),
            (InDevelopment, Delivered),
            (Delivered, Evaluated),
        ];
        for (from, to) in path {
            assert_eq!(step(from, to, Stepper::Secretariat), Ok(to), "{from:?} -> {to:?}");
        }
        let allowed: usize = Status::ALL.iter().map(|s| s.next().len()).sum();
        assert_eq!(allowed, path.len(), "no other step exists");
    }

    #[test]
    fn backward_skipping_and_sideways_steps_are_refused_naming_c1() {
        use Status::*;
        for from in Status::ALL {
            for to in Status::ALL {
                if from.next().contains(&to) {
                    continue;
                }
                let refusal = step(from, to, Stepper::Secretariat).unwrap_err();
                assert_eq!(refusal.rule, "C1", "{from:?} -> {to:?}");
            }
        }
        assert!(step(Idea, Approved, Stepper::Secretariat).unwrap_err().message.contains("Beskrevet"));
        assert!(step(Rejected, InDevelopment, Stepper::Secretariat).unwrap_err().message.contains("kan ikke"));
    }

    #[test]
    fn members_and_others_may_not_move_a_request_c1() {
        for who in [Stepper::Member, Stepper::Other] {
            let refusal = step(Status::Idea, Status::Described, who).unwrap_err();
            assert_eq!(refusal.rule, "C1");
            assert!(refusal.message.contains("Sekretariatet"));
        }
    }

    #[test]
    fn statuses_and_priorities_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert!(!s.label().is_empty());
        }
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.as_str()), Some(p));
        }
        assert_eq!(Status::parse("IDEA"), None);
        assert_eq!(Priority::parse(""), None);
    }

    #[test]
    fn references_count_per_year_with_three_digits_c1() {
        assert_eq!(reference(2026, 13), "ÆØ-2026-013");
        assert_eq!(reference(2026, 1234), "ÆØ-2026-1234");
        let existing = ["ÆØ-2026-001", "ÆØ-2026-013", "ÆØ-2025-017", "ÆØ-2026-x", "noget andet"];
        assert_eq!(next_number(2026, existing), 14);
        assert_eq!(next_number(2025, existing), 18);
        assert_eq!(next_number(2027, existing), 1, "a new year starts at 1");
    }
}
