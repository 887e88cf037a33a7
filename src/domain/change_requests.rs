//! Change requests (C1, C2): the status workflow, priorities and the reference numbers.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::input;
use crate::domain::minutes::Outcome;
use crate::domain::refusal::Refusal;

/// C1: a change request's status. The workflow only moves forward: idea -> described -> ready for
/// decision -> approved / rejected; approved -> in development -> delivered -> evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
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

    /// What the person who proposed the request can expect now that it has this status (C1): what the
    /// mail telling them of the step says comes next.
    pub fn what_next(self) -> &'static str {
        match self {
            Status::Idea => "Sekretariatet ser på idéen og beskriver den sammen med dig, hvis der mangler noget.",
            Status::Described => {
                "Sekretariatet gør ændringsønsket klar til beslutning med forretningsbehov, værdi og hvem det gavner."
            }
            Status::ReadyForDecision => "Ændringsønsket kommer på dagsordenen til gruppens beslutning.",
            Status::Approved => "Ændringsønsket er godkendt og venter på at blive udviklet.",
            Status::Rejected => "Ændringsønsket er afvist. Begrundelsen står i ændringsønskets historik.",
            Status::InDevelopment => "Leverandøren udvikler ændringen. Du hører fra os, når den er leveret.",
            Status::Delivered => {
                "Ændringen er leveret. Giv gerne sekretariatet besked om, hvordan den virker, til evalueringen."
            }
            Status::Evaluated => "Ændringen er evalueret, og læringen er skrevet ind. Forløbet er afsluttet.",
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

/// C1: a request goes to a decision only with its value stated: what the point is (the business need),
/// what good it does, and for whom.
pub fn value_documented(business_need: &str, value: &str, beneficiaries: &str) -> Result<(), Refusal> {
    let missing: Vec<&str> =
        [(business_need, "forretningsbehovet"), (value, "værdien"), (beneficiaries, "hvem den gavner")]
            .into_iter()
            .filter(|(text, _)| text.trim().is_empty())
            .map(|(_, name)| name)
            .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Refusal::new(
        "C1",
        format!("Ændringsønsket kan først blive klar til beslutning, når det beskriver {} (C1).", missing.join(" og ")),
    ))
}

/// R5, C1: what a decision in the minutes does to the change request it names. Approving or rejecting
/// is the C1 step from "ready for decision"; postponing leaves the status where it is (the decision
/// still lands in the request's history) and is open to a request not yet decided. Anything else is
/// refused with C1 named, when the decision is written, and again when the minutes are approved.
pub fn decided(status: Status, outcome: Outcome) -> Result<Option<Status>, Refusal> {
    let to = match outcome {
        Outcome::Approved => Status::Approved,
        Outcome::Rejected => Status::Rejected,
        Outcome::Postponed if matches!(status, Status::Idea | Status::Described | Status::ReadyForDecision) => {
            return Ok(None);
        }
        Outcome::Postponed => {
            return Err(Refusal::new(
                "C1",
                format!(
                    "Ændringsønsket har status «{}» og er allerede besluttet; det kan ikke udsættes.",
                    status.label()
                ),
            ));
        }
        Outcome::Noted => {
            return Err(Refusal::new("C1", "En beslutning om et ændringsønske er godkendt, afvist eller udsat."));
        }
    };
    if status != Status::ReadyForDecision {
        return Err(Refusal::new(
            "C1",
            format!(
                "Ændringsønsket har status «{}». Kun et ønske, der er «Klar til beslutning», kan {}.",
                status.label(),
                if to == Status::Approved { "godkendes" } else { "afvises" }
            ),
        ));
    }
    Ok(Some(to))
}

/// C1: a change request's priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
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

/// A7: why a change request is on an agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum AgendaPurpose {
    /// A4 item 1.2: Ændringsønsker til godkendelse.
    Decision,
    /// A4 item 1.3: Ændringsønsker til drøftelse.
    Discussion,
}

impl AgendaPurpose {
    pub const ALL: [AgendaPurpose; 2] = [AgendaPurpose::Decision, AgendaPurpose::Discussion];

    pub fn parse(s: &str) -> Option<AgendaPurpose> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Decision => "decision",
            Self::Discussion => "discussion",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Decision => "Til beslutning",
            Self::Discussion => "Til drøftelse",
        }
    }
}

/// A7: why a request selected for an agenda is not ready, if it is not: the secretariat's note against
/// last meeting's agreements, or, for a decision, a status that is not yet ready for decision.
pub fn not_ready(purpose: AgendaPurpose, status: Status, note: &str) -> Option<String> {
    let note = note.trim();
    if !note.is_empty() {
        return Some(note.to_owned());
    }
    (purpose == AgendaPurpose::Decision && status != Status::ReadyForDecision)
        .then(|| format!("Står til beslutning, men har status «{}», ikke «Klar til beslutning».", status.label()))
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

/// C1: what a person may write about a request, parsed. A member's proposal carries only the first five.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestInput {
    pub title: String,
    pub business_need: String,
    pub value: String,
    pub beneficiaries: String,
    pub priority: Priority,
    pub initiative_id: Option<i64>,
    pub vendor_estimate: String,
    pub cost: Option<Decimal>,
    pub learning: String,
    pub not_ready_note: String,
}

/// C1: a request as typed, in a form or in an API body: every field a text, parsed by [`RequestDraft::parse`]
/// into a [`RequestInput`] or the Danish message per invalid field. The form and the API share it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RequestDraft {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub business_need: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub beneficiaries: String,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub initiative_id: String,
    #[serde(default)]
    pub vendor_estimate: String,
    #[serde(default)]
    pub cost: String,
    #[serde(default)]
    pub learning: String,
    #[serde(default)]
    pub not_ready_note: String,
}

/// The Danish message per invalid field, in the order the fields appear.
pub type FieldProblems = Vec<(&'static str, String)>;

impl RequestDraft {
    /// The input, or what is wrong; `full` reads the secretariat's fields too (a member proposes with the
    /// first five and the priority).
    pub fn parse(&self, full: bool) -> Result<RequestInput, FieldProblems> {
        let mut e: FieldProblems = Vec::new();
        let add = |e: &mut FieldProblems, field: &'static str, m: String| {
            if !e.iter().any(|(f, _)| *f == field) {
                e.push((field, m));
            }
        };
        let title = input::one_line(&self.title, 200).map_err(|m| add(&mut e, "title", m.into())).unwrap_or_default();
        if title.is_empty() {
            add(&mut e, "title", "Giv ændringsønsket en titel.".into());
        }
        let text = |e: &mut FieldProblems, field: &'static str, value: &str, max: usize| {
            input::text(value, max).map_err(|m| add(e, field, m.into())).unwrap_or_default()
        };
        let business_need = text(&mut e, "business_need", &self.business_need, 4000);
        let value = text(&mut e, "value", &self.value, 4000);
        let beneficiaries = text(&mut e, "beneficiaries", &self.beneficiaries, 1000);
        let (learning, not_ready_note) = if full {
            (text(&mut e, "learning", &self.learning, 4000), text(&mut e, "not_ready_note", &self.not_ready_note, 2000))
        } else {
            Default::default()
        };
        let priority = Priority::parse(self.priority.trim());
        if priority.is_none() {
            add(&mut e, "priority", "Vælg en prioritet: low, medium eller high (Lav, Middel eller Høj).".into());
        }
        let mut parsed = RequestInput {
            title,
            business_need,
            value,
            beneficiaries,
            priority: priority.unwrap_or(Priority::Medium),
            initiative_id: None,
            vendor_estimate: String::new(),
            cost: None,
            learning,
            not_ready_note,
        };
        if full {
            parsed.vendor_estimate = input::one_line(&self.vendor_estimate, 200)
                .map_err(|m| add(&mut e, "vendor_estimate", m.into()))
                .unwrap_or_default();
            parsed.initiative_id = match self.initiative_id.trim() {
                "" => None,
                s => s
                    .parse::<i64>()
                    .map_err(|_| add(&mut e, "initiative_id", "Vælg et initiativ fra listen.".into()))
                    .ok(),
            };
            parsed.cost = match self.cost.trim() {
                "" => None,
                s => input::amount(s).or_else(|| {
                    add(
                        &mut e,
                        "cost",
                        "Skriv omkostningen i kroner som et tal mellem 0 og 1.000.000.000 (højst to decimaler).".into(),
                    );
                    None
                }),
            };
        }
        if e.is_empty() { Ok(parsed) } else { Err(e) }
    }

    /// The draft that shows a stored request in the edit form.
    pub fn of(c: &RequestInput) -> RequestDraft {
        RequestDraft {
            title: c.title.clone(),
            business_need: c.business_need.clone(),
            value: c.value.clone(),
            beneficiaries: c.beneficiaries.clone(),
            priority: c.priority.as_str().into(),
            initiative_id: c.initiative_id.map(|i| i.to_string()).unwrap_or_default(),
            vendor_estimate: c.vendor_estimate.clone(),
            cost: c.cost.map(|d| d.to_string().replace('.', ",")).unwrap_or_default(),
            learning: c.learning.clone(),
            not_ready_note: c.not_ready_note.clone(),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_request_reaches_a_decision_only_with_its_value_stated_c1() {
        assert!(value_documented("Hurtigere sagsbehandling", "Sparer 200 timer", "Kommunerne").is_ok());
        let refusal = value_documented("Hurtigere sagsbehandling", " ", "").unwrap_err();
        assert_eq!(refusal.rule, "C1");
        assert!(refusal.message.contains("værdien og hvem den gavner"), "{}", refusal.message);
    }
    use super::*;

    #[test]
    fn a_decision_in_the_minutes_approves_or_rejects_only_a_request_ready_for_decision_r5_c1() {
        assert_eq!(decided(Status::ReadyForDecision, Outcome::Approved), Ok(Some(Status::Approved)));
        assert_eq!(decided(Status::ReadyForDecision, Outcome::Rejected), Ok(Some(Status::Rejected)));
        assert_eq!(decided(Status::Described, Outcome::Postponed), Ok(None));
        assert_eq!(decided(Status::ReadyForDecision, Outcome::Postponed), Ok(None));
        for (status, outcome) in [
            (Status::Described, Outcome::Approved),
            (Status::Idea, Outcome::Rejected),
            (Status::Approved, Outcome::Approved),
            (Status::Approved, Outcome::Postponed),
            (Status::ReadyForDecision, Outcome::Noted),
        ] {
            let refusal = decided(status, outcome).expect_err("refused");
            assert_eq!(refusal.rule, "C1", "{status:?} {outcome:?}");
        }
    }

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
    #[test]
    fn a_proposal_needs_a_title_and_a_priority_c1() {
        let draft = RequestDraft { title: "  ".into(), priority: "urgent".into(), ..Default::default() };
        let problems = draft.parse(false).unwrap_err();
        assert!(problems.iter().any(|(f, _)| *f == "title"));
        assert!(problems.iter().any(|(f, _)| *f == "priority"));
        let draft = RequestDraft {
            title: "Eksport".into(),
            priority: "high".into(),
            cost: "not a number".into(),
            ..Default::default()
        };
        assert_eq!(draft.parse(false).map(|i| i.priority), Ok(Priority::High), "a proposal ignores the rest");
        assert!(draft.parse(true).unwrap_err().iter().any(|(f, _)| *f == "cost"));
        let full = RequestDraft { cost: "185.000,50".into(), initiative_id: "7".into(), ..draft };
        let parsed = full.parse(true).unwrap();
        assert_eq!(parsed.cost, Some(Decimal::new(18_500_050, 2)));
        assert_eq!(RequestDraft::of(&parsed).parse(true), Ok(parsed), "the edit form round-trips");
    }
    #[test]
    fn a_selected_request_is_not_ready_with_a_note_or_when_not_ready_for_decision_a7() {
        use AgendaPurpose::*;
        assert_eq!(not_ready(Decision, Status::ReadyForDecision, "  "), None);
        assert_eq!(not_ready(Discussion, Status::Described, ""), None, "a discussion needs no decision status");
        assert!(not_ready(Decision, Status::Described, "").unwrap().contains("Beskrevet"));
        assert_eq!(
            not_ready(Decision, Status::ReadyForDecision, "Mangler estimat jf. sidste møde").as_deref(),
            Some("Mangler estimat jf. sidste møde")
        );
        assert_eq!(AgendaPurpose::parse("decision"), Some(Decision));
        assert_eq!(AgendaPurpose::parse("x"), None);
    }
}
