//! Appointing to a group, approving a nominated member and ending a membership. Who waits on each:
//! a seat that waits for the staff group's approval (M5) tells the group's secretariat at once, since
//! the approval is theirs to put on the staff group's next meeting; the approval tells the person, who
//! until then got no meeting material; an ended membership tells the person that the group's mails stop.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::access::GroupScope;
use crate::domain::composition::SeatStatus;
use crate::domain::ids::{MeetingId, MembershipId};
use crate::domain::notifications::MailKind;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::groups::{self, GroupKey};
use crate::store::handoffs::{Handoff, To};
use crate::store::memberships::{self, NewMembership, Whose};
use crate::store::{self, people};
use crate::text;

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
    let nomination =
        Handoff { kind: MailKind::MemberNominated, to: To::Secretariat { group_id: Some(group.id) }, mail };
    Ok(memberships::appoint(&state.db, actor, new, &nomination, now).await?)
}

/// M5: approves a nominated member as of the staff group's approval (at `staff_meeting_id`, when
/// given); the person is told they now take part.
pub async fn approve(
    state: &AppState,
    actor: &Actor,
    membership_id: MembershipId,
    approved_on: NaiveDate,
    staff_meeting_id: Option<MeetingId>,
) -> super::Result<()> {
    let seat = memberships::whose(&state.db, membership_id.0).await?;
    let link = format!("{}/grupper/{}", state.config.base_url(), seat.group_slug);
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Du er nu {} i {}", seat.role.label().to_lowercase(), seat.group_name),
        happened: format!(
            "Stabsgruppen har godkendt dig som {} i {} den {} (M5). Du deltager nu i gruppens møder og får \
             dagsordener og referater tilsendt.",
            seat.role.label().to_lowercase(),
            seat.group_name,
            text::date(approved_on)
        ),
        quote: "",
        todo: "Se gruppens side med medlemmerne og de kommende møder. Sekretariatet tager kontakt om din \
               introduktion til gruppen (M9).",
        by: None,
        link: &link,
        link_text: "Se gruppen",
    })?;
    let told = told(&seat, mail);
    Ok(memberships::approve(&state.db, actor, membership_id, approved_on, staff_meeting_id, &told, state.clock.now())
        .await?)
}

/// Ends a membership as of `ends_on` (never before its start); the person is told the group's mails stop.
pub async fn end(state: &AppState, actor: &Actor, membership_id: i64, ends_on: NaiveDate) -> super::Result<()> {
    let seat = memberships::whose(&state.db, membership_id).await?;
    let mail = mail::handoff(&mail::Handoff {
        subject: format!("Dit medlemskab af {} er afsluttet", seat.group_name),
        happened: format!(
            "{} har afsluttet din plads som {} i {} pr. {}. Du får ikke længere dagsordener, referater og \
             påmindelser fra gruppen.",
            actor.label,
            seat.role.label().to_lowercase(),
            seat.group_name,
            text::date(ends_on)
        ),
        quote: "",
        todo: "Du skal ikke gøre noget. Er det en fejl, så skriv til sekretariatet.",
        by: None,
        link: &format!("{}/", state.config.base_url()),
        link_text: "Gå til Samarbejdsrum",
    })?;
    let told = told(&seat, mail);
    Ok(memberships::end(&state.db, actor, membership_id, ends_on, &told, state.clock.now()).await?)
}

/// A mail about a person's own seat: to them, whatever their settings (it is about their access, as
/// the account mails are).
fn told(seat: &Whose, mail: crate::mail::Mail) -> Handoff {
    Handoff { kind: MailKind::Membership, to: To::Person { person_id: seat.person_id }, mail }
}
