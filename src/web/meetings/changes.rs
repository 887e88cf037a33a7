//! The pages for changing a meeting after it is planned: the secretariat edits its time, place, format
//! and title, or cancels it with a reason (the commands, and whom they tell: `app::meetings`). And
//! T1: planning the yearly meetings across groups (joint, chairs', chairs with staff group and board).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::readable_meeting;
use crate::app::meetings::{self as meetings_app, Outcome};
use crate::domain::access::Viewer;
use crate::domain::calendar::local_date;
use crate::domain::field_errors::FieldErrors;
use crate::domain::input::Choice;
use crate::domain::meeting_codes::{MeetingKind, MeetingStatus};
use crate::domain::meeting_input::{self, MeetingInput};
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
    match meetings_app::change(&state, &ctx.actor(), &before, &fields).await? {
        Outcome::Done | Outcome::Unchanged => Ok(Redirect::to(&format!("/moeder/{id}")).into_response()),
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

/// POST /moeder/{id}/aflys
pub async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<CancelForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let before = readable_meeting(&state, &ctx, id).await?;
    let reason = match meeting_input::cancel_reason(&form.reason) {
        Ok(reason) => reason,
        Err(message) => {
            let form_input = input_of(&before);
            let mut page = edit_page(&ctx, before, form_input);
            page.reason = form.reason;
            page.reason_error = message.into();
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
    if meetings_app::cancel(&state, &ctx.actor(), &before, &reason).await? == Outcome::NotPlanned {
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
            let id = meetings_app::plan_across_groups(&state, &ctx.actor(), &fields).await?;
            Ok(Redirect::to(&format!("/moeder/{id}")).into_response())
        }
        Err(errors) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(across_page(&ctx, form, errors).render()?)).into_response())
        }
    }
}
