//! A group's own details as the secretariat enters them: one parse for the form and the API.

use serde::{Deserialize, Serialize};

use super::access::Confidentiality;
use super::field_errors::FieldErrors;
use super::input::{self, Unfit};

/// Whether a group still works (a closed group keeps its history but leaves the directory, M7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum GroupStatus {
    Active,
    Closed,
}

impl GroupStatus {
    pub const ALL: [GroupStatus; 2] = [GroupStatus::Active, GroupStatus::Closed];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == s)
    }

    pub fn code(self) -> &'static str {
        match self {
            GroupStatus::Active => "active",
            GroupStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GroupStatus::Active => "Aktiv",
            GroupStatus::Closed => "Lukket",
        }
    }

    pub fn is_active(self) -> bool {
        self == GroupStatus::Active
    }
}

/// Which charter a kind of group belongs to: the DMP's faggrupper, OS2's groups, or the governing
/// bodies (the board and the staff group) that approve charters (O3) and meet with the chairs (T1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum GroupFamily {
    Dmp,
    Os2,
    Governance,
}

impl GroupFamily {
    pub fn label(self) -> &'static str {
        match self {
            GroupFamily::Dmp => "Danmarks Miljøportal",
            GroupFamily::Os2 => "OS2",
            GroupFamily::Governance => "Styrelse",
        }
    }

    /// The organisation whose working group this is, as documents name it: the board and the
    /// staff group are Danmarks Miljøportal's own.
    pub fn organisation(self) -> &'static str {
        match self {
            GroupFamily::Dmp | GroupFamily::Governance => "Danmarks Miljøportal",
            GroupFamily::Os2 => "OS2 – offentligt digitaliseringsfællesskab",
        }
    }

    /// Y1-Y3: the annual cycle of four meetings and its topics is the DMP faggrupper's.
    pub fn keeps_the_annual_cycle(self) -> bool {
        self == GroupFamily::Dmp
    }
}

pub const NAME_MAX: usize = 200;
pub const SLUG_MAX: usize = 60;
pub const PURPOSE_MAX: usize = 10_000;

/// A new group's fields, parsed and bounded.
#[derive(Debug, Clone, Serialize)]
pub struct GroupInput {
    pub kind_id: i64,
    pub slug: String,
    pub name: String,
    pub purpose: String,
    pub confidentiality: Confidentiality,
}

/// An existing group's editable fields (the kind and the short name stay).
#[derive(Debug, Clone, Serialize)]
pub struct GroupEdit {
    pub name: String,
    pub purpose: String,
    pub status: GroupStatus,
    pub confidentiality: Confidentiality,
}

/// The raw fields. The caller looks up the kind (an id in the form, a code in the API) and names the
/// field it came in, so the message lands next to it.
#[derive(Debug, Clone, Copy)]
pub struct GroupDraft<'a> {
    pub kind_id: Option<i64>,
    pub kind_field: &'static str,
    pub slug: &'a str,
    pub name: &'a str,
    pub purpose: &'a str,
    pub status: Option<GroupStatus>,
    pub confidentiality: Option<Confidentiality>,
}

fn slug(s: &str) -> Result<String, Unfit> {
    let slug = s.trim().to_lowercase();
    let fine = !slug.is_empty()
        && slug.chars().count() <= SLUG_MAX
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if fine { Ok(slug) } else { Err(Unfit::NotAShortName(SLUG_MAX)) }
}

impl GroupDraft<'_> {
    fn common(&self, errors: &mut FieldErrors) -> (String, String, Option<Confidentiality>) {
        let name = errors.check("name", input::one_line(self.name, NAME_MAX)).unwrap_or_default();
        if name.is_empty() && !errors.has("name") {
            errors.add("name", "Skriv gruppens navn.");
        }
        let purpose = errors.check("purpose", input::text(self.purpose, PURPOSE_MAX)).unwrap_or_default();
        if self.confidentiality.is_none() {
            errors.add("confidentiality", "Vælg et fortrolighedsniveau.");
        }
        (name, purpose, self.confidentiality)
    }

    /// A new group, or every field's Danish message.
    pub fn parse_new(&self) -> Result<GroupInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.kind_id.is_none() {
            errors.add(self.kind_field, "Vælg en gruppetype.");
        }
        let slug = errors.check("slug", slug(self.slug));
        let (name, purpose, confidentiality) = self.common(&mut errors);
        match (self.kind_id, slug, confidentiality) {
            (Some(kind_id), Some(slug), Some(confidentiality)) if errors.is_empty() => {
                Ok(GroupInput { kind_id, slug, name, purpose, confidentiality })
            }
            _ => Err(errors),
        }
    }

    /// The edited fields, or every field's Danish message.
    pub fn parse_edit(&self) -> Result<GroupEdit, FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.status.is_none() {
            errors.add("status", "Vælg en status.");
        }
        let (name, purpose, confidentiality) = self.common(&mut errors);
        match (self.status, confidentiality) {
            (Some(status), Some(confidentiality)) if errors.is_empty() => {
                Ok(GroupEdit { name, purpose, status, confidentiality })
            }
            _ => Err(errors),
        }
    }
}

/// The message when another group has the short name.
pub const SLUG_TAKEN: &str = "Kortnavnet er allerede brugt af en anden gruppe.";

/// S2: a kind's charter template with the group's own words in place of its placeholders: the group's
/// name for `[FAGGRUPPE]` and `[PRODUKT]`, and the solutions it is responsible for (O4) for
/// `[LØSNINGER]` ("gruppens løsninger" until any are linked). `[ANSVAR]` stays for the group to fill in
/// at its first meeting.
pub fn fill_charter_template(template: &str, group_name: &str, solutions: &[String]) -> String {
    let solutions = match solutions {
        [] => "gruppens løsninger".to_owned(),
        [one] => one.clone(),
        [first @ .., last] => format!("{} og {last}", first.join(", ")),
    };
    template.replace("[FAGGRUPPE]", group_name).replace("[PRODUKT]", group_name).replace("[LØSNINGER]", &solutions)
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_charter_draft_names_the_group_and_its_solutions_s2() {
        let template = "Kommissorium for faggruppen [FAGGRUPPE]. Forum for [LØSNINGER]. [ANSVAR]";
        assert_eq!(
            super::fill_charter_template(template, "Natur", &["Naturdatabasen".into(), "DAI".into(), "VanDa".into()]),
            "Kommissorium for faggruppen Natur. Forum for Naturdatabasen, DAI og VanDa. [ANSVAR]"
        );
        assert_eq!(
            super::fill_charter_template(template, "Vand", &[]),
            "Kommissorium for faggruppen Vand. Forum for gruppens løsninger. [ANSVAR]"
        );
    }
    use super::*;

    fn draft() -> GroupDraft<'static> {
        GroupDraft {
            kind_id: Some(1),
            kind_field: "kind_id",
            slug: " Natur-2 ",
            name: "Faggruppe Natur",
            purpose: "",
            status: Some(GroupStatus::Active),
            confidentiality: Some(Confidentiality::Internal),
        }
    }

    #[test]
    fn a_new_group_gets_a_lowercase_slug() {
        assert_eq!(draft().parse_new().expect("valid").slug, "natur-2");
    }

    #[test]
    fn each_bad_field_is_named() {
        let d =
            GroupDraft {
                kind_id: None, kind_field: "kind", slug: "æøå", name: " ", confidentiality: None, ..draft()
            };
        let errors = d.parse_new().expect_err("invalid");
        for field in ["kind", "slug", "name", "confidentiality"] {
            assert!(errors.has(field), "{field}");
        }
        let long = "x".repeat(NAME_MAX + 1);
        assert!(GroupDraft { name: &long, status: None, ..draft() }.parse_edit().expect_err("long").has("name"));
    }

    #[test]
    fn status_codes_round_trip() {
        for s in GroupStatus::ALL {
            assert_eq!(GroupStatus::parse(s.code()), Some(s));
        }
        assert_eq!(GroupStatus::parse("deleted"), None);
    }
}
