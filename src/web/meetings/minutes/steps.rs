//! The minutes' steps: sent for comments (R2), comments worked in (R4), approved and corrected (R5).

use super::*;

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
            let Refusal { rule, message } = store_refusal(e)?;
            refused(&state, &ctx, id, rule, message).await
        }
    }
}
