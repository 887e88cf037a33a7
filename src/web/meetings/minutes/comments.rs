//! Comments within the window (R3), "Ingen bemærkninger", and the secretariat's answer to each (R4).

use super::*;

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
    let (actor, about) = (ctx.actor(), loaded.judged(&m));
    match app::minutes::comment(&state, &actor, ctx.person(), &about, MinutesItemId(item_id), &body).await {
        Ok(_) => Ok(back(id, &format!("punkt-{item_id}"))),
        Err(app::Error::Store(store::Error::Unknown(_))) => {
            errors.add("minutes_item_id", "Vælg et punkt i dette referat.");
            again(&state, &ctx, id, None, errors, Echo { item_id: 0, ..echo }).await
        }
        done => answer(&state, &ctx, id, done.map(|_| ()), "referat").await,
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
    let (actor, about) = (ctx.actor(), loaded.judged(&m));
    let done = app::minutes::no_remarks(&state, &actor, ctx.person(), loaded.rel.actor, &about).await;
    answer(&state, &ctx, id, done, "referat").await
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
    Path((id, comment)): Path<(i64, MinutesCommentId)>,
    Form(form): Form<ResolveForm>,
) -> Result<Response, AppError> {
    let (loaded, m, _) = match checked(&state, &ctx, id, Step::Resolve).await? {
        Ok(x) => x,
        Err(d) => return denied(&state, &ctx, id, d).await,
    };
    let Some(resolution) = Resolution::parse(&form.resolution) else {
        return refused(&state, &ctx, id, "R4", "Vælg indarbejdet eller besvaret.").await;
    };
    let reply = match input::text(&form.reply, 10_000) {
        Ok(r) => r,
        Err(message) => return refused(&state, &ctx, id, "R4", message).await,
    };
    let about = loaded.judged(&m);
    let done = app::minutes::resolve(&state, &ctx.actor(), &about, comment, resolution, &reply).await;
    answer(&state, &ctx, id, done, &format!("bemaerkning-{comment}")).await
}
