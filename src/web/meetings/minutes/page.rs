//! The minutes page, the printable minutes and an approved version as it was approved (R1-R5).

use super::*;

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

impl ItemView {
    fn of(i: store::minutes::Item, entries: Vec<EntryView>, comments: Vec<CommentView>) -> ItemView {
        ItemView {
            id: i.id,
            number: i.number,
            title: i.title,
            is_decision_item: i.is_decision_item,
            body: i.body,
            entries,
            comments,
        }
    }
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
    pub refusal: Option<Refusal>,
}

/// The page from the meeting, the members and one read of everything else (`store::minutes_page`).
pub(in crate::web::meetings) async fn build(state: &AppState, ctx: &Ctx, id: i64) -> Result<MinutesPage, AppError> {
    let kept = minutes_page::view(
        &state.db,
        &state.kept.minutes_pages,
        &state.kept.meeting_readers,
        id,
        ctx.scope(),
        ctx.user.read_version,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    // The page takes its parts apart; the kept copy stays as it is for the next reader.
    let minutes_page::MinutesPageCopy { meeting, members, data } = minutes_page::MinutesPageCopy::clone(&kept);
    let rel = relation_among(ctx, members);
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
        .map(|i| {
            let item_entries = entries.iter().filter(|e| e.minutes_item_id == i.id).map(entry_view).collect();
            let item_comments = comments.iter().filter(|c| c.minutes_item_id == Some(i.id)).map(comment_view).collect();
            ItemView::of(i, item_entries, item_comments)
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
        .map(|i| {
            let item_entries = snap.entries.iter().filter(|e| e.minutes_item_id == i.id).map(entry_view).collect();
            // An approved version keeps the minutes, not the comments on the draft.
            ItemView::of(i, item_entries, Vec::new())
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
