//! The minutes of a meeting at /moeder/{id}/referat (R1-R5): the secretariat writes them per agenda
//! item with decisions, actions and agreements, sends them for comments (R2), members comment per
//! item within the window (R3), the secretariat handles each comment and works them in (R4), and
//! approval publishes them and feeds the registers (R5). Rules are asked of `domain::minutes`.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Choice, Relation, readable_meeting, relation};
use crate::domain::access::GroupRole;
use crate::domain::agenda_template;
use crate::domain::agenda_workflow::Actor;
use crate::domain::calendar::local_date;
use crate::domain::composition::SeatStatus;
use crate::domain::input;
use crate::domain::meeting_codes::AttendanceStatus;
use crate::domain::minutes::{self, Denied, EntryKind, Facts, MinutesStatus, Outcome, Resolution, Step, Window};
use crate::mail;
use crate::state::AppState;
use crate::store::handoffs::{Handoff, To};
use crate::store::{self, agendas, attendance, meetings, minutes_page};
use crate::text;
use crate::web::auth::Ctx;
use crate::web::error::AppError;
use crate::web::forms::{FieldErrors, optional_id};
use crate::web::layout::{Layout, Nav};

pub struct EntryView {
    pub id: i64,
    pub kind: &'static str,
    pub text: String,
    pub outcome: &'static str,
    pub owner: String,
    pub due: String,
    /// R5, C1: the change request the decision decides: its id and reference.
    pub request: Option<(i64, String)>,
}

pub struct CommentView {
    pub id: i64,
    pub author: String,
    pub body: String,
    pub received: String,
    pub resolution: &'static str,
    pub reply: String,
    pub resolved: String,
}

pub struct ItemView {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub is_decision_item: bool,
    pub body: String,
    pub entries: Vec<EntryView>,
    pub comments: Vec<CommentView>,
}

/// What a refused entry or comment form held, to show it again beside its item.
#[derive(Default)]
pub struct Echo {
    pub item_id: i64,
    pub kind: String,
    pub text: String,
    pub outcome: String,
    pub owner_id: String,
    pub due_on: String,
    pub change_request_id: String,
    pub comment: String,
}

#[derive(Template)]
#[template(path = "meetings/minutes.html")]
pub struct MinutesPage {
    pub l: Layout,
    pub meeting: meetings::Meeting,
    pub when: String,
    pub exists: bool,
    pub status: &'static str,
    pub approved: bool,
    pub version: i32,
    pub correction: String,
    pub history: Vec<String>,
    pub present: Vec<String>,
    pub apologies: Vec<String>,
    pub substitutes: Vec<String>,
    pub party_summary: String,
    pub items: Vec<ItemView>,
    pub is_secretariat: bool,
    pub can_edit: bool,
    pub can_comment: bool,
    pub can_send: bool,
    pub can_work_in: bool,
    pub can_see_comments: bool,
    /// R3: the person may answer "Ingen bemærkninger" (has not spoken yet); or has answered so.
    pub can_answer_none: bool,
    pub has_answered: bool,
    /// R3, R4: for the secretariat while the minutes are out: the members and chair not heard from.
    pub waiting: Vec<String>,
    pub window: String,
    pub unresolved: usize,
    pub owners: Vec<Choice>,
    pub outcomes: Vec<Choice>,
    pub kinds: Vec<Choice>,
    /// R5, C1: the group's undecided change requests a decision may name (for the secretariat).
    pub requests: Vec<Choice>,
    pub versions: Vec<(i32, String)>,
    pub echo: Echo,
    pub errors: FieldErrors,
    pub refusal: Option<(&'static str, String)>,
}

/// Everything a handler needs to decide: the meeting, the person's relation, the minutes and the facts.
struct Loaded {
    meeting: meetings::Meeting,
    rel: Relation,
    minutes: Option<store::minutes::Minutes>,
    window: Option<Window>,
    today: chrono::NaiveDate,
}

async fn load(state: &AppState, ctx: &Ctx, id: i64) -> Result<Loaded, AppError> {
    let (meeting, rel) = group_meeting(state, ctx, id).await?;
    let minutes = store::minutes::for_meeting(&state.db, id).await?;
    readable(minutes.as_ref(), rel.actor)?;
    let window = comment_window(state, minutes.as_ref()).await?;
    Ok(Loaded { meeting, rel, minutes, window, today: local_date(state.clock.now()) })
}

/// A group's meeting the person may see, and their relation to the group; minutes belong to a group.
async fn group_meeting(state: &AppState, ctx: &Ctx, id: i64) -> Result<(meetings::Meeting, Relation), AppError> {
    let meeting = readable_meeting(state, ctx, id).await?;
    if meeting.group_id.is_none() {
        return Err(AppError::NotFound);
    }
    let rel = relation(state, ctx, &meeting).await?;
    Ok((meeting, rel))
}

/// R2-R4: who may read minutes in their status; minutes not yet started exist for the secretariat only.
fn readable(m: Option<&store::minutes::Minutes>, actor: Actor) -> Result<(), AppError> {
    match m {
        Some(m) if minutes::can_read(m.status, actor) => Ok(()),
        None if actor == Actor::Secretariat => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

/// R3, R4: the comment window of minutes that have been sent.
async fn comment_window(state: &AppState, m: Option<&store::minutes::Minutes>) -> Result<Option<Window>, AppError> {
    let Some(sent) = m.and_then(|m| m.sent_at) else { return Ok(None) };
    let cal = state.calendar.get(&state.db).await?;
    Ok(Some(minutes::window(&cal, &state.config.deadline_settings(), local_date(sent))))
}

fn choices<T: Copy>(all: &[T], value: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<Choice> {
    all.iter().map(|&x| Choice { value: value(x).to_owned(), label: label(x).to_owned() }).collect()
}

/// The page from the meeting, the members and one read of everything else (`store::minutes_page`).
pub(super) async fn build(state: &AppState, ctx: &Ctx, id: i64) -> Result<MinutesPage, AppError> {
    let kept =
        minutes_page::view(&state.db, &state.kept.minutes_pages, id, ctx.scope()).await?.ok_or(AppError::NotFound)?;
    // The page takes its parts apart; the kept copy stays as it is for the next reader.
    let minutes_page::MinutesPageCopy { meeting, members, data } = minutes_page::MinutesPageCopy::clone(&kept);
    let rel = super::relation_among(ctx, members);
    let minutes_page::MinutesPageData {
        minutes,
        items,
        entries,
        comments,
        answered,
        versions,
        attendance: lines,
        requests,
    } = data;
    readable(minutes.as_ref(), rel.actor)?;
    let window = comment_window(state, minutes.as_ref()).await?;
    let today = local_date(state.clock.now());
    let actor = rel.actor;
    let day = local_date(meeting.starts_at);
    let title = format!("Referat · {} {}", meeting.group_name.clone().unwrap_or_default(), text::short_date(day));
    let attended = |l: &&attendance::Line| l.status == Some(AttendanceStatus::Attended);
    let present =
        lines.iter().filter(attended).filter(|l| l.role != GroupRole::Substitute).map(|l| l.name.clone()).collect();
    let substitutes =
        lines.iter().filter(attended).filter(|l| l.role == GroupRole::Substitute).map(|l| l.name.clone()).collect();
    let apologies =
        lines.iter().filter(|l| l.status == Some(AttendanceStatus::Apology)).map(|l| l.name.clone()).collect();
    let owners = rel
        .members
        .iter()
        .filter(|m| m.status == SeatStatus::Active)
        .map(|m| Choice { value: m.person_id.to_string(), label: m.name.clone() })
        .collect();
    let mut page = MinutesPage {
        l: ctx.layout(Nav::Meetings, title),
        when: format!("{} kl. {}–{}", text::date(day), text::time(meeting.starts_at), text::time(meeting.ends_at)),
        meeting,
        exists: minutes.is_some(),
        status: "",
        approved: false,
        version: 1,
        correction: String::new(),
        history: Vec::new(),
        present,
        apologies,
        substitutes,
        party_summary: String::new(),
        items: Vec::new(),
        is_secretariat: actor == Actor::Secretariat,
        can_edit: false,
        can_comment: false,
        can_send: false,
        can_work_in: false,
        can_see_comments: minutes::can_read_comments(actor),
        can_answer_none: false,
        has_answered: answered.contains(&ctx.user.person_id),
        waiting: Vec::new(),
        window: String::new(),
        unresolved: 0,
        owners,
        outcomes: choices(&Outcome::ALL, Outcome::as_str, Outcome::label),
        kinds: choices(
            &[EntryKind::Decision, EntryKind::Action, EntryKind::Agreement],
            EntryKind::as_str,
            EntryKind::label,
        ),
        requests: if actor == Actor::Secretariat {
            requests
                .into_iter()
                .map(|r| Choice {
                    value: r.id.to_string(),
                    label: format!("{} {} ({})", r.reference, r.title, r.status.label()),
                })
                .collect()
        } else {
            Vec::new()
        },
        versions: Vec::new(),
        echo: Echo::default(),
        errors: FieldErrors::default(),
        refusal: None,
    };
    let Some(m) = minutes else { return Ok(page) };
    let comments = if page.can_see_comments { comments } else { Vec::new() };
    let unresolved = comments.iter().filter(|c| c.resolution.is_none()).count();
    let waiting: Vec<String> =
        minutes::waiting_for(awaited(&rel.members), &answered).into_iter().map(str::to_owned).collect();
    let facts = Facts { today, window, unresolved_comments: unresolved, everyone_answered: waiting.is_empty() };
    page.can_answer_none = !page.has_answered && matches!(actor, Actor::Chair | Actor::Member);
    if actor == Actor::Secretariat && m.status == MinutesStatus::Sent {
        page.waiting = waiting;
    }
    page.can_edit = minutes::next(m.status, Step::Edit, actor, facts).is_ok();
    page.can_comment = minutes::next(m.status, Step::Comment, actor, facts).is_ok();
    page.can_answer_none &= page.can_comment;
    page.unresolved = unresolved;
    page.can_send = actor == Actor::Secretariat && m.status == MinutesStatus::Draft;
    page.can_work_in = actor == Actor::Secretariat && m.status == MinutesStatus::Sent;
    page.window = match (m.status, window) {
        (MinutesStatus::Sent, Some(w)) if today <= w.closes_on => {
            format!("Bemærkninger modtages til og med {}. Bemærkninger efter fristen afvises.", text::date(w.closes_on))
        }
        (MinutesStatus::Sent, Some(w)) => format!(
            "Fristen for bemærkninger udløb {}. Bemærkningerne indarbejdes senest {}.",
            text::date(w.closes_on),
            text::date(w.work_in_by)
        ),
        _ => String::new(),
    };
    page.status = m.status.label();
    page.approved = m.status == MinutesStatus::Approved;
    page.version = m.version;
    page.correction = m.correction.clone();
    page.party_summary = m.party_summary.clone();
    page.history = history(&m);
    page.versions = versions
        .iter()
        .filter(|v| !(page.approved && v.version == m.version))
        .map(|v| (v.version, format!("Version {} godkendt {}", v.version, text::datetime(v.approved_at))))
        .collect();
    page.items = items
        .into_iter()
        .map(|i| ItemView {
            entries: entries.iter().filter(|e| e.minutes_item_id == i.id).map(entry_view).collect(),
            comments: comments.iter().filter(|c| c.minutes_item_id == Some(i.id)).map(comment_view).collect(),
            id: i.id,
            number: i.number,
            title: i.title,
            is_decision_item: i.is_decision_item,
            body: i.body,
        })
        .collect();
    Ok(page)
}

fn entry_view(e: &store::minutes::Entry) -> EntryView {
    EntryView {
        id: e.id,
        kind: e.kind.label(),
        text: e.text.clone(),
        outcome: e.outcome.map(Outcome::label).unwrap_or(""),
        owner: e.owner_name.clone().unwrap_or_default(),
        due: e.due_on.map(text::date).unwrap_or_default(),
        request: e.change_request_id.zip(e.change_request_ref.clone()),
    }
}

fn comment_view(c: &store::minutes::Comment) -> CommentView {
    CommentView {
        id: c.id,
        author: c.author.clone(),
        body: c.body.clone(),
        received: text::datetime(c.received_at),
        resolution: c.resolution.map(Resolution::label).unwrap_or(""),
        reply: c.reply.clone(),
        resolved: match (&c.resolved_by_name, c.resolved_at) {
            (Some(by), Some(at)) => format!("{by}, {}", text::datetime(at)),
            _ => String::new(),
        },
    }
}

/// R2-R4: each step with who and when.
fn history(m: &store::minutes::Minutes) -> Vec<String> {
    let mut h = Vec::new();
    let by = |name: &Option<String>| name.as_deref().map(|n| format!(" af {n}")).unwrap_or_default();
    if let Some(t) = m.sent_at {
        h.push(format!("Sendt til bemærkninger {}{}", text::datetime(t), by(&m.sent_by_name)));
    }
    if let Some(t) = m.worked_in_at {
        h.push(format!("Bemærkninger indarbejdet {}{}", text::datetime(t), by(&m.worked_in_by_name)));
    }
    if let (Some(t), MinutesStatus::Approved) = (m.approved_at, m.status) {
        h.push(format!("Godkendt {}{}", text::datetime(t), by(&m.approved_by_name)));
    }
    h
}

/// GET /moeder/{id}/referat
pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, AppError> {
    Ok(Html(build(&state, &ctx, id).await?.render()?))
}

#[derive(Template)]
#[template(path = "meetings/minutes_print.html")]
struct PrintPage {
    l: Layout,
    page: MinutesPage,
}

/// GET /moeder/{id}/referat/udskrift: the minutes as a clean printable document.
pub async fn printable(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, AppError> {
    let page = build(&state, &ctx, id).await?;
    if !page.exists {
        return Err(AppError::NotFound);
    }
    let l = Layout::for_user(&ctx.user, ctx.csrf.clone(), Nav::Meetings, page.l.title.clone());
    Ok(Html(PrintPage { l, page }.render()?))
}

#[derive(Template)]
#[template(path = "meetings/minutes_version.html")]
struct VersionPage {
    l: Layout,
    meeting_id: i64,
    heading: String,
    correction: String,
    party_summary: String,
    items: Vec<ItemView>,
}

/// GET /moeder/{id}/referat/versioner/{version}: an approved version, as it was approved.
pub async fn version(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, version)): Path<(i64, i32)>,
) -> Result<Html<String>, AppError> {
    let loaded = load(&state, &ctx, id).await?;
    let m = loaded.minutes.ok_or(AppError::NotFound)?;
    let v = store::minutes::versions(&state.db, m.id)
        .await?
        .into_iter()
        .find(|v| v.version == version)
        .ok_or(AppError::NotFound)?;
    let snap: store::minutes::Snapshot =
        serde_json::from_value(v.content).map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    let items = snap
        .items
        .into_iter()
        .map(|i| ItemView {
            entries: snap.entries.iter().filter(|e| e.minutes_item_id == i.id).map(entry_view).collect(),
            comments: Vec::new(),
            id: i.id,
            number: i.number,
            title: i.title,
            is_decision_item: i.is_decision_item,
            body: i.body,
        })
        .collect();
    let heading = format!(
        "Referat version {} · {} (godkendt {})",
        v.version,
        loaded.meeting.group_name.clone().unwrap_or_default(),
        text::datetime(v.approved_at)
    );
    let page = VersionPage {
        l: ctx.layout(Nav::Meetings, heading.clone()),
        meeting_id: id,
        heading,
        correction: v.correction,
        party_summary: snap.party_summary,
        items,
    };
    Ok(Html(page.render()?))
}

fn back(id: i64, anchor: &str) -> Response {
    Redirect::to(&format!("/moeder/{id}/referat#{anchor}")).into_response()
}

/// The page again at 422, with a refusal or field errors and the user's input.
async fn again(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    refusal: Option<(&'static str, String)>,
    errors: FieldErrors,
    echo: Echo,
) -> Result<Response, AppError> {
    let mut page = build(state, ctx, id).await?;
    page.refusal = refusal;
    page.errors = errors;
    page.echo = echo;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

async fn refused(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    rule: &'static str,
    message: String,
) -> Result<Response, AppError> {
    again(state, ctx, id, Some((rule, message)), FieldErrors::default(), Echo::default()).await
}

/// The minutes and the facts a step is judged on; `Err` when the step is not this person's.
async fn checked(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    step: Step,
) -> Result<Result<(Loaded, store::minutes::Minutes, Option<MinutesStatus>), minutes::Denied>, AppError> {
    let loaded = load(state, ctx, id).await?;
    let m = loaded.minutes.clone().ok_or(AppError::NotFound)?;
    let (unresolved, everyone_answered) = if step == Step::WorkIn {
        let comments = store::minutes::comments(&state.db, m.id).await?;
        let answered = store::minutes::answered(&state.db, m.id).await?;
        let waiting = minutes::waiting_for(awaited(&loaded.rel.members), &answered);
        (comments.iter().filter(|c| c.resolution.is_none()).count(), waiting.is_empty())
    } else {
        (0, false)
    };
    let facts =
        Facts { today: loaded.today, window: loaded.window, unresolved_comments: unresolved, everyone_answered };
    Ok(minutes::next(m.status, step, loaded.rel.actor, facts).map(|next| (loaded, m, next)))
}

/// R3, R4: whom the secretariat waits for before closing the window early: the active members and the chair.
fn awaited(members: &[store::memberships::Member]) -> impl Iterator<Item = (i64, &str)> {
    members
        .iter()
        .filter(|m| m.status == SeatStatus::Active && matches!(m.role, GroupRole::Chair | GroupRole::Member))
        .map(|m| (m.person_id, m.name.as_str()))
}

/// Turns a denial into the answer: 403 for a step that is not the person's, the page with the rule otherwise.
async fn denied(state: &AppState, ctx: &Ctx, id: i64, d: Denied) -> Result<Response, AppError> {
    match d {
        Denied::NotYours => Err(AppError::Forbidden),
        Denied::Refused(r) => refused(state, ctx, id, r.rule, r.message).await,
    }
}

fn store_refusal(e: store::Error) -> Result<(&'static str, String), AppError> {
    match e {
        store::Error::Refused(r) => Ok((r.rule, r.message)),
        other => Err(other.into()),
    }
}

/// POST /moeder/{id}/referat: new minutes from the meeting's agenda (R1).
pub async fn create(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let loaded = load(&state, &ctx, id).await?;
    if loaded.rel.actor != Actor::Secretariat {
        return Err(AppError::Forbidden);
    }
    let items = match agendas::for_meeting(&state.db, id).await? {
        Some(a) => numbered(agendas::items(&state.db, a.id).await?),
        None => Vec::new(),
    };
    store::minutes::create(&state.db, &ctx.actor(), id, &items).await?;
    Ok(back(id, "referat"))
}

/// The agenda's items with their numbers as the agenda shows them (1, 1.1, 1.2, 2 ...).
fn numbered(items: Vec<agendas::Item>) -> Vec<store::minutes::FromAgenda> {
    let numbers = agenda_template::numbers(items.iter().map(|i| i.parent_id.is_none()));
    items
        .into_iter()
        .zip(numbers)
        .map(|(i, number)| store::minutes::FromAgenda {
            agenda_item_id: i.id,
            number,
            title: i.title,
            is_decision: i.is_decision,
        })
        .collect()
}

#[derive(Deserialize, Default)]
pub struct TextForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    title: String,
}

/// POST /moeder/{id}/referat/punkter/{item}: an item's text.
pub async fn save_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, item)): Path<(i64, i64)>,
    Form(form): Form<TextForm>,
) -> Result<Response, AppError> {
    save_text(&state, &ctx, id, Some(item), &form.text).await
}

/// POST /moeder/{id}/referat/parter: the short summary of the parties' status item (R1).
pub async fn save_summary(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<TextForm>,
) -> Result<Response, AppError> {
    save_text(&state, &ctx, id, None, &form.text).await
}

async fn save_text(state: &AppState, ctx: &Ctx, id: i64, item: Option<i64>, text: &str) -> Result<Response, AppError> {
    let (_, m, _) = match checked(state, ctx, id, Step::Edit).await? {
        Ok(x) => x,
        Err(d) => return denied(state, ctx, id, d).await,
    };
    let text = match input::text(text, 20_000) {
        Ok(t) => t,
        Err(message) => return refused(state, ctx, id, "R1", message).await,
    };
    match store::minutes::save_text(&state.db, &ctx.actor(), m.id, m.status, item, &text).await {
        Ok(()) => Ok(back(id, &item.map(|i| format!("punkt-{i}")).unwrap_or_else(|| "parter".into()))),
        Err(e) => {
            let (rule, message) = store_refusal(e)?;
            refused(state, ctx, id, rule, message).await
        }
    }
}

/// POST /moeder/{id}/referat/punkter: an extra item not on the agenda (R1).
pub async fn add_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<TextForm>,
) -> Result<Response, AppError> {
    let (_, m, _) = match checked(&state, &ctx, id, Step::Edit).await? {
        Ok(x) => x,
        Err(d) => return denied(&state, &ctx, id, d).await,
    };
    let mut errors = FieldErrors::default();
    match input::one_line(&form.title, 300) {
        Ok(title) if !title.is_empty() => {
            match store::minutes::add_extra_item(&state.db, &ctx.actor(), m.id, m.status, &title).await {
                Ok(item) => return Ok(back(id, &format!("punkt-{item}"))),
                Err(e) => {
                    let (rule, message) = store_refusal(e)?;
                    return refused(&state, &ctx, id, rule, message).await;
                }
            }
        }
        Ok(_) => errors.add("title", "Giv punktet en overskrift."),
        Err(message) => errors.add("title", message),
    }
    again(&state, &ctx, id, None, errors, Echo::default()).await
}

#[derive(Deserialize, Default)]
pub struct EntryForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    change_request_id: String,
}

/// POST /moeder/{id}/referat/punkter/{item}/poster: a decision, action or agreement (R1, C4).
pub async fn add_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, item)): Path<(i64, i64)>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    let (loaded, m, _) = match checked(&state, &ctx, id, Step::Edit).await? {
        Ok(x) => x,
        Err(d) => return denied(&state, &ctx, id, d).await,
    };
    let items = store::minutes::items(&state.db, m.id).await?;
    let Some(target) = items.iter().find(|i| i.id == item) else { return Err(AppError::NotFound) };
    let echo = Echo {
        item_id: item,
        kind: form.kind.clone(),
        text: form.text.clone(),
        outcome: form.outcome.clone(),
        owner_id: form.owner_id.clone(),
        due_on: form.due_on.clone(),
        change_request_id: form.change_request_id.clone(),
        comment: String::new(),
    };
    let mut errors = FieldErrors::default();
    let Some(kind) = EntryKind::parse(&form.kind) else {
        errors.add("kind", "Vælg beslutning, aktion eller aftale.");
        return again(&state, &ctx, id, None, errors, echo).await;
    };
    let text = match input::text(&form.text, 5_000) {
        Ok(t) => t,
        Err(message) => {
            errors.add("text", message);
            return again(&state, &ctx, id, None, errors, echo).await;
        }
    };
    let due_on = match form.due_on.trim() {
        "" => None,
        s => match input::date(s) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.add("due_on", "Skriv fristen som en dato (åååå-mm-dd).");
                return again(&state, &ctx, id, None, errors, echo).await;
            }
        },
    };
    let people: Vec<i64> =
        loaded.rel.members.iter().filter(|m| m.status == SeatStatus::Active).map(|m| m.person_id).collect();
    let entry = match minutes::check_entry(
        kind,
        &text,
        Outcome::parse(&form.outcome),
        form.owner_id.trim().parse().ok(),
        due_on,
        minutes::EntryPlace {
            decision_item: target.is_decision_item,
            meeting_day: local_date(loaded.meeting.starts_at),
            group_people: &people,
        },
    )
    .and_then(|e| minutes::deciding(e, optional_id(&form.change_request_id)))
    {
        Ok(e) => e,
        Err((field, message)) => {
            errors.add(field, message);
            return again(&state, &ctx, id, None, errors, echo).await;
        }
    };
    match store::minutes::add_entry(&state.db, &ctx.actor(), m.id, m.status, item, &entry).await {
        Ok(_) => Ok(back(id, &format!("punkt-{item}"))),
        Err(store::Error::NotFound) => Err(AppError::NotFound),
        Err(store::Error::Refused(r)) => {
            errors.add("change_request_id", format!("{} ({})", r.message, r.rule));
            again(&state, &ctx, id, Some((r.rule, r.message)), errors, echo).await
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /moeder/{id}/referat/poster/{entry}/slet
pub async fn delete_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, entry)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (_, m, _) = match checked(&state, &ctx, id, Step::Edit).await? {
        Ok(x) => x,
        Err(d) => return denied(&state, &ctx, id, d).await,
    };
    match store::minutes::delete_entry(&state.db, &ctx.actor(), m.id, m.status, entry).await {
        Ok(()) => Ok(back(id, "referat")),
        Err(store::Error::NotFound) => Err(AppError::NotFound),
        Err(e) => {
            let (rule, message) = store_refusal(e)?;
            refused(&state, &ctx, id, rule, message).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct CommentForm {
    #[serde(default)]
    minutes_item_id: String,
    #[serde(default)]
    body: String,
}

/// POST /moeder/{id}/referat/bemaerkninger: a comment on one item, within the window (R3).
pub async fn comment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<CommentForm>,
) -> Result<Response, AppError> {
    let (loaded, m, _) = match checked(&state, &ctx, id, Step::Comment).await? {
        Ok(x) => x,
        // Someone outside the group learns nothing about the minutes' comments (O5).
        Err(Denied::NotYours) => return Err(AppError::NotFound),
        Err(d) => return denied(&state, &ctx, id, d).await,
    };
    let item_id = form.minutes_item_id.trim().parse::<i64>().unwrap_or(0);
    let echo = Echo { item_id, comment: form.body.clone(), ..Echo::default() };
    let mut errors = FieldErrors::default();
    let body = match input::text(&form.body, 10_000) {
        Ok(b) if !b.trim().is_empty() => b,
        Ok(_) => {
            errors.add("body", "Skriv din bemærkning.");
            return again(&state, &ctx, id, None, errors, echo).await;
        }
        Err(message) => {
            errors.add("body", message);
            return again(&state, &ctx, id, None, errors, echo).await;
        }
    };
    let now = state.clock.now();
    let handoff = comment_handoff(&state, &ctx, &loaded, &body)?;
    let actor = ctx.actor();
    let added = store::minutes::add_comment(&state.db, &actor, m.id, item_id, ctx.user.person_id, &body, now, &handoff);
    match added.await {
        Ok(_) => Ok(back(id, &format!("punkt-{item_id}"))),
        Err(store::Error::Unknown(_)) => {
            errors.add("minutes_item_id", "Vælg et punkt i dette referat.");
            again(&state, &ctx, id, None, errors, Echo { item_id: 0, ..echo }).await
        }
        Err(e) => {
            let (rule, message) = store_refusal(e)?;
            refused(&state, &ctx, id, rule, message).await
        }
    }
}

/// POST /moeder/{id}/referat/ingen-bemaerkninger: a member or the chair answers "Ingen bemærkninger"
/// within the window (R3); when that was the last answer awaited, the secretariat is told it may work
/// the comments in now (R4).
pub async fn no_remarks(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let (loaded, m, _) = match checked(&state, &ctx, id, Step::Comment).await? {
        Ok(x) => x,
        Err(Denied::NotYours) => return Err(AppError::NotFound),
        Err(d) => return denied(&state, &ctx, id, d).await,
    };
    if !matches!(loaded.rel.actor, Actor::Chair | Actor::Member) {
        let message = "Svaret «Ingen bemærkninger» gives af gruppens medlemmer, suppleanter og forperson.";
        return refused(&state, &ctx, id, "R3", message.into()).await;
    }
    let me = ctx.user.person_id;
    let mut answered = store::minutes::answered(&state.db, m.id).await?;
    answered.push(me);
    let last = if minutes::waiting_for(awaited(&loaded.rel.members), &answered).is_empty() {
        Some(all_answered_handoff(&state, &loaded)?)
    } else {
        None
    };
    store::minutes::no_remarks(&state.db, &ctx.actor(), m.id, me, state.clock.now(), last.as_ref()).await?;
    Ok(back(id, "referat"))
}

/// R4: everyone has spoken, so the secretariat need not wait for the window to close.
fn all_answered_handoff(state: &AppState, loaded: &Loaded) -> Result<Handoff, AppError> {
    let meeting = &loaded.meeting;
    let group = meeting.group_name.as_deref().unwrap_or("Mødet");
    let day = text::short_date(local_date(meeting.starts_at));
    let link = format!("{}/moeder/{}/referat", state.config.base_url(), meeting.id);
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Alle har svaret på referatet: {group}, møde {day}"),
        happened: format!(
            "Alle medlemmer og forpersonen i {group} har nu givet bemærkninger til referatet af mødet {day} \
             eller svaret, at de ikke har nogen."
        ),
        quote: "",
        todo: "Behandl bemærkningerne og markér dem som indarbejdet; referatet kan derefter godkendes uden at vente på fristen.",
        by: loaded.window.map(|w| w.work_in_by),
        link: &link,
        link_text: "Åbn referatet",
    })?;
    Ok(Handoff { kind: "minutes_comment", to: To::Secretariat { group_id: meeting.group_id }, mail })
}

/// R3, R4: the group's secretariat learns of each comment as it arrives, and by when it is to be worked in.
fn comment_handoff(state: &AppState, ctx: &Ctx, loaded: &Loaded, body: &str) -> Result<Handoff, AppError> {
    let meeting = &loaded.meeting;
    let group = meeting.group_name.as_deref().unwrap_or("Mødet");
    let day = text::short_date(local_date(meeting.starts_at));
    let link = format!("{}/moeder/{}/referat", state.config.base_url(), meeting.id);
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Bemærkning til referatet: {group}, møde {day}"),
        happened: format!("{} har skrevet en bemærkning til referatet af {group}s møde {day}:", ctx.user.name),
        quote: body,
        todo: "Indarbejd bemærkningen i referatet, eller svar på den (R4).",
        by: loaded.window.map(|w| w.work_in_by),
        link: &link,
        link_text: "Se bemærkningen i referatet",
    })?;
    Ok(Handoff { kind: "minutes_comment", to: To::Secretariat { group_id: meeting.group_id }, mail })
}

#[derive(Deserialize, Default)]
pub struct ResolveForm {
    #[serde(default)]
    resolution: String,
    #[serde(default)]
    reply: String,
}

/// POST /moeder/{id}/referat/bemaerkninger/{comment}: incorporated or answered, with a reply (R4).
pub async fn resolve(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, comment)): Path<(i64, i64)>,
    Form(form): Form<ResolveForm>,
) -> Result<Response, AppError> {
    let (_, m, _) = match checked(&state, &ctx, id, Step::Resolve).await? {
        Ok(x) => x,
        Err(d) => return denied(&state, &ctx, id, d).await,
    };
    let Some(resolution) = Resolution::parse(&form.resolution) else {
        return refused(&state, &ctx, id, "R4", "Vælg indarbejdet eller besvaret.".into()).await;
    };
    let reply = match input::text(&form.reply, 10_000) {
        Ok(r) => r,
        Err(message) => return refused(&state, &ctx, id, "R4", message).await,
    };
    if resolution == Resolution::Answered && reply.trim().is_empty() {
        return refused(&state, &ctx, id, "R4", "Skriv svaret til en bemærkning, der ikke indarbejdes.".into()).await;
    }
    let now = state.clock.now();
    match store::minutes::resolve_comment(&state.db, &ctx.actor(), m.id, m.status, comment, resolution, &reply, now)
        .await
    {
        Ok(()) => Ok(back(id, &format!("bemaerkning-{comment}"))),
        Err(store::Error::NotFound) => Err(AppError::NotFound),
        Err(e) => {
            let (rule, message) = store_refusal(e)?;
            refused(&state, &ctx, id, rule, message).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    reason: String,
}

/// R1: the decisions and actions of the minutes, one line each, for the mail that sends them.
async fn minutes_points(state: &AppState, minutes_id: i64) -> Result<Vec<String>, AppError> {
    let items = store::minutes::items(&state.db, minutes_id).await?;
    let mut conn = state.db.acquire().await.map_err(store::Error::from)?;
    let entries = store::minutes::entries(&mut conn, minutes_id).await?;
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

/// POST /moeder/{id}/referat/{step}: send (R2), comments worked in (R4), approve, correct.
pub async fn transition(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, action)): Path<(i64, String)>,
    Form(form): Form<StepForm>,
) -> Result<Response, AppError> {
    let step = match action.as_str() {
        "udsend" => Step::Send,
        "indarbejdet" => Step::WorkIn,
        "godkend" => Step::Approve,
        "ret" => Step::Correct,
        _ => return Err(AppError::NotFound),
    };
    let (loaded, m, next) = match checked(&state, &ctx, id, step).await? {
        Ok(x) => x,
        Err(d) => return denied(&state, &ctx, id, d).await,
    };
    let Some(next) = next else { return Ok(back(id, "referat")) };
    let now = state.clock.now();
    let link = format!("{}/moeder/{id}/referat", state.config.base_url());
    let group = loaded.meeting.group_name.clone().unwrap_or_default();
    let actor = ctx.actor();
    let result = match step {
        Step::Send => {
            let cal = state.calendar.get(&state.db).await?;
            let w = minutes::window(&cal, &state.config.deadline_settings(), local_date(now));
            let points = minutes_points(&state, m.id).await?;
            let mail = mail::minutes_sent(&group, loaded.meeting.starts_at, w.closes_on, &points, &link)?;
            let notice = store::minutes::Notice { kind: "minutes_sent", mail };
            store::minutes::step(&state.db, &actor, m.id, m.status, next, Some(notice), now).await
        }
        Step::WorkIn => store::minutes::step(&state.db, &actor, m.id, m.status, next, None, now).await,
        Step::Approve => {
            let mail = mail::minutes_approved(&group, loaded.meeting.starts_at, m.version, &link)?;
            let notice = store::minutes::Notice { kind: "minutes_approved", mail };
            store::minutes::approve(&state.db, &actor, m.id, notice, now).await.map(|_| ())
        }
        _ => match input::one_line(&form.reason, 500) {
            Ok(reason) if !reason.is_empty() => store::minutes::correct(&state.db, &actor, m.id, &reason).await,
            Ok(_) => {
                let mut errors = FieldErrors::default();
                errors.add("reason", "Skriv hvad rettelsen gælder.");
                return again(&state, &ctx, id, None, errors, Echo::default()).await;
            }
            Err(message) => {
                let mut errors = FieldErrors::default();
                errors.add("reason", message);
                return again(&state, &ctx, id, None, errors, Echo::default()).await;
            }
        },
    };
    match result {
        Ok(()) => Ok(back(id, "referat")),
        Err(e) => {
            let (rule, message) = store_refusal(e)?;
            refused(&state, &ctx, id, rule, message).await
        }
    }
}
