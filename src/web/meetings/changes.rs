//! Changing a meeting after it is planned: the secretariat edits its time, place,
//! format and title, or cancels it with a reason; everyone who got the agenda is sent an updated
//! invitation (same UID, higher SEQUENCE) or the cancellation. And T1: planning the yearly meetings
//! across groups (joint, chairs', chairs with staff group and board) with their participants.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{meeting_event, readable_meeting};
use crate::domain::access::Viewer;
use crate::domain::calendar::local_date;
use crate::domain::field_errors::FieldErrors;
use crate::domain::input::{self, Choice};
use crate::domain::meeting_codes::{MeetingKind, MeetingStatus};
use crate::domain::meeting_input::{self, MeetingFields, MeetingInput};
use crate::mail::{self, Mail};
use crate::state::AppState;
use crate::store::meetings::{self, Meeting};
use crate::text;
use crate::web::auth::Ctx;
use crate::web::error::AppError;
use crate::web::layout::{Layout, Nav};

/// The meeting as the form shows it: local date and times (D2).
pub fn input_of(m: &Meeting) -> MeetingInput {
    MeetingInput {
        kind: m.kind.as_str().into(),
        title: m.title.clone(),
        date: local_date(m.starts_at).to_string(),
        start: text::time(m.starts_at),
        end: text::time(m.ends_at),
        format: m.format.as_str().into(),
        location: m.location.clone(),
        online_link: m.online_link.clone(),
        cycle_number: m.cycle_number.map(|n| n.to_string()).unwrap_or_default(),
        ..MeetingInput::default()
    }
}

/// The meeting with the new fields and the next sequence: what participants' calendars will show.
pub fn changed(before: &Meeting, fields: &MeetingFields) -> Meeting {
    Meeting {
        kind: fields.kind,
        title: fields.title.clone(),
        starts_at: fields.starts_at,
        ends_at: fields.ends_at,
        format: fields.format,
        location: fields.location.clone(),
        online_link: fields.online_link.clone(),
        cycle_number: fields.cycle_number,
        sequence: before.sequence + 1,
        ..before.clone()
    }
}

/// Whether the fields change anything (an unchanged form sends no mail).
pub fn same(before: &Meeting, fields: &MeetingFields) -> bool {
    before.kind == fields.kind
        && before.title == fields.title
        && before.starts_at == fields.starts_at
        && before.ends_at == fields.ends_at
        && before.format == fields.format
        && before.location == fields.location
        && before.online_link == fields.online_link
        && before.cycle_number == fields.cycle_number
}

/// The mail to those who got the agenda: `after` as it is now (its sequence raised), or cancelled.
pub fn notice(state: &AppState, before: &Meeting, after: &Meeting, reason: Option<&str>) -> Result<Mail, AppError> {
    let base = state.config.base_url();
    let mut event = meeting_event(after, &state.config);
    event.cancelled = reason.is_some();
    event.last_modified = state.clock.now();
    let group = after.group_name.clone().unwrap_or_else(|| "Alle grupper".into());
    let link = format!("{base}/moeder/{}", after.id);
    let place = after.format.place(&after.location);
    let organizer = state.config.organizer();
    let changes = what_changed(before, after);
    let facts = mail::MeetingChanged {
        group: &group,
        was: before.starts_at,
        kind: after.kind.label(),
        place: &place,
        cancelled: reason.is_some(),
        reason: reason.unwrap_or(""),
        changes: &changes,
        link: &link,
        event: &event,
        organizer: &organizer,
        now: state.clock.now(),
    };
    Ok(mail::meeting_changed(&facts)?)
}

/// What the participants are told changed: each field that did, as it was and as it is now.
pub fn what_changed(before: &Meeting, after: &Meeting) -> Vec<(&'static str, String, String)> {
    let when = |m: &Meeting| format!("{}–{}", text::datetime(m.starts_at), text::time(m.ends_at));
    let place = |m: &Meeting| m.format.place(&m.location);
    let or_none = |s: &str| if s.is_empty() { "(ingen)".to_owned() } else { s.to_owned() };
    let mut changes = Vec::new();
    let mut note = |what, was: String, now: String| {
        if was != now {
            changes.push((what, was, now));
        }
    };
    note("Tidspunkt", when(before), when(after));
    note("Sted", place(before), place(after));
    note("Link til onlinemødet", or_none(&before.online_link), or_none(&after.online_link));
    note("Titel", or_none(&before.title), or_none(&after.title));
    note("Mødetype", before.kind.label().to_owned(), after.kind.label().to_owned());
    changes
}

/// What a change of a meeting came to.
pub enum Outcome {
    Changed,
    Unchanged,
    /// Cancelled or held, or changed by someone else meanwhile.
    NotPlanned,
}

/// Applies parsed fields to a planned meeting: stores, withdraws stale reminders, mails those who got
/// the agenda. Shared by the edit form and the API.
pub async fn apply(
    state: &AppState,
    actor: &crate::store::audit::Actor,
    before: &Meeting,
    fields: &MeetingFields,
) -> Result<Outcome, AppError> {
    if before.status != MeetingStatus::Planned {
        return Ok(Outcome::NotPlanned);
    }
    if same(before, fields) {
        return Ok(Outcome::Unchanged);
    }
    let mail = notice(state, before, &changed(before, fields), None)?;
    if meetings::update(&state.db, actor, before, fields, &mail, state.clock.now()).await? {
        Ok(Outcome::Changed)
    } else {
        Ok(Outcome::NotPlanned)
    }
}

#[derive(Template)]
#[template(path = "meetings/edit.html")]
struct EditPage {
    l: Layout,
    meeting: Meeting,
    when: String,
    form: MeetingInput,
    errors: FieldErrors,
    kind_choices: Vec<Choice>,
    format_choices: Vec<Choice>,
    cycle_choices: Vec<Choice>,
    show_cycle: bool,
    reason: String,
    reason_error: String,
    refusal: String,
}

fn edit_page(ctx: &Ctx, meeting: Meeting, form: MeetingInput) -> EditPage {
    let day = local_date(meeting.starts_at);
    EditPage {
        l: ctx.layout(
            Nav::Meetings,
            format!("Ret møde · {} {}", meeting.group_name.as_deref().unwrap_or("Alle grupper"), text::short_date(day)),
        ),
        when: text::datetime(meeting.starts_at),
        form,
        errors: FieldErrors::default(),
        kind_choices: meeting_input::kind_choices(meeting.kind.family()),
        format_choices: meeting_input::format_choices(),
        cycle_choices: meeting_input::cycle_choices(),
        show_cycle: meeting.group_id.is_some(),
        reason: String::new(),
        reason_error: String::new(),
        refusal: String::new(),
        meeting,
    }
}

const NOT_PLANNED: &str = "Mødet er aflyst eller afholdt, eller en anden har lige ændret det. Intet er gemt.";

/// GET /moeder/{id}/rediger
pub async fn edit_form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let form = input_of(&meeting);
    let mut page = edit_page(&ctx, meeting, form);
    if page.meeting.status != MeetingStatus::Planned {
        page.refusal = "Mødet er ikke længere planlagt og kan ikke ændres.".into();
    }
    Ok(Html(page.render()?).into_response())
}

/// POST /moeder/{id}/rediger
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<MeetingInput>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let before = readable_meeting(&state, &ctx, id).await?;
    let fields = match form.parse(before.kind.family()) {
        Ok(fields) => fields,
        Err(errors) => {
            let mut page = edit_page(&ctx, before, form);
            page.errors = errors;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
        }
    };
    match apply(&state, &ctx.actor(), &before, &fields).await? {
        Outcome::Changed | Outcome::Unchanged => Ok(Redirect::to(&format!("/moeder/{id}")).into_response()),
        Outcome::NotPlanned => {
            let mut page = edit_page(&ctx, before, form);
            page.refusal = NOT_PLANNED.into();
            Ok((StatusCode::CONFLICT, Html(page.render()?)).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    reason: String,
    /// Sent by `CancelConfirmPage` once the person has seen what the cancellation will do.
    #[serde(default, deserialize_with = "crate::web::forms::checkbox")]
    confirmed: bool,
}

/// Before a meeting is cancelled: what will happen, and to whom, with the reason as it will be sent.
#[derive(Template)]
#[template(path = "meetings/cancel_confirm.html")]
struct CancelConfirmPage {
    l: Layout,
    meeting: Meeting,
    when: String,
    reason: String,
    /// The names of those who got the agenda and will be sent the cancellation.
    told: Vec<String>,
}

/// Cancels a planned meeting with the reason, telling those who got the agenda; false when it was
/// not planned (any more). Shared by the page and the API.
pub async fn cancel_meeting(
    state: &AppState,
    actor: &crate::store::audit::Actor,
    before: &Meeting,
    reason: &str,
) -> Result<bool, AppError> {
    if before.status != MeetingStatus::Planned {
        return Ok(false);
    }
    let after = Meeting { status: MeetingStatus::Cancelled, sequence: before.sequence + 1, ..before.clone() };
    let mail = notice(state, before, &after, Some(reason))?;
    Ok(meetings::cancel(&state.db, actor, before, reason, &mail, state.clock.now()).await?)
}

/// The reason for a cancellation, bounded; or the Danish message.
pub fn cancel_reason(raw: &str) -> Result<String, String> {
    let reason = input::text(raw, 1000)?;
    if reason.is_empty() {
        return Err("Skriv hvorfor mødet aflyses; begrundelsen sendes til deltagerne.".into());
    }
    Ok(reason)
}

/// POST /moeder/{id}/aflys
pub async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<CancelForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let before = readable_meeting(&state, &ctx, id).await?;
    let reason = match cancel_reason(&form.reason) {
        Ok(reason) => reason,
        Err(message) => {
            let form_input = input_of(&before);
            let mut page = edit_page(&ctx, before, form_input);
            page.reason = form.reason;
            page.reason_error = message;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
        }
    };
    if !form.confirmed && before.status == MeetingStatus::Planned {
        let told = meetings::cancellation_audience(&state.db, id).await?;
        let when = text::datetime(before.starts_at);
        let page = CancelConfirmPage {
            l: ctx.layout(Nav::Meetings, format!("Aflys mødet {when}?")),
            meeting: before,
            when,
            reason,
            told,
        };
        return Ok(Html(page.render()?).into_response());
    }
    if !cancel_meeting(&state, &ctx.actor(), &before, &reason).await? {
        let form_input = input_of(&before);
        let mut page = edit_page(&ctx, before, form_input);
        page.refusal = NOT_PLANNED.into();
        return Ok((StatusCode::CONFLICT, Html(page.render()?)).into_response());
    }
    Ok(Redirect::to(&format!("/moeder/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "meetings/across.html")]
struct AcrossPage {
    l: Layout,
    form: MeetingInput,
    errors: FieldErrors,
    kind_choices: Vec<Choice>,
    format_choices: Vec<Choice>,
    cycle_choices: Vec<Choice>,
    show_cycle: bool,
}

fn across_page(ctx: &Ctx, form: MeetingInput, errors: FieldErrors) -> AcrossPage {
    AcrossPage {
        l: ctx.layout(Nav::Meetings, "Planlæg møde på tværs af grupperne"),
        form,
        errors,
        kind_choices: meeting_input::kind_choices(&MeetingKind::ACROSS_GROUPS),
        format_choices: meeting_input::format_choices(),
        cycle_choices: Vec::new(),
        show_cycle: false,
    }
}

/// GET /moeder/ny (T1)
pub async fn across_form(ctx: Ctx) -> Result<Html<String>, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let form = MeetingInput::new_meeting(MeetingKind::Joint);
    Ok(Html(across_page(&ctx, form, FieldErrors::default()).render()?))
}

/// POST /moeder/ny (T1)
pub async fn create_across(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<MeetingInput>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    match form.parse(&MeetingKind::ACROSS_GROUPS) {
        Ok(fields) => {
            let id = meetings::create_across_groups(&state.db, &ctx.actor(), &fields).await?;
            Ok(Redirect::to(&format!("/moeder/{id}")).into_response())
        }
        Err(errors) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(across_page(&ctx, form, errors).render()?)).into_response())
        }
    }
}
