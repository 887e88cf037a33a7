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
            let Refusal { rule, message } = store_refusal(e)?;
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
            let Refusal { rule, message } = store_refusal(e)?;
            refused(&state, &ctx, id, rule, message).await
        }
    }
}
