//! The commands on a meeting's agenda (A1-A8): create it from the template, edit and arrange its items,
//! select the change requests, and move it through the chair's approval to publication. Who waits on
//! each step: the chair when the draft is sent to them (by the day the agenda must go out, A2); the
//! secretariat when the chair comments or approves (A1); every participant when it is published (A2),
//! with the agenda, the attachments and the meeting for their calendar.

use crate::app::agenda_snapshot;
use crate::app::meetings::calendar_event;
use crate::config::Config;
use crate::domain::agenda_template::{self, standard_agenda};
use crate::domain::agenda_times;
use crate::domain::agenda_workflow::{self, Actor as Who, AgendaAction, AgendaStatus};
use crate::domain::calendar::local_date;
use crate::domain::deadlines;
use crate::domain::ids::{AgendaId, AgendaItemId, GroupId, MeetingId};
use crate::domain::notifications::MailKind;
use crate::domain::refusal::Refusal;
use crate::mail;
use crate::state::AppState;
use crate::store::agendas::{self, Agenda, ItemInput, Notice, NoticeTo};
use crate::store::audit::Actor;
use crate::store::change_requests::{self, Selection};
use crate::store::meetings::Meeting;
use crate::store::{self, documents};
use crate::text;

/// A4: a new agenda from the standard template (the caller has checked it is the secretariat's).
pub async fn create(state: &AppState, actor: &Actor, meeting_id: i64) -> super::Result<()> {
    agendas::create_from_template(&state.db, actor, meeting_id, &standard_agenda()).await?;
    Ok(())
}

/// A1, A2: one step of the agenda's workflow, taken by `who`, with the chair's comment when the step is
/// one. The rule decides whether the step may be taken; the mail of the step is queued and, when it is
/// published, the snapshot of the registers kept, in the transaction that takes it.
pub async fn step(
    state: &AppState,
    actor: &Actor,
    meeting: &Meeting,
    agenda: &Agenda,
    who: Who,
    action: AgendaAction,
    comment: Option<&str>,
) -> super::Result<()> {
    let next = agenda_workflow::next_status(agenda.status, action, who)?;
    if action == AgendaAction::Comment && comment.is_none_or(|c| c.trim().is_empty()) {
        return Err(Refusal::new("A1", "Skriv en kommentar til sekretariatet.").into());
    }
    let notice = match action {
        _ if next == AgendaStatus::Published => Some(published_notice(state, meeting, agenda.id).await?),
        AgendaAction::Comment | AgendaAction::Approve => Some(chair_notice(&state.config, actor, meeting, comment)?),
        AgendaAction::SendToChair => Some(to_chair_notice(state, actor, meeting).await?),
        _ => None,
    };
    let snapshot = match meeting.group_id {
        Some(group_id) if next == AgendaStatus::Published => {
            Some(agenda_snapshot::take(state, meeting, group_id).await?)
        }
        _ => None,
    };
    let moved = agendas::transition(
        &state.db,
        actor,
        agenda.id,
        agenda.status,
        next,
        comment,
        notice,
        snapshot.as_ref(),
        state.clock.now(),
    )
    .await?;
    if !moved {
        let message = "Dagsordenen er ændret af en anden i mellemtiden. Se den nye status og prøv igen.";
        return Err(Refusal::new("A1", message).into());
    }
    Ok(())
}

/// A1: the agenda's items are edited by the secretariat while it drafts; the rule says why not otherwise.
pub fn editable(agenda: &Agenda, who: Who) -> Result<(), Refusal> {
    agenda_workflow::next_status(agenda.status, AgendaAction::Edit, who).map(|_| ())
}

/// A4: the order of the items and their times are arranged by the secretariat while it drafts and by
/// the chair while the draft is with them.
pub fn arrangeable(agenda: &Agenda, who: Who) -> Result<(), Refusal> {
    if agenda_workflow::may_reorder(agenda.status, who) {
        return Ok(());
    }
    Err(Refusal::new(
        "A4",
        "Punkternes rækkefølge og tider ændres, mens dagsordenen er kladde (sekretariatet) eller hos forpersonen \
         (A1, A4).",
    ))
}

/// A4, A5: adds an item (under a main item of the same agenda, when `parent_id` names one).
pub async fn add_item(
    state: &AppState,
    actor: &Actor,
    agenda: &Agenda,
    who: Who,
    input: &ItemInput,
) -> super::Result<()> {
    editable(agenda, who)?;
    match agendas::add_item(&state.db, actor, agenda.id, input).await? {
        Some(_) => Ok(()),
        None => Err(Refusal::new(
            "A4",
            "Det overordnede punkt findes ikke på denne dagsorden. Vælg et af dens hovedpunkter.",
        )
        .into()),
    }
}

/// A4, A5: changes an item of this agenda.
pub async fn update_item(
    state: &AppState,
    actor: &Actor,
    agenda: &Agenda,
    who: Who,
    item_id: AgendaItemId,
    input: &ItemInput,
) -> super::Result<()> {
    editable(agenda, who)?;
    found(agendas::update_item(&state.db, actor, agenda.id, item_id, input).await?)
}

/// Removes an item of this agenda, with its sub-items.
pub async fn delete_item(
    state: &AppState,
    actor: &Actor,
    agenda: &Agenda,
    who: Who,
    item_id: AgendaItemId,
) -> super::Result<()> {
    editable(agenda, who)?;
    found(agendas::delete_item(&state.db, actor, agenda.id, item_id).await?)
}

/// A4: moves an item one place up or down among its siblings.
pub async fn move_item(
    state: &AppState,
    actor: &Actor,
    agenda: &Agenda,
    who: Who,
    item_id: AgendaItemId,
    up: bool,
) -> super::Result<()> {
    arrangeable(agenda, who)?;
    found(agendas::move_item(&state.db, actor, agenda.id, item_id, up).await?)
}

/// A4: the items' planned minutes (none clears one); times past the meeting's end only warn (the page).
pub async fn set_times(
    state: &AppState,
    actor: &Actor,
    agenda: &Agenda,
    who: Who,
    times: &[(AgendaItemId, Option<i32>)],
) -> super::Result<()> {
    arrangeable(agenda, who)?;
    Ok(agendas::set_times(&state.db, actor, agenda.id, times).await?)
}

/// A7: which of the group's change requests go on the agenda, for decision or discussion, with a note
/// on those not ready.
pub async fn select_change_requests(
    state: &AppState,
    actor: &Actor,
    agenda: &Agenda,
    who: Who,
    group_id: i64,
    selections: &[Selection],
) -> super::Result<()> {
    editable(agenda, who)?;
    match change_requests::select_for_agenda(
        &state.db,
        actor,
        MeetingId(agenda.meeting_id),
        GroupId(group_id),
        selections,
    )
    .await
    {
        Err(store::Error::Unknown(_)) => {
            Err(Refusal::new("A7", "Et af ændringsønskerne hører ikke til gruppen. Vælg blandt gruppens egne.").into())
        }
        done => Ok(done?),
    }
}

fn found(done: bool) -> super::Result<()> {
    if done { Ok(()) } else { Err(store::Error::NotFound.into()) }
}

/// A2: the mail that goes to each participant when the agenda is published.
async fn published_notice(state: &AppState, meeting: &Meeting, agenda_id: AgendaId) -> super::Result<Notice> {
    let (items, documents) =
        tokio::try_join!(agendas::items(&state.db, agenda_id), documents::of_meeting(&state.db, meeting.id))?;
    let base_url = state.config.base_url();
    let id = meeting.id;
    let place = meeting.format.place(&meeting.location);
    let event = calendar_event(meeting, &state.config);
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
    Ok(Notice { kind: MailKind::AgendaPublished, to: NoticeTo::Participants, mail: mail::agenda_published(&agenda)? })
}

/// A1: the chair learns at once that the draft waits for them, what to do and by when: the day the
/// agenda must go out (A2).
async fn to_chair_notice(state: &AppState, actor: &Actor, meeting: &Meeting) -> super::Result<Notice> {
    let cal = state.calendar.get(&state.db).await?;
    let day = local_date(meeting.starts_at);
    let due = deadlines::meeting_deadlines(&cal, &state.config.deadline_settings(), day).agenda_published_due;
    let group = meeting.group_name.as_deref().unwrap_or_default();
    let link = format!("{}/moeder/{}#dagsorden", state.config.base_url(), meeting.id);
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Dagsorden til godkendelse: {group}, møde {}", text::short_date(day)),
        happened: format!(
            "{} fra sekretariatet har sendt udkastet til dagsorden for {group}s møde {} til dig som forperson.",
            actor.label,
            text::datetime(meeting.starts_at)
        ),
        quote: "",
        todo: "Godkend udkastet, eller skriv dine kommentarer til sekretariatet på mødesiden (A1), så dagsordenen \
               kan udsendes til deltagerne til tiden (A2).",
        by: Some(due),
        link: &link,
        link_text: "Se og godkend dagsordenen",
    })?;
    Ok(Notice { kind: MailKind::AgendaApproval, to: NoticeTo::Chair, mail })
}

/// A1: the secretariat hears when the chair comments on the draft or approves it.
fn chair_notice(config: &Config, actor: &Actor, meeting: &Meeting, comment: Option<&str>) -> super::Result<Notice> {
    let link = format!("{}/moeder/{}#dagsorden", config.base_url(), meeting.id);
    let group = meeting.group_name.as_deref().unwrap_or_default();
    let mail = mail::chair_feedback(&actor.label, group, meeting.starts_at, comment, &link)?;
    let kind = if comment.is_some() { MailKind::AgendaChairComment } else { MailKind::AgendaChairApproved };
    Ok(Notice { kind, to: NoticeTo::Secretariat, mail })
}
