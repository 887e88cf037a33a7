//! The standard agenda of an ordinary meeting (A4), with its decision item (A5) and its planning
//! item near the end (A6). The template is where a new agenda starts; the secretariat fills it in and
//! the chair may reorder the items and give them times (A4), so nothing here is fixed once copied.

use serde::{Deserialize, Serialize};

/// A4: what an item of the standard agenda shows from the registers by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum Fills {
    /// 1.4: the group's open actions, as the dashboard has them (as of publishing, once published).
    OpenActions,
    /// 3.1: the annual-cycle topics placed on the meeting (Y1-Y3, B3).
    AnnualTopics,
}

/// One item of the standard agenda (A4): its number, title and who presents it ("v/").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateItem {
    /// "1", "1.1": the item's place in the template, as [`numbering`] writes it.
    pub number: &'static str,
    pub title: &'static str,
    /// Who presents the item (A4), e.g. "v/ sekretariatet"; empty for a heading.
    pub presenter: &'static str,
    /// A5: a decision item, marked clearly on the agenda; the person responsible is named per meeting.
    pub is_decision: bool,
    /// A6: the planning item near the end: which working meetings the secretariat calls, and its follow-up.
    pub is_planning: bool,
    /// A4: what the item shows from the registers (1.4, 3.1).
    pub fills: Option<Fills>,
    pub children: Vec<TemplateItem>,
}

const CHAIR: &str = "v/ forpersonen";
const SECRETARIAT: &str = "v/ sekretariatet";
const PARTIES: &str = "v/ parterne";
const MINUTE_TAKER: &str = "v/ referenten";

fn heading(number: &'static str, title: &'static str, children: Vec<TemplateItem>) -> TemplateItem {
    TemplateItem { number, title, presenter: "", is_decision: false, is_planning: false, fills: None, children }
}

fn item(number: &'static str, title: &'static str, presenter: &'static str) -> TemplateItem {
    TemplateItem { number, title, presenter, is_decision: false, is_planning: false, fills: None, children: Vec::new() }
}

/// A4: the standard agenda, six headings with their items in the charter's order. Item 1.2 is the
/// decision item (A5); item 6.2 is the planning item near the end (A6).
pub fn standard_agenda() -> Vec<TemplateItem> {
    vec![
        heading(
            "1",
            "Ændringsønsker og Roadmap",
            vec![
                item("1.1", "Roadmap initiativer", SECRETARIAT),
                TemplateItem { is_decision: true, ..item("1.2", "Ændringsønsker til godkendelse", CHAIR) },
                item("1.3", "Ændringsønsker til drøftelse", SECRETARIAT),
                TemplateItem {
                    fills: Some(Fills::OpenActions),
                    ..item("1.4", "Opsamling på arbejdsmøder og aktioner", SECRETARIAT)
                },
            ],
        ),
        heading("2", "Nye ideer", vec![item("2.1", "Ideer til nye aktiviteter og ændringer", PARTIES)]),
        heading(
            "3",
            "Årshjul",
            vec![TemplateItem { fills: Some(Fills::AnnualTopics), ..item("3.1", "Årshjuls-emne", CHAIR) }],
        ),
        heading("4", "Status fra Parterne", vec![item("4.1", "Status fra parterne", PARTIES)]),
        heading(
            "5",
            "Status fra Sekretariatet",
            vec![
                item("5.1", "Status fra Sekretariatet", SECRETARIAT),
                item("5.2", "Status fra de andre faggrupper", SECRETARIAT),
            ],
        ),
        heading(
            "6",
            "Afslutning",
            vec![
                item("6.1", "Gennemgang af beslutninger", MINUTE_TAKER),
                TemplateItem {
                    is_planning: true,
                    ..item("6.2", "Planlægning af arbejdsmøder og opfølgning", SECRETARIAT)
                },
            ],
        ),
    ]
}

/// A4: the number of an item from its 0-based position at each level: `[1, 0]` is "2.1".
/// An empty path gives an empty string.
pub fn numbering(positions: &[usize]) -> String {
    positions.iter().map(|p| (p + 1).to_string()).collect::<Vec<_>>().join(".")
}

/// A4: the numbers of items in reading order, each given as whether it is a top-level item:
/// `[true, false, false, true]` is 1, 1.1, 1.2, 2.
pub fn numbers(top_level: impl IntoIterator<Item = bool>) -> Vec<String> {
    let (mut top, mut sub) = (0usize, 0usize);
    top_level
        .into_iter()
        .map(|is_top| {
            if is_top || top == 0 {
                (top, sub) = (top + 1, 0);
                numbering(&[top - 1])
            } else {
                sub += 1;
                numbering(&[top - 1, sub - 1])
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_in_reading_order_are_numbered_by_level_a4() {
        assert_eq!(numbers([true, false, false, true, false]), ["1", "1.1", "1.2", "2", "2.1"]);
        assert_eq!(numbers([false, true]), ["1", "2"], "a stray sub-item before any heading counts as one");
    }

    /// Every item with its path of positions, in reading order.
    fn walk<'a>(items: &'a [TemplateItem], path: &mut Vec<usize>, out: &mut Vec<(Vec<usize>, &'a TemplateItem)>) {
        for (pos, item) in items.iter().enumerate() {
            path.push(pos);
            out.push((path.clone(), item));
            walk(&item.children, path, out);
            path.pop();
        }
    }

    fn all_items(items: &[TemplateItem]) -> Vec<(Vec<usize>, &TemplateItem)> {
        let mut out = Vec::new();
        walk(items, &mut Vec::new(), &mut out);
        out
    }

    #[test]
    fn six_headings_in_the_charter_order() {
        let titles: Vec<&str> = standard_agenda().iter().map(|i| i.title).collect();
        assert_eq!(
            titles,
            [
                "Ændringsønsker og Roadmap",
                "Nye ideer",
                "Årshjul",
                "Status fra Parterne",
                "Status fra Sekretariatet",
                "Afslutning"
            ]
        );
    }

    #[test]
    fn children_of_each_heading_in_order() {
        let agenda = standard_agenda();
        let children = |n: usize| agenda[n].children.iter().map(|c| c.title).collect::<Vec<_>>();
        assert_eq!(
            children(0),
            [
                "Roadmap initiativer",
                "Ændringsønsker til godkendelse",
                "Ændringsønsker til drøftelse",
                "Opsamling på arbejdsmøder og aktioner"
            ]
        );
        assert_eq!(children(1), ["Ideer til nye aktiviteter og ændringer"]);
        assert_eq!(children(2), ["Årshjuls-emne"]);
        assert_eq!(children(3), ["Status fra parterne"]);
        assert_eq!(children(4), ["Status fra Sekretariatet", "Status fra de andre faggrupper"]);
        assert_eq!(children(5), ["Gennemgang af beslutninger", "Planlægning af arbejdsmøder og opfølgning"]);
    }

    #[test]
    fn two_levels_deep_and_numbers_match_positions() {
        let agenda = standard_agenda();
        let items = all_items(&agenda);
        assert_eq!(items.len(), 6 + 11);
        for (path, item) in items {
            assert!(path.len() <= 2, "{} is more than two levels deep", item.number);
            assert_eq!(item.number, numbering(&path));
        }
    }

    #[test]
    fn every_item_names_its_presenter_and_headings_do_not() {
        for heading in standard_agenda() {
            assert_eq!(heading.presenter, "", "heading {}", heading.number);
            assert!(!heading.is_decision && !heading.is_planning);
            for child in &heading.children {
                assert!(child.presenter.starts_with("v/ "), "item {} has no presenter", child.number);
            }
        }
        let agenda = standard_agenda();
        assert_eq!(agenda[5].children[0].presenter, "v/ referenten");
        assert_eq!(agenda[4].children[1].presenter, "v/ sekretariatet");
    }

    #[test]
    fn exactly_one_decision_item_a5() {
        let agenda = standard_agenda();
        let decisions: Vec<&str> =
            all_items(&agenda).into_iter().filter(|(_, i)| i.is_decision).map(|(_, i)| i.number).collect();
        assert_eq!(decisions, ["1.2"]);
    }

    #[test]
    fn exactly_one_planning_item_near_the_end_a6() {
        let agenda = standard_agenda();
        let items = all_items(&agenda);
        let planning: Vec<usize> =
            items.iter().enumerate().filter(|(_, (_, i))| i.is_planning).map(|(n, _)| n).collect();
        assert_eq!(planning.len(), 1);
        let at = planning[0];
        assert_eq!(items[at].1.number, "6.2");
        assert!(at >= items.len() - 2, "the planning item belongs in the last part of the meeting");
        assert!(items[at].1.title.starts_with("Planlægning"));
    }

    #[test]
    fn numbering_of_paths() {
        assert_eq!(numbering(&[]), "");
        assert_eq!(numbering(&[0]), "1");
        assert_eq!(numbering(&[1, 0]), "2.1");
        assert_eq!(numbering(&[5, 1]), "6.2");
        assert_eq!(numbering(&[9, 2, 0]), "10.3.1");
    }
}
