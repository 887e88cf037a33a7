//! Operational status of a solution (A8, O4): what kind of entry it is and whether it is still open.

use serde::{Deserialize, Serialize};

/// A8: errors, support, releases and user-facing incidents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum OperationalKind {
    Errors,
    Support,
    Release,
    Incident,
}

impl OperationalKind {
    pub const ALL: [OperationalKind; 4] = [Self::Errors, Self::Support, Self::Release, Self::Incident];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Errors => "errors",
            Self::Support => "support",
            Self::Release => "release",
            Self::Incident => "incident",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Errors => "Fejl",
            Self::Support => "Support",
            Self::Release => "Release",
            Self::Incident => "Hændelse for brugerne",
        }
    }
}

/// A8: whether an operational matter is still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum EntryState {
    Open,
    Resolved,
}

impl EntryState {
    pub const ALL: [EntryState; 2] = [Self::Open, Self::Resolved];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Resolved => "resolved",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Åben",
            Self::Resolved => "Løst",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_with_danish_labels_a8() {
        for k in OperationalKind::ALL {
            assert_eq!(OperationalKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(OperationalKind::parse("incident").map(OperationalKind::label), Some("Hændelse for brugerne"));
        assert_eq!(OperationalKind::parse("Fejl"), None);
        assert_eq!(EntryState::parse("resolved").map(EntryState::label), Some("Løst"));
    }
}
