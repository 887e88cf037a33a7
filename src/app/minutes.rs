//! The commands on a meeting's minutes (R1-R5): start them from the agenda, judge a step, send them for
//! comments, work the comments in, approve and correct them; comment, answer "Ingen bemærkninger" and
//! handle a comment. Who waits on each: every participant when the minutes are sent (R2: the window
//! and what was decided) and approved (R4); the group's secretariat on each comment and when the last
//! awaited answer is in (R4: work them in by the day); the member who commented on how it was handled.

use crate::domain::agenda_template;
use crate::domain::agenda_workflow::Actor as Who;
use crate::domain::calendar::local_date;
use crate::domain::ids::{MinutesCommentId, MinutesEntryId, MinutesId, MinutesItemId, PersonId};
use crate::domain::minutes::{self, Denied, EntryInput, EntryKind, Facts, MinutesStatus, Resolution, Step, Window};
use crate::domain::notifications::MailKind;
use crate::domain::refusal::Refusal;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::handoffs::{Handoff, To};
use crate::store::meetings::Meeting;
use crate::store::memberships::Member;
use crate::store::minutes::{self as register, Minutes, Notice};
use crate::store::{self, agendas};
use crate::text;

/// The minutes as judged for a step: what they are, the window they were sent with, the group's members.
pub struct Judged<'a> {
    pub meeting: &'a Meeting,
    pub minutes: &'a Minutes,
    pub window: Option<Window>,
    pub members: &'a [Member],
}

/// R1: new minutes from the meeting's agenda, its items numbered as the agenda shows them (1, 1.1, 2 ...).
pub async fn create(state: &AppState, actor: &Actor, meeting_id: i64) -> super::Result<()> {
    let items = match agendas::for_meeting(&state.db, meeting_id).await? {
        Some(a) => agendas::items(&state.db, a.id).await?,
        None => Vec::new(),
    };
    let numbers = agenda_template::numbers(items.iter().map(|i| i.parent_id.is_none()));
    let items: Vec<register::FromAgenda> = items
        .into_iter()
        .zip(numbers)
        .map(|(i, number)| register::FromAgenda {
            agenda_item_id: i.id,
            number,
            title: i.title,
            is_decision: i.is_decision,
        })
        .collect();
    register::create(&state.db, actor, meeting_id, &items).await?;
    Ok(())
}

/// R1: an item's text, or the short summary of the parties' status item without one.
pub async fn write(
    state: &AppState,
    actor: &Actor,
    about: &Judged<'_>,
    item: Option<i64>,
    text: &str,
) -> super::Result<()> {
    let m = about.minutes;
    Ok(register::save_text(&state.db, actor, m.id, m.status, item, text).await?)
}

/// R1: an extra item not on the agenda; returns it.
pub async fn add_item(state: &AppState, actor: &Actor, about: &Judged<'_>, title: &str) -> super::Result<i64> {
    let m = about.minutes;
    Ok(register::add_extra_item(&state.db, actor, m.id, m.status, title).await?)
}

/// R1, C4, R5: a decision, action or agreement on an item, as `domain::minutes::check_entry` let it through.
pub async fn add_entry(
    state: &AppState,
    actor: &Actor,
    about: &Judged<'_>,
    item: MinutesItemId,
    entry: &EntryInput,
) -> super::Result<i64> {
    let m = about.minutes;
    Ok(register::add_entry(&state.db, actor, m.id, m.status, item, entry).await?)
}

/// R1: removes a decision, action or agreement while the minutes are written.
pub async fn delete_entry(
    state: &AppState,
    actor: &Actor,
    about: &Judged<'_>,
    entry: MinutesEntryId,
) -> super::Result<()> {
    let m = about.minutes;
    Ok(register::delete_entry(&state.db, actor, m.id, m.status, entry).await?)
}

/// R2-R5: whether `who` may take `step` now, and the status it leads to (none: nothing to do). A step
/// that is not theirs at all is `Denied::NotYours`; one the rule refuses says why.
pub async fn judge(
    state: &AppState,
    about: &Judged<'_>,
    who: Who,
    step: Step,
) -> super::Result<Result<Option<MinutesStatus>, Denied>> {
    let (unresolved, everyone_answered) = if step == Step::WorkIn {
        let (comments, answered) = tokio::try_join!(
            register::comments(&state.db, about.minutes.id),
            register::answered(&state.db, about.minutes.id)
        )?;
        let waiting = minutes::waiting_for(awaited(about.members), &answered);
        (comments.iter().filter(|c| c.resolution.is_none()).count(), waiting.is_empty())
    } else {
        (0, false)
    };
    let today = local_date(state.clock.now());
    let facts = Facts { today, window: about.window, unresolved_comments: unresolved, everyone_answered };
    Ok(minutes::next(about.minutes.status, step, who, facts))
}

/// R2: sends the minutes for comments: every participant gets what was decided and the window's end.
pub async fn send(state: &AppState, actor: &Actor, about: &Judged<'_>, next: MinutesStatus) -> super::Result<()> {
    let now = state.clock.now();
    let cal = state.calendar.get(&state.db).await?;
    let window = minutes::window(&cal, &state.config.deadline_settings(), local_date(now));
    let points = points(state, about.minutes.id).await?;
    let mail = mail::minutes_sent(
        &group(about.meeting),
        about.meeting.starts_at,
        window.closes_on,
        &points,
        &link(state, about),
    )?;
    let notice = Notice { kind: MailKind::MinutesSent, mail };
    let m = about.minutes;
    Ok(register::step(&state.db, actor, m.id, m.status, next, Some(notice), now).await?)
}

/// R4: the comments are worked in; the minutes wait for the secretariat's approval.
pub async fn work_in(state: &AppState, actor: &Actor, about: &Judged<'_>, next: MinutesStatus) -> super::Result<()> {
    let m = about.minutes;
    Ok(register::step(&state.db, actor, m.id, m.status, next, None, state.clock.now()).await?)
}

/// R4, R5: approves the minutes as a new version, feeding the registers; every participant is told.
pub async fn approve(state: &AppState, actor: &Actor, about: &Judged<'_>) -> super::Result<()> {
    let m = about.minutes;
    let mail = mail::minutes_approved(&group(about.meeting), about.meeting.starts_at, m.version, &link(state, about))?;
    let notice = Notice { kind: MailKind::MinutesApproved, mail };
    register::approve(&state.db, actor, m.id, notice, state.clock.now()).await?;
    Ok(())
}

/// R5: reopens approved minutes for a correction, saying what it concerns; approval makes a new version.
pub async fn correct(state: &AppState, actor: &Actor, about: &Judged<'_>, reason: &str) -> super::Result<()> {
    if reason.trim().is_empty() {
        return Err(Refusal::new("R5", "Skriv hvad rettelsen gælder.").into());
    }
    Ok(register::correct(&state.db, actor, about.minutes.id, reason).await?)
}

/// R3: a comment on one item, within the window; the group's secretariat is told, and by when it is to
/// be worked in (R4). `Unknown("minutes_item_id")` when the item is not one of these minutes'.
pub async fn comment(
    state: &AppState,
    actor: &Actor,
    person_id: PersonId,
    about: &Judged<'_>,
    item_id: MinutesItemId,
    body: &str,
) -> super::Result<i64> {
    let meeting = about.meeting;
    let (group, day) = (group(meeting), text::short_date(local_date(meeting.starts_at)));
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Bemærkning til referatet: {group}, møde {day}"),
        happened: format!("{} har skrevet en bemærkning til referatet af {group}s møde {day}:", actor.label),
        quote: body,
        todo: "Indarbejd bemærkningen i referatet, eller svar på den (R4).",
        by: about.window.map(|w| w.work_in_by),
        link: &link(state, about),
        link_text: "Se bemærkningen i referatet",
    })?;
    let told = Handoff { kind: MailKind::MinutesComment, to: To::Secretariat { group_id: meeting.group_id }, mail };
    let now = state.clock.now();
    Ok(register::add_comment(&state.db, actor, about.minutes.id, item_id, person_id, body, now, &told).await?)
}

/// R3: "Ingen bemærkninger" from a member or the chair; when that was the last answer awaited, the
/// secretariat is told it may work the comments in now (R4).
pub async fn no_remarks(
    state: &AppState,
    actor: &Actor,
    person_id: PersonId,
    who: Who,
    about: &Judged<'_>,
) -> super::Result<()> {
    if !matches!(who, Who::Chair | Who::Member) {
        let message = "Svaret «Ingen bemærkninger» gives af gruppens medlemmer, suppleanter og forperson.";
        return Err(Refusal::new("R3", message).into());
    }
    let mut answered = register::answered(&state.db, about.minutes.id).await?;
    answered.push(person_id.0);
    let last = if minutes::waiting_for(awaited(about.members), &answered).is_empty() {
        Some(all_answered(state, about)?)
    } else {
        None
    };
    let now = state.clock.now();
    Ok(register::no_remarks(&state.db, actor, about.minutes.id, person_id, now, last.as_ref()).await?)
}

/// R4: the secretariat marks a comment incorporated, or answers it with a reply; the member who wrote it
/// is told how it was handled.
pub async fn resolve(
    state: &AppState,
    actor: &Actor,
    about: &Judged<'_>,
    comment_id: MinutesCommentId,
    resolution: Resolution,
    reply: &str,
) -> super::Result<()> {
    if resolution == Resolution::Answered && reply.trim().is_empty() {
        return Err(Refusal::new("R4", "Skriv svaret til en bemærkning, der ikke indarbejdes.").into());
    }
    let m = about.minutes;
    let (author, body) = register::comment_author(&state.db, m.id, comment_id).await?.ok_or(store::Error::NotFound)?;
    let meeting = about.meeting;
    let (group, day) = (group(meeting), text::short_date(local_date(meeting.starts_at)));
    let handled = match resolution {
        Resolution::Incorporated => "er indarbejdet i referatet",
        Resolution::Answered => "er besvaret af sekretariatet",
    };
    let excerpt: String = body.chars().take(200).collect();
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Din bemærkning {handled}: {group}, møde {day}"),
        happened: format!(
            "Din bemærkning til referatet af {group}s møde {day} («{excerpt}{}») {handled}{}",
            if excerpt.len() < body.len() { " …" } else { "" },
            if reply.trim().is_empty() { "." } else { ". Sekretariatets svar:" }
        ),
        quote: reply,
        todo: "Du skal ikke gøre mere. Referatet godkendes, når alle bemærkninger er behandlet (R4).",
        by: None,
        link: &link(state, about),
        link_text: "Se referatet",
    })?;
    let told = Handoff { kind: MailKind::MinutesCommentHandled, to: To::Person { person_id: author }, mail };
    let now = state.clock.now();
    Ok(register::resolve_comment(&state.db, actor, m.id, m.status, comment_id, resolution, reply, &told, now).await?)
}

/// R4: everyone has spoken, so the secretariat need not wait for the window to close.
fn all_answered(state: &AppState, about: &Judged<'_>) -> super::Result<Handoff> {
    let meeting = about.meeting;
    let (group, day) = (group(meeting), text::short_date(local_date(meeting.starts_at)));
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Alle har svaret på referatet: {group}, møde {day}"),
        happened: format!(
            "Alle medlemmer og forpersonen i {group} har nu givet bemærkninger til referatet af mødet {day} \
             eller svaret, at de ikke har nogen."
        ),
        quote: "",
        todo: "Behandl bemærkningerne og markér dem som indarbejdet; referatet kan derefter godkendes uden at vente på fristen.",
        by: about.window.map(|w| w.work_in_by),
        link: &link(state, about),
        link_text: "Åbn referatet",
    })?;
    Ok(Handoff { kind: MailKind::MinutesComment, to: To::Secretariat { group_id: meeting.group_id }, mail })
}

/// R3, R4: the group's people whose answer the secretariat waits for (`domain::minutes::awaited`).
pub fn awaited(members: &[Member]) -> impl Iterator<Item = (i64, &str)> {
    members.iter().filter(|m| minutes::awaited(m.status, m.role)).map(|m| (m.person_id, m.name.as_str()))
}

/// R1: the decisions and actions of the minutes, one line each, for the mail that sends them.
async fn points(state: &AppState, minutes_id: MinutesId) -> super::Result<Vec<String>> {
    let items = register::items(&state.db, minutes_id).await?;
    let mut conn = state.db.acquire().await?;
    let entries = register::entries(&mut conn, minutes_id).await?;
    Ok(entries
        .iter()
        .filter(|e| e.kind != EntryKind::Agreement)
        .map(|e| {
            let number = items.iter().find(|i| i.id == e.minutes_item_id).map(|i| i.number.as_str()).unwrap_or("");
            let mut line = format!("{} (punkt {number}): {}", e.kind.label(), e.text);
            if let Some(outcome) = e.outcome {
                line.push_str(&format!(" ({})", outcome.label()));
            }
            if let (Some(owner), Some(due)) = (&e.owner_name, e.due_on) {
                line.push_str(&format!(" – ansvarlig {owner}, senest {}", text::short_date(due)));
            }
            line
        })
        .collect())
}

fn group(meeting: &Meeting) -> String {
    meeting.group_name.clone().unwrap_or_else(|| "Mødet".into())
}

fn link(state: &AppState, about: &Judged<'_>) -> String {
    format!("{}/moeder/{}/referat", state.config.base_url(), about.meeting.id)
}
