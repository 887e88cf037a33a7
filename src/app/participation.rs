//! What members and the secretariat do around a meeting besides the agenda itself: a written request
//! for an item (A3) and the secretariat's decision on it; an apology, a substitute standing in and an
//! apology withdrawn (T4, M6); the record of who attended (T5). Who waits on each: the group's
//! secretariat on a request (by the day the draft goes to the chair); the member who asked on the
//! decision; the party's substitute on an apology and on its withdrawal; the absent member on the
//! substitute who stands in.

use crate::domain::calendar::local_date;
use crate::domain::notifications::MailKind;

use crate::domain::composition::{self, Warning};
use crate::domain::deadlines::{self, apology_is_late, request_is_late};
use crate::domain::ids::{ItemRequestId, MeetingId, MembershipId};
use crate::domain::meeting_codes::AttendanceStatus;
use crate::domain::refusal::Refusal;
use crate::mail;
use crate::state::AppState;
use crate::store::agendas::{self, NewRequest};
use crate::store::attendance;
use crate::store::audit::Actor;
use crate::store::handoffs::{Handoff, To};
use crate::store::meetings::Meeting;
use crate::store::memberships::Member;
use crate::store::{self, calendar};
use crate::text;

/// What a member asks to have on the agenda (A3).
pub struct ItemRequest<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub wanted_decision: &'a str,
}

/// A3: a member's (or the secretariat's) written request for an item; after the deadline it is flagged
/// late and waits for the secretariat's explicit decision. The caller has checked the person takes part.
pub async fn request_item(
    state: &AppState,
    actor: &Actor,
    person_id: i64,
    meeting: &Meeting,
    asked: &ItemRequest<'_>,
) -> super::Result<i64> {
    if asked.title.trim().is_empty() {
        return Err(Refusal::new("A3", "Giv punktet en overskrift.").into());
    }
    let now = state.clock.now();
    let cal = calendar::working_calendar(&state.db).await?;
    let settings = state.config.deadline_settings();
    let late = request_is_late(&cal, &settings, meeting.starts_at, now);
    let day = local_date(meeting.starts_at);
    let to_chair = deadlines::meeting_deadlines(&cal, &settings, day).agenda_to_chair_due;
    let group = meeting.group_name.as_deref().unwrap_or("Mødet");
    let late_note = if late {
        " Ønsket kom efter fristen for punkter (A3), så det er sekretariatets afgørelse, om det kommer med."
    } else {
        ""
    };
    let link = format!("{}/moeder/{}#punktoensker", state.config.base_url(), meeting.id);
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Ønske om punkt til dagsordenen: {group}, møde {}", text::short_date(day)),
        happened: format!(
            "{} har bedt om et punkt på dagsordenen til {group}s møde {}: «{}».{late_note}",
            actor.label,
            text::datetime(meeting.starts_at),
            asked.title.trim()
        ),
        quote: asked.description.trim(),
        todo: "Optag punktet på udkastet til dagsorden, eller afvis ønsket med en begrundelse (A3).",
        by: (to_chair >= local_date(now)).then_some(to_chair),
        link: &link,
        link_text: "Se ønsket på mødesiden",
    })?;
    let told =
        Handoff { kind: MailKind::AgendaItemRequested, to: To::Secretariat { group_id: meeting.group_id }, mail };
    let request = NewRequest {
        meeting_id: meeting.id,
        person_id,
        title: asked.title.trim(),
        description: asked.description.trim(),
        wanted_decision: asked.wanted_decision.trim(),
        submitted_at: now,
        late,
    };
    Ok(agendas::add_request(&state.db, actor, request, &told).await?)
}

/// A3: the secretariat takes a request onto the draft agenda, or declines it with a reason; the member
/// who asked is told which, and why.
pub async fn decide_request(
    state: &AppState,
    actor: &Actor,
    meeting: &Meeting,
    request_id: ItemRequestId,
    accept: bool,
    reason: &str,
) -> super::Result<()> {
    let reason = reason.trim();
    if !accept && reason.is_empty() {
        return Err(Refusal::new("A3", "Skriv en begrundelse, når et ønsket punkt afvises (A3).").into());
    }
    let once = || Refusal::new("A3", "Punktet kan kun sættes på, mens dagsordenen er en kladde, og kun én gang.");
    let request = agendas::pending_request(&state.db, MeetingId(meeting.id), request_id).await?.ok_or_else(once)?;
    let group = meeting.group_name.as_deref().unwrap_or("Mødet");
    let day = text::short_date(local_date(meeting.starts_at));
    let link = format!("{}/moeder/{}#punktoensker", state.config.base_url(), meeting.id);
    let (verdict, todo) = if accept {
        ("er sat på udkastet til dagsorden", "Forbered gerne punktet; dagsordenen udsendes før mødet (A2).")
    } else {
        ("er afvist af sekretariatet med denne begrundelse:", "Skriv til sekretariatet, hvis du har spørgsmål.")
    };
    let mail = mail::handoff(&mail::Handoff {
        subject: format!(
            "Dit ønske om punkt {}: {group}, møde {day}",
            if accept { "er sat på dagsordenen" } else { "er afvist" }
        ),
        happened: format!("Dit ønske om punktet «{}» til {group}s møde {day} {verdict}", request.title),
        quote: if accept { "" } else { reason },
        todo,
        by: None,
        link: &link,
        link_text: "Se mødet",
    })?;
    let told = Handoff { kind: MailKind::AgendaItemDecided, to: To::Person { person_id: request.requested_by }, mail };
    let now = state.clock.now();
    if agendas::decide_request(&state.db, actor, MeetingId(meeting.id), request_id, accept, reason, &told, now).await? {
        Ok(())
    } else {
        Err(once().into())
    }
}

/// T4: `me` sends an apology, late under a week before; the party's substitute is told (M6).
pub async fn apologise(
    state: &AppState,
    actor: &Actor,
    meeting: &Meeting,
    me: &Member,
    note: &str,
) -> super::Result<()> {
    let now = state.clock.now();
    deadlines::apology_allowed(now, meeting.starts_at)?;
    let notice = mail::apology_to_substitute(
        &me.name,
        me.party_name.as_deref().unwrap_or_default(),
        meeting.group_name.as_deref().unwrap_or_default(),
        meeting.starts_at,
        note,
        &format!("{}/moeder/{}", state.config.base_url(), meeting.id),
    )?;
    let late = apology_is_late(now, meeting.starts_at);
    let meeting_id = MeetingId(meeting.id);
    attendance::send_apology(
        &state.db,
        actor,
        meeting_id,
        MembershipId(me.membership_id),
        note.trim(),
        now,
        late,
        &notice,
    )
    .await?;
    Ok(())
}

/// M6, T4: the substitute `me` confirms taking part for `absent`, who is told.
pub async fn stand_in(
    state: &AppState,
    actor: &Actor,
    meeting: &Meeting,
    me: &Member,
    absent: &Member,
) -> super::Result<()> {
    let now = state.clock.now();
    if now >= meeting.starts_at {
        return Err(Refusal::new("T4", "Mødet er begyndt; en suppleant bekræfter før mødet.").into());
    }
    let group = meeting.group_name.as_deref().unwrap_or_default();
    let link = format!("{}/moeder/{}#fremmoede", state.config.base_url(), meeting.id);
    let mail = mail::handoff(&mail::Handoff {
        subject: format!(
            "{} deltager for dig: {group}, møde {}",
            me.name,
            text::short_date(local_date(meeting.starts_at))
        ),
        happened: format!(
            "Din suppleant {} har bekræftet at deltage i {group}s møde {} i dit sted.",
            me.name,
            text::datetime(meeting.starts_at)
        ),
        quote: "",
        todo: "Giv gerne suppleanten det, du ved om mødets punkter (T4).",
        by: None,
        link: &link,
        link_text: "Se mødet",
    })?;
    let told = Handoff { kind: MailKind::ApologySubstitute, to: To::Person { person_id: absent.person_id }, mail };
    let rule = |apologised| composition::may_stand_in(&me.seat(), &absent.seat(), apologised);
    let (meeting_id, absent_id) = (MeetingId(meeting.id), MembershipId(absent.membership_id));
    match attendance::stand_in(
        &state.db,
        actor,
        meeting_id,
        MembershipId(me.membership_id),
        absent_id,
        now,
        rule,
        &told,
    )
    .await
    {
        Err(store::Error::Taken(_)) => {
            Err(Refusal::new("M6", format!("En anden suppleant deltager allerede for {} (M6).", absent.name)).into())
        }
        done => Ok(done?),
    }
}

/// T4: `me` takes part after all; the party's substitutes who were told hear they are not needed.
pub async fn withdraw_apology(state: &AppState, actor: &Actor, meeting: &Meeting, me: &Member) -> super::Result<()> {
    let now = state.clock.now();
    deadlines::apology_withdrawal_allowed(now, meeting.starts_at)?;
    let group = meeting.group_name.as_deref().unwrap_or_default();
    let link = format!("{}/moeder/{}", state.config.base_url(), meeting.id);
    let party = me.party_name.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
    let notice = mail::handoff(&mail::Handoff {
        subject: format!(
            "Afbud trukket tilbage: {} til {group}s møde {}",
            me.name,
            text::short_date(local_date(meeting.starts_at))
        ),
        happened: format!(
            "{}{party} har trukket sit afbud til {group}s møde {} tilbage og deltager alligevel.",
            me.name,
            text::datetime(meeting.starts_at)
        ),
        quote: "",
        todo: "Du skal derfor ikke deltage i stedet (T4).",
        by: None,
        link: &link,
        link_text: "Se mødet",
    })?;
    match attendance::withdraw_apology(
        &state.db,
        actor,
        MeetingId(meeting.id),
        MembershipId(me.membership_id),
        now,
        &notice,
    )
    .await
    {
        Err(store::Error::NotFound) => Err(Refusal::new("T4", "Der er intet afbud at trække tilbage.").into()),
        done => done.map(|_| ()).map_err(Into::into),
    }
}

/// T5: the secretariat records who attended; the warnings (M6, T2) let it go on and are shown beside
/// the attendance.
pub async fn record_attendance(
    state: &AppState,
    actor: &Actor,
    meeting: &Meeting,
    entries: &[(i64, AttendanceStatus)],
) -> super::Result<Vec<Warning>> {
    deadlines::attendance_allowed(state.clock.now(), meeting.starts_at)?;
    Ok(attendance::record(&state.db, actor, meeting.id, entries).await?)
}
