//! The commands on a group's budget (B1-B3): the board's budget for a year, a disposition, what was
//! spent on it, and a transfer of undisposed funds to another group. Who waits: the receiving group's
//! secretariat, who learns that the funds are theirs to dispose of, and why they came.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::ids::{DispositionId, GroupId};
use crate::domain::notifications::MailKind;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::budgets::{self, NewDisposition, NewTransfer};
use crate::store::groups::Group;
use crate::store::handoffs::{Handoff, To};
use crate::text;

/// B1: the board's budget for the group's year, as decided on `decided_on`.
pub async fn set(
    state: &AppState,
    actor: &Actor,
    group: &Group,
    year: i32,
    amount: Decimal,
    decided_on: NaiveDate,
) -> super::Result<()> {
    budgets::set(&state.db, actor, group.id, year, amount, decided_on).await?;
    Ok(())
}

/// B2, B3: disposes of part of the year's budget, linked to a change request or an initiative.
pub async fn dispose(state: &AppState, actor: &Actor, group: &Group, new: &NewDisposition) -> super::Result<()> {
    budgets::dispose(&state.db, actor, group.id, new).await?;
    Ok(())
}

/// B3: what has been spent on a disposition so far.
pub async fn spend(
    state: &AppState,
    actor: &Actor,
    group: &Group,
    disposition: DispositionId,
    spent: Decimal,
) -> super::Result<()> {
    Ok(budgets::record_spent(&state.db, actor, GroupId(group.id), disposition, spent).await?)
}

/// B2: moves undisposed funds from `from` to `to`; the receiving group's secretariat is told.
pub async fn transfer(
    state: &AppState,
    actor: &Actor,
    from: &Group,
    to: &Group,
    new: &NewTransfer,
) -> super::Result<()> {
    let link = format!("{}/grupper/{}/budget", state.config.base_url(), to.slug);
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("{} overført til {} fra {}", text::kroner(new.amount), to.name, from.name),
        happened: format!(
            "{} har overført {} af {}s budget for {} til {}s budget for {} (B2). Begrundelsen:",
            actor.label,
            text::kroner(new.amount),
            from.name,
            new.from_year,
            to.name,
            new.to_year
        ),
        quote: &new.reason,
        todo: "Midlerne er nu gruppens at disponere. Tag dem med, når gruppen beslutter, hvordan den bruger sit \
               budget (B3).",
        by: None,
        link: &link,
        link_text: "Se gruppens budget",
    })?;
    let told = Handoff { kind: MailKind::BudgetTransfer, to: To::Secretariat { group_id: Some(to.id) }, mail };
    budgets::transfer(&state.db, actor, new, &told, state.clock.now()).await?;
    Ok(())
}
