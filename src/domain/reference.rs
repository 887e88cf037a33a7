//! O1: the parties and their organisations are data the secretariat keeps from the browser: the input
//! of the forms that edit them, and what a retired one still is (kept where referenced, no new choice).

use super::composition::PartyKind;
use super::field_errors::FieldErrors;

/// The longest name the schema takes.
const NAME_MAX: usize = 200;

pub const PARTY_NAME_TAKEN: &str = "Der findes allerede en part med det navn.";
pub const SECRETARIAT_EXISTS: &str = "Sekretariatet findes allerede som part (O1).";
pub const ORGANISATION_TAKEN: &str = "Organisationen findes allerede under denne part.";
pub const PARTY_RETIRED: &str = "Parten er udgået og kan ikke vælges (O1).";
pub const ORGANISATION_RETIRED: &str = "Organisationen er udgået og kan ikke vælges (O1).";

/// A party's name and kind, checked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PartyInput {
    pub name: String,
    pub kind: PartyKind,
}

/// An organisation's name and party, checked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrganisationInput {
    pub name: String,
    pub party_id: i64,
}

fn name(errors: &mut FieldErrors, field: &'static str, raw: &str, missing: &str) -> String {
    let name = raw.trim();
    if name.is_empty() {
        errors.add(field, missing);
    } else if name.chars().count() > NAME_MAX {
        errors.add(field, format!("Navnet må højst være {NAME_MAX} tegn."));
    }
    name.to_string()
}

/// O1: a party has a name and one of the kinds (the secretariat once, checked by the schema).
pub fn party(raw_name: &str, raw_kind: &str) -> Result<PartyInput, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = name(&mut errors, "name", raw_name, "Skriv partens navn.");
    let kind = PartyKind::parse(raw_kind.trim());
    if kind.is_none() {
        errors.add("kind", "Vælg hvilken slags part det er.");
    }
    match kind {
        Some(kind) if errors.is_empty() => Ok(PartyInput { name, kind }),
        _ => Err(errors),
    }
}

/// O1: an organisation has a name and belongs to a party.
pub fn organisation(raw_name: &str, raw_party: &str) -> Result<OrganisationInput, FieldErrors> {
    let mut errors = FieldErrors::default();
    let party_id = raw_party.trim().parse::<i64>().ok();
    if party_id.is_none() {
        errors.add("party_id", "Vælg en part.");
    }
    let name = name(&mut errors, "org_name", raw_name, "Skriv organisationens navn.");
    match party_id {
        Some(party_id) if errors.is_empty() => Ok(OrganisationInput { name, party_id }),
        _ => Err(errors),
    }
}

/// O1: whether a party or organisation is offered as a new choice: an active one always, a retired one
/// only where it is the present value (so that editing a person or membership keeps it).
pub fn offered(retired: bool, is_present_value: bool) -> bool {
    !retired || is_present_value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_party_needs_a_name_and_a_known_kind_o1() {
        assert_eq!(
            party("  Regionerne ", "party"),
            Ok(PartyInput { name: "Regionerne".into(), kind: PartyKind::Party })
        );
        assert_eq!(party("Sekretariatet", "secretariat").map(|p| p.kind), Ok(PartyKind::Secretariat));
        let errors = party(" ", "board").unwrap_err();
        assert!(errors.has("name") && errors.has("kind"));
        assert!(party(&"x".repeat(201), "vendor").unwrap_err().has("name"));
    }

    #[test]
    fn an_organisation_needs_a_name_and_a_party_o1() {
        assert_eq!(
            organisation("Aarhus Kommune", "3"),
            Ok(OrganisationInput { name: "Aarhus Kommune".into(), party_id: 3 })
        );
        let errors = organisation("", "").unwrap_err();
        assert!(errors.has("org_name") && errors.has("party_id"));
    }

    #[test]
    fn a_retired_one_is_offered_only_where_it_is_already_chosen_o1() {
        assert!(offered(false, false));
        assert!(offered(true, true));
        assert!(!offered(true, false));
    }
}
