//! What people do to a meeting's agenda (A1-A6): create it from the template, edit and reorder
//! items, move it through the chair's approval to publication (A2: the agenda mail goes out then).
//! Every rule is asked of `domain`, every change goes to `store`.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::panels::dashboard;
use super::{back, readable_meeting, refused, relation};
use crate::app::meetings::calendar_event;
use crate::domain::agenda_template::{self, standard_agenda};
use crate::domain::agenda_times;
use crate::domain::agenda_workflow::{self, Actor as AgendaActor, AgendaAction, AgendaStatus};
use crate::domain::calendar::local_date;
use crate::domain::change_requests::AgendaPurpose;
use crate::domain::refusal::Refusal;
use crate::domain::{deadlines, input};
use crate::mail;
use crate::state::AppState;
use crate::store::agendas::{self, ItemInput, Notice, NoticeTo};
use crate::store::change_requests::{self, Selection};
use crate::text;
use crate::web::auth::Ctx;
use crate::web::error::AppError;

/// POST /moeder/{id}/dagsorden: a new agenda from the standard template (A4).
pub async fn create(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    if relation(&state, &ctx, &meeting).await?.actor != AgendaActor::Secretariat {
        return Err(AppError::Forbidden);
    }
    agendas::create_from_template(&state.db, &ctx.actor(), id, &standard_agenda()).await?;
    Ok(back(id, "dagsorden"))
}

/// The agenda and what this person may do with it.
async fn agenda_for(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
) -> Result<(agendas::Agenda, AgendaStatus, AgendaActor), AppError> {
    let meeting = readable_meeting(state, ctx, id).await?;
    let actor = relation(state, ctx, &meeting).await?.actor;
    let agenda = agendas::for_meeting(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let status = agenda.status;
    if !agenda_workflow::can_read(status, actor) {
        return Err(AppError::NotFound);
    }
    Ok((agenda, status, actor))
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
    let (agenda, status, actor) = agenda_for(&state, &ctx, id).await?;
    let next = match agenda_workflow::next_status(status, action, actor) {
        Ok(next) => next,
        Err(r) if actor == AgendaActor::Member || actor == AgendaActor::Other => {
            tracing::debug!(rule = r.rule, "agenda action refused");
            return Err(AppError::Forbidden);
        }
        Err(r) => return refused(&state, &ctx, id, r.rule, r.message).await,
    };
    let comment = match action {
        AgendaAction::Comment => match input::text(form.comment.trim(), 10_000) {
            Ok(c) if !c.trim().is_empty() => Some(c),
            Ok(_) => return refused(&state, &ctx, id, "A1", "Skriv en kommentar til sekretariatet.".into()).await,
            Err(message) => return refused(&state, &ctx, id, "A1", message).await,
        },
        _ => None,
    };
    let notice = match action {
        _ if next == AgendaStatus::Published => Some(publish_notice(&state, id, agenda.id).await?),
        AgendaAction::Comment | AgendaAction::Approve => {
            Some(chair_notice(&state, &ctx, id, comment.as_deref()).await?)
        }
        AgendaAction::SendToChair => Some(to_chair_notice(&state, &ctx, id).await?),
        _ => None,
    };
    let snapshot = if next == AgendaStatus::Published { snapshot_at_publish(&state, id).await? } else { None };
    let moved = agendas::transition(
        &state.db,
        &ctx.actor(),
        agenda.id,
        status.as_str(),
        next.as_str(),
        comment.as_deref(),
        notice,
        snapshot,
        state.clock.now(),
    )
    .await?;
    if !moved {
        return refused(
            &state,
            &ctx,
            id,
            "A1",
            "Dagsordenen er ændret af en anden i mellemtiden. Se den nye status og prøv igen.".into(),
        )
        .await;
    }
    Ok(back(id, "dagsorden"))
}

/// A7, A8: what the published agenda keeps of the registers: the selected change requests and the
/// dashboard with the open actions as they stand at publishing. A meeting across groups keeps none.
async fn snapshot_at_publish(state: &AppState, id: i64) -> Result<Option<serde_json::Value>, AppError> {
    let meeting = crate::store::meetings::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let Some(group_id) = meeting.group_id else { return Ok(None) };
    let snapshot = dashboard::live(state, &meeting, group_id, state.clock.now()).await?;
    Ok(Some(serde_json::to_value(snapshot).map_err(|e| AppError::Internal(e.into()))?))
}

/// A2: the mail that goes to each participant when the agenda is published.
async fn publish_notice(state: &AppState, id: i64, agenda_id: i64) -> Result<Notice, AppError> {
    let meeting = crate::store::meetings::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let items = agendas::items(&state.db, agenda_id).await?;
    let documents = crate::store::documents::of_meeting(&state.db, id).await?;
    let base_url = state.config.base_url();
    let place = meeting.format.place(&meeting.location);
    let event = calendar_event(&meeting, &state.config);
    let numbers = agenda_template::numbers(items.iter().map(|i| i.parent_id.is_none()));
    let local = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&crate::time_zone::TZ).time();
    let durations: Vec<Option<i32>> = items.iter().map(|i| i.planned_minutes).collect();
    let (times, _) = agenda_times::clock_times(local(meeting.starts_at), local(meeting.ends_at), &durations);
    let agenda = mail::AgendaPublished {
        group: meeting.group_name.as_deref().unwrap_or_default(),
        starts_at: meeting.starts_at,
        kind: meeting.kind.label(),
        place: &place,
        items: items
            .iter()
            .zip(numbers)
            .zip(times)
            .map(|((i, number), time)| mail::AgendaLine {
                sub_item: i.parent_id.is_some(),
                number,
                clock: time.map(|(a, b)| format!("{}–{}", a.format("%H:%M"), b.format("%H:%M"))).unwrap_or_default(),
                title: &i.title,
                presenter: &i.presenter,
                is_decision: i.is_decision,
            })
            .collect(),
        attachments: documents
            .into_iter()
            .map(|d| (d.filename, format!("{base_url}/moeder/{id}/bilag/{}", d.id)))
            .collect(),
        link: &format!("{base_url}/moeder/{id}"),
        event: &event,
        organizer: &state.config.organizer(),
        now: state.clock.now(),
    };
    Ok(Notice { kind: "agenda_published", to: NoticeTo::Participants, mail: mail::agenda_published(&agenda)? })
}

/// A1: the chair learns at once that the draft waits for them, what to do and by when: the day the
/// agenda must go out (A2).
async fn to_chair_notice(state: &AppState, ctx: &Ctx, id: i64) -> Result<Notice, AppError> {
    let meeting = crate::store::meetings::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let cal = state.calendar.get(&state.db).await?;
    let day = local_date(meeting.starts_at);
    let due = deadlines::meeting_deadlines(&cal, &state.config.deadline_settings(), day).agenda_published_due;
    let group = meeting.group_name.as_deref().unwrap_or_default();
    let link = format!("{}/moeder/{id}#dagsorden", state.config.base_url());
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Dagsorden til godkendelse: {group}, møde {}", text::short_date(day)),
        happened: format!(
            "{} fra sekretariatet har sendt udkastet til dagsorden for {group}s møde {} til dig som forperson.",
            ctx.user.name,
            text::datetime(meeting.starts_at)
        ),
        quote: "",
        todo: "Godkend udkastet, eller skriv dine kommentarer til sekretariatet på mødesiden (A1), så dagsordenen \
               kan udsendes til deltagerne til tiden (A2).",
        by: Some(due),
        link: &link,
        link_text: "Se og godkend dagsordenen",
    })?;
    Ok(Notice { kind: "agenda_approval", to: NoticeTo::Chair, mail })
}

/// A1: the secretariat hears when the chair comments on the draft or approves it.
async fn chair_notice(state: &AppState, ctx: &Ctx, id: i64, comment: Option<&str>) -> Result<Notice, AppError> {
    let meeting = crate::store::meetings::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let link = format!("{}/moeder/{id}#dagsorden", state.config.base_url());
    let group = meeting.group_name.as_deref().unwrap_or_default();
    let mail = mail::chair_feedback(&ctx.user.name, group, meeting.starts_at, comment, &link)?;
    let kind = if comment.is_some() { "agenda_chair_comment" } else { "agenda_chair_approved" };
    Ok(Notice { kind, to: NoticeTo::Secretariat, mail })
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

async fn editable_agenda(state: &AppState, ctx: &Ctx, id: i64) -> Result<agendas::Agenda, AppError> {
    let (agenda, status, actor) = agenda_for(state, ctx, id).await?;
    match agenda_workflow::next_status(status, AgendaAction::Edit, actor) {
        Ok(_) => Ok(agenda),
        // The secretariat edits, but not an agenda that has left its hands: the rule says why (A1, A2).
        Err(r) if actor == AgendaActor::Secretariat => Err(AppError::Refused { rule: r.rule, message: r.message }),
        Err(_) => Err(AppError::Forbidden),
    }
}

/// POST /moeder/{id}/dagsorden/punkter
pub async fn add_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<ItemForm>,
) -> Result<Response, AppError> {
    let agenda = editable_agenda(&state, &ctx, id).await?;
    match form.validate() {
        Ok(input) => match agendas::add_item(&state.db, &ctx.actor(), agenda.id, &input).await? {
            Some(_) => Ok(back(id, "dagsorden")),
            None => {
                let message = "Det overordnede punkt findes ikke på denne dagsorden. Vælg et af dens hovedpunkter.";
                refused(&state, &ctx, id, "A4", message.into()).await
            }
        },
        Err(Refusal { rule, message }) => refused(&state, &ctx, id, rule, message).await,
    }
}

/// POST /moeder/{id}/dagsorden/punkter/{item}
pub async fn update_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, item)): Path<(i64, i64)>,
    Form(form): Form<ItemForm>,
) -> Result<Response, AppError> {
    let agenda = editable_agenda(&state, &ctx, id).await?;
    match form.validate() {
        Ok(input) => {
            if !agendas::update_item(&state.db, &ctx.actor(), agenda.id, item, &input).await? {
                return Err(AppError::NotFound);
            }
            Ok(back(id, &format!("punkt-{item}")))
        }
        Err(Refusal { rule, message }) => refused(&state, &ctx, id, rule, message).await,
    }
}

/// POST /moeder/{id}/dagsorden/punkter/{item}/slet
pub async fn delete_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, item)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let agenda = editable_agenda(&state, &ctx, id).await?;
    if !agendas::delete_item(&state.db, &ctx.actor(), agenda.id, item).await? {
        return Err(AppError::NotFound);
    }
    Ok(back(id, "dagsorden"))
}

/// A4: the order of the items and their times are arranged by the secretariat while it drafts and by
/// the chair while the draft is with them; anyone else who reads the agenda is refused with the rule.
fn arranging(status: AgendaStatus, actor: AgendaActor) -> Result<(), AppError> {
    if agenda_workflow::may_reorder(status, actor) {
        return Ok(());
    }
    Err(match actor {
        AgendaActor::Secretariat | AgendaActor::Chair => AppError::Refused {
            rule: "A4",
            message: "Punkternes rækkefølge og tider ændres, mens dagsordenen er kladde (sekretariatet) eller hos \
                      forpersonen (A1, A4)."
                .into(),
        },
        _ => AppError::Forbidden,
    })
}

/// POST /moeder/{id}/dagsorden/punkter/{item}/{op|ned}: the chair may reorder items (A4).
pub async fn move_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, item, direction)): Path<(i64, i64, String)>,
) -> Result<Response, AppError> {
    let (agenda, status, actor) = agenda_for(&state, &ctx, id).await?;
    arranging(status, actor)?;
    let up = match direction.as_str() {
        "op" => true,
        "ned" => false,
        _ => return Err(AppError::NotFound),
    };
    if !agendas::move_item(&state.db, &ctx.actor(), agenda.id, item, up).await? {
        return Err(AppError::NotFound);
    }
    Ok(back(id, &format!("punkt-{item}")))
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
    let (agenda, status, actor) = agenda_for(&state, &ctx, id).await?;
    arranging(status, actor)?;
    let mut times = Vec::new();
    for (name, value) in &fields {
        let Some(item) = name.strip_prefix("minutes_").and_then(|i| i.parse::<i64>().ok()) else { continue };
        match agenda_times::parse_minutes(value) {
            Ok(minutes) => times.push((item, minutes)),
            Err(message) => return refused(&state, &ctx, id, "A4", message).await,
        }
    }
    agendas::set_times(&state.db, &ctx.actor(), agenda.id, &times).await?;
    Ok(back(id, "dagsorden"))
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
    let meeting = readable_meeting(&state, &ctx, id).await?;
    editable_agenda(&state, &ctx, id).await?;
    let Some(group_id) = meeting.group_id else { return Err(AppError::NotFound) };
    let mut selections: Vec<Selection> = Vec::new();
    for (name, value) in &fields {
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
            None => {
                return refused(&state, &ctx, id, "A7", "Der er valgt for mange ændringsønsker på én gang.".into())
                    .await;
            }
        };
        if let Some(purpose) = purpose.map(|p| p.trim()).filter(|p| !p.is_empty()) {
            let Some(purpose) = AgendaPurpose::parse(purpose) else {
                return refused(
                    &state,
                    &ctx,
                    id,
                    "A7",
                    "Vælg til beslutning, til drøftelse eller ikke på dagsordenen.".into(),
                )
                .await;
            };
            selections[index].purpose = Some(purpose);
        }
        if let Some(note) = note {
            match input::text(note, 2000) {
                Ok(note) => selections[index].not_ready_note = note,
                Err(message) => return refused(&state, &ctx, id, "A7", message).await,
            }
        }
    }
    match change_requests::select_for_agenda(&state.db, &ctx.actor(), id, group_id, &selections).await {
        Ok(()) => Ok(back(id, "cr-heading")),
        Err(crate::store::Error::Unknown(_)) => {
            let message = "Et af ændringsønskerne hører ikke til gruppen. Vælg blandt gruppens egne.";
            refused(&state, &ctx, id, "A7", message.into()).await
        }
        Err(e) => Err(e.into()),
    }
}
