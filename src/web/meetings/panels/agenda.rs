//! The agenda panel (A1, A2, A4, A5): the items with their numbering, the workflow's history, and
//! what this person may do with the agenda in its present status.

use chrono::NaiveTime;

use crate::domain::agenda_template::{Fills, numbers};
use crate::domain::agenda_times;
use crate::domain::agenda_workflow::{self, Actor, AgendaAction, AgendaStatus};
use crate::domain::composition::SeatStatus;
use crate::domain::refusal::Refusal;
use crate::store::{agendas, memberships};
use crate::text;
use crate::web::meetings::Choice;

pub struct ItemView {
    pub id: i64,
    pub number: String,
    pub top_level: bool,
    pub title: String,
    pub presenter: String,
    pub body: String,
    pub is_decision: bool,
    pub responsible: String,
    pub responsible_id: String,
    pub is_planning: bool,
    pub minutes: String,
    /// A4: "13:00–13:15", from the meeting's start and the durations before it; empty without a duration.
    pub clock: String,
    /// A4: what the item shows from the registers (1.4 the open actions, 3.1 the year's topics).
    pub fills: Option<Fills>,
    pub shows: Vec<String>,
}

pub struct ChairCommentView {
    pub author: String,
    pub when: String,
    pub body: String,
}

pub struct ActionButton {
    pub path: &'static str,
    pub label: &'static str,
    pub class: &'static str,
}

pub struct AgendaView {
    pub status: AgendaStatus,
    pub status_label: &'static str,
    pub history: Vec<String>,
    /// A1: the chair's comments, for the secretariat and the chair only (empty for everyone else).
    pub chair_comments: Vec<ChairCommentView>,
    pub items: Vec<ItemView>,
    pub can_edit: bool,
    pub can_reorder: bool,
    pub can_comment: bool,
    pub buttons: Vec<ActionButton>,
    /// A4: the items' times run past the meeting's end (for the secretariat and the chair).
    pub overrun: Option<Refusal>,
}

const BUTTONS: [(AgendaAction, &str, &str, &str); 4] = [
    (AgendaAction::SendToChair, "send-til-forperson", "Send til forpersonen", "button"),
    (AgendaAction::Approve, "godkend", "Godkend dagsordenen", "button"),
    (AgendaAction::Publish, "udsend", "Udsend dagsordenen", "button"),
    (AgendaAction::ReturnToDraft, "tilbage-til-kladde", "Tilbage til kladde", "button button-secondary"),
];

/// The agenda as `actor` sees it in `status`, which the caller has checked they may read; `items` in
/// reading order, `chair_comments` the whole thread (shown only to whom A1 lets read it).
pub fn build(
    actor: Actor,
    agenda: &agendas::Agenda,
    status: AgendaStatus,
    items: Vec<agendas::Item>,
    chair_comments: Vec<agendas::ChairComment>,
    (starts, ends): (NaiveTime, NaiveTime),
) -> AgendaView {
    let chair_comments = if agenda_workflow::may_read_chair_comments(actor) {
        chair_comments
            .into_iter()
            .map(|c| ChairCommentView {
                author: c.author_name.unwrap_or_else(|| "Forpersonen".into()),
                when: text::datetime(c.created_at),
                body: c.body,
            })
            .collect()
    } else {
        Vec::new()
    };
    let durations: Vec<Option<i32>> = items.iter().map(|i| i.planned_minutes).collect();
    let (times, overrun) = agenda_times::clock_times(starts, ends, &durations);
    let mut items = numbered(items);
    for (item, time) in items.iter_mut().zip(times) {
        if let Some((from, to)) = time {
            item.clock = format!("{}–{}", from.format("%H:%M"), to.format("%H:%M"));
        }
    }
    let staff = matches!(actor, Actor::Secretariat | Actor::Chair);
    AgendaView {
        status,
        status_label: status.label(),
        history: history(agenda),
        chair_comments,
        items,
        overrun: agenda_times::overrun_warning(overrun, ends).filter(|_| staff),
        can_edit: agenda_workflow::next_status(status, AgendaAction::Edit, actor).is_ok(),
        can_reorder: agenda_workflow::may_reorder(status, actor),
        can_comment: agenda_workflow::next_status(status, AgendaAction::Comment, actor).is_ok(),
        buttons: BUTTONS
            .iter()
            .filter(|(action, ..)| agenda_workflow::next_status(status, *action, actor).is_ok())
            .map(|(_, path, label, class)| ActionButton { path, label, class })
            .collect(),
    }
}

/// A4: items in their order, numbered 1, 2, 2.1 ... as the template prescribes.
fn numbered(items: Vec<agendas::Item>) -> Vec<ItemView> {
    let numbers = numbers(items.iter().map(|i| i.parent_id.is_none()));
    items
        .into_iter()
        .zip(numbers)
        .map(|(i, number)| ItemView {
            id: i.id,
            number,
            top_level: i.parent_id.is_none(),
            title: i.title,
            presenter: i.presenter,
            body: i.body,
            is_decision: i.is_decision,
            responsible: i.responsible_name.unwrap_or_default(),
            responsible_id: i.responsible_id.map(|r| r.to_string()).unwrap_or_default(),
            is_planning: i.is_planning,
            minutes: i.planned_minutes.map(|m| m.to_string()).unwrap_or_default(),
            clock: String::new(),
            fills: i.fills,
            shows: Vec::new(),
        })
        .collect()
}

/// A4: item 1.4 lists the group's open actions as the dashboard has them (as of publishing, once
/// published); item 3.1 names the annual-cycle topics placed on the meeting.
pub fn fill(view: &mut AgendaView, actions: &[(String, String, String, bool)], topics: &[String]) {
    for item in &mut view.items {
        item.shows = match item.fills {
            Some(Fills::OpenActions) if actions.is_empty() => vec!["Ingen åbne aktioner.".to_owned()],
            Some(Fills::OpenActions) => {
                actions.iter().map(|(title, owner, due, _)| format!("{title} – {owner}, senest {due}")).collect()
            }
            Some(Fills::AnnualTopics) if topics.is_empty() => {
                vec!["Intet emne fra årshjulet på dette møde.".to_owned()]
            }
            Some(Fills::AnnualTopics) => topics.to_vec(),
            None => Vec::new(),
        };
    }
}

/// A1, A2: when the agenda went to the chair, was approved and was published.
fn history(a: &agendas::Agenda) -> Vec<String> {
    let mut history = Vec::new();
    if let Some(t) = a.sent_to_chair_at {
        history.push(format!("Sendt til forpersonen {}", text::datetime(t)));
    }
    if let (Some(t), Some(by)) = (a.approved_at, &a.approved_by_name) {
        history.push(format!("Godkendt af {by} {}", text::datetime(t)));
    }
    if let Some(t) = a.published_at {
        history.push(format!("Udsendt {}", text::datetime(t)));
    }
    history
}

/// A5: who may be responsible for a decision (the group's approved members), and the top-level
/// items a new sub-item may go under; only the editor of the agenda gets them.
pub fn edit_choices(view: &AgendaView, members: &[memberships::Member]) -> (Vec<Choice>, Vec<Choice>) {
    if !view.can_edit {
        return (Vec::new(), Vec::new());
    }
    let responsible = members
        .iter()
        .filter(|m| m.status == SeatStatus::Active)
        .map(|m| Choice { value: m.person_id.to_string(), label: m.name.clone() })
        .collect();
    let parents = view
        .items
        .iter()
        .filter(|i| i.top_level)
        .map(|i| Choice { value: i.id.to_string(), label: format!("{} {}", i.number, i.title) })
        .collect();
    (responsible, parents)
}
