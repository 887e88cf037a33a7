//! The commands on a meeting's time and place: plan one for a group (T1-T3) or across the groups (T1),
//! change it, cancel it. Who waits on a change: everyone who got the agenda has the meeting in their
//! calendar, so they are sent the updated invitation (same UID, higher SEQUENCE) or the cancellation
//! (METHOD:CANCEL) with the reason, in the transaction that stores the change. A meeting not yet
//! announced tells nobody; its reminders follow the new date.

use crate::config::Config;
use crate::domain::ical;
use crate::domain::meeting_codes::MeetingStatus;
use crate::domain::meeting_input::MeetingFields;
use crate::mail::{self, Mail};
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::meetings::{self, Meeting, NewMeeting};
use crate::text;

/// What a change or cancellation of a meeting came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// The form changed nothing: nothing stored, nobody told.
    Unchanged,
    /// Cancelled or held, or changed by someone else meanwhile: nothing stored.
    NotPlanned,
}

/// Plans a meeting of a group (T1-T3); the caller has checked the reader may see the group. Nobody is
/// told yet: the agenda is the meeting's announcement (A2).
pub async fn plan_for_group(
    state: &AppState,
    actor: &Actor,
    group_id: i64,
    fields: MeetingFields,
) -> super::Result<i64> {
    Ok(meetings::create(&state.db, actor, &NewMeeting::of_group(group_id, fields), state.clock.now()).await?)
}

/// Plans a meeting across the groups (T1) with the participants its kind invites.
pub async fn plan_across_groups(state: &AppState, actor: &Actor, fields: &MeetingFields) -> super::Result<i64> {
    Ok(meetings::create_across_groups(&state.db, actor, fields).await?)
}

/// Moves or changes a planned meeting: stores it with its sequence raised, withdraws the reminders of
/// the old date and mails those who got the agenda what changed.
pub async fn change(
    state: &AppState,
    actor: &Actor,
    before: &Meeting,
    fields: &MeetingFields,
) -> super::Result<Outcome> {
    if before.status != MeetingStatus::Planned {
        return Ok(Outcome::NotPlanned);
    }
    if same(before, fields) {
        return Ok(Outcome::Unchanged);
    }
    let mail = notice(state, before, &changed(before, fields), None)?;
    Ok(if meetings::update(&state.db, actor, before, fields, &mail, state.clock.now()).await? {
        Outcome::Done
    } else {
        Outcome::NotPlanned
    })
}

/// Cancels a planned meeting with the reason (`meeting_input::cancel_reason`), telling those who got
/// the agenda; no more reminders go out for it.
pub async fn cancel(state: &AppState, actor: &Actor, before: &Meeting, reason: &str) -> super::Result<Outcome> {
    if before.status != MeetingStatus::Planned {
        return Ok(Outcome::NotPlanned);
    }
    let after = Meeting { status: MeetingStatus::Cancelled, sequence: before.sequence + 1, ..before.clone() };
    let mail = notice(state, before, &after, Some(reason))?;
    Ok(if meetings::cancel(&state.db, actor, before, reason, &mail, state.clock.now()).await? {
        Outcome::Done
    } else {
        Outcome::NotPlanned
    })
}

/// One meeting as a calendar event; its UID carries the installation's domain, the same in the
/// download, the feed and the mails, and never another installation's.
pub fn calendar_event(m: &Meeting, config: &Config) -> ical::Event {
    let base_url = config.base_url();
    let group = m.group_name.clone().unwrap_or_else(|| "Alle grupper".into());
    let summary =
        if m.title.is_empty() { format!("{group}: {}", m.kind.label()) } else { format!("{group}: {}", m.title) };
    let location = [m.location.as_str(), m.online_link.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ");
    ical::Event {
        uid: format!("meeting-{}@{}", m.id, config.domain()),
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        summary,
        description: format!("{} ({})", m.kind.label(), m.format.label()),
        location,
        url: Some(format!("{base_url}/moeder/{}", m.id)),
        last_modified: m.updated_at.unwrap_or(m.starts_at),
        cancelled: m.status == MeetingStatus::Cancelled,
        sequence: u32::try_from(m.sequence).unwrap_or(0),
    }
}

/// The meeting with the new fields and the next sequence: what participants' calendars will show.
fn changed(before: &Meeting, fields: &MeetingFields) -> Meeting {
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
fn same(before: &Meeting, fields: &MeetingFields) -> bool {
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
fn notice(state: &AppState, before: &Meeting, after: &Meeting, reason: Option<&str>) -> super::Result<Mail> {
    let base = state.config.base_url();
    let mut event = calendar_event(after, &state.config);
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
fn what_changed(before: &Meeting, after: &Meeting) -> Vec<(&'static str, String, String)> {
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
