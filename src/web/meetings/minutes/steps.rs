//! The minutes' steps: sent for comments (R2), comments worked in (R4), approved and corrected (R5).

use super::*;

#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    reason: String,
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
    let (actor, about) = (ctx.actor(), loaded.judged(&m));
    let done = match step {
        Step::Send => app::minutes::send(&state, &actor, &about, next).await,
        Step::WorkIn => app::minutes::work_in(&state, &actor, &about, next).await,
        Step::Approve => app::minutes::approve(&state, &actor, &about).await,
        _ => match input::one_line(&form.reason, 500) {
            Ok(reason) if !reason.is_empty() => app::minutes::correct(&state, &actor, &about, &reason).await,
            problem => {
                let mut errors = FieldErrors::default();
                errors.add("reason", problem.err().map_or_else(|| "Skriv hvad rettelsen gælder.".into(), String::from));
                return again(&state, &ctx, id, None, errors, Echo::default()).await;
            }
        },
    };
    answer(&state, &ctx, id, done, "referat").await
}
