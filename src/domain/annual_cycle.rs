//! The annual cycle (årshjul) and the meeting pattern around it: the topics each year's meetings
//! I-IV must cover (Y1), the yearly data-responsibility agreement update (Y2) and metadata review
//! (Y3), the budget decision before the August/September meeting (B3), an ordinary meeting every
//! quarter (T1) and long meetings held physically (T3). Everything here only *warns*.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};
use serde::Serialize;

use super::meeting_codes::{MeetingFormat, MeetingKind};

/// A topic of the annual cycle; its code is what the `annual_topics` table stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// Y1 (i): review the charter and the basis of the data-responsibility agreement.
    CharterReview,
    /// Y1 (ii): a party presents its work processes.
    PartyProcesses,
    /// Y1 (iii): user surveys and other user input.
    UserInput,
    /// Y1 (iv): the roadmap for next year and 3-4 years ahead, and next year's meetings.
    RoadmapPlanning,
    /// Y2: the yearly update of the data-responsibility agreement.
    DataAgreement,
    /// Y3: the yearly review of metadata descriptions and registration guides.
    MetadataReview,
    /// B3: how the group will use its remaining budget.
    BudgetDecision,
    /// Y1: a topic the group adds itself.
    Custom,
}

/// Y1 (i)-(iv): the topics each year's meetings must cover.
pub const REQUIRED_TOPICS: [Topic; 4] =
    [Topic::CharterReview, Topic::PartyProcesses, Topic::UserInput, Topic::RoadmapPlanning];

impl Topic {
    pub const ALL: [Topic; 8] = [
        Topic::CharterReview,
        Topic::PartyProcesses,
        Topic::UserInput,
        Topic::RoadmapPlanning,
        Topic::DataAgreement,
        Topic::MetadataReview,
        Topic::BudgetDecision,
        Topic::Custom,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::CharterReview => "charter_review",
            Self::PartyProcesses => "party_processes",
            Self::UserInput => "user_input",
            Self::RoadmapPlanning => "roadmap_planning",
            Self::DataAgreement => "data_agreement",
            Self::MetadataReview => "metadata_review",
            Self::BudgetDecision => "budget_decision",
            Self::Custom => "custom",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == s)
    }

    /// Y2, Y3, B3: the yearly duties with a deadline of their own, shown on the annual wheel.
    pub fn is_yearly_duty(self) -> bool {
        matches!(self, Self::DataAgreement | Self::MetadataReview | Self::BudgetDecision)
    }

    /// The topic as the users read it.
    pub fn title(self) -> &'static str {
        match self {
            Self::CharterReview => "Gennemgang af kommissoriet og grundlaget for dataansvarsaftalen",
            Self::PartyProcesses => "En part fortæller om sine arbejdsgange",
            Self::UserInput => "Brugerundersøgelser og andet input fra brugerne",
            Self::RoadmapPlanning => "Roadmap for næste år og 3-4 år frem samt næste års møder",
            Self::DataAgreement => "Opdatering af dataansvarsaftalen",
            Self::MetadataReview => "Gennemgang af metadata og registreringsvejledninger",
            Self::BudgetDecision => "Beslutning om brugen af det resterende budget",
            Self::Custom => "Eget emne",
        }
    }

    /// The rule that asks for the topic; a group's own topic falls under Y1 ("groups may add topics").
    pub fn rule(self) -> &'static str {
        match self {
            Self::CharterReview | Self::PartyProcesses | Self::UserInput | Self::RoadmapPlanning | Self::Custom => "Y1",
            Self::DataAgreement => "Y2",
            Self::MetadataReview => "Y3",
            Self::BudgetDecision => "B3",
        }
    }
}

/// Y2, Y3, B3: a yearly duty recorded as done: the day, and for the data-responsibility agreement (Y2)
/// the day the updated agreement went to the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DutyDone {
    pub done_on: NaiveDate,
    pub sent_to_board_on: Option<NaiveDate>,
}

/// Y2, Y3, B3: checks a duty's record before it is stored: only a yearly duty is recorded, not in the
/// future; Y2 is done only when the agreement has also gone to the board, on or after its update.
pub fn duty_done(
    topic: Topic,
    done_on: NaiveDate,
    sent_to_board_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<DutyDone, (&'static str, String)> {
    if !topic.is_yearly_duty() {
        return Err(("code", "Kun årshjulets faste opgaver (Y2, Y3, B3) registreres som udført.".into()));
    }
    if done_on > today {
        return Err(("done_on", "Datoen for udførelsen kan ikke ligge i fremtiden.".into()));
    }
    let sent_to_board_on = match (topic, sent_to_board_on) {
        (Topic::DataAgreement, None) => {
            return Err((
                "sent_to_board_on",
                "Skriv hvornår den opdaterede dataansvarsaftale blev sendt til bestyrelsen (Y2).".into(),
            ));
        }
        (Topic::DataAgreement, Some(sent)) if sent < done_on || sent > today => {
            return Err((
                "sent_to_board_on",
                "Aftalen sendes til bestyrelsen efter opdateringen og senest i dag (Y2).".into(),
            ));
        }
        (Topic::DataAgreement, sent) => sent,
        _ => None,
    };
    Ok(DutyDone { done_on, sent_to_board_on })
}

/// A topic in a year's plan, and the date of the meeting it is placed on, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlannedTopic {
    pub topic: Topic,
    pub meeting_date: Option<NaiveDate>,
}

/// Something the plan should mend; it does not stop anyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub rule: &'static str,
    pub message: String,
}

fn warning(rule: &'static str, message: String) -> Warning {
    Warning { rule, message }
}

/// The warnings on `year`'s plan, in this order: each Y1 topic (i)-(iv) missing or not placed on a
/// meeting in the year, then the same for the agreement update (Y2) and the metadata review (Y3),
/// then the budget decision (B3), which must be placed on a meeting on or before 30 September, i.e.
/// at the latest at the August/September meeting. A topic counts once any of its entries is placed
/// on a meeting dated in `year`. The group's own topics are never warned about.
pub fn plan_warnings(year: i32, topics: &[PlannedTopic]) -> Vec<Warning> {
    let dates = |topic: Topic| -> Vec<Option<NaiveDate>> {
        topics.iter().filter(|p| p.topic == topic).map(|p| p.meeting_date).collect()
    };
    let in_year = |d: &Option<NaiveDate>| d.is_some_and(|d| d.year() == year);

    let mut warnings = Vec::new();
    for topic in REQUIRED_TOPICS.into_iter().chain([Topic::DataAgreement, Topic::MetadataReview]) {
        let rule = topic.rule();
        let dates = dates(topic);
        if dates.is_empty() {
            warnings.push(warning(rule, format!("Årshjulet for {year} mangler emnet: {} ({rule}).", topic.title())));
        } else if !dates.iter().any(in_year) {
            warnings
                .push(warning(rule, format!("Emnet »{}« er ikke sat på et møde i {year} ({rule}).", topic.title())));
        }
    }

    let budget = dates(Topic::BudgetDecision);
    let deadline = NaiveDate::from_ymd_opt(year, 9, 30);
    let placed: Vec<NaiveDate> = budget.iter().filter(|d| in_year(d)).flatten().copied().collect();
    match placed.iter().min() {
        _ if budget.is_empty() => warnings.push(warning(
            "B3",
            format!(
                "Årshjulet for {year} mangler beslutningen om brugen af det resterende budget; \
                 den skal træffes senest på mødet i august/september (B3)."
            ),
        )),
        None => warnings.push(warning(
            "B3",
            format!("Beslutningen om brugen af det resterende budget er ikke sat på et møde i {year} (B3)."),
        )),
        Some(&earliest) if Some(earliest) > deadline => warnings.push(warning(
            "B3",
            format!(
                "Beslutningen om brugen af det resterende budget ligger på mødet {}; \
                 den skal træffes senest på mødet i august/september (B3).",
                crate::text::dates::day_month_year(earliest)
            ),
        )),
        Some(_) => {}
    }
    warnings
}

/// T1: one warning for each yearly meeting across groups (joint, chairs', chairs with the staff group
/// and the board) that `year` lacks; `held` are the kinds of the year's meetings that are not cancelled.
pub fn missing_meetings_across_groups(year: i32, held: &[MeetingKind]) -> Vec<Warning> {
    MeetingKind::ACROSS_GROUPS
        .into_iter()
        .filter(|kind| !held.contains(kind))
        .map(|kind| {
            let what = match kind {
                MeetingKind::Joint => "fællesmøde for alle grupper",
                MeetingKind::Chairs => "forpersonsmøde",
                _ => "møde mellem forpersonerne, stabsgruppen og bestyrelsen",
            };
            warning("T1", format!("Der er intet {what} i {year} (T1)."))
        })
        .collect()
}

/// T1: one warning for each quarter of `year` without an ordinary meeting, earliest first. The plan
/// is made ahead, so every quarter counts; `today` only decides whether the message speaks of a
/// quarter that has passed or one still to come. Dates outside `year` are ignored. A group counts from
/// its first full quarter: one created on `group_since` mid-quarter is not warned about that quarter.
pub fn quarters_without_ordinary_meeting(
    year: i32,
    ordinary_meeting_dates: &[NaiveDate],
    today: NaiveDate,
    group_since: NaiveDate,
) -> Vec<Warning> {
    (1..=4u32)
        .filter(|&q| NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1).is_some_and(|start| start >= group_since))
        .filter(|&q| !ordinary_meeting_dates.iter().any(|d| d.year() == year && quarter(*d) == q))
        .map(|q| {
            let passed = (today.year(), quarter(today)) > (year, q);
            let message = if passed {
                format!("Der blev ikke holdt et ordinært møde i {q}. kvartal {year} (T1).")
            } else {
                format!("Intet ordinært møde i {q}. kvartal {year} (T1).")
            };
            warning("T1", message)
        })
        .collect()
}

fn quarter(date: NaiveDate) -> u32 {
    date.month0() / 3 + 1
}

/// T3: a meeting over 3 hours that is not physical. A meeting that does not end after it starts gets
/// no warning here (that is refused elsewhere).
pub fn format_warning(
    starts_local: NaiveDateTime,
    ends_local: NaiveDateTime,
    format: MeetingFormat,
) -> Option<Warning> {
    let length = ends_local - starts_local;
    let how = match format {
        _ if length <= TimeDelta::hours(3) => return None,
        MeetingFormat::Physical => return None,
        MeetingFormat::Online => "som onlinemøde",
        MeetingFormat::Hybrid => "som hybridmøde",
    };
    Some(warning(
        "T3",
        format!(
            "Mødet varer {} og er planlagt {how}; møder over 3 timer holdes som regel fysisk (T3).",
            crate::text::dates::duration(length)
        ),
    ))
}

/// Y1: the number of the year's meeting I-IV; anything else gives an empty string.
pub fn roman(n: u32) -> &'static str {
    match n {
        1 => "I",
        2 => "II",
        3 => "III",
        4 => "IV",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yearly_duty_is_recorded_done_with_its_dates_y2_y3_b3() {
        let day = |m, d| NaiveDate::from_ymd_opt(2027, m, d).expect("valid date");
        let today = day(3, 15);
        let field = |r: Result<DutyDone, (&'static str, String)>| r.map_err(|(f, _)| f);
        assert_eq!(
            duty_done(Topic::DataAgreement, day(3, 1), Some(day(3, 2)), today),
            Ok(DutyDone { done_on: day(3, 1), sent_to_board_on: Some(day(3, 2)) })
        );
        assert_eq!(field(duty_done(Topic::DataAgreement, day(3, 1), None, today)), Err("sent_to_board_on"));
        assert_eq!(field(duty_done(Topic::DataAgreement, day(3, 5), Some(day(3, 4)), today)), Err("sent_to_board_on"));
        assert_eq!(field(duty_done(Topic::MetadataReview, day(3, 16), None, today)), Err("done_on"));
        assert_eq!(
            duty_done(Topic::MetadataReview, day(3, 10), Some(day(3, 11)), today),
            Ok(DutyDone { done_on: day(3, 10), sent_to_board_on: None }),
            "only Y2 goes to the board"
        );
        assert_eq!(field(duty_done(Topic::CharterReview, day(3, 10), None, today)), Err("code"));
    }

    /// A group that has existed for years.
    const LONG_AGO: NaiveDate = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        date(y, m, d).and_hms_opt(h, min, 0).unwrap()
    }

    fn placed(topic: Topic, d: NaiveDate) -> PlannedTopic {
        PlannedTopic { topic, meeting_date: Some(d) }
    }

    /// A full plan for 2027 across meetings I-IV.
    fn full_plan() -> Vec<PlannedTopic> {
        vec![
            placed(Topic::CharterReview, date(2027, 3, 10)),
            placed(Topic::DataAgreement, date(2027, 3, 10)),
            placed(Topic::MetadataReview, date(2027, 3, 10)),
            placed(Topic::PartyProcesses, date(2027, 6, 2)),
            placed(Topic::UserInput, date(2027, 6, 2)),
            placed(Topic::BudgetDecision, date(2027, 9, 8)),
            placed(Topic::RoadmapPlanning, date(2027, 11, 24)),
        ]
    }

    fn rules(warnings: &[Warning]) -> Vec<&'static str> {
        warnings.iter().map(|w| w.rule).collect()
    }

    #[test]
    fn all_topics_placed_gives_no_warnings() {
        assert_eq!(plan_warnings(2027, &full_plan()), []);
    }

    #[test]
    fn an_empty_plan_misses_everything_in_order() {
        let warnings = plan_warnings(2027, &[]);
        assert_eq!(rules(&warnings), ["Y1", "Y1", "Y1", "Y1", "Y2", "Y3", "B3"]);
        assert_eq!(
            warnings[0].message,
            "Årshjulet for 2027 mangler emnet: Gennemgang af kommissoriet og grundlaget for dataansvarsaftalen (Y1)."
        );
        assert!(warnings[6].message.contains("august/september"));
    }

    #[test]
    fn one_missing_topic_gives_exactly_that_warning_y1() {
        let plan: Vec<_> = full_plan().into_iter().filter(|p| p.topic != Topic::UserInput).collect();
        assert_eq!(
            plan_warnings(2027, &plan),
            [Warning {
                rule: "Y1",
                message: "Årshjulet for 2027 mangler emnet: Brugerundersøgelser og andet input fra brugerne (Y1)."
                    .into()
            }]
        );
    }

    #[test]
    fn a_topic_not_placed_on_a_meeting_is_warned_y1() {
        let mut plan = full_plan();
        plan[3].meeting_date = None; // party processes
        let warnings = plan_warnings(2027, &plan);
        assert_eq!(rules(&warnings), ["Y1"]);
        assert_eq!(
            warnings[0].message,
            "Emnet »En part fortæller om sine arbejdsgange« er ikke sat på et møde i 2027 (Y1)."
        );
    }

    #[test]
    fn a_meeting_in_another_year_does_not_count() {
        let mut plan = full_plan();
        plan[6].meeting_date = Some(date(2026, 11, 25)); // roadmap planning
        let warnings = plan_warnings(2027, &plan);
        assert_eq!(rules(&warnings), ["Y1"]);
        assert!(warnings[0].message.contains("Roadmap"));
    }

    #[test]
    fn one_placed_entry_is_enough() {
        let mut plan = full_plan();
        plan.push(PlannedTopic { topic: Topic::UserInput, meeting_date: None });
        plan.push(placed(Topic::BudgetDecision, date(2027, 11, 24)));
        assert_eq!(plan_warnings(2027, &plan), []);
    }

    #[test]
    fn agreement_update_and_metadata_review_are_yearly_y2_y3() {
        let plan: Vec<_> = full_plan()
            .into_iter()
            .filter(|p| !matches!(p.topic, Topic::DataAgreement | Topic::MetadataReview))
            .collect();
        let warnings = plan_warnings(2027, &plan);
        assert_eq!(rules(&warnings), ["Y2", "Y3"]);
        assert_eq!(warnings[0].message, "Årshjulet for 2027 mangler emnet: Opdatering af dataansvarsaftalen (Y2).");
    }

    #[test]
    fn custom_topics_are_never_warned_about() {
        let mut plan = full_plan();
        plan.push(PlannedTopic { topic: Topic::Custom, meeting_date: None });
        assert_eq!(plan_warnings(2027, &plan), []);
    }

    #[test]
    fn budget_decision_in_november_is_too_late_b3() {
        let mut plan = full_plan();
        plan[5].meeting_date = Some(date(2027, 11, 24));
        assert_eq!(
            plan_warnings(2027, &plan),
            [Warning {
                rule: "B3",
                message: "Beslutningen om brugen af det resterende budget ligger på mødet 24. november 2027; \
                          den skal træffes senest på mødet i august/september (B3)."
                    .into()
            }]
        );
    }

    #[test]
    fn budget_decision_deadline_is_30_september_b3() {
        for (d, warned) in [
            (date(2027, 3, 10), false),
            (date(2027, 8, 25), false),
            (date(2027, 9, 30), false),
            (date(2027, 10, 1), true),
        ] {
            let mut plan = full_plan();
            plan[5].meeting_date = Some(d);
            assert_eq!(rules(&plan_warnings(2027, &plan)) == ["B3"], warned, "{d}");
        }
    }

    #[test]
    fn budget_decision_missing_or_unplaced_b3() {
        let mut plan = full_plan();
        plan[5].meeting_date = None;
        let warnings = plan_warnings(2027, &plan);
        assert_eq!(rules(&warnings), ["B3"]);
        assert!(warnings[0].message.contains("ikke sat på et møde i 2027"));

        plan.remove(5);
        let warnings = plan_warnings(2027, &plan);
        assert_eq!(rules(&warnings), ["B3"]);
        assert!(warnings[0].message.starts_with("Årshjulet for 2027 mangler beslutningen"));
    }

    #[test]
    fn topic_codes_round_trip() {
        for topic in Topic::ALL {
            assert_eq!(Topic::parse(topic.code()), Some(topic));
            assert!(!topic.title().is_empty());
        }
        assert_eq!(Topic::parse("Charter_Review"), None);
        assert_eq!(Topic::parse(""), None);
        assert_eq!(Topic::BudgetDecision.code(), "budget_decision");
    }

    #[test]
    fn topic_rules() {
        for topic in REQUIRED_TOPICS {
            assert_eq!(topic.rule(), "Y1");
        }
        assert_eq!(Topic::DataAgreement.rule(), "Y2");
        assert_eq!(Topic::MetadataReview.rule(), "Y3");
        assert_eq!(Topic::BudgetDecision.rule(), "B3");
        assert_eq!(Topic::Custom.rule(), "Y1");
    }

    #[test]
    fn every_quarter_with_a_meeting_gives_no_warnings_t1() {
        let dates = [date(2027, 3, 31), date(2027, 4, 1), date(2027, 9, 30), date(2027, 10, 1)];
        assert_eq!(quarters_without_ordinary_meeting(2027, &dates, date(2027, 1, 5), LONG_AGO), []);
    }

    #[test]
    fn a_quarter_without_a_meeting_is_warned_t1() {
        let dates = [date(2027, 2, 10), date(2027, 8, 18), date(2027, 8, 19), date(2027, 11, 24)];
        assert_eq!(
            quarters_without_ordinary_meeting(2027, &dates, date(2027, 1, 5), LONG_AGO),
            [Warning { rule: "T1", message: "Intet ordinært møde i 2. kvartal 2027 (T1).".into() }]
        );
    }

    #[test]
    fn an_empty_year_misses_all_four_quarters_t1() {
        let warnings = quarters_without_ordinary_meeting(2027, &[], date(2026, 12, 1), LONG_AGO);
        assert_eq!(rules(&warnings), ["T1"; 4]);
        assert_eq!(warnings[3].message, "Intet ordinært møde i 4. kvartal 2027 (T1).");
    }

    #[test]
    fn meetings_in_other_years_do_not_count_t1() {
        let dates = [date(2026, 5, 1), date(2028, 5, 1), date(2027, 1, 1), date(2027, 7, 1), date(2027, 12, 31)];
        let warnings = quarters_without_ordinary_meeting(2027, &dates, date(2027, 1, 1), LONG_AGO);
        assert_eq!(warnings, [Warning { rule: "T1", message: "Intet ordinært møde i 2. kvartal 2027 (T1).".into() }]);
    }

    #[test]
    fn a_passed_quarter_is_spoken_of_in_the_past_t1() {
        let warnings = quarters_without_ordinary_meeting(2027, &[], date(2027, 7, 1), LONG_AGO);
        let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "Der blev ikke holdt et ordinært møde i 1. kvartal 2027 (T1).",
                "Der blev ikke holdt et ordinært møde i 2. kvartal 2027 (T1).",
                "Intet ordinært møde i 3. kvartal 2027 (T1).",
                "Intet ordinært møde i 4. kvartal 2027 (T1).",
            ]
        );
        let later = quarters_without_ordinary_meeting(2027, &[], date(2028, 1, 1), LONG_AGO);
        assert!(later.iter().all(|w| w.message.starts_with("Der blev ikke")));
    }

    #[test]
    fn a_group_created_mid_year_counts_from_its_first_full_quarter_t1() {
        let quarters = |since| {
            quarters_without_ordinary_meeting(2027, &[], date(2027, 5, 1), since)
                .into_iter()
                .map(|w| w.message)
                .collect::<Vec<_>>()
        };
        let mid_may = quarters(date(2027, 5, 12));
        assert_eq!(mid_may.len(), 2, "the third and fourth quarter only: {mid_may:?}");
        assert!(mid_may[0].contains("3. kvartal") && mid_may[1].contains("4. kvartal"));
        assert_eq!(quarters(date(2027, 4, 1)).len(), 3, "created on the first day of a quarter: it counts");
        assert_eq!(quarters(date(2028, 2, 1)).len(), 0, "not yet created in that year");
    }

    #[test]
    fn exactly_three_hours_online_is_fine_t3() {
        assert_eq!(format_warning(at(2027, 3, 10, 9, 0), at(2027, 3, 10, 12, 0), MeetingFormat::Online), None);
    }

    #[test]
    fn three_hours_and_a_minute_online_is_warned_t3() {
        assert_eq!(
            format_warning(at(2027, 3, 10, 9, 0), at(2027, 3, 10, 12, 1), MeetingFormat::Online),
            Some(Warning {
                rule: "T3",
                message: "Mødet varer 3 timer og 1 minut og er planlagt som onlinemøde; \
                          møder over 3 timer holdes som regel fysisk (T3)."
                    .into()
            })
        );
    }

    #[test]
    fn long_physical_meetings_are_fine_t3() {
        assert_eq!(format_warning(at(2027, 3, 10, 9, 0), at(2027, 3, 10, 14, 0), MeetingFormat::Physical), None);
    }

    #[test]
    fn long_hybrid_meetings_are_warned_t3() {
        let warning = format_warning(at(2027, 3, 10, 9, 0), at(2027, 3, 10, 13, 30), MeetingFormat::Hybrid).unwrap();
        assert_eq!(warning.rule, "T3");
        assert!(warning.message.starts_with("Mødet varer 4 timer og 30 minutter og er planlagt som hybridmøde"));
    }

    #[test]
    fn short_or_backwards_meetings_get_no_format_warning_t3() {
        assert_eq!(format_warning(at(2027, 3, 10, 9, 0), at(2027, 3, 10, 11, 0), MeetingFormat::Online), None);
        assert_eq!(format_warning(at(2027, 3, 10, 14, 0), at(2027, 3, 10, 9, 0), MeetingFormat::Online), None);
    }

    #[test]
    fn roman_numbers_of_meetings_y1() {
        assert_eq!([1, 2, 3, 4].map(roman), ["I", "II", "III", "IV"]);
        assert_eq!(roman(0), "");
        assert_eq!(roman(5), "");
    }

    #[test]
    fn a_year_without_its_meetings_across_groups_is_warned_t1() {
        let warnings = missing_meetings_across_groups(2027, &[MeetingKind::Chairs]);
        assert_eq!(rules(&warnings), ["T1", "T1"]);
        assert_eq!(warnings[0].message, "Der er intet fællesmøde for alle grupper i 2027 (T1).");
        assert!(warnings[1].message.contains("stabsgruppen og bestyrelsen"));
        assert!(missing_meetings_across_groups(2027, &MeetingKind::ACROSS_GROUPS).is_empty());
    }
}
