//! The deadline scanner (D3): reads the open meetings, yearly duties and members, asks
//! `domain::reminder_plan` who gets which reminder today, and queues those mails in the outbox.
//! The outbox's unique idempotency key makes every scan safe to repeat, on any number of instances.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use tokio_util::sync::CancellationToken;

use crate::domain::annual_cycle::Topic;
use crate::domain::calendar::{local_date, start_of_local_day};
use crate::domain::ids::PersonId;
use crate::domain::notifications::MailKind;
use crate::domain::reminder_plan::{self, Member};
use crate::domain::reminders;
use crate::mail;
use crate::state::AppState;
use crate::store::actions;
use crate::store::outbox::{self, NewMail};
use crate::store::reminders::{active_members, open_meetings, secretariat_accounts, yearly_duties};

pub async fn run(state: AppState, every: Duration, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let started = std::time::Instant::now();
                if let Err(err) = run_once(&state).await {
                    tracing::warn!(error = %format!("{err:#}"), "deadline scan failed");
                }
                crate::observability::deadline_scan_took(started.elapsed());
            }
            _ = shutdown.cancelled() => break,
        }
    }
}

/// The meeting a reminder is about, as its mail names it.
struct About<'a> {
    meeting_id: i64,
    group: &'a str,
    starts_at: DateTime<Utc>,
    duty_title: Option<&'a str>,
}

/// Scans once with the state's clock; returns how many reminders were newly queued.
pub async fn run_once(state: &AppState) -> anyhow::Result<usize> {
    let now = state.clock.now();
    let cal = state.calendar.get(&state.db).await?;
    let settings = state.config.deadline_settings();
    let staff = secretariat_accounts(&state.db).await?;
    // Only the meetings of the days whose dated deadlines can be due today, and those waiting on a
    // sending (100,000 open meetings within a second).
    let (first, last) = reminder_plan::meeting_days_to_scan(&cal, &settings, local_date(now));
    let until = start_of_local_day(last + chrono::Days::new(1));
    let meetings = open_meetings(&state.db, now, start_of_local_day(first), until).await?;
    let duties = yearly_duties(&state.db, now).await?;
    let mut group_ids: Vec<i64> =
        meetings.iter().map(|m| m.group_id).chain(duties.iter().map(|d| d.group_id)).collect();
    group_ids.sort_unstable();
    group_ids.dedup();
    let members = active_members(&state.db, &group_ids).await?;
    let staff_ids: Vec<i64> = staff.iter().map(|p| p.person_id).collect();
    // Each group's members once, so the scan stays linear in the meetings (100,000 open meetings).
    let mut by_group: HashMap<i64, Vec<Member>> = HashMap::new();
    for m in &members {
        by_group.entry(m.group_id).or_default().push(Member { person_id: m.person_id, role: m.role });
    }
    let of_group = |group_id: i64| by_group.get(&group_id).map(Vec::as_slice).unwrap_or_default();

    // Plan first, then ask once which of the planned mails are not queued yet: a scan where nothing new
    // is due renders no mail and writes nothing.
    let mut planner = reminder_plan::Planner::new(&cal, &settings, now);
    let mut plans: Vec<(reminder_plan::Reminder, About)> = Vec::new();
    for meeting in &meetings {
        let open = reminder_plan::OpenMeeting {
            starts_at: meeting.starts_at,
            agenda: meeting.agenda_status,
            sent_to_chair_at: meeting.sent_to_chair_at,
            minutes_sent: meeting.minutes_sent,
            minutes_status: meeting.minutes_status,
            minutes_sent_at: meeting.minutes_sent_at,
            registered_at: meeting.created_at,
            answered: meeting.answered.clone(),
        };
        for r in planner.for_meeting(&open, of_group(meeting.group_id), &staff_ids) {
            let about = About {
                meeting_id: meeting.id,
                group: &meeting.group_name,
                starts_at: meeting.starts_at,
                duty_title: None,
            };
            plans.push((r, about));
        }
    }
    for duty in &duties {
        let Some(topic) = Topic::parse(&duty.code) else { continue };
        let Some(r) = planner.for_yearly_duty(topic, duty.starts_at, of_group(duty.group_id), &staff_ids) else {
            continue;
        };
        let about = About {
            meeting_id: duty.meeting_id,
            group: &duty.group_name,
            starts_at: duty.starts_at,
            duty_title: Some(&duty.title),
        };
        plans.push((r, about));
    }
    // One key per planned mail, with the plan and recipient it stands for.
    let mut keys: Vec<String> = Vec::new();
    let mut mails: Vec<(usize, i64)> = Vec::new();
    for (i, (r, about)) in plans.iter().enumerate() {
        let kind = r.what.kind();
        for &person_id in &r.to {
            keys.push(reminders::key(kind, r.phase, about.meeting_id, r.key_day(), PersonId(person_id)));
            mails.push((i, person_id));
        }
    }
    let mut missing = outbox::missing_keys(&state.db, &keys).await?;
    missing.sort_unstable();

    // Their addresses; the mail sender greets each by name when it goes out.
    let mut recipients: HashMap<i64, &String> = HashMap::new();
    for p in &staff {
        recipients.insert(p.person_id, &p.email);
    }
    for m in &members {
        recipients.insert(m.person_id, &m.email);
    }
    let mut conn = state.db.acquire().await?;
    let mut queued = 0;
    // Rendered and queued a thousand at a time: one statement each, and a burst of tens of
    // thousands of mails is never held in memory at once.
    for chunk in missing.chunks(1000) {
        let mut rendered = Vec::with_capacity(chunk.len());
        for &m in chunk {
            let (Some(&(plan, person_id)), Some(key)) = (mails.get(m), keys.get(m)) else { continue };
            let (r, about) = &plans[plan];
            // A recipient is a member of the group or, standing in for its secretariat, staff.
            let Some(&email) = recipients.get(&person_id) else { continue };
            let message = render(state, r, about)?;
            rendered.push((key, r.what.kind(), person_id, email, message));
        }
        let rows: Vec<NewMail> = rendered
            .iter()
            .map(|(key, kind, person_id, email, message)| NewMail {
                idempotency_key: key,
                kind: *kind,
                to_person_id: Some(*person_id),
                to_address: email,
                subject: &message.subject,
                body_text: &message.text,
                body_html: Some(&message.html),
                ics: None,
                queued_at: now,
            })
            .collect();
        queued += usize::try_from(outbox::enqueue_all(&mut conn, &rows).await?).unwrap_or(usize::MAX);
    }
    queued += remind_action_owners(state, &mut conn, &cal, &settings, now).await?;
    outbox::record_job_run(&state.db, "deadline_scan", now, serde_json::json!({ "queued": queued })).await?;
    Ok(queued)
}

/// The mail of one planned reminder to one recipient.
fn render(state: &AppState, r: &reminder_plan::Reminder, about: &About<'_>) -> anyhow::Result<mail::Mail> {
    let page = match r.what {
        reminder_plan::What::MinutesComments | reminder_plan::What::MinutesWorkIn => "/referat",
        _ => "",
    };
    let link = format!("{}/moeder/{}{page}", state.config.base_url(), about.meeting_id);
    let facts = mail::Reminder {
        what: r.what,
        phase: r.phase,
        due: r.due,
        group: about.group,
        meeting_starts_at: about.starts_at,
        duty_title: about.duty_title,
        link: &link,
    };
    Ok(mail::reminder(&facts)?)
}

/// C4: an open action's owner is reminded before its due date and once it has passed, each once per
/// due date and owner (the key holds both, so a changed due date is a new reminder).
async fn remind_action_owners(
    state: &AppState,
    conn: &mut PgConnection,
    cal: &crate::domain::calendar::WorkingCalendar,
    settings: &crate::domain::deadlines::DeadlineSettings,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let today = crate::domain::calendar::local_date(now);
    let open =
        actions::open_for_reminders(&state.db, today - chrono::Days::new(15), today + chrono::Days::new(14)).await?;
    let link = format!("{}/aktioner", state.config.base_url());
    let mut queued = 0;
    for a in open {
        let Some(phase) = reminders::phase(cal, settings, today, a.due_on) else { continue };
        let message = mail::action_reminder(&a.group_name, &a.title, a.due_on, phase, &link)?;
        let key = reminders::key(MailKind::ActionDue, phase, a.id, a.due_on, PersonId(a.owner_id));
        let row = NewMail {
            idempotency_key: &key,
            kind: MailKind::ActionDue,
            to_person_id: Some(a.owner_id),
            to_address: &a.owner_email,
            subject: &message.subject,
            body_text: &message.text,
            body_html: Some(&message.html),
            ics: None,
            queued_at: now,
        };
        if outbox::enqueue(conn, row).await? {
            queued += 1;
        }
    }
    Ok(queued)
}
