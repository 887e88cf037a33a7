//! The secretariat writes the minutes (R1): from the agenda, per item, with decisions, actions and agreements (C4).

use super::*;

/// POST /moeder/{id}/referat: new minutes from the meeting's agenda (R1).
pub async fn create(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let loaded = load(&state, &ctx, id).await?;
    if loaded.rel.actor != Actor::Secretariat {
        return Err(AppError::Forbidden);
    }
    app::minutes::create(&state, &ctx.actor(), id).await?;
    Ok(back(id, "referat"))
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
    let (loaded, m, _) = match checked(state, ctx, id, Step::Edit).await? {
        Ok(x) => x,
        Err(d) => return denied(state, ctx, id, d).await,
    };
    let text = match input::text(text, 20_000) {
        Ok(t) => t,
        Err(message) => return refused(state, ctx, id, "R1", message).await,
    };
    let done = app::minutes::write(state, &ctx.actor(), &loaded.judged(&m), item, &text).await;
    answer(state, ctx, id, done, &item.map(|i| format!("punkt-{i}")).unwrap_or_else(|| "parter".into())).await
}

/// POST /moeder/{id}/referat/punkter: an extra item not on the agenda (R1).
pub async fn add_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<TextForm>,
) -> Result<Response, AppError> {
    let (loaded, m, _) = match checked(&state, &ctx, id, Step::Edit).await? {
        Ok(x) => x,
        Err(d) => return denied(&state, &ctx, id, d).await,
    };
    let mut errors = FieldErrors::default();
    match input::one_line(&form.title, 300) {
        Ok(title) if !title.is_empty() => {
            return match app::minutes::add_item(&state, &ctx.actor(), &loaded.judged(&m), &title).await {
                Ok(item) => Ok(back(id, &format!("punkt-{item}"))),
                done => answer(&state, &ctx, id, done.map(|_| ()), "referat").await,
            };
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
    Path((id, item)): Path<(i64, MinutesItemId)>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    let (loaded, m, _) = match checked(&state, &ctx, id, Step::Edit).await? {
        Ok(x) => x,
        Err(d) => return denied(&state, &ctx, id, d).await,
    };
    let items = store::minutes::items(&state.db, m.id).await?;
    let Some(target) = items.iter().find(|i| i.id == item.0) else { return Err(AppError::NotFound) };
    let echo = Echo {
        item_id: item.0,
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
    match app::minutes::add_entry(&state, &ctx.actor(), &loaded.judged(&m), item, &entry).await {
        Ok(_) => Ok(back(id, &format!("punkt-{item}"))),
        Err(app::Error::Store(store::Error::Refused(r))) => {
            errors.add("change_request_id", format!("{} ({})", r.message, r.rule));
            again(&state, &ctx, id, Some(r), errors, echo).await
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /moeder/{id}/referat/poster/{entry}/slet
pub async fn delete_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, entry)): Path<(i64, MinutesEntryId)>,
) -> Result<Response, AppError> {
    let (loaded, m, _) = match checked(&state, &ctx, id, Step::Edit).await? {
        Ok(x) => x,
        Err(d) => return denied(&state, &ctx, id, d).await,
    };
    let done = app::minutes::delete_entry(&state, &ctx.actor(), &loaded.judged(&m), entry).await;
    answer(&state, &ctx, id, done, "referat").await
}
