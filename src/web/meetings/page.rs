//! The meeting page: what, when and where; the deadlines (D3); the agenda with its change requests
//! (A7) and dashboard (A8) as far as the person may read it (A1, A2); requests for items (A3);
//! apologies and attendance (T4, T5); attachments (T7); the room-and-catering checklist (T6).
//! The panels build their parts; this reads what they share once and puts the page together.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;

use super::panels::PageContext;
use super::panels::agenda::{self, AgendaView};
use super::panels::attendance::{self, AttendanceLine};
use super::panels::dashboard::{self, Dashboard, InitiativeBlock};
use super::panels::deadlines::{self, DeadlineLine};
use super::panels::requests::{self, RequestForm, RequestView};
use super::{Choice, Relation, relation_from};
use crate::domain::agenda_workflow;
use crate::domain::annual_cycle::{self, Warning};
use crate::domain::calendar::{TZ, local_date};
use crate::domain::composition::SeatStatus;
use crate::domain::deadlines::StepsDone;
use crate::domain::meeting_codes::{MeetingKind, MeetingStatus};
use crate::state::AppState;
use crate::store::{meeting_page, meetings};
use crate::text;
use crate::web::auth::Ctx;
use crate::web::error::AppError;
use crate::web::forms::FieldErrors;
use crate::web::layout::{Layout, Nav};

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

/// Builds the whole page; handlers that fail a form fill in `errors` or `refusal` afterwards.
pub async fn build(state: &AppState, ctx: &Ctx, id: i64) -> Result<MeetingPage, AppError> {
    // One statement for the whole page (issue 12); the panels turn its parts into what they show.
    let data =
        meeting_page::load(&state.db, id, ctx.scope(), dashboard::OPERATIONS_DAYS).await?.ok_or(AppError::NotFound)?;
    let meeting_page::MeetingPageData {
        meeting,
        members,
        agenda,
        items,
        minutes_sent_at,
        requests,
        attendance,
        checklist,
        documents,
        dashboard,
    } = data;
    let Relation { actor, membership, members } = relation_from(ctx, members);
    let cx = PageContext {
        state,
        meeting: &meeting,
        person_id: ctx.user.person_id,
        actor,
        cal: state.calendar.get(&state.db).await?,
        settings: state.config.deadline_settings(),
        now: state.clock.now(),
    };
    let deadlines = if meeting.kind == MeetingKind::Ordinary {
        let done = StepsDone {
            agenda_sent_to_chair: agenda.as_ref().and_then(|a| a.sent_to_chair_at),
            agenda_published: agenda.as_ref().and_then(|a| a.published_at),
            minutes_sent: minutes_sent_at,
        };
        deadlines::lines(&cx.cal, &cx.settings, meeting.starts_at, done, cx.now)
    } else {
        Vec::new()
    };
    let local = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&TZ).naive_local();
    let warnings: Vec<Warning> =
        annual_cycle::format_warning(local(meeting.starts_at), local(meeting.ends_at), meeting.format.as_str())
            .into_iter()
            .collect();

    let agenda_status = agenda.as_ref().map(|a| a.status);
    let readable = agenda_status.filter(|s| agenda_workflow::can_read(*s, actor));
    let agenda_view = match (&agenda, readable) {
        (Some(a), Some(status)) => Some(agenda::build(&cx, a, status, items)),
        _ => None,
    };
    let (change_requests, dashboard) = match (meeting.group_id, &agenda_view) {
        (Some(_), Some(_)) => dashboard::build(&cx, dashboard),
        _ => (Vec::new(), Dashboard::default()),
    };
    let (responsible_choices, parent_choices) = match &agenda_view {
        Some(view) => agenda::edit_choices(view, &members),
        None => (Vec::new(), Vec::new()),
    };

    let own_active = membership.as_ref().filter(|m| m.status == SeatStatus::Active);
    let requests = requests::build(&cx, requests);
    let attendance = attendance::build(attendance, own_active);
    let checklist = checklist.into_iter().map(|c| (c.item.clone(), checklist_label(&c.item), c.done)).collect();
    let attachments = if agenda_workflow::can_read_attachments(agenda_status, actor) {
        documents
            .into_iter()
            .map(|d| {
                let about = format!("{} kB · {}", (d.size_bytes + 1023) / 1024, text::datetime(d.uploaded_at));
                (d.id, d.filename, about)
            })
            .collect()
    } else {
        Vec::new()
    };
    let now = cx.now;
    let day = local_date(meeting.starts_at);
    Ok(MeetingPage {
        l: ctx.layout(
            Nav::Meetings,
            format!("{} {}", meeting.group_name.clone().unwrap_or_else(|| "Møde".into()), text::short_date(day)),
        ),
        when: text::date(day),
        time_range: format!("kl. {}–{}", text::time(meeting.starts_at), text::time(meeting.ends_at)),
        kind: meeting.kind.label(),
        place: meeting.format.place(&meeting.location),
        cycle: meeting.cycle_number.map(|n| annual_cycle::roman(n as u32)).unwrap_or(""),
        status: match meeting.status.as_str() {
            "held" => "Afholdt",
            "cancelled" => "Aflyst",
            _ => "Planlagt",
        },
        is_secretariat: actor == agenda_workflow::Actor::Secretariat,
        is_participant: own_active.is_some(),
        nominated: membership.as_ref().is_some_and(|m| m.status == SeatStatus::Nominated),
        warnings,
        deadlines,
        agenda_exists_but_hidden: agenda.is_some() && readable.is_none(),
        agenda: agenda_view,
        change_requests,
        dashboard,
        requests: requests.requests,
        request_form: RequestForm::default(),
        request_late_now: requests.late_now,
        items_due: requests.items_due,
        attendance: attendance.lines,
        my_apology: attendance.my_apology,
        can_apologise: own_active.is_some() && meeting.starts_at > now && meeting.status == MeetingStatus::Planned,
        checklist,
        responsible_choices,
        parent_choices,
        attachments,
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
