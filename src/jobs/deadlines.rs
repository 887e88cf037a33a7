//! The deadline scanner (D3): for every open deadline of the charter, queue the reminder that is due
//! today in the outbox. Which day is "due soon" or "late" is `domain::reminders`; the outbox's unique
//! idempotency key makes every scan safe to repeat, on any number of instances.

use std::time::Duration;

use askama::Template;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::domain::calendar::local_date;
use crate::domain::deadlines::{DeadlineKind, meeting_deadlines};
use crate::domain::reminders::{self, Phase};
use crate::state::AppState;
use crate::store::calendar;
use crate::store::outbox::{self, NewMail};
use crate::store::reminders::{
    OpenMeeting, Person, active_members, open_meetings, secretariat_accounts, yearly_duties,
};
use crate::web::format;

/// The reminder's text and HTML parts share their fields.
#[derive(Template)]
#[template(path = "mail/reminder.txt")]
struct ReminderMail<'a> {
    name: &'a str,
    message: &'a str,
    group: &'a str,
    meeting_when: &'a str,
    due: &'a str,
    rule: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "mail/reminder.html")]
struct ReminderHtml<'a, 'b>(&'b ReminderMail<'a>);

impl<'a> std::ops::Deref for ReminderHtml<'a, '_> {
    type Target = ReminderMail<'a>;
    fn deref(&self) -> &Self::Target {
        self.0
    }
}

pub async fn run(state: AppState, every: Duration, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Err(err) = run_once(&state).await {
                    tracing::warn!(error = %format!("{err:#}"), "deadline scan failed");
                }
            }
            _ = shutdown.cancelled() => break,
        }
    }
}

/// One reminder to queue: what, for which meeting and due date, to whom.
struct Reminder<'a> {
    kind: DeadlineKind,
    phase: Phase,
    meeting: &'a OpenMeeting,
    due: chrono::NaiveDate,
    message: String,
    /// What the subject line names; the deadline's own label unless a yearly duty says otherwise.
    title: Option<String>,
}

/// Scans once with the state's clock; returns how many reminders were newly queued.
pub async fn run_once(state: &AppState) -> anyhow::Result<usize> {
    let now = state.clock.now();
    let today = local_date(now);
    let cal = calendar::working_calendar(&state.db).await?;
    let settings = state.config.deadline_settings();
    let fallback = secretariat_accounts(&state.db).await?;
    let mut queued = 0;
    for meeting in open_meetings(&state.db, now).await? {
        let d = meeting_deadlines(&cal, &settings, local_date(meeting.starts_at));
        let members = active_members(&state.db, meeting.group_id).await?;
        let own_secretariat: Vec<&Person> = members.iter().filter(|p| p.role == "secretariat").collect();
        let secretariat: Vec<&Person> =
            if own_secretariat.is_empty() { fallback.iter().collect() } else { own_secretariat };
        let status = meeting.agenda_status.as_deref();
        let phase = |due| reminders::phase(&cal, &settings, today, due);

        // A3: members are reminded before the agenda-item deadline (never after: then it is late).
        if let Some(Phase::Soon) = phase(d.agenda_items_due) {
            let r = Reminder {
                kind: DeadlineKind::AgendaItemsDue,
                phase: Phase::Soon,
                meeting: &meeting,
                due: d.agenda_items_due,
                message: "Har du et punkt til dagsordenen, så send det skriftligt i Samarbejdsrum senest på fristen."
                    .into(),
                title: None,
            };
            let to: Vec<&Person> = members.iter().filter(|p| matches!(p.role.as_str(), "chair" | "member")).collect();
            queued += queue(state, &r, &to).await?;
        }
        // A1: the draft goes to the chair.
        if matches!(status, None | Some("draft"))
            && let Some(p) = phase(d.agenda_to_chair_due)
        {
            let message = match p {
                Phase::Soon => "Udkastet til dagsorden skal snart sendes til forpersonen til kommentering.",
                Phase::Late => "Udkastet til dagsorden er ikke sendt til forpersonen, og fristen er overskredet.",
            };
            let r = Reminder {
                kind: DeadlineKind::AgendaToChairDue,
                phase: p,
                meeting: &meeting,
                due: d.agenda_to_chair_due,
                message: message.into(),
                title: None,
            };
            queued += queue(state, &r, &secretariat).await?;
        }
        // A1: the chair is asked once per sending to approve.
        if status == Some("sent_to_chair")
            && let Some(sent) = meeting.sent_to_chair_at
        {
            let r = Reminder {
                kind: DeadlineKind::AgendaPublishedDue,
                phase: Phase::Soon,
                meeting: &meeting,
                due: local_date(sent),
                message: format!(
                    "Sekretariatet har sendt dagsordenen til dig. Kommentér eller godkend den, så den kan udsendes senest {}.",
                    format::date(d.agenda_published_due)
                ),
                title: Some("Dagsorden til godkendelse".into()),
            };
            let chairs: Vec<&Person> = members.iter().filter(|p| p.role == "chair").collect();
            queued += queue_kind(state, "agenda_approval", &r, &chairs).await?;
        }
        // A2: the agenda is published.
        if status != Some("published")
            && let Some(p) = phase(d.agenda_published_due)
        {
            let message = match p {
                Phase::Soon => "Dagsordenen skal snart godkendes af forpersonen og udsendes til deltagerne.",
                Phase::Late => "Dagsordenen er ikke udsendt, og fristen er overskredet.",
            };
            let r = Reminder {
                kind: DeadlineKind::AgendaPublishedDue,
                phase: p,
                meeting: &meeting,
                due: d.agenda_published_due,
                message: message.into(),
                title: None,
            };
            queued += queue(state, &r, &secretariat).await?;
        }
        // R2: minutes within five working days after a held meeting.
        if meeting.starts_at <= now
            && !meeting.minutes_sent
            && let Some(p) = phase(d.minutes_due)
        {
            let message = match p {
                Phase::Soon => "Referatet skal sendes og offentliggøres senest på fristen.",
                Phase::Late => "Referatet er ikke sendt, og fristen er overskredet.",
            };
            let r = Reminder {
                kind: DeadlineKind::MinutesDue,
                phase: p,
                meeting: &meeting,
                due: d.minutes_due,
                message: message.into(),
                title: None,
            };
            queued += queue(state, &r, &secretariat).await?;
        }
    }
    queued += yearly_duties_once(state, &cal, &settings, today, &fallback).await?;
    outbox::record_job_run(&state.db, "deadline_scan", now, serde_json::json!({ "queued": queued })).await?;
    Ok(queued)
}

/// Y2, Y3, B3: the secretariat prepares a yearly duty for the meeting it is placed on, by the
/// meeting's agenda-item deadline.
async fn yearly_duties_once(
    state: &AppState,
    cal: &crate::domain::calendar::WorkingCalendar,
    settings: &crate::domain::deadlines::DeadlineSettings,
    today: chrono::NaiveDate,
    fallback: &[Person],
) -> anyhow::Result<usize> {
    let mut queued = 0;
    for duty in yearly_duties(&state.db, state.clock.now()).await? {
        let due = meeting_deadlines(cal, settings, local_date(duty.starts_at)).agenda_items_due;
        let Some(Phase::Soon) = reminders::phase(cal, settings, today, due) else { continue };
        let members = active_members(&state.db, duty.group_id).await?;
        let own: Vec<&Person> = members.iter().filter(|p| p.role == "secretariat").collect();
        let to: Vec<&Person> = if own.is_empty() { fallback.iter().collect() } else { own };
        let meeting = OpenMeeting {
            id: duty.meeting_id,
            group_id: duty.group_id,
            group_name: duty.group_name.clone(),
            starts_at: duty.starts_at,
            agenda_status: None,
            sent_to_chair_at: None,
            minutes_sent: false,
        };
        let r = Reminder {
            kind: DeadlineKind::AgendaItemsDue,
            phase: Phase::Soon,
            meeting: &meeting,
            due,
            message: format!("Årshjulets faste opgave skal forberedes til mødet: {}.", duty.title),
            title: Some(duty.title.clone()),
        };
        queued += queue_kind(state, &format!("yearly_{}", duty.code), &r, &to).await?;
    }
    Ok(queued)
}

async fn queue(state: &AppState, r: &Reminder<'_>, to: &[&Person]) -> anyhow::Result<usize> {
    let kind = match r.kind {
        DeadlineKind::AgendaItemsDue => "agenda_items",
        DeadlineKind::AgendaToChairDue => "agenda_to_chair",
        DeadlineKind::AgendaPublishedDue => "agenda_published_due",
        DeadlineKind::MinutesDue => "minutes",
        DeadlineKind::MinutesCommentsDue => "minutes_comments",
        DeadlineKind::CommentsIncorporatedDue => "comments_incorporated",
    };
    queue_kind(state, kind, r, to).await
}

async fn queue_kind(state: &AppState, kind: &str, r: &Reminder<'_>, to: &[&Person]) -> anyhow::Result<usize> {
    let pool: &PgPool = &state.db;
    let link = format!("{}/moeder/{}", state.config.base_url(), r.meeting.id);
    let meeting_when = format::datetime(r.meeting.starts_at);
    let due = format::date(r.due);
    let late = if r.phase == Phase::Late { "Overskredet: " } else { "Påmindelse: " };
    let title = r.title.clone().unwrap_or_else(|| r.kind.label().to_owned());
    let subject = format!(
        "{late}{title} senest {due} – {}, møde {}",
        r.meeting.group_name,
        format::short_date(local_date(r.meeting.starts_at))
    );
    let mut conn = pool.acquire().await?;
    let mut queued = 0;
    for person in to {
        let body = ReminderMail {
            name: &person.name,
            message: &r.message,
            group: &r.meeting.group_name,
            meeting_when: &meeting_when,
            due: &due,
            rule: r.kind.rule(),
            link: &link,
        };
        let html = ReminderHtml(&body).render()?;
        let body = body.render()?;
        let key = reminders::key(kind, r.phase, r.meeting.id, r.due, person.person_id);
        let mail = NewMail {
            idempotency_key: &key,
            kind,
            to_person_id: Some(person.person_id),
            to_address: &person.email,
            subject: &subject,
            body_text: &body,
            body_html: Some(&html),
            ics: None,
            queued_at: state.clock.now(),
        };
        if outbox::enqueue(&mut conn, mail).await? {
            queued += 1;
        }
    }
    Ok(queued)
}
