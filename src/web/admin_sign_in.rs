//! The administrators' sign-in settings: password sign-in on or off (only when the organisation's
//! identity provider is configured, so that no one is locked out), who has break-glass access, and
//! whether administrators and the secretariat must use a second factor with their password.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Redirect;
use serde::Deserialize;

use super::auth::Ctx;
use super::error::AppError;
use crate::domain::access::Viewer;
use crate::state::AppState;
use crate::store::sign_in;

#[derive(Deserialize)]
pub struct OnOff {
    #[serde(default, alias = "break_glass", alias = "second_factor_for_staff")]
    password_sign_in: String,
}

impl OnOff {
    fn parse(&self) -> Result<bool, AppError> {
        match self.password_sign_in.as_str() {
            "on" => Ok(true),
            "off" => Ok(false),
            _ => Err(AppError::BadRequest("Vælg til eller fra.".into())),
        }
    }
}

/// POST /administration/log-ind
pub async fn set_password_sign_in(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<OnOff>,
) -> Result<Redirect, AppError> {
    ctx.require(Viewer::can_administer)?;
    let on = form.parse()?;
    if !on && state.oidc.is_none() {
        return Err(AppError::Refused {
            rule: "Log ind",
            message: "Adgangskoder kan kun slås fra, når organisationens eget login er sat op.".into(),
        });
    }
    sign_in::set_password_sign_in(&state.db, &ctx.actor(), on).await?;
    Ok(Redirect::to("/administration#log-ind"))
}

/// POST /administration/log-ind/totrin: administrators and the secretariat must (or need not) use
/// a second factor with their password.
pub async fn set_second_factor_for_staff(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<OnOff>,
) -> Result<Redirect, AppError> {
    ctx.require(Viewer::can_administer)?;
    sign_in::set_second_factor_for_staff(&state.db, &ctx.actor(), form.parse()?).await?;
    Ok(Redirect::to("/administration#log-ind"))
}

/// POST /administration/log-ind/noedadgang/{id}: only an active administrator can be given it.
pub async fn set_break_glass(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(person_id): Path<i64>,
    Form(form): Form<OnOff>,
) -> Result<Redirect, AppError> {
    ctx.require(Viewer::can_administer)?;
    if !sign_in::set_break_glass(&state.db, &ctx.actor(), person_id, form.parse()?).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/administration#log-ind"))
}
