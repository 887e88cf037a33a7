//! A person's calendar subscription: a secret, revocable URL with their groups' meetings, the meetings
//! across groups they are invited to (T1), and the deadlines of the ordinary ones that are the person's own
//! to keep (`own_deadlines`) as all-day entries, in RFC 5545, refreshed hourly.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, NaiveDate};

use super::auth::Ctx;
use super::error::AppError;
use crate::app::meetings::calendar_event;
use crate::domain::access::GroupRole;
use crate::domain::access::{GroupScope, Viewer};
use crate::domain::calendar::local_date;
use crate::domain::deadlines::{DeadlineKind, MeetingDeadlines, meeting_deadlines};
use crate::domain::ical::{self, AllDayEvent};
use crate::domain::ids::FeedId;
use crate::domain::meeting_codes::{MeetingKind, MeetingStatus};
use crate::security::tokens;
use crate::state::AppState;
use crate::store::{accounts, calendar, groups, meetings};

/// POST /profil/kalender: a new feed; its URL is shown once on the profile page.
pub async fn create(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let secret = tokens::random_secret();
    calendar::create_feed(&state.db, &ctx.actor(), ctx.user.person_id, &tokens::sha256(&secret)).await?;
    ctx.session.insert("new_feed", &secret).await.map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    Ok(Redirect::to("/profil#kalender").into_response())
}

/// POST /profil/kalender/{id}/tilbagekald
pub async fn revoke(State(state): State<AppState>, ctx: Ctx, Path(id): Path<FeedId>) -> Result<Response, AppError> {
    if !calendar::revoke_feed(&state.db, &ctx.actor(), ctx.person(), id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/profil#kalender").into_response())
}

/// The deadlines that are this person's own to keep, by their role in the meeting's group: a member
/// and the chair ask for items (A3) and comment on sent minutes (R3), the chair approves the agenda by
/// the day it goes out (A1, A2), a substitute comments (R3); the secretariat sends the draft (A1),
/// publishes (A2), writes the minutes (R2) and works the comments in (R4). Nobody else's.
fn own_deadlines(
    role: GroupRole,
    d: &MeetingDeadlines,
    window: Option<crate::domain::minutes::Window>,
) -> Vec<(DeadlineKind, NaiveDate)> {
    let mut own = match role {
        GroupRole::Member => vec![(DeadlineKind::AgendaItemsDue, d.agenda_items_due)],
        GroupRole::Chair => vec![
            (DeadlineKind::AgendaItemsDue, d.agenda_items_due),
            (DeadlineKind::AgendaPublishedDue, d.agenda_published_due),
        ],
        GroupRole::Secretariat => vec![
            (DeadlineKind::AgendaToChairDue, d.agenda_to_chair_due),
            (DeadlineKind::AgendaPublishedDue, d.agenda_published_due),
            (DeadlineKind::MinutesDue, d.minutes_due),
        ],
        GroupRole::Substitute | GroupRole::Coordinator | GroupRole::Vendor => Vec::new(),
    };
    if let Some(w) = window {
        match role {
            GroupRole::Member | GroupRole::Chair | GroupRole::Substitute => {
                own.push((DeadlineKind::MinutesCommentsDue, w.closes_on))
            }
            GroupRole::Secretariat => own.push((DeadlineKind::CommentsIncorporatedDue, w.work_in_by)),
            GroupRole::Coordinator | GroupRole::Vendor => {}
        }
    }
    own
}

/// GET /kalender/{secret}.ics
pub async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, AppError> {
    let secret = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let person = calendar::feed_owner(&state.db, &tokens::sha256(secret)).await?.ok_or(AppError::NotFound)?;
    let account = accounts::by_id(&state.db, person).await?.ok_or(AppError::NotFound)?;
    let scope = GroupScope::of(&Viewer::Person { role: account.role }, Some(person));
    let mine = groups::for_person(&state.db, scope).await?;
    let group_ids: Vec<i64> = mine.iter().map(|g| g.group_id).collect();
    let now = state.clock.now();
    let list =
        meetings::in_period(&state.db, Some(&group_ids), scope, now - Duration::days(365), now + Duration::days(550))
            .await?;
    let cal = state.calendar.get(&state.db).await?;
    let settings = state.config.deadline_settings();
    let base = state.config.base_url();
    let ids: Vec<i64> = list.iter().map(|m| m.id).collect();
    let approved = crate::store::minutes::approved_among(&state.db, &ids).await?;
    let out_for_comments = crate::store::minutes::sent_among(&state.db, &ids).await?;
    let events: Vec<ical::Event> = list
        .iter()
        .map(|m| {
            let mut event = calendar_event(m, &state.config);
            // R3: approved minutes are linked from the meeting in the person's calendar.
            if approved.contains(&m.id) {
                event.description = format!("{}\nReferat: {base}/moeder/{}/referat", event.description, m.id);
            }
            event
        })
        .collect();
    let mut deadlines = Vec::new();
    for m in list.iter().filter(|m| m.kind == MeetingKind::Ordinary && m.status != MeetingStatus::Cancelled) {
        let Some(role) = mine.iter().find(|g| Some(g.group_id) == m.group_id).map(|g| g.role) else { continue };
        let d = meeting_deadlines(&cal, &settings, local_date(m.starts_at));
        let window = out_for_comments
            .iter()
            .find(|(id, _)| *id == m.id)
            .map(|(_, sent)| crate::domain::minutes::window(&cal, &settings, local_date(*sent)));
        let group = m.group_name.clone().unwrap_or_default();
        for (kind, date) in own_deadlines(role, &d, window) {
            deadlines.push(AllDayEvent {
                uid: format!("deadline-{}-{}@{}", m.id, kind.rule(), state.config.domain()),
                date,
                summary: format!("Frist: {} ({group})", kind.label()),
                description: format!(
                    "{} for mødet {} ({})",
                    kind.label(),
                    crate::text::datetime(m.starts_at),
                    kind.rule()
                ),
                url: Some(format!("{base}/moeder/{}", m.id)),
            });
        }
    }
    let body = ical::feed("Samarbejdsrum", &events, &deadlines, now);
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response())
}
