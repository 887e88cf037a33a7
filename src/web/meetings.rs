//! Meetings (T1-T7, Y1-Y3, D3): a group's year of meetings with its årshjul, planning a meeting,
//! the meeting page (deadlines, agenda, requests, attendance, attachments), and its .ics file.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::Deserialize;

use super::auth::Ctx;
use super::error::AppError;
use super::forms::FieldErrors;
use super::groups::readable_group;
use super::layout::{Layout, Nav};
use super::{annual_wheel, labels};
use crate::domain::access::{GroupRole, Viewer};
use crate::domain::agenda_workflow::Actor as AgendaActor;
use crate::domain::annual_cycle::{self, PlannedTopic, Topic};
use crate::domain::calendar::{TZ, local_date, local_to_utc};
use crate::domain::deadlines::{DeadlineKind, DeadlineState, StepsDone, meeting_deadline_states};
use crate::domain::ical;
use crate::domain::input;
use crate::state::AppState;
use crate::store::{calendar, groups, meetings, memberships};
use crate::text;

#[derive(Deserialize, Default)]
pub struct YearQuery {
    aar: Option<i32>,
}

impl YearQuery {
    /// The year asked for, or this year.
    fn year(&self, state: &AppState) -> i32 {
        self.aar.filter(|y| (2000..=2200).contains(y)).unwrap_or_else(|| local_date(state.clock.now()).year())
    }
}

pub fn year_bounds(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let start =
        |y: i32| TZ.with_ymd_and_hms(y, 1, 1, 0, 0, 0).earliest().map(|t| t.with_timezone(&Utc)).unwrap_or_default();
    (start(year), start(year + 1))
}

struct MeetingLine {
    id: i64,
    when: String,
    kind: &'static str,
    cycle: &'static str,
    place: String,
    status: &'static str,
    topics: Vec<String>,
}

struct TopicLine {
    code: &'static str,
    title: String,
    placed_on: String,
    rule: &'static str,
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The plan-a-meeting form, kept as typed when it comes back.
#[derive(Deserialize, Default, Clone)]
pub struct MeetingForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    online_link: String,
    #[serde(default)]
    cycle_number: String,
}

#[derive(Template)]
#[template(path = "meetings/plan.html")]
struct PlanPage {
    l: Layout,
    group: groups::Group,
    year: i32,
    meetings: Vec<MeetingLine>,
    topics: Vec<TopicLine>,
    meeting_choices: Vec<Choice>,
    warnings: Vec<annual_cycle::Warning>,
    wheel: String,
    can_edit: bool,
    form: MeetingForm,
    errors: FieldErrors,
}

fn status_label(status: &str) -> &'static str {
    match status {
        "planned" => "Planlagt",
        "held" => "Afholdt",
        "cancelled" => "Aflyst",
        _ => "",
    }
}

async fn plan_page(state: &AppState, ctx: &Ctx, group: groups::Group, year: i32) -> Result<PlanPage, AppError> {
    let (from, to) = year_bounds(year);
    let (rows, topic_rows) = tokio::try_join!(
        meetings::of_group(&state.db, group.id, from, to),
        meetings::annual_topics(&state.db, group.id, year)
    )?;
    let planned: Vec<PlannedTopic> = topic_rows
        .iter()
        .filter_map(|t| {
            Topic::parse(&t.code).map(|topic| PlannedTopic { topic, meeting_date: t.meeting_starts_at.map(local_date) })
        })
        .collect();
    let ordinary: Vec<NaiveDate> = rows
        .iter()
        .filter(|m| m.kind == "ordinary" && m.status != "cancelled")
        .map(|m| local_date(m.starts_at))
        .collect();
    let mut warnings = annual_cycle::quarters_without_ordinary_meeting(year, &ordinary, local_date(state.clock.now()));
    if group.kind_code == "faggruppe" {
        warnings.extend(annual_cycle::plan_warnings(year, &planned));
    }
    let topic_title = |t: &meetings::TopicRow| t.title.clone();
    let wheel_meetings: Vec<annual_wheel::WheelMeeting> = rows
        .iter()
        .filter(|m| m.status != "cancelled")
        .map(|m| annual_wheel::WheelMeeting {
            date: local_date(m.starts_at),
            label: match m.cycle_number {
                Some(n) => format!("Møde {}", annual_cycle::roman(n as u32)),
                None => labels::meeting_kind(&m.kind).to_owned(),
            },
            topics: topic_rows.iter().filter(|t| t.meeting_id == Some(m.id)).map(topic_title).collect(),
            href: Some(format!("/moeder/{}", m.id)),
        })
        .collect();
    let duties: Vec<annual_wheel::WheelDuty> = topic_rows
        .iter()
        .filter(|t| matches!(t.code.as_str(), "data_agreement" | "metadata_review" | "budget_decision"))
        .filter_map(|t| {
            t.meeting_starts_at
                .map(|at| annual_wheel::WheelDuty { month: local_date(at).month(), label: t.title.clone() })
        })
        .collect();
    let meetings = rows
        .iter()
        .map(|m| MeetingLine {
            id: m.id,
            when: text::datetime(m.starts_at),
            kind: labels::meeting_kind(&m.kind),
            cycle: m.cycle_number.map(|n| annual_cycle::roman(n as u32)).unwrap_or(""),
            place: labels::meeting_place(&m.format, &m.location),
            status: status_label(&m.status),
            topics: topic_rows.iter().filter(|t| t.meeting_id == Some(m.id)).map(topic_title).collect(),
        })
        .collect();
    let mut topics: Vec<TopicLine> = Topic::ALL
        .iter()
        .filter(|t| **t != Topic::Custom)
        .map(|t| {
            let row = topic_rows.iter().find(|r| r.code == t.code());
            TopicLine {
                code: t.code(),
                title: row.map(|r| r.title.clone()).unwrap_or_else(|| t.title().to_owned()),
                placed_on: row.and_then(|r| r.meeting_id).map(|id| id.to_string()).unwrap_or_default(),
                rule: t.rule(),
            }
        })
        .collect();
    topics.extend(topic_rows.iter().filter(|r| r.code == "custom").map(|r| TopicLine {
        code: "custom",
        title: r.title.clone(),
        placed_on: r.meeting_id.map(|id| id.to_string()).unwrap_or_default(),
        rule: "Y1",
    }));
    let meeting_choices = rows
        .iter()
        .filter(|m| m.status != "cancelled")
        .map(|m| Choice {
            value: m.id.to_string(),
            label: format!(
                "{}{}",
                m.cycle_number.map(|n| format!("Møde {} · ", annual_cycle::roman(n as u32))).unwrap_or_default(),
                text::short_date(local_date(m.starts_at))
            ),
        })
        .collect();
    Ok(PlanPage {
        l: ctx.layout(Nav::Meetings, format!("Møder og årshjul {year} · {}", group.name)),
        wheel: annual_wheel::render(year, &wheel_meetings, &duties),
        can_edit: ctx.viewer().is_secretariat(),
        form: MeetingForm {
            kind: "ordinary".into(),
            start: "13:00".into(),
            end: "16:00".into(),
            format: "physical".into(),
            ..MeetingForm::default()
        },
        errors: FieldErrors::default(),
        group,
        year,
        meetings,
        topics,
        meeting_choices,
        warnings,
    })
}

/// GET /grupper/{slug}/moeder?aar=2027
pub async fn plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Html<String>, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    let year = q.year(&state);
    Ok(Html(plan_page(&state, &ctx, group, year).await?.render()?))
}

/// The meeting the form describes, or the Danish messages of what is wrong.
fn validate_meeting(form: &MeetingForm, group_id: i64) -> Result<meetings::NewMeeting, FieldErrors> {
    let mut errors = FieldErrors::default();
    if !matches!(form.kind.as_str(), "ordinary" | "working" | "staff_group" | "board") {
        errors.add("kind", "Vælg en mødetype.");
    }
    if !matches!(form.format.as_str(), "physical" | "online" | "hybrid") {
        errors.add("format", "Vælg fysisk, online eller hybrid.");
    }
    let date = input::date(form.date.trim()).map_err(|_| errors.add("date", "Skriv datoen som åååå-mm-dd.")).ok();
    let time = |s: &str| NaiveTime::parse_from_str(s.trim(), "%H:%M").ok();
    let start = time(&form.start).or_else(|| {
        errors.add("start", "Skriv starttidspunktet som tt:mm.");
        None
    });
    let end = time(&form.end).or_else(|| {
        errors.add("end", "Skriv sluttidspunktet som tt:mm.");
        None
    });
    let cycle_number = match form.cycle_number.trim() {
        "" => None,
        s => s.parse::<i16>().ok().filter(|n| (1..=4).contains(n)).or_else(|| {
            errors.add("cycle_number", "Vælg møde I, II, III eller IV.");
            None
        }),
    };
    let title = input::one_line(&form.title, 200).map_err(|m| errors.add("title", m)).unwrap_or_default();
    let location = input::one_line(&form.location, 200).map_err(|m| errors.add("location", m)).unwrap_or_default();
    let online_link = input::web_link(&form.online_link).map_err(|m| errors.add("online_link", m)).unwrap_or_default();
    let (Some(date), Some(start), Some(end)) = (date, start, end) else { return Err(errors) };
    let (Some(starts_at), Some(ends_at)) = (local_to_utc(date, start), local_to_utc(date, end)) else {
        errors.add("start", "Tidspunktet findes ikke den dag (sommertid).");
        return Err(errors);
    };
    if ends_at <= starts_at {
        errors.add("end", "Mødet skal slutte efter det begynder.");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(meetings::NewMeeting {
        group_id,
        kind: form.kind.clone(),
        title,
        starts_at,
        ends_at,
        format: form.format.clone(),
        location,
        online_link,
        cycle_number,
    })
}

/// POST /grupper/{slug}/moeder
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<MeetingForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let group = readable_group(&state, &ctx, &slug).await?;
    match validate_meeting(&form, group.id) {
        Ok(new) => {
            let id = meetings::create(&state.db, &ctx.actor(), &new).await?;
            Ok(Redirect::to(&format!("/moeder/{id}")).into_response())
        }
        Err(errors) => {
            let year = input::date(form.date.trim())
                .map(|d| d.year())
                .unwrap_or_else(|_| local_date(state.clock.now()).year());
            let mut page = plan_page(&state, &ctx, group, year).await?;
            page.form = form;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct TopicForm {
    year: i32,
    code: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    meeting_id: String,
}

/// POST /grupper/{slug}/aarshjul (Y1: place a topic on one of the year's meetings)
pub async fn place_topic(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<TopicForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let group = readable_group(&state, &ctx, &slug).await?;
    let topic = Topic::parse(&form.code).ok_or_else(|| AppError::BadRequest("Ukendt emne.".into()))?;
    let title = if topic == Topic::Custom { form.title.trim().to_owned() } else { topic.title().to_owned() };
    if title.is_empty() {
        return Err(AppError::BadRequest("Giv gruppens eget emne en titel.".into()));
    }
    let meeting_id = form.meeting_id.parse::<i64>().ok();
    if let Some(id) = meeting_id {
        let m = meetings::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
        if m.group_id != Some(group.id) || local_date(m.starts_at).year() != form.year {
            return Err(AppError::BadRequest("Mødet hører ikke til gruppens år.".into()));
        }
    }
    meetings::place_topic(&state.db, &ctx.actor(), group.id, form.year, topic.code(), &title, meeting_id).await?;
    Ok(Redirect::to(&format!("/grupper/{slug}/moeder?aar={}#aarshjul", form.year)).into_response())
}

/// The person's relation to a meeting's group, for the agenda workflow and attendance.
pub struct Relation {
    pub actor: AgendaActor,
    pub membership: Option<memberships::Member>,
}

pub async fn relation(state: &AppState, ctx: &Ctx, meeting: &meetings::Meeting) -> Result<Relation, AppError> {
    let membership = match meeting.group_id {
        Some(group_id) => {
            memberships::of_group(&state.db, group_id).await?.into_iter().find(|m| m.person_id == ctx.user.person_id)
        }
        None => None,
    };
    let active_role = membership.as_ref().filter(|m| m.status == "active").and_then(|m| GroupRole::parse(&m.role));
    let actor = if ctx.viewer().is_secretariat() {
        AgendaActor::Secretariat
    } else {
        match active_role {
            Some(GroupRole::Chair) => AgendaActor::Chair,
            Some(GroupRole::Secretariat) => AgendaActor::Secretariat,
            Some(_) => AgendaActor::Member,
            None => AgendaActor::Other,
        }
    };
    Ok(Relation { actor, membership })
}

/// The meeting, if this person may see it (O5 through its group).
pub async fn readable_meeting(state: &AppState, ctx: &Ctx, id: i64) -> Result<meetings::Meeting, AppError> {
    meetings::readable(&state.db, id, ctx.scope()).await?.ok_or(AppError::NotFound)
}

pub struct DeadlineLine {
    pub rule: &'static str,
    pub label: &'static str,
    pub due: String,
    pub state_label: &'static str,
    pub state_class: &'static str,
}

/// D3: the meeting's deadlines with their states.
pub async fn deadline_lines(
    state: &AppState,
    meeting: &meetings::Meeting,
    done: StepsDone,
) -> Result<Vec<DeadlineLine>, AppError> {
    let cal = calendar::working_calendar(&state.db).await?;
    let settings = state.config.deadline_settings();
    let now = state.clock.now();
    Ok(meeting_deadline_states(&cal, &settings, meeting.starts_at, done, now)
        .into_iter()
        .map(|d| {
            let closed_for_items = d.kind == DeadlineKind::AgendaItemsDue && d.state == DeadlineState::Met;
            DeadlineLine {
                rule: d.kind.rule(),
                label: d.kind.label(),
                due: text::date(d.due),
                state_label: if closed_for_items { "Lukket" } else { d.state.label() },
                state_class: if closed_for_items { "badge-muted" } else { d.state.css_class() },
            }
        })
        .collect())
}

#[derive(Deserialize)]
pub struct ChecklistForm {
    item: String,
    #[serde(default)]
    done: String,
}

/// POST /moeder/{id}/tjekliste (T6)
pub async fn checklist(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<ChecklistForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    if !meetings::set_checklist_item(&state.db, id, &form.item, form.done == "ja").await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/moeder/{id}#tjekliste")).into_response())
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

/// POST /moeder/{id}/status (held or cancelled)
pub async fn set_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    if !matches!(form.status.as_str(), "planned" | "held" | "cancelled") {
        return Err(AppError::BadRequest("Ukendt status.".into()));
    }
    meetings::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    meetings::set_status(&state.db, &ctx.actor(), id, &form.status).await?;
    Ok(Redirect::to(&format!("/moeder/{id}")).into_response())
}

/// One meeting as a calendar event.
pub fn meeting_event(m: &meetings::Meeting, base_url: &str) -> ical::Event {
    let group = m.group_name.clone().unwrap_or_else(|| "Alle grupper".into());
    let summary = if m.title.is_empty() {
        format!("{group}: {}", labels::meeting_kind(&m.kind))
    } else {
        format!("{group}: {}", m.title)
    };
    let location = [m.location.as_str(), m.online_link.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ");
    ical::Event {
        uid: format!("meeting-{}@samarbejdsrum", m.id),
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        summary,
        description: format!("{} ({})", labels::meeting_kind(&m.kind), labels::meeting_format(&m.format)),
        location,
        url: Some(format!("{base_url}/moeder/{}", m.id)),
        last_modified: m.starts_at,
        cancelled: m.status == "cancelled",
    }
}

/// GET /moeder/{id}/kalender.ics (T7 neighbours: the meeting in the person's own calendar)
pub async fn ics(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let meeting = readable_meeting(&state, &ctx, id).await?;
    let body =
        ical::calendar("Samarbejdsrum", &[meeting_event(&meeting, &state.config.base_url())], &[], state.clock.now());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"moede-{id}.ics\"")),
        ],
        body,
    )
        .into_response())
}

/// T5: the attendance sheet: one row per person, one column per meeting of the year.
pub struct Sheet {
    pub columns: Vec<(i64, String)>,
    pub rows: Vec<(String, String, Vec<&'static str>)>,
}

pub async fn sheet(state: &AppState, group_id: i64, year: i32) -> Result<Sheet, AppError> {
    let (from, to) = year_bounds(year);
    let cells = crate::store::attendance::sheet(&state.db, group_id, from, to).await?;
    let mut columns: Vec<(i64, String)> = Vec::new();
    for c in &cells {
        if !columns.iter().any(|(id, _)| *id == c.meeting_id) {
            columns.push((c.meeting_id, text::short_date(local_date(c.starts_at))));
        }
    }
    columns.sort_by_key(|(id, _)| cells.iter().find(|c| c.meeting_id == *id).map(|c| c.starts_at));
    let mut rows: Vec<(i64, String, String, Vec<&'static str>)> = Vec::new();
    for c in &cells {
        let at = columns.iter().position(|(id, _)| *id == c.meeting_id).unwrap_or(0);
        let mark = match (c.status.as_deref(), c.apology_late) {
            (Some("attended"), _) => "Deltog",
            (Some("apology"), true) => "Sent afbud",
            (Some("apology"), false) => "Afbud",
            (Some("absent"), _) => "Fraværende",
            _ => "",
        };
        match rows.iter_mut().find(|r| r.0 == c.person_id) {
            Some(row) => row.3[at] = mark,
            None => {
                let mut marks = vec![""; columns.len()];
                marks[at] = mark;
                let who = format!(
                    "{} ({})",
                    c.party_name.clone().unwrap_or_default(),
                    GroupRole::parse(&c.role).map(GroupRole::label).unwrap_or("")
                );
                rows.push((c.person_id, c.name.clone(), who, marks));
            }
        }
    }
    Ok(Sheet { columns, rows: rows.into_iter().map(|(_, name, who, marks)| (name, who, marks)).collect() })
}

#[derive(Template)]
#[template(path = "meetings/attendance.html")]
struct SheetPage {
    l: Layout,
    group: groups::Group,
    year: i32,
    sheet: Sheet,
}

/// GET /grupper/{slug}/fremmoede?aar=2027 (T5)
pub async fn attendance_sheet(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Html<String>, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    let year = q.year(&state);
    let sheet = sheet(&state, group.id, year).await?;
    Ok(Html(
        SheetPage {
            l: ctx.layout(Nav::Meetings, format!("Mødefrekvensark {year} · {}", group.name)),
            group,
            year,
            sheet,
        }
        .render()?,
    ))
}

/// GET /grupper/{slug}/fremmoede.csv?aar=2027 (T5)
pub async fn attendance_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let group = readable_group(&state, &ctx, &slug).await?;
    let year = q.year(&state);
    let sheet = sheet(&state, group.id, year).await?;
    let mut out = String::from("\u{feff}Navn;Part og rolle");
    for (_, date) in &sheet.columns {
        out.push(';');
        out.push_str(date);
    }
    out.push_str("\r\n");
    for (name, who, marks) in &sheet.rows {
        out.push_str(&super::directory::csv_field(name));
        out.push(';');
        out.push_str(&super::directory::csv_field(who));
        for m in marks {
            out.push(';');
            out.push_str(m);
        }
        out.push_str("\r\n");
    }
    let disposition = format!("attachment; filename=\"moedefrekvens-{}-{year}.csv\"", group.slug);
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        out,
    )
        .into_response())
}
