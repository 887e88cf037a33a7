//! The person's rights (GDPR): who may erase whom, and the neutral name an erased
//! person keeps in the minutes, decisions and attendance so the record stays whole.

use super::refusal::Refusal;

/// The name an erased person is shown by.
pub fn neutral_name(person_id: i64) -> String {
    format!("Tidligere deltager #{person_id}")
}

/// A unique address that reaches nobody (the `.invalid` top-level domain, RFC 2606).
pub fn pseudonym_email(person_id: i64) -> String {
    format!("slettet-{person_id}@slettet.invalid")
}

/// What is known of the person to erase and of the installation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureCase {
    pub actor_id: Option<i64>,
    pub person_id: i64,
    pub already_erased: bool,
    pub is_active_admin: bool,
    /// Active administrators other than the person.
    pub other_admins: i64,
    /// Groups the person still sits in (active or nominated).
    pub current_groups: Vec<String>,
}

/// Only a person who has left is erased; never oneself, never the last administrator.
pub fn may_erase(case: &ErasureCase) -> Result<(), Refusal> {
    if case.actor_id == Some(case.person_id) {
        return Err(Refusal::new(
            "GDPR",
            "Du kan ikke slette dine egne personoplysninger; bed en anden administrator.",
        ));
    }
    if case.already_erased {
        return Err(Refusal::new("GDPR", "Personens oplysninger er allerede slettet."));
    }
    if case.is_active_admin && case.other_admins == 0 {
        return Err(Refusal::new("GDPR", "Personen er den sidste administrator og kan ikke slettes."));
    }
    if !case.current_groups.is_empty() {
        return Err(Refusal::new(
            "GDPR",
            format!(
                "Personen er stadig medlem af {}. Afslut medlemskaberne, før personens oplysninger slettes.",
                case.current_groups.join(", ")
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case() -> ErasureCase {
        ErasureCase {
            actor_id: Some(1),
            person_id: 7,
            already_erased: false,
            is_active_admin: false,
            other_admins: 1,
            current_groups: Vec::new(),
        }
    }

    #[test]
    fn a_person_who_has_left_may_be_erased_but_not_oneself_or_the_last_admin() {
        assert!(may_erase(&case()).is_ok());
        assert!(may_erase(&ErasureCase { actor_id: Some(7), ..case() }).is_err());
        assert!(may_erase(&ErasureCase { is_active_admin: true, other_admins: 0, ..case() }).is_err());
        assert!(may_erase(&ErasureCase { is_active_admin: true, other_admins: 1, ..case() }).is_ok());
        assert!(may_erase(&ErasureCase { already_erased: true, ..case() }).is_err());
        let refused = may_erase(&ErasureCase { current_groups: vec!["Natur".into()], ..case() }).expect_err("member");
        assert!(refused.message.contains("Natur"));
    }

    #[test]
    fn the_neutral_name_and_address_carry_only_the_id() {
        assert_eq!(neutral_name(12), "Tidligere deltager #12");
        assert!(crate::domain::email::Email::parse(&pseudonym_email(12)).is_ok());
    }
}
