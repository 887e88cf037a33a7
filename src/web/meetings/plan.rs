//! A group's year of meetings (T1, T3, Y1-Y3): the list with its årshjul and the topics of the
//! year, planning a meeting, and placing a topic on one of the year's meetings.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use serde::Deserialize;

use super::Choice;
use crate::domain::access::Viewer;
use crate::domain::annual_cycle::{self, PlannedTopic, Topic};
use crate::domain::calendar::local_date;
use crate::domain::ids::{GroupId, MeetingId, TopicId};
use crate::domain::input;
use crate::domain::meeting_codes::{MeetingKind, MeetingStatus};
use crate::domain::meeting_input::{self, MeetingInput};
use crate::state::AppState;
use crate::store::{groups, meetings};
use crate::text;
use crate::text::annual_wheel;
use crate::time_zone::TZ;
use crate::web::auth::Ctx;
use crate::web::error::AppError;
use crate::web::forms::FieldErrors;
use crate::web::groups::readable_group;
use crate::web::layout::{Layout, Nav};

#[derive(Deserialize, Default)]
pub struct YearQuery {
    aar: Option<i32>,
}

impl YearQuery {
    /// The year asked for, or this year.
    pub(super) fn year(&self, state: &AppState) -> i32 {
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
    /// Y2, Y3, B3: the stored topic's id, when it is a yearly duty placed in the plan.
    duty_id: Option<i64>,
    /// Y2: the duty goes to the board too.
    to_board: bool,
    /// "Udført 12.03.2027 …" when done.
    done: String,
    code: &'static str,
    title: String,
    placed_on: String,
    rule: &'static str,
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
    form: MeetingInput,
    errors: FieldErrors,
    kind_choices: Vec<Choice>,
    format_choices: Vec<Choice>,
    cycle_choices: Vec<Choice>,
    show_cycle: bool,
    /// A refused duty record: the topic's id, the field, the message and what was typed.
    duty_error: Option<DutyError>,
}

struct DutyError {
    topic_id: i64,
    message: String,
    done_on: String,
    sent_to_board_on: String,
}

impl PlanPage {
    /// The refused record of this duty, to show beside its form.
    fn typed_for(&self, topic_id: &&i64) -> Option<&DutyError> {
        self.duty_error.as_ref().filter(|e| e.topic_id == **topic_id)
    }
}

async fn plan_page(state: &AppState, ctx: &Ctx, group: groups::Group, year: i32) -> Result<PlanPage, AppError> {
    let (from, to) = year_bounds(year);
    let (rows, topic_rows, across) = tokio::try_join!(
        meetings::of_group(&state.db, group.id, from, to),
        meetings::annual_topics(&state.db, group.id, year),
        meetings::across_groups_in(&state.db, from, to)
    )?;
    let planned: Vec<PlannedTopic> = topic_rows
        .iter()
        .filter_map(|t| {
            Topic::parse(&t.code).map(|topic| PlannedTopic { topic, meeting_date: t.meeting_starts_at.map(local_date) })
        })
        .collect();
    let ordinary: Vec<NaiveDate> = rows
        .iter()
        .filter(|m| m.kind == MeetingKind::Ordinary && m.status != MeetingStatus::Cancelled)
        .map(|m| local_date(m.starts_at))
        .collect();
    let today = local_date(state.clock.now());
    let since = local_date(group.created_at);
    let mut warnings = annual_cycle::quarters_without_ordinary_meeting(year, &ordinary, today, since);
    if group.family.keeps_the_annual_cycle() {
        warnings.extend(annual_cycle::plan_warnings(year, &planned));
    }
    warnings.extend(annual_cycle::missing_meetings_across_groups(year, &across));
    let topic_title = |t: &meetings::TopicRow| t.title.clone();
    let wheel_meetings: Vec<annual_wheel::WheelMeeting> = rows
        .iter()
        .filter(|m| m.status != MeetingStatus::Cancelled)
        .map(|m| annual_wheel::WheelMeeting {
            date: local_date(m.starts_at),
            label: match m.cycle_number {
                Some(n) => format!("Møde {}", annual_cycle::roman(n as u32)),
                None => m.kind.label().to_owned(),
            },
            topics: topic_rows.iter().filter(|t| t.meeting_id == Some(m.id)).map(topic_title).collect(),
            href: Some(format!("/moeder/{}", m.id)),
        })
        .collect();
    let duties: Vec<annual_wheel::WheelDuty> = topic_rows
        .iter()
        .filter(|t| Topic::parse(&t.code).is_some_and(Topic::is_yearly_duty))
        .filter_map(|t| {
            t.meeting_starts_at.map(|at| annual_wheel::WheelDuty {
                month: local_date(at).month(),
                label: if t.done_on.is_some() { format!("✓ {}", t.title) } else { t.title.clone() },
            })
        })
        .collect();
    let meetings = rows
        .iter()
        .map(|m| MeetingLine {
            id: m.id,
            when: text::datetime(m.starts_at),
            kind: m.kind.label(),
            cycle: m.cycle_number.map(|n| annual_cycle::roman(n as u32)).unwrap_or(""),
            place: m.format.place(&m.location),
            status: m.status.label(),
            topics: topic_rows.iter().filter(|t| t.meeting_id == Some(m.id)).map(topic_title).collect(),
        })
        .collect();
    let mut topics: Vec<TopicLine> = Topic::ALL
        .iter()
        .filter(|t| **t != Topic::Custom)
        .map(|t| {
            let row = topic_rows.iter().find(|r| r.code == t.code());
            TopicLine {
                duty_id: row.filter(|_| t.is_yearly_duty()).map(|r| r.id),
                to_board: *t == Topic::DataAgreement,
                done: row.map(done_text).unwrap_or_default(),
                code: t.code(),
                title: row.map(|r| r.title.clone()).unwrap_or_else(|| t.title().to_owned()),
                placed_on: row.and_then(|r| r.meeting_id).map(|id| id.to_string()).unwrap_or_default(),
                rule: t.rule(),
            }
        })
        .collect();
    topics.extend(topic_rows.iter().filter(|r| Topic::parse(&r.code) == Some(Topic::Custom)).map(|r| TopicLine {
        duty_id: None,
        to_board: false,
        done: String::new(),
        code: "custom",
        title: r.title.clone(),
        placed_on: r.meeting_id.map(|id| id.to_string()).unwrap_or_default(),
        rule: "Y1",
    }));
    let meeting_choices = rows
        .iter()
        .filter(|m| m.status != MeetingStatus::Cancelled)
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
        form: MeetingInput::new_meeting(MeetingKind::Ordinary),
        errors: FieldErrors::default(),
        kind_choices: meeting_input::kind_choices(&MeetingKind::GROUP_KINDS),
        format_choices: meeting_input::format_choices(),
        cycle_choices: meeting_input::cycle_choices(),
        show_cycle: true,
        duty_error: None,
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

/// POST /grupper/{slug}/moeder
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<MeetingInput>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let group = readable_group(&state, &ctx, &slug).await?;
    match form.parse(&MeetingKind::GROUP_KINDS) {
        Ok(fields) => {
            let id = crate::app::meetings::plan_for_group(&state, &ctx.actor(), group.id, fields).await?;
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
    meetings::place_topic(
        &state.db,
        &ctx.actor(),
        GroupId(group.id),
        form.year,
        topic.code(),
        &title,
        meeting_id.map(MeetingId),
    )
    .await?;
    Ok(Redirect::to(&format!("/grupper/{slug}/moeder?aar={}#aarshjul", form.year)).into_response())
}

/// Y2, Y3, B3: how a done duty reads in the plan.
fn done_text(t: &meetings::TopicRow) -> String {
    match (t.done_on, t.sent_to_board_on) {
        (Some(done), Some(sent)) => {
            format!("Udført {}, sendt til bestyrelsen {}", text::short_date(done), text::short_date(sent))
        }
        (Some(done), None) => format!("Udført {}", text::short_date(done)),
        _ => String::new(),
    }
}

#[derive(Deserialize)]
pub struct DutyForm {
    year: i32,
    #[serde(default)]
    done_on: String,
    #[serde(default)]
    sent_to_board_on: String,
    /// Opens a duty recorded by mistake again.
    #[serde(default)]
    reopen: String,
}

/// POST /grupper/{slug}/aarshjul/{topic}/udfoert (Y2, Y3, B3: a yearly duty done, which ends its reminders)
pub async fn record_duty(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, topic_id)): Path<(String, TopicId)>,
    Form(form): Form<DutyForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let group = readable_group(&state, &ctx, &slug).await?;
    let back = Redirect::to(&format!("/grupper/{slug}/moeder?aar={}#aarshjul", form.year)).into_response();
    if !form.reopen.is_empty() {
        let found = meetings::record_duty(&state.db, &ctx.actor(), GroupId(group.id), topic_id, None).await?;
        return if found { Ok(back) } else { Err(AppError::NotFound) };
    }
    let topics = meetings::annual_topics(&state.db, group.id, form.year).await?;
    let row = topics.iter().find(|t| t.id == topic_id.0).ok_or(AppError::NotFound)?;
    let topic = Topic::parse(&row.code).ok_or(AppError::NotFound)?;
    let today = local_date(state.clock.now());
    let date = |s: &str| match s.trim() {
        "" => Ok(None),
        s => input::date(s).map(Some).map_err(|_| "Skriv datoen som dd-mm-åååå.".to_owned()),
    };
    let checked = match (date(&form.done_on), date(&form.sent_to_board_on)) {
        (Ok(done_on), Ok(sent)) => {
            annual_cycle::duty_done(topic, done_on.unwrap_or(today), sent, today).map_err(|(_, message)| message)
        }
        (Err(message), _) | (_, Err(message)) => Err(message),
    };
    match checked {
        Ok(done) => {
            meetings::record_duty(&state.db, &ctx.actor(), GroupId(group.id), topic_id, Some(done)).await?;
            Ok(back)
        }
        Err(message) => {
            let mut page = plan_page(&state, &ctx, group, form.year).await?;
            page.duty_error = Some(DutyError {
                topic_id: topic_id.0,
                message,
                done_on: form.done_on,
                sent_to_board_on: form.sent_to_board_on,
            });
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}
