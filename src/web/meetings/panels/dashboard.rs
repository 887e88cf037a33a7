//! Below a readable agenda: the change requests chosen for the meeting by roadmap initiative (A7)
//! and the group's dashboard of operations, budget and open actions (A8).

use super::PageContext;
use crate::domain::calendar::local_date;
use crate::store::meeting_page::DashboardData;
use crate::text;
use crate::web::labels;

pub struct CrView {
    pub reference: String,
    pub title: String,
    pub need: String,
    pub value: String,
    pub beneficiaries: String,
    pub status: &'static str,
    pub not_ready: String,
}

pub struct InitiativeBlock {
    pub title: String,
    pub requests: Vec<CrView>,
}

#[derive(Default)]
pub struct Dashboard {
    pub operational: Vec<(String, String)>,
    pub budget: Vec<(String, String)>,
    pub actions: Vec<(String, String, String, bool)>,
}

/// How far back from the meeting day the dashboard shows operational status (A8).
pub const OPERATIONS_DAYS: i32 = 92;

/// A7 and A8 for the group's meeting: operations of the three months before it, the budget of its
/// year, the actions open today.
/// `data` is read with the page (store::meeting_page), reaching back `OPERATIONS_DAYS`.
pub fn build(cx: &PageContext<'_>, data: DashboardData) -> (Vec<InitiativeBlock>, Dashboard) {
    let today = local_date(cx.now);
    let DashboardData { change_requests: crs, open_actions: actions, operational: ops, budget } = data;
    let mut blocks: Vec<InitiativeBlock> = Vec::new();
    for c in crs {
        let title = c.initiative.clone().unwrap_or_else(|| "Uden roadmap-initiativ".into());
        let view = CrView {
            reference: c.reference,
            title: c.title,
            need: c.business_need,
            value: c.value,
            beneficiaries: c.beneficiaries,
            status: labels::change_request_status(&c.status),
            not_ready: c.not_ready_note,
        };
        match blocks.iter_mut().find(|b| b.title == title) {
            Some(b) => b.requests.push(view),
            None => blocks.push(InitiativeBlock { title, requests: vec![view] }),
        }
    }
    let dashboard = Dashboard {
        operational: ops
            .into_iter()
            .map(|o| {
                (
                    format!("{} · {}", o.solution, labels::operational_kind(&o.kind)),
                    format!("{} ({})", o.summary, text::short_date(o.reported_on)),
                )
            })
            .collect(),
        budget: budget
            .map(|b| {
                let available = b.amount + b.transferred;
                vec![
                    ("Budget inkl. overførsler".to_owned(), text::kroner(available)),
                    ("Disponeret".to_owned(), text::kroner(b.disposed)),
                    ("Forbrugt".to_owned(), text::kroner(b.spent)),
                    ("Ikke disponeret".to_owned(), text::kroner(available - b.disposed)),
                ]
            })
            .unwrap_or_default(),
        actions: actions
            .into_iter()
            .map(|a| (a.title, a.owner, text::short_date(a.due_on), a.due_on < today))
            .collect(),
    };
    (blocks, dashboard)
}
