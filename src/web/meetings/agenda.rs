//! What people do to a meeting's agenda (A1-A6): create it from the template, edit and reorder
//! items, move it through the chair's approval to publication (A2: the agenda mail goes out then).
//! The forms are read here; each command, its rule and its mail are `app::agenda`'s.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::{answer, readable_meeting, refused, relation, secretariat_only, theirs};
use crate::app;
use crate::domain::agenda_times;
use crate::domain::agenda_workflow::{self, Actor as AgendaActor, AgendaAction};
use crate::domain::change_requests::AgendaPurpose;
use crate::domain::ids::AgendaItemId;
use crate::domain::input;
use crate::domain::refusal::Refusal;
use crate::state::AppState;
use crate::store::agendas::{self, ItemInput};
use crate::store::change_requests::Selection;
use crate::store::meetings::Meeting;
use crate::web::auth::Ctx;
use crate::web::error::AppError;

/// POST /moeder/{id}/dagsorden: a new agenda from the standard template (A4).
pub async fn create(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let who = relation(&state, &ctx, &meeting).await?.actor;
    secretariat_only(who)?;
    let done = app::agenda::create(&state, &ctx.actor(), id).await;
    answer(&state, &ctx, id, done, "dagsorden").await
}

/// The meeting, its agenda and who this person is to it; an agenda they may not read is not there.
async fn agenda_for(state: &AppState, ctx: &Ctx, id: i64) -> Result<(Meeting, agendas::Agenda, AgendaActor), AppError> {
    let meeting = readable_meeting(state, ctx, id).await?;
    let who = relation(state, ctx, &meeting).await?.actor;
    let agenda = agendas::for_meeting(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if !agenda_workflow::can_read(agenda.status, who) {
        return Err(AppError::NotFound);
    }
    Ok((meeting, agenda, who))
}

#[derive(Deserialize, Default)]
pub struct TransitionForm {
    #[serde(default)]
    comment: String,
}

/// POST /moeder/{id}/dagsorden/{action}: send to the chair, approve, publish, return to draft,
/// or comment (A1, A2).
pub async fn transition(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, action)): Path<(i64, String)>,
    Form(form): Form<TransitionForm>,
) -> Result<Response, AppError> {
    let action = match action.as_str() {
        "send-til-forperson" => AgendaAction::SendToChair,
        "godkend" => AgendaAction::Approve,
        "udsend" => AgendaAction::Publish,
        "tilbage-til-kladde" => AgendaAction::ReturnToDraft,
        "kommenter" => AgendaAction::Comment,
        _ => return Err(AppError::NotFound),
    };
    let (meeting, agenda, who) = agenda_for(&state, &ctx, id).await?;
    let comment = match action {
        AgendaAction::Comment => match input::text(form.comment.trim(), 10_000) {
            Ok(c) => Some(c),
            Err(message) => return refused(&state, &ctx, id, "A1", message).await,
        },
        _ => None,
    };
    let done = app::agenda::step(&state, &ctx.actor(), &meeting, &agenda, who, action, comment.as_deref()).await;
    answer(&state, &ctx, id, theirs(who, done)?, "dagsorden").await
}

#[derive(Deserialize, Default)]
pub struct ItemForm {
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    presenter: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    is_decision: Option<String>,
    #[serde(default)]
    responsible_id: String,
    #[serde(default)]
    is_planning: Option<String>,
    #[serde(default)]
    planned_minutes: String,
}

impl ItemForm {
    /// A5: a decision item names the person responsible.
    fn validate(&self) -> Result<ItemInput, Refusal> {
        let title = input::one_line(&self.title, 300).map_err(|m| Refusal::new("A4", m))?;
        if title.is_empty() {
            return Err(Refusal::new("A4", "Giv punktet en overskrift."));
        }
        let presenter = input::one_line(&self.presenter, 200).map_err(|m| Refusal::new("A4", m))?;
        let body = input::text(&self.body, 20_000).map_err(|m| Refusal::new("A4", m))?;
        let responsible_id = self.responsible_id.parse::<i64>().ok();
        let is_decision = self.is_decision.is_some();
        agenda_workflow::check_decision_item(is_decision, responsible_id.is_some())?;
        let planned_minutes = match self.planned_minutes.trim() {
            "" => None,
            s => Some(
                s.parse::<i32>()
                    .ok()
                    .filter(|m| (1..=600).contains(m))
                    .ok_or_else(|| Refusal::new("A4", "Skriv tiden i hele minutter."))?,
            ),
        };
        Ok(ItemInput {
            parent_id: self.parent_id.parse::<i64>().ok(),
            title,
            presenter,
            body,
            is_decision,
            responsible_id,
            is_planning: self.is_planning.is_some(),
            planned_minutes,
        })
    }
}

/// POST /moeder/{id}/dagsorden/punkter
pub async fn add_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<ItemForm>,
) -> Result<Response, AppError> {
    let (_, agenda, who) = agenda_for(&state, &ctx, id).await?;
    secretariat_only(who)?;
    let done = match form.validate() {
        Ok(input) => app::agenda::add_item(&state, &ctx.actor(), &agenda, who, &input).await,
        Err(refusal) => Err(refusal.into()),
    };
    answer(&state, &ctx, id, theirs(who, done)?, "dagsorden").await
}

/// POST /moeder/{id}/dagsorden/punkter/{item}
pub async fn update_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, item)): Path<(i64, AgendaItemId)>,
    Form(form): Form<ItemForm>,
) -> Result<Response, AppError> {
    let (_, agenda, who) = agenda_for(&state, &ctx, id).await?;
    secretariat_only(who)?;
    let done = match form.validate() {
        Ok(input) => app::agenda::update_item(&state, &ctx.actor(), &agenda, who, item, &input).await,
        Err(refusal) => Err(refusal.into()),
    };
    answer(&state, &ctx, id, theirs(who, done)?, &format!("punkt-{item}")).await
}

/// POST /moeder/{id}/dagsorden/punkter/{item}/slet
pub async fn delete_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, item)): Path<(i64, AgendaItemId)>,
) -> Result<Response, AppError> {
    let (_, agenda, who) = agenda_for(&state, &ctx, id).await?;
    secretariat_only(who)?;
    let done = app::agenda::delete_item(&state, &ctx.actor(), &agenda, who, item).await;
    answer(&state, &ctx, id, theirs(who, done)?, "dagsorden").await
}

/// POST /moeder/{id}/dagsorden/punkter/{item}/{op|ned}: the chair may reorder items (A4).
pub async fn move_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, item, direction)): Path<(i64, AgendaItemId, String)>,
) -> Result<Response, AppError> {
    let up = match direction.as_str() {
        "op" => true,
        "ned" => false,
        _ => return Err(AppError::NotFound),
    };
    let (_, agenda, who) = agenda_for(&state, &ctx, id).await?;
    let done = app::agenda::move_item(&state, &ctx.actor(), &agenda, who, item, up).await;
    answer(&state, &ctx, id, theirs(who, done)?, &format!("punkt-{item}")).await
}

/// POST /moeder/{id}/dagsorden/tider (A4): the items' durations, as `minutes_{item id}` fields; the
/// chair sets them while the draft is with them, the secretariat while it drafts. A duration that is
/// not whole minutes is refused with nothing stored; times past the meeting's end only warn (the page).
pub async fn set_times(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, agenda, who) = agenda_for(&state, &ctx, id).await?;
    let done = match times(&fields) {
        Ok(times) => app::agenda::set_times(&state, &ctx.actor(), &agenda, who, &times).await,
        Err(refusal) => Err(refusal.into()),
    };
    answer(&state, &ctx, id, theirs(who, done)?, "dagsorden").await
}

/// The `minutes_{item id}` fields as whole minutes, or none.
fn times(fields: &[(String, String)]) -> Result<Vec<(AgendaItemId, Option<i32>)>, Refusal> {
    let mut times = Vec::new();
    for (name, value) in fields {
        let Some(item) = name.strip_prefix("minutes_").and_then(|i| i.parse().ok()).map(AgendaItemId) else { continue };
        times.push((item, agenda_times::parse_minutes(value).map_err(|m| Refusal::new("A4", m))?));
    }
    Ok(times)
}

/// POST /moeder/{id}/dagsorden/aendringsoensker (A7): the secretariat chooses which of the group's change
/// requests go on the agenda, for decision or for discussion, with a note on those not ready. Fields are
/// `purpose_{request id}` (`decision`, `discussion` or empty) and `note_{request id}`.
pub async fn select_change_requests(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (meeting, agenda, who) = agenda_for(&state, &ctx, id).await?;
    secretariat_only(who)?;
    let Some(group_id) = meeting.group_id else { return Err(AppError::NotFound) };
    let done = match selections(&fields) {
        Ok(chosen) => app::agenda::select_change_requests(&state, &ctx.actor(), &agenda, who, group_id, &chosen).await,
        Err(refusal) => Err(refusal.into()),
    };
    answer(&state, &ctx, id, theirs(who, done)?, "cr-heading").await
}

/// The `purpose_{request id}` and `note_{request id}` fields as one selection a request.
fn selections(fields: &[(String, String)]) -> Result<Vec<Selection>, Refusal> {
    let mut selections: Vec<Selection> = Vec::new();
    for (name, value) in fields {
        let (request, purpose, note) = if let Some(rest) = name.strip_prefix("purpose_") {
            (rest, Some(value), None)
        } else if let Some(rest) = name.strip_prefix("note_") {
            (rest, None, Some(value))
        } else {
            continue;
        };
        let Ok(request) = request.parse::<i64>() else { continue };
        let index = match selections.iter().position(|s| s.change_request_id == request) {
            Some(i) => i,
            None if selections.len() < 500 => {
                selections.push(Selection { change_request_id: request, purpose: None, not_ready_note: String::new() });
                selections.len() - 1
            }
            None => return Err(Refusal::new("A7", "Der er valgt for mange ændringsønsker på én gang.")),
        };
        if let Some(purpose) = purpose.map(|p| p.trim()).filter(|p| !p.is_empty()) {
            let purpose = AgendaPurpose::parse(purpose)
                .ok_or_else(|| Refusal::new("A7", "Vælg til beslutning, til drøftelse eller ikke på dagsordenen."))?;
            selections[index].purpose = Some(purpose);
        }
        if let Some(note) = note {
            selections[index].not_ready_note = input::text(note, 2000).map_err(|m| Refusal::new("A7", m))?;
        }
    }
    Ok(selections)
}
