//! The codes of a charter version (O3) and of a member's request for an agenda item (A3), as the database
//! stores them and as the pages name them.

use serde::Serialize;

/// O3: a charter version is a draft, the one in force, or an earlier one kept readable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum CharterStatus {
    Draft,
    Approved,
    Superseded,
}

impl CharterStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Approved => "Gældende",
            Self::Draft => "Udkast",
            Self::Superseded => "Tidligere version",
        }
    }

    /// The badge colour of the status on the charter page.
    pub fn css_class(self) -> &'static str {
        match self {
            Self::Approved => "badge-ok",
            Self::Draft => "badge-warn",
            Self::Superseded => "badge-muted",
        }
    }
}

/// A3: a request waits for the secretariat, which puts it on the agenda or declines it with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum RequestStatus {
    Pending,
    Accepted,
    Declined,
}

impl RequestStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Afventer sekretariatet",
            Self::Accepted => "Sat på dagsordenen",
            Self::Declined => "Afvist",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_danish_label_o3_a3() {
        for s in [CharterStatus::Draft, CharterStatus::Approved, CharterStatus::Superseded] {
            assert!(!s.label().is_empty() && s.css_class().starts_with("badge-"));
        }
        assert_eq!(CharterStatus::Approved.label(), "Gældende");
        assert_eq!(RequestStatus::Pending.label(), "Afventer sekretariatet");
    }
}
