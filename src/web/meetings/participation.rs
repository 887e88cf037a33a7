//! What members and the secretariat do around a meeting besides the agenda itself: written
//! requests for items (A3) and the secretariat's decision on them; apologies, with word to the
//! party's substitute (T4); and the record of who attended (T5).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::panels::requests::RequestForm;
use super::{back, page, readable_meeting, refused, relation};
use crate::domain::agenda_workflow::Actor as AgendaActor;
use crate::domain::calendar::local_date;
use crate::domain::composition;
use crate::domain::deadlines::{self, apology_is_late, request_is_late};
use crate::domain::meeting_codes::AttendanceStatus;
use crate::mail;
use crate::state::AppState;
use crate::store::handoffs::{Handoff, To};
use crate::store::{self, agendas, attendance, calendar};
use crate::text;
use crate::web::auth::Ctx;
use crate::web::error::AppError;
use crate::web::forms::ids_named;

/// POST /moeder/{id}/punktoensker: a member asks for an item in writing (A3); after the deadline
/// it is flagged late and waits for the secretariat's explicit decision.
pub async fn request_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<RequestForm>,
) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let relation = relation(&state, &ctx, &meeting).await?;
    if relation.actor != AgendaActor::Secretariat {
        // M5: only an approved member takes part; the domain says why anyone else may not.
        let Some(membership) = &relation.membership else { return Err(AppError::Forbidden) };
        if let Err(r) = crate::domain::composition::may_take_part_in_meetings(&membership.seat()) {
            return refused(&state, &ctx, id, r.rule, r.message).await;
        }
    }
    if form.title.trim().is_empty() {
        let mut page = page::build(&state, &ctx, id).await?;
        page.errors.add("title", "Giv punktet en overskrift.");
        page.request_form = form;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    }
    let now = state.clock.now();
    let cal = calendar::working_calendar(&state.db).await?;
    let late = request_is_late(&cal, &state.config.deadline_settings(), meeting.starts_at, now);
    let request = agendas::NewRequest {
        meeting_id: id,
        person_id: ctx.user.person_id,
        title: form.title.trim(),
        description: form.description.trim(),
        wanted_decision: form.wanted_decision.trim(),
        submitted_at: now,
        late,
    };
    let handoff = request_handoff(&state, &ctx, &meeting, &request, &cal)?;
    agendas::add_request(&state.db, &ctx.actor(), request, &handoff).await?;
    Ok(back(id, "punktoensker"))
}

/// A3: the group's secretariat learns of the request at once: what was asked, whether it came late,
/// and that it is theirs to take onto the draft or decline, before the draft goes to the chair (A1).
fn request_handoff(
    state: &AppState,
    ctx: &Ctx,
    meeting: &store::meetings::Meeting,
    request: &agendas::NewRequest<'_>,
    cal: &crate::domain::calendar::WorkingCalendar,
) -> Result<Handoff, AppError> {
    let day = local_date(meeting.starts_at);
    let to_chair = deadlines::meeting_deadlines(cal, &state.config.deadline_settings(), day).agenda_to_chair_due;
    let group = meeting.group_name.as_deref().unwrap_or("Mødet");
    let late = if request.late {
        " Ønsket kom efter fristen for punkter (A3), så det er sekretariatets afgørelse, om det kommer med."
    } else {
        ""
    };
    let link = format!("{}/moeder/{}#punktoensker", state.config.base_url(), meeting.id);
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Ønske om punkt til dagsordenen: {group}, møde {}", text::short_date(day)),
        happened: format!(
            "{} har bedt om et punkt på dagsordenen til {group}s møde {}: «{}».{late}",
            ctx.user.name,
            text::datetime(meeting.starts_at),
            request.title
        ),
        quote: request.description,
        todo: "Optag punktet på udkastet til dagsorden, eller afvis ønsket med en begrundelse (A3).",
        by: (to_chair >= local_date(request.submitted_at)).then_some(to_chair),
        link: &link,
        link_text: "Se ønsket på mødesiden",
    })?;
    Ok(Handoff { kind: "agenda_item_requested", to: To::Secretariat { group_id: meeting.group_id }, mail })
}

#[derive(Deserialize)]
pub struct DecisionForm {
    decision: String,
    #[serde(default)]
    reason: String,
}

/// POST /moeder/{id}/punktoensker/{request}: the secretariat accepts (onto the draft) or declines
/// with a reason.
pub async fn decide_request(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, request)): Path<(i64, i64)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    if relation(&state, &ctx, &meeting).await?.actor != AgendaActor::Secretariat {
        return Err(AppError::Forbidden);
    }
    let accept = match form.decision.as_str() {
        "accepter" => true,
        "afvis" => false,
        _ => return Err(AppError::BadRequest("Vælg accepter eller afvis.".into())),
    };
    if !accept && form.reason.trim().is_empty() {
        return refused(&state, &ctx, id, "A3", "Skriv en begrundelse, når et ønsket punkt afvises (A3).".into()).await;
    }
    if !agendas::decide_request(&state.db, &ctx.actor(), id, request, accept, form.reason.trim(), state.clock.now())
        .await?
    {
        return refused(
            &state,
            &ctx,
            id,
            "A3",
            "Punktet kan kun sættes på, mens dagsordenen er en kladde, og kun én gang.".into(),
        )
        .await;
    }
    Ok(back(id, "punktoensker"))
}

#[derive(Deserialize, Default)]
pub struct ApologyForm {
    #[serde(default)]
    note: String,
}

/// POST /moeder/{id}/afbud (T4): late under a week before; the party's substitute is told.
pub async fn apologise(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<ApologyForm>,
) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let relation = relation(&state, &ctx, &meeting).await?;
    let Some(membership) = relation.membership else { return Err(AppError::Forbidden) };
    let now = state.clock.now();
    if let Err(r) = crate::domain::deadlines::apology_allowed(now, meeting.starts_at) {
        return refused(&state, &ctx, id, r.rule, r.message).await;
    }
    let note = match crate::domain::input::text(&form.note, 2_000) {
        Ok(note) => note,
        Err(message) => return refused(&state, &ctx, id, "T4", message).await,
    };
    let late = apology_is_late(now, meeting.starts_at);
    let notice = mail::apology_to_substitute(
        &membership.name,
        membership.party_name.as_deref().unwrap_or_default(),
        meeting.group_name.as_deref().unwrap_or_default(),
        meeting.starts_at,
        &note,
        &format!("{}/moeder/{id}", state.config.base_url()),
    )?;
    match attendance::send_apology(
        &state.db,
        &ctx.actor(),
        id,
        membership.membership_id,
        note.trim(),
        now,
        late,
        &notice,
    )
    .await
    {
        Ok(_) => Ok(back(id, "fremmoede")),
        Err(store::Error::Refused(r)) => refused(&state, &ctx, id, r.rule, r.message).await,
        Err(store::Error::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct StandInForm {
    /// The membership of the absent member.
    #[serde(default, rename = "for")]
    absent: String,
}

/// POST /moeder/{id}/stedfortraeder (M6, T4): a substitute confirms "Jeg deltager for X"; X is told,
/// and the secretariat sees it on the attendance list.
pub async fn stand_in(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<StandInForm>,
) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let super::Relation { membership, members, .. } = relation(&state, &ctx, &meeting).await?;
    let Some(me) = membership else { return Err(AppError::Forbidden) };
    let now = state.clock.now();
    if now >= meeting.starts_at {
        return refused(&state, &ctx, id, "T4", "Mødet er begyndt; en suppleant bekræfter før mødet.".into()).await;
    }
    let absent_id = form.absent.trim().parse::<i64>().map_err(|_| AppError::BadRequest("Vælg medlemmet.".into()))?;
    let absent = members.iter().find(|m| m.membership_id == absent_id).ok_or(AppError::NotFound)?;
    let group = meeting.group_name.as_deref().unwrap_or_default();
    let link = format!("{}/moeder/{id}#fremmoede", state.config.base_url());
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
    let handoff = Handoff { kind: "apology_substitute", to: To::Person { person_id: absent.person_id }, mail };
    let rule = |apologised| composition::may_stand_in(&me.seat(), &absent.seat(), apologised);
    match attendance::stand_in(&state.db, &ctx.actor(), id, me.membership_id, absent_id, now, rule, &handoff).await {
        Ok(()) => Ok(back(id, "fremmoede")),
        Err(store::Error::Refused(r)) => refused(&state, &ctx, id, r.rule, r.message).await,
        Err(store::Error::Taken(_)) => {
            refused(&state, &ctx, id, "M6", format!("En anden suppleant deltager allerede for {} (M6).", absent.name))
                .await
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /moeder/{id}/afbud/tilbagekald (T4): the member takes part after all; the party's substitute
/// hears that they are not needed.
pub async fn withdraw_apology(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let relation = relation(&state, &ctx, &meeting).await?;
    let Some(membership) = relation.membership else { return Err(AppError::Forbidden) };
    let now = state.clock.now();
    if let Err(r) = deadlines::apology_withdrawal_allowed(now, meeting.starts_at) {
        return refused(&state, &ctx, id, r.rule, r.message).await;
    }
    let group = meeting.group_name.as_deref().unwrap_or_default();
    let link = format!("{}/moeder/{id}", state.config.base_url());
    let party = membership.party_name.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
    let notice = mail::handoff(&mail::Handoff {
        subject: format!(
            "Afbud trukket tilbage: {} til {group}s møde {}",
            membership.name,
            text::short_date(local_date(meeting.starts_at))
        ),
        happened: format!(
            "{}{party} har trukket sit afbud til {group}s møde {} tilbage og deltager alligevel.",
            membership.name,
            text::datetime(meeting.starts_at)
        ),
        quote: "",
        todo: "Du skal derfor ikke deltage i stedet (T4).",
        by: None,
        link: &link,
        link_text: "Se mødet",
    })?;
    match attendance::withdraw_apology(&state.db, &ctx.actor(), id, membership.membership_id, now, &notice).await {
        Ok(_) => Ok(back(id, "fremmoede")),
        Err(store::Error::NotFound) => {
            refused(&state, &ctx, id, "T4", "Der er intet afbud at trække tilbage.".into()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /moeder/{id}/fremmoede (T5): checked boxes attended; the rest absent (an apology stays).
pub async fn record_attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    if relation(&state, &ctx, &meeting).await?.actor != AgendaActor::Secretariat {
        return Err(AppError::Forbidden);
    }
    if let Err(r) = deadlines::attendance_allowed(state.clock.now(), meeting.starts_at) {
        return refused(&state, &ctx, id, r.rule, r.message).await;
    }
    let attended = ids_named(&fields, "attended");
    let listed = ids_named(&fields, "listed");
    let entries: Vec<(i64, AttendanceStatus)> = listed
        .iter()
        .map(|m| (*m, if attended.contains(m) { AttendanceStatus::Attended } else { AttendanceStatus::Absent }))
        .collect();
    match attendance::record(&state.db, &ctx.actor(), id, &entries).await {
        // M6, T2: a warning lets the secretariat go on; the page shows it beside the attendance.
        Ok(_warnings) => Ok(back(id, "fremmoede")),
        Err(store::Error::Refused(r)) => refused(&state, &ctx, id, r.rule, r.message).await,
        Err(store::Error::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}
