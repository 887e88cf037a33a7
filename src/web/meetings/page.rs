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
use super::panels::dashboard;
use super::panels::deadlines::{self, DeadlineLine};
use super::panels::requests::{self, RequestForm, RequestView};
use super::{Choice, Relation, relation_among};
use crate::domain::agenda_snapshot::{AgendaSnapshot, Dashboard, InitiativeBlock};
use crate::domain::agenda_workflow;
use crate::domain::annual_cycle::{self, Warning};
use crate::domain::calendar::local_date;
use crate::domain::composition::SeatStatus;
use crate::domain::deadlines::{StepsDone, attendance_allowed};
use crate::domain::meeting_codes::{MeetingKind, MeetingStatus};
use crate::domain::refusal::Refusal;
use crate::state::AppState;
use crate::store::{meeting_page, meetings};
use crate::text;
use crate::time_zone::TZ;
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
    /// Why an agenda that exists is not shown to this reader; empty when it is shown or there is none.
    pub agenda_hidden_because: &'static str,
    pub change_requests: Vec<InitiativeBlock>,
    pub dashboard: Dashboard,
    /// A7, A8: when the published agenda kept the registers as shown; empty while they are live.
    pub registers_as_of: String,
    /// A7: the group's requests the secretariat may put on the agenda while it drafts it.
    pub selection: Vec<SelectLine>,
    pub requests: Vec<RequestView>,
    pub request_form: RequestForm,
    pub request_late_now: bool,
    pub items_due: String,
    pub attendance: Vec<AttendanceLine>,
    pub attendance_warnings: Vec<crate::domain::composition::Warning>,
    pub my_apology: Option<String>,
    /// M6: "Du deltager i mødet for X", for a substitute who confirmed.
    pub my_stand_in: Option<String>,
    /// M6, T4: the absent members of the substitute's party they may stand in for.
    pub stand_in_choices: Vec<(i64, String)>,
    /// T4: the person's apology can still be withdrawn (the meeting has not begun).
    pub can_withdraw_apology: bool,
    pub can_apologise: bool,
    /// T5: the secretariat records attendance once the meeting has begun.
    pub can_record_attendance: bool,
    pub checklist: Vec<(String, &'static str, bool)>,
    pub responsible_choices: Vec<Choice>,
    pub parent_choices: Vec<Choice>,
    pub attachments: Vec<(i64, String, String)>,
    /// T1: the participants fixed for a meeting across groups.
    pub participants: Vec<String>,
    /// R1-R4: the minutes' status, when this person may read them.
    pub minutes: Option<&'static str>,
    /// The secretariat may write minutes once the meeting has begun.
    pub may_write_minutes: bool,
    pub errors: FieldErrors,
    pub refusal: Option<Refusal>,
}

/// A7: one request in the secretariat's choice for the agenda.
pub struct SelectLine {
    pub id: i64,
    pub label: String,
    pub status: &'static str,
    pub initiative: String,
    pub purpose: &'static str,
    pub not_ready_note: String,
}

/// Builds the whole page from one read (`store::meeting_page`); handlers that fail a form fill in
/// `errors` or `refusal` afterwards.
pub async fn build(state: &AppState, ctx: &Ctx, id: i64) -> Result<MeetingPage, AppError> {
    let reader = meeting_page::Reader {
        scope: ctx.scope(),
        secretariat: ctx.viewer().is_secretariat(),
        read_version: ctx.user.read_version,
    };
    let kept = meeting_page::view(&state.db, &state.kept.meeting_pages, &state.kept.meeting_readers, id, reader)
        .await?
        .ok_or(AppError::NotFound)?;
    // The page takes its parts apart; the kept copy stays as it is for the next reader.
    let data = meeting_page::MeetingPageData::clone(&kept);
    let meeting_page::MeetingPageData {
        meeting,
        members,
        agenda,
        snapshot,
        items,
        chair_comments,
        minutes: minutes_steps,
        selectable,
        registers: live_registers,
        requests,
        attendance,
        checklist,
        documents,
        participants,
        topics,
    } = data;
    let Relation { actor, membership, members } = relation_among(ctx, members);
    let cx = PageContext {
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
            minutes_sent: minutes_steps.sent_at,
            minutes_worked_in: minutes_steps.worked_in_at,
        };
        deadlines::lines(&cx.cal, &cx.settings, meeting.starts_at, done, cx.now)
    } else {
        Vec::new()
    };
    let local = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&TZ).naive_local();
    let warnings: Vec<Warning> =
        annual_cycle::format_warning(local(meeting.starts_at), local(meeting.ends_at), meeting.format)
            .into_iter()
            .collect();

    let agenda_status = agenda.as_ref().map(|a| a.status);
    let readable = agenda_status.filter(|s| agenda_workflow::can_read(*s, actor));
    let agenda_view = match (&agenda, readable) {
        (Some(a), Some(status)) => {
            let span = (local(meeting.starts_at).time(), local(meeting.ends_at).time());
            Some(agenda::build(actor, a, status, items, chair_comments, span))
        }
        _ => None,
    };
    let registers_view = match (meeting.group_id, &agenda, &agenda_view) {
        (Some(_), Some(a), Some(_)) => dashboard::build(&cx, a, &snapshot, live_registers)?,
        _ => AgendaSnapshot::default(),
    };
    let mut agenda_view = agenda_view;
    if let Some(view) = agenda_view.as_mut() {
        agenda::fill(view, &registers_view.dashboard.actions, &topics);
    }
    let may_select = agenda_status.is_some_and(|s| {
        actor == agenda_workflow::Actor::Secretariat
            && agenda_workflow::next_status(s, agenda_workflow::AgendaAction::Edit, actor).is_ok()
    });
    let selection = match (meeting.group_id, may_select) {
        (Some(_), true) => selectable
            .into_iter()
            .map(|c| SelectLine {
                id: c.id,
                label: format!("{} {}", c.reference, c.title),
                status: c.status.label(),
                initiative: c.initiative.unwrap_or_else(|| "Uden roadmap-initiativ".into()),
                purpose: c.purpose.map(|p| p.as_str()).unwrap_or(""),
                not_ready_note: c.not_ready_note,
            })
            .collect(),
        _ => Vec::new(),
    };
    let (responsible_choices, parent_choices) = match &agenda_view {
        Some(view) => agenda::edit_choices(view, &members),
        None => (Vec::new(), Vec::new()),
    };

    let own_active = membership.as_ref().filter(|m| m.status == SeatStatus::Active);
    let requests = requests::build(&cx, requests);
    let attendance = attendance::build(attendance, own_active, cx.now < meeting.starts_at);
    let checklist = checklist.into_iter().map(|c| (c.item.as_str().to_owned(), c.item.label(), c.done)).collect();
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
    let participants = participants.into_iter().map(|p| p.name).collect();
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
        status: meeting.status.label(),
        is_secretariat: actor == agenda_workflow::Actor::Secretariat,
        is_participant: own_active.is_some(),
        nominated: membership.as_ref().is_some_and(|m| m.status == SeatStatus::Nominated),
        warnings,
        deadlines,
        agenda_hidden_because: match (agenda_status, readable) {
            (Some(_), Some(_)) | (None, _) => "",
            // A2: a published agenda is the group's; someone outside it is not told it is being written.
            (Some(agenda_workflow::AgendaStatus::Published), None) => "Dagsordenen er udsendt til gruppens deltagere.",
            (Some(_), None) => "Dagsordenen er under udarbejdelse og bliver synlig, når den er godkendt og udsendt.",
        },
        agenda: agenda_view,
        registers_as_of: registers_view.taken_at.map(text::datetime).unwrap_or_default(),
        change_requests: registers_view.change_requests,
        dashboard: registers_view.dashboard,
        selection,
        requests: requests.requests,
        request_form: RequestForm::default(),
        request_late_now: requests.late_now,
        items_due: requests.items_due,
        attendance: attendance.lines,
        attendance_warnings: attendance.warnings,
        can_withdraw_apology: attendance.my_apology.is_some() && now < meeting.starts_at,
        my_apology: attendance.my_apology,
        my_stand_in: attendance.my_stand_in,
        stand_in_choices: attendance.stand_in_choices,
        can_apologise: own_active.is_some() && meeting.starts_at > now && meeting.status == MeetingStatus::Planned,
        can_record_attendance: actor == agenda_workflow::Actor::Secretariat
            && attendance_allowed(now, meeting.starts_at).is_ok(),
        checklist,
        responsible_choices,
        parent_choices,
        attachments,
        participants,
        minutes: minutes_steps
            .status
            .filter(|s| crate::domain::minutes::can_read(*s, actor))
            .map(crate::domain::minutes::MinutesStatus::label),
        may_write_minutes: minutes_steps.status.is_none()
            && actor == agenda_workflow::Actor::Secretariat
            && meeting.group_id.is_some()
            && meeting.starts_at <= now,
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
