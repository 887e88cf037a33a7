//! Who may act on whose account. The people register is the secretariat's (M8), but an account's sign-in
//! identity (its e-mail) and the links that set its password are the account holder's: whoever controls
//! them controls the account. So the role of the *target* counts as much as the role of the actor.
//!
//! - The e-mail of a person who can sign in is changed only by the person, or by an administrator;
//!   the secretariat edits every other field, and the e-mail of people without an account.
//! - Nobody acts on an account whose global role is above their own.
//! - An invitation goes only to an account without a usable password; a link to set the password of a
//!   secretariat or administrator account is started by the person (the forgot form) or an administrator.

use super::access::GlobalRole;
use super::refusal::Refusal;

/// The rule id that refusals of this module carry (no DOMAIN.md rule: account security).
pub const RULE: &str = "Konto";

/// A refusal of this module's rule, for the checks that go with it (a closed account, no address).
pub fn refusal(message: impl Into<String>) -> Refusal {
    Refusal::new(RULE, message)
}

/// The person acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acting {
    pub person_id: i64,
    pub role: GlobalRole,
}

/// The person acted on, and their account if they have one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub person_id: i64,
    pub account: Option<TargetAccount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetAccount {
    pub role: GlobalRole,
    /// A password is set (an invitation not yet used leaves none).
    pub has_password: bool,
}

/// Higher is more powerful.
fn rank(role: GlobalRole) -> u8 {
    match role {
        GlobalRole::User => 0,
        GlobalRole::Secretariat => 1,
        GlobalRole::Admin => 2,
    }
}

fn above(target: GlobalRole, actor: GlobalRole) -> bool {
    rank(target) > rank(actor)
}

/// May `acting` change the e-mail of `target`? For a target without an account the e-mail is contact
/// data of the register (the secretariat's, M8).
pub fn may_change_email(acting: Acting, target: Target) -> Result<(), Refusal> {
    let Some(account) = target.account else {
        return if rank(acting.role) >= rank(GlobalRole::Secretariat) {
            Ok(())
        } else {
            Err(Refusal::new(RULE, "Kun sekretariatet retter personregistret."))
        };
    };
    if acting.person_id == target.person_id {
        return Ok(());
    }
    if above(account.role, acting.role) {
        return Err(Refusal::new(RULE, "Du kan ikke ændre en konto med en højere rolle end din egen."));
    }
    if acting.role != GlobalRole::Admin {
        return Err(Refusal::new(
            RULE,
            "E-mailadressen er personens login. Kun personen selv eller en administrator kan ændre den; \
             sekretariatet kan rette personens øvrige oplysninger.",
        ));
    }
    Ok(())
}

/// Does a change of e-mail wait for the new address to confirm it? Yes whenever the person can sign in
/// with it; the old address is then told and can object.
pub fn email_change_needs_confirmation(target: Target) -> bool {
    target.account.is_some()
}

/// May `acting` send `target` an invitation (a link to choose a first password)?
pub fn may_invite(acting: Acting, target: Target) -> Result<(), Refusal> {
    if rank(acting.role) < rank(GlobalRole::Secretariat) {
        return Err(Refusal::new(RULE, "Kun sekretariatet inviterer."));
    }
    let Some(account) = target.account else {
        return Ok(());
    };
    if account.has_password {
        return Err(Refusal::new(
            RULE,
            "Personen har allerede en adgangskode. Har personen glemt den, bruger personen selv «Glemt adgangskode?» \
             på login-siden.",
        ));
    }
    if account.role != GlobalRole::User && acting.role != GlobalRole::Admin {
        return Err(Refusal::new(
            RULE,
            "Kun en administrator kan sende et link til at vælge adgangskode for en konto i sekretariatet eller \
             administrationen.",
        ));
    }
    if above(account.role, acting.role) {
        return Err(Refusal::new(RULE, "Du kan ikke ændre en konto med en højere rolle end din egen."));
    }
    Ok(())
}

/// May `acting` give `target` the global role `new` (or an invitation carrying it)? Only an
/// administrator grants or removes a global role, and an installation keeps at least one active
/// administrator: `other_admins` counts the active administrators besides the target.
pub fn may_set_role(acting: Acting, target: Target, new: GlobalRole, other_admins: i64) -> Result<(), Refusal> {
    if acting.role != GlobalRole::Admin {
        return Err(Refusal::new(RULE, "Kun en administrator tildeler og fjerner roller."));
    }
    let was_admin = target.account.is_some_and(|a| a.role == GlobalRole::Admin);
    if was_admin && new != GlobalRole::Admin && other_admins == 0 {
        return Err(Refusal::new(
            RULE,
            "Det er den sidste administrator. Giv en anden person rollen som administrator først.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: [GlobalRole; 3] = [GlobalRole::User, GlobalRole::Secretariat, GlobalRole::Admin];

    fn acting(role: GlobalRole) -> Acting {
        Acting { person_id: 1, role }
    }

    fn account(role: GlobalRole, has_password: bool) -> Target {
        Target { person_id: 2, account: Some(TargetAccount { role, has_password }) }
    }

    #[test]
    fn only_administrators_change_another_sign_in_address() {
        for actor in ROLES {
            for target in ROLES {
                let allowed = may_change_email(acting(actor), account(target, true)).is_ok();
                assert_eq!(allowed, actor == GlobalRole::Admin, "{actor:?} changing a {target:?}'s address");
            }
        }
    }

    #[test]
    fn everyone_with_an_account_may_change_their_own_address_and_it_waits_for_confirmation() {
        for role in ROLES {
            let own = Target { person_id: 1, account: Some(TargetAccount { role, has_password: true }) };
            assert!(may_change_email(acting(role), own).is_ok());
            assert!(email_change_needs_confirmation(own));
        }
    }

    #[test]
    fn the_secretariat_keeps_contact_addresses_of_people_without_an_account() {
        let contact = Target { person_id: 2, account: None };
        assert!(may_change_email(acting(GlobalRole::Secretariat), contact).is_ok());
        assert!(may_change_email(acting(GlobalRole::User), contact).is_err());
        assert!(!email_change_needs_confirmation(contact));
    }

    #[test]
    fn only_an_administrator_sets_roles_and_the_last_administrator_stays_one() {
        for role in [GlobalRole::User, GlobalRole::Secretariat] {
            assert!(may_set_role(acting(role), account(GlobalRole::User, true), GlobalRole::Secretariat, 1).is_err());
        }
        let admin = acting(GlobalRole::Admin);
        assert!(may_set_role(admin, account(GlobalRole::User, true), GlobalRole::Admin, 1).is_ok());
        assert!(may_set_role(admin, account(GlobalRole::Admin, true), GlobalRole::User, 1).is_ok());
        let last = may_set_role(admin, account(GlobalRole::Admin, true), GlobalRole::Secretariat, 0).unwrap_err();
        assert!(last.message.contains("sidste administrator"));
        assert!(may_set_role(admin, Target { person_id: 2, account: None }, GlobalRole::Secretariat, 0).is_ok());
    }

    #[test]
    fn invitations_go_only_to_accounts_without_a_password() {
        for actor in [GlobalRole::Secretariat, GlobalRole::Admin] {
            for target in ROLES {
                let refusal = may_invite(acting(actor), account(target, true)).unwrap_err();
                assert!(refusal.message.contains("allerede en adgangskode"));
            }
        }
        assert!(may_invite(acting(GlobalRole::Secretariat), Target { person_id: 2, account: None }).is_ok());
        assert!(may_invite(acting(GlobalRole::User), Target { person_id: 2, account: None }).is_err());
    }

    #[test]
    fn only_an_administrator_sends_a_password_link_to_a_privileged_account() {
        for target in [GlobalRole::Secretariat, GlobalRole::Admin] {
            assert!(may_invite(acting(GlobalRole::Secretariat), account(target, false)).is_err());
            assert!(may_invite(acting(GlobalRole::Admin), account(target, false)).is_ok());
        }
        assert!(may_invite(acting(GlobalRole::Secretariat), account(GlobalRole::User, false)).is_ok());
    }
}
