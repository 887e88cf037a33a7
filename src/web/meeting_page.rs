//! The meeting page: what, when and where; the deadlines (D3); the agenda with its change requests
//! (A7) and dashboard (A8) as far as the person may read it (A1, A2); requests for items (A3);
//! apologies and attendance (T4, T5); the room-and-catering checklist (T6).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use chrono::{Datelike, Duration};

use super::auth::Ctx;
use super::error::AppError;
use super::forms::FieldErrors;
use super::labels;
use super::layout::{Layout, Nav};
use super::meetings::{Choice, DeadlineLine, Relation, deadline_lines, readable_meeting, relation};
use crate::domain::access::GroupRole;
use crate::domain::agenda_template::numbering;
use crate::domain::agenda_workflow::{self, Actor as AgendaActor, AgendaAction, AgendaStatus};
use crate::domain::annual_cycle::{self, Warning};
use crate::domain::calendar::{TZ, local_date};
use crate::domain::deadlines::{StepsDone, request_is_late};
use crate::state::AppState;
use crate::store::{agendas, attendance, calendar, documents, meetings, memberships, registers};
use crate::text;

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
    pub chair_comment: String,
    pub items: Vec<ItemView>,
    pub can_edit: bool,
    pub can_reorder: bool,
    pub can_comment: bool,
    pub buttons: Vec<ActionButton>,
}

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

pub struct Dashboard {
    pub operational: Vec<(String, String)>,
    pub budget: Vec<(String, String)>,
    pub actions: Vec<(String, String, String, bool)>,
}

pub struct RequestView {
    pub id: i64,
    pub requester: String,
    pub title: String,
    pub description: String,
    pub wanted_decision: String,
    pub submitted: String,
    pub late: bool,
    pub status: &'static str,
    pub pending: bool,
    pub reason: String,
}

pub struct AttendanceLine {
    pub membership_id: i64,
    pub name: String,
    pub party: String,
    pub role: &'static str,
    pub approved: bool,
    pub status: &'static str,
    pub attended: bool,
    pub late_apology: bool,
}

#[derive(Default, Clone, serde::Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub wanted_decision: String,
}

#[derive(Template)]
#[template(path = "meetings/show.html")]
pub struct MeetingPage {
    pub l: Layout,
    pub meeting: meetings::Meeting,
    pub when: String,
    pub time_range: String,
    pub kind: &'static str,
    pub place: String,
    pub cycle: &'static str,
    pub status: &'static str,
    pub is_secretariat: bool,
    pub is_participant: bool,
    pub nominated: bool,
    pub warnings: Vec<Warning>,
    pub deadlines: Vec<DeadlineLine>,
    pub agenda: Option<AgendaView>,
    pub agenda_exists_but_hidden: bool,
    pub change_requests: Vec<InitiativeBlock>,
    pub dashboard: Dashboard,
    pub requests: Vec<RequestView>,
    pub request_form: RequestForm,
    pub request_late_now: bool,
    pub items_due: String,
    pub attendance: Vec<AttendanceLine>,
    pub my_apology: Option<String>,
    pub can_apologise: bool,
    pub checklist: Vec<(String, &'static str, bool)>,
    pub responsible_choices: Vec<Choice>,
    pub parent_choices: Vec<Choice>,
    pub attachments: Vec<(i64, String, String)>,
    pub errors: FieldErrors,
    pub refusal: Option<(&'static str, String)>,
}

fn checklist_label(item: &str) -> &'static str {
    match item {
        "room" => "Lokale booket",
        "catering" => "Forplejning bestilt",
        "equipment" => "Teknik til hybridmøde",
        "directions" => "Vejvisning og adgang sendt",
        _ => "",
    }
}

fn request_status(status: &str) -> &'static str {
    match status {
        "pending" => "Afventer sekretariatet",
        "accepted" => "Sat på dagsordenen",
        "declined" => "Afvist",
        _ => "",
    }
}

fn attendance_status(status: Option<&str>) -> &'static str {
    match status {
        Some("attended") => "Deltog",
        Some("absent") => "Fraværende",
        Some("apology") => "Afbud",
        Some("invited") | None => "",
        Some(_) => "",
    }
}

const BUTTONS: [(AgendaAction, &str, &str, &str); 4] = [
    (AgendaAction::SendToChair, "send-til-forperson", "Send til forpersonen", "button"),
    (AgendaAction::Approve, "godkend", "Godkend dagsordenen", "button"),
    (AgendaAction::Publish, "udsend", "Udsend dagsordenen", "button"),
    (AgendaAction::ReturnToDraft, "tilbage-til-kladde", "Tilbage til kladde", "button button-secondary"),
];

/// Builds the whole page; handlers that fail a form fill in `errors` or `refusal` afterwards.
pub async fn build(state: &AppState, ctx: &Ctx, id: i64) -> Result<MeetingPage, AppError> {
    let meeting = readable_meeting(state, ctx, id).await?;
    let Relation { actor, membership } = relation(state, ctx, &meeting).await?;
    let is_secretariat = actor == AgendaActor::Secretariat;
    let now = state.clock.now();
    let agenda = agendas::for_meeting(&state.db, id).await?;
    let minutes_sent = registers::minutes_sent_at(&state.db, id).await?;
    let done = StepsDone {
        agenda_sent_to_chair: agenda.as_ref().and_then(|a| a.sent_to_chair_at),
        agenda_published: agenda.as_ref().and_then(|a| a.published_at),
        minutes_sent,
    };
    let deadlines = if meeting.kind == "ordinary" { deadline_lines(state, &meeting, done).await? } else { Vec::new() };
    let local = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&TZ).naive_local();
    let warnings: Vec<Warning> =
        annual_cycle::format_warning(local(meeting.starts_at), local(meeting.ends_at), &meeting.format)
            .into_iter()
            .collect();

    let agenda_status = agenda.as_ref().and_then(|a| AgendaStatus::parse(&a.status));
    let readable = agenda_status.filter(|s| agenda_workflow::can_read(*s, actor));
    let agenda_exists_but_hidden = agenda.is_some() && readable.is_none();
    let agenda_view = match (&agenda, readable) {
        (Some(a), Some(status)) => {
            let items = agendas::items(&state.db, a.id).await?;
            let mut positions: (usize, usize) = (0, 0);
            let views = items
                .iter()
                .map(|i| {
                    let number = if i.parent_id.is_none() {
                        positions = (positions.0 + 1, 0);
                        numbering(&[positions.0 - 1])
                    } else {
                        positions.1 += 1;
                        numbering(&[positions.0 - 1, positions.1 - 1])
                    };
                    ItemView {
                        id: i.id,
                        number,
                        top_level: i.parent_id.is_none(),
                        title: i.title.clone(),
                        presenter: i.presenter.clone(),
                        body: i.body.clone(),
                        is_decision: i.is_decision,
                        responsible: i.responsible_name.clone().unwrap_or_default(),
                        responsible_id: i.responsible_id.map(|r| r.to_string()).unwrap_or_default(),
                        is_planning: i.is_planning,
                        minutes: i.planned_minutes.map(|m| m.to_string()).unwrap_or_default(),
                    }
                })
                .collect();
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
            Some(AgendaView {
                status,
                status_label: status.label(),
                history,
                chair_comment: a.chair_comment.clone(),
                items: views,
                can_edit: agenda_workflow::next_status(status, AgendaAction::Edit, actor).is_ok(),
                can_reorder: agenda_workflow::may_reorder(status, actor),
                can_comment: agenda_workflow::next_status(status, AgendaAction::Comment, actor).is_ok(),
                buttons: BUTTONS
                    .iter()
                    .filter(|(action, ..)| agenda_workflow::next_status(status, *action, actor).is_ok())
                    .map(|(_, path, label, class)| ActionButton { path, label, class })
                    .collect(),
            })
        }
        _ => None,
    };

    let (change_requests, dashboard) = match (meeting.group_id, &agenda_view) {
        (Some(group_id), Some(_)) => {
            let year = local_date(meeting.starts_at).year();
            let since = local_date(meeting.starts_at) - Duration::days(92);
            let (crs, actions, ops, budget) = tokio::try_join!(
                registers::agenda_change_requests(&state.db, group_id),
                registers::open_actions(&state.db, group_id),
                registers::operational_status(&state.db, group_id, since),
                registers::budget_of(&state.db, group_id, year),
            )?;
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
            let today = local_date(now);
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
        _ => (Vec::new(), Dashboard { operational: Vec::new(), budget: Vec::new(), actions: Vec::new() }),
    };

    let own_active = membership.as_ref().filter(|m| m.status == "active");
    let is_participant = own_active.is_some();
    let nominated = membership.as_ref().is_some_and(|m| m.status == "nominated");
    let request_rows = agendas::requests(&state.db, id).await?;
    let requests = request_rows
        .into_iter()
        .filter(|r| is_secretariat || r.requested_by == ctx.user.person_id || actor == AgendaActor::Chair)
        .map(|r| RequestView {
            id: r.id,
            requester: r.requester,
            title: r.title,
            description: r.description,
            wanted_decision: r.wanted_decision,
            submitted: text::datetime(r.submitted_at),
            late: r.late,
            status: request_status(&r.status),
            pending: r.status == "pending",
            reason: r.decision_reason,
        })
        .collect();
    let cal = calendar::working_calendar(&state.db).await?;
    let settings = state.config.deadline_settings();
    let items_due =
        crate::domain::deadlines::meeting_deadlines(&cal, &settings, local_date(meeting.starts_at)).agenda_items_due;

    let lines = if meeting.group_id.is_some() { attendance::for_meeting(&state.db, id).await? } else { Vec::new() };
    let my_apology = own_active.and_then(|m| {
        lines.iter().find(|l| l.membership_id == m.membership_id && l.status.as_deref() == Some("apology")).map(|l| {
            let when = l.apology_at.map(text::datetime).unwrap_or_default();
            if l.apology_late {
                format!("Du meldte afbud {when} – mindre end en uge før mødet (T4).")
            } else {
                format!("Du meldte afbud {when}.")
            }
        })
    });
    let attendance_lines = lines
        .iter()
        .map(|l| AttendanceLine {
            membership_id: l.membership_id,
            name: l.name.clone(),
            party: l.party_name.clone().unwrap_or_default(),
            role: GroupRole::parse(&l.role).map(GroupRole::label).unwrap_or(""),
            approved: l.membership_status == "active",
            status: attendance_status(l.status.as_deref()),
            attended: l.status.as_deref() == Some("attended"),
            late_apology: l.apology_late,
        })
        .collect();
    let checklist = meetings::checklist(&state.db, id)
        .await?
        .into_iter()
        .map(|c| (c.item.clone(), checklist_label(&c.item), c.done))
        .collect();
    let (responsible_choices, parent_choices) = match (meeting.group_id, &agenda_view) {
        (Some(group_id), Some(a)) if a.can_edit => {
            let members = memberships::of_group(&state.db, group_id).await?;
            (
                members
                    .into_iter()
                    .filter(|m| m.status == "active")
                    .map(|m| Choice { value: m.person_id.to_string(), label: m.name })
                    .collect(),
                a.items
                    .iter()
                    .filter(|i| i.top_level)
                    .map(|i| Choice { value: i.id.to_string(), label: format!("{} {}", i.number, i.title) })
                    .collect(),
            )
        }
        _ => (Vec::new(), Vec::new()),
    };
    let local_start = meeting.starts_at.with_timezone(&TZ);
    Ok(MeetingPage {
        l: ctx.layout(
            Nav::Meetings,
            format!(
                "{} {}",
                meeting.group_name.clone().unwrap_or_else(|| "Møde".into()),
                text::short_date(local_start.date_naive())
            ),
        ),
        when: text::date(local_start.date_naive()),
        time_range: format!("kl. {}–{}", text::time(meeting.starts_at), text::time(meeting.ends_at)),
        kind: labels::meeting_kind(&meeting.kind),
        place: labels::meeting_place(&meeting.format, &meeting.location),
        cycle: meeting.cycle_number.map(|n| annual_cycle::roman(n as u32)).unwrap_or(""),
        status: match meeting.status.as_str() {
            "held" => "Afholdt",
            "cancelled" => "Aflyst",
            _ => "Planlagt",
        },
        is_secretariat,
        is_participant,
        nominated,
        warnings,
        deadlines,
        agenda: agenda_view,
        agenda_exists_but_hidden,
        change_requests,
        dashboard,
        requests,
        request_form: RequestForm::default(),
        request_late_now: request_is_late(&cal, &settings, meeting.starts_at, now),
        items_due: text::date(items_due),
        attendance: attendance_lines,
        my_apology,
        can_apologise: is_participant && meeting.starts_at > now && meeting.status == "planned",
        checklist,
        responsible_choices,
        parent_choices,
        attachments: if agenda_workflow::can_read_attachments(agenda_status, actor) {
            documents::for_meeting(&state.db, id)
                .await?
                .into_iter()
                .map(|d| {
                    let about = format!("{} kB · {}", (d.size_bytes + 1023) / 1024, text::datetime(d.uploaded_at));
                    (d.id, d.filename, about)
                })
                .collect()
        } else {
            Vec::new()
        },
        errors: FieldErrors::default(),
        refusal: None,
        meeting,
    })
}

/// GET /moeder/{id}
pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, AppError> {
    Ok(Html(build(&state, &ctx, id).await?.render()?))
}

#[derive(Template)]
#[template(path = "meetings/print.html")]
struct PrintPage {
    l: Layout,
    page: MeetingPage,
}

/// GET /moeder/{id}/dagsorden: the agenda as a clean printable document.
pub async fn printable(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, AppError> {
    let page = build(&state, &ctx, id).await?;
    if page.agenda.is_none() {
        return Err(AppError::NotFound);
    }
    let l = Layout::for_user(&ctx.user, ctx.csrf.clone(), Nav::Meetings, format!("Dagsorden · {}", page.l.title));
    Ok(Html(PrintPage { l, page }.render()?))
}
