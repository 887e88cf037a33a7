//! The commands on people and their accounts: add and edit a person (a change of sign-in address waits for the
//! new address and tells the old one), confirm or object to such a change, invite, and send a link to
//! choose a password. The rule of who may act on whose account is `domain::account_rights`.

use chrono::{DateTime, Duration, Utc};

use crate::domain::access::GlobalRole;
use crate::domain::account_rights::{self, Acting, Target, TargetAccount};
use crate::domain::notifications::MailKind;
use crate::mail;
use crate::security::tokens;
use crate::state::AppState;
use crate::store::account_links::{self, NewLink, Purpose};
use crate::store::audit::Actor;
use crate::store::email_changes::{self, LinkState, Objection, Pending};
use crate::store::outbox::NewMail;
use crate::store::people::{self, PersonInput};
use crate::store::{self, accounts};

pub const INVITATION_HOURS: i64 = 72;
pub const RESET_HOURS: i64 = 2;
/// How long the new address has to confirm a change of sign-in address.
pub const EMAIL_CONFIRM_HOURS: i64 = 72;
/// How long the old address may object to it, confirmed or not.
pub const EMAIL_OBJECTION_DAYS: i64 = 14;

/// The person, whether their account is active (if they have one), and the two as the rule of `account_rights` sees them.
async fn target(state: &AppState, person_id: i64) -> super::Result<(people::Person, Option<bool>, Target)> {
    let (person, account) = tokio::try_join!(people::get(&state.db, person_id), accounts::by_id(&state.db, person_id))?;
    let person = person.ok_or(store::Error::NotFound)?;
    let active = account.as_ref().map(|a| a.active);
    let account = account.map(|a| TargetAccount { role: a.role, has_password: !a.password_hash.starts_with('!') });
    Ok((person, active, Target { person_id, account }))
}

/// How the person form offers the address of `person_id` to `acting`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailEdit {
    /// Contact data of the register: saved with the form.
    Free,
    /// The sign-in address: a new one waits for confirmation.
    NeedsConfirmation,
    /// Not `acting`'s to change.
    Locked,
}

/// Adds a person to the directory (O4), without an account until they are invited. `Taken` when the
/// address is someone else's; `Unknown` or `Retired` for an organisation that cannot be chosen (O1).
pub async fn add_person(state: &AppState, actor: &Actor, input: &PersonInput) -> super::Result<i64> {
    Ok(people::create(&state.db, actor, input).await?)
}

pub async fn email_edit(state: &AppState, acting: Acting, person_id: i64) -> super::Result<EmailEdit> {
    let (_, _, target) = target(state, person_id).await?;
    Ok(if account_rights::may_change_email(acting, target).is_err() {
        EmailEdit::Locked
    } else if account_rights::email_change_needs_confirmation(target) {
        EmailEdit::NeedsConfirmation
    } else {
        EmailEdit::Free
    })
}

/// The access section of a person's page: a change of address waiting for confirmation, and whether
/// `acting` may send an invitation (the refusal says why not).
pub struct Access {
    /// The account's global role, when the person has an account.
    pub role: Option<GlobalRole>,
    pub email_waiting: Option<String>,
    pub invitation: Result<(), crate::domain::refusal::Refusal>,
}

pub async fn access(state: &AppState, acting: Acting, person_id: i64) -> super::Result<Access> {
    let ((_, _, target), email_waiting) = tokio::try_join!(target(state, person_id), async {
        Ok(email_changes::waiting(&state.db, person_id, state.clock.now()).await?)
    })?;
    let role = target.account.map(|a| a.role);
    Ok(Access { role, email_waiting, invitation: account_rights::may_invite(acting, target) })
}

/// What an edit of a person did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonUpdate {
    Saved,
    /// Everything but the address was saved; the new address has been asked to confirm it.
    EmailWaits {
        new_email: String,
    },
}

/// Edits a person of the register. A new address of a person who can sign in takes effect only when the
/// new address confirms it, and the old address is told how to object; only the person or an
/// administrator may start that (`account_rights`).
pub async fn update_person(
    state: &AppState,
    actor: &Actor,
    acting: Acting,
    person_id: i64,
    input: &PersonInput,
) -> super::Result<PersonUpdate> {
    let (person, _, target) = target(state, person_id).await?;
    if input.email.eq_ignore_ascii_case(&person.email) {
        let unchanged_address = PersonInput { email: person.email.clone(), ..input.clone() };
        return found(people::update(&state.db, actor, person_id, &unchanged_address).await?);
    }
    account_rights::may_change_email(acting, target)?;
    if !account_rights::email_change_needs_confirmation(target) {
        return found(people::update(&state.db, actor, person_id, input).await?);
    }

    let now = state.clock.now();
    let (confirm_secret, objection_secret) = (tokens::random_secret(), tokens::random_secret());
    let (expires_at, objection_until) =
        (now + Duration::hours(EMAIL_CONFIRM_HOURS), now + Duration::days(EMAIL_OBJECTION_DAYS));
    let base = state.config.base_url();
    let change = mail::EmailChange {
        name: &person.name,
        requested_by: &actor.label,
        old_email: &person.email,
        new_email: &input.email,
    };
    let confirm = mail::email_change_confirm(&change, &format!("{base}/e-mail/bekraeft/{confirm_secret}"), expires_at)?;
    let notice =
        mail::email_change_notice(&change, &format!("{base}/e-mail/indsigelse/{objection_secret}"), objection_until)?;
    let (confirm_key, notice_key) = (
        format!("email-change-{}", tokens::random_secret()),
        format!("email-change-notice-{}", tokens::random_secret()),
    );
    let mails = [
        account_mail(&confirm_key, person_id, &input.email, &confirm, now),
        account_mail(&notice_key, person_id, &person.email, &notice, now),
    ];
    let (confirm_hash, objection_hash) = (tokens::sha256(&confirm_secret), tokens::sha256(&objection_secret));
    let new = email_changes::NewEmailChange {
        person_id,
        old_email: &person.email,
        new_email: &input.email,
        confirm_hash: &confirm_hash,
        objection_hash: &objection_hash,
        now,
        expires_at,
        objection_until,
    };
    let kept = PersonInput { email: person.email.clone(), ..input.clone() };
    email_changes::request(&state.db, actor, &kept, new, mails).await?;
    Ok(PersonUpdate::EmailWaits { new_email: input.email.clone() })
}

fn found(updated: bool) -> super::Result<PersonUpdate> {
    if updated { Ok(PersonUpdate::Saved) } else { Err(store::Error::NotFound.into()) }
}

fn account_mail<'a>(
    key: &'a str,
    person_id: i64,
    to: &'a str,
    message: &'a mail::Mail,
    now: DateTime<Utc>,
) -> NewMail<'a> {
    NewMail {
        idempotency_key: key,
        kind: MailKind::Account,
        to_person_id: Some(person_id),
        to_address: to,
        subject: &message.subject,
        body_text: &message.text,
        body_html: Some(&message.html),
        ics: None,
        queued_at: now,
    }
}

/// The new address confirms the change.
pub async fn confirm_email(state: &AppState, secret: &str) -> super::Result<Pending> {
    Ok(email_changes::confirm(&state.db, &tokens::sha256(secret), state.clock.now()).await?)
}

/// The old address objects: a waiting change stops; a confirmed one is undone, the account's sessions,
/// tokens and feeds end, and a link to choose a new password goes to the old address.
pub async fn object_to_email_change(state: &AppState, secret: &str) -> super::Result<Objection> {
    let hash = tokens::sha256(secret);
    let now = state.clock.now();
    let LinkState::Valid(pending) =
        email_changes::link_state(&state.db, email_changes::Link::Objection, &hash, now).await?
    else {
        return Err(store::Error::NotFound.into());
    };
    let link = PasswordLink::new(state, Purpose::Reset, GlobalRole::User)?;
    Ok(email_changes::object(&state.db, &hash, now, link.parts(pending.person_id, &pending.old_email, "")).await?)
}

/// A link to choose a password, with its mail, ready to be stored.
struct PasswordLink {
    purpose: Purpose,
    role: GlobalRole,
    hash: Vec<u8>,
    message: mail::Mail,
    key: String,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

impl PasswordLink {
    /// `role` is the global role an invitation gives (a reset leaves the account's role as it is).
    fn new(state: &AppState, purpose: Purpose, role: GlobalRole) -> super::Result<PasswordLink> {
        let secret = tokens::random_secret();
        let now = state.clock.now();
        let hours = if purpose == Purpose::Invitation { INVITATION_HOURS } else { RESET_HOURS };
        let expires_at = now + Duration::hours(hours);
        let link = format!("{}/adgangskode/{secret}", state.config.base_url());
        let message = mail::account_link(purpose == Purpose::Invitation, &link, expires_at)?;
        let key = format!("account-link-{}", tokens::random_secret());
        Ok(PasswordLink { purpose, role, hash: tokens::sha256(&secret), message, key, now, expires_at })
    }

    fn parts<'a>(&'a self, person_id: i64, to: &'a str, requested_from: &'a str) -> (NewLink<'a>, NewMail<'a>) {
        let link = NewLink {
            person_id,
            purpose: self.purpose,
            role: self.role,
            secret_hash: &self.hash,
            requested_from,
            now: self.now,
            expires_at: self.expires_at,
        };
        (link, account_mail(&self.key, person_id, to, &self.message, self.now))
    }
}

/// Sends the person a link to choose a password (an invitation or a reset), queued with its mail in one
/// transaction. Whoever may start it has been decided by the caller.
pub async fn send_password_link(
    state: &AppState,
    actor: &Actor,
    person: &people::Person,
    purpose: Purpose,
    requested_from: &str,
) -> super::Result<()> {
    issue_link(state, actor, person, purpose, GlobalRole::User, requested_from).await
}

async fn issue_link(
    state: &AppState,
    actor: &Actor,
    person: &people::Person,
    purpose: Purpose,
    role: GlobalRole,
    requested_from: &str,
) -> super::Result<()> {
    let link = PasswordLink::new(state, purpose, role)?;
    let (new, mail) = link.parts(person.id, &person.email, requested_from);
    Ok(account_links::issue(&state.db, actor, new, mail).await?)
}

/// The secretariat invites a person of the register to sign in: only a person without a password, and a
/// secretariat or administrator account only by an administrator (`account_rights`). An invitation may
/// carry a global role above "Bruger" only when an administrator sends it; without one, the account keeps
/// its role (a new one is "Bruger").
pub async fn invite(
    state: &AppState,
    actor: &Actor,
    acting: Acting,
    person_id: i64,
    role: Option<GlobalRole>,
) -> super::Result<()> {
    let (person, active, target) = target(state, person_id).await?;
    account_rights::may_invite(acting, target)?;
    let current = target.account.map_or(GlobalRole::User, |a| a.role);
    let role = role.unwrap_or(current);
    if role != current {
        let others = accounts::other_active_admins(&mut *state.db.acquire().await?, person_id).await?;
        account_rights::may_set_role(acting, target, role, others)?;
    }
    if crate::domain::email::Email::parse(&person.email).is_err() {
        return Err(
            account_rights::refusal("Personen har ingen gyldig e-mailadresse at sende invitationen til.").into()
        );
    }
    if active == Some(false) {
        return Err(account_rights::refusal("Kontoen er lukket; en administrator genåbner den først.").into());
    }
    issue_link(state, actor, &person, Purpose::Invitation, role, "").await
}

/// An administrator grants or removes a global role; the last active administrator keeps theirs.
pub async fn set_role(
    state: &AppState,
    actor: &Actor,
    acting: Acting,
    person_id: i64,
    role: GlobalRole,
) -> super::Result<()> {
    Ok(accounts::set_role(&state.db, actor, person_id, role, |current, has_password, others| {
        let target = Target { person_id, account: Some(TargetAccount { role: current, has_password }) };
        account_rights::may_set_role(acting, target, role, others)
    })
    .await?)
}
