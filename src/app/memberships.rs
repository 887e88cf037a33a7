//! Appointing to a group. A seat that waits for the staff group's approval (M5) tells the group's
//! secretariat at once, since the approval is theirs to put on the staff group's next meeting.

use chrono::{DateTime, Utc};

use crate::domain::access::GroupScope;
use crate::domain::composition::SeatStatus;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::groups::{self, GroupKey};
use crate::store::handoffs::{Handoff, To};
use crate::store::memberships::{self, NewMembership};
use crate::store::{self, people};

/// Appoints `new` (the composition rules M2-M6 are the store's to check under the group's lock);
/// returns the membership and whether it is active or nominated.
pub async fn appoint(
    state: &AppState,
    actor: &Actor,
    scope: GroupScope,
    new: &NewMembership,
) -> super::Result<(i64, SeatStatus)> {
    let (person, group) = tokio::try_join!(
        people::get(&state.db, new.person_id),
        groups::readable(&state.db, GroupKey::Id(new.group_id), scope)
    )?;
    let (person, group) = (person.ok_or(store::Error::NotFound)?, group.ok_or(store::Error::NotFound)?);
    let now: DateTime<Utc> = state.clock.now();
    let link = format!("{}/grupper/{}#medlemmer", state.config.base_url(), group.slug);
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Nyt medlem indstillet: {} i {}", person.name, group.name),
        happened: format!(
            "{} har indstillet {} som {} i {}. Indtil stabsgruppen har godkendt indstillingen, deltager {} ikke i \
             gruppens møder og får ikke mødemateriale (M5).",
            actor.label,
            person.name,
            new.role.label().to_lowercase(),
            group.name,
            person.name
        ),
        quote: "",
        todo: "Sæt godkendelsen på stabsgruppens næste ordinære møde, og registrér den på gruppens side, når den \
               er givet; introduktionen følger tjeklisten (M9).",
        by: None,
        link: &link,
        link_text: "Se gruppens medlemmer",
    })?;
    let nomination = Handoff { kind: "member_nominated", to: To::Secretariat { group_id: Some(group.id) }, mail };
    Ok(memberships::appoint(&state.db, actor, new, &nomination, now).await?)
}
