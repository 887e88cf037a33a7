//! The roadmap (C3): initiatives for this year, next year and 3-4 years ahead, each with a status.

/// C3: how far ahead an initiative lies, seen from the current year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Horizon {
    ThisYear,
    NextYear,
    Later,
}

impl Horizon {
    pub const ALL: [Horizon; 3] = [Horizon::ThisYear, Horizon::NextYear, Horizon::Later];

    /// An initiative under way or starting this year belongs to this year; one starting next year to next
    /// year; anything later to the 3-4 year horizon.
    pub fn of(start_year: i32, this_year: i32) -> Horizon {
        match start_year - this_year {
            i32::MIN..=0 => Horizon::ThisYear,
            1 => Horizon::NextYear,
            _ => Horizon::Later,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Horizon::ThisYear => "I år",
            Horizon::NextYear => "Næste år",
            Horizon::Later => "Om 3–4 år",
        }
    }
}

/// C3: an initiative's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum InitiativeStatus {
    Planned,
    InProgress,
    Done,
    Paused,
    Dropped,
}

impl InitiativeStatus {
    pub const ALL: [InitiativeStatus; 5] = [Self::Planned, Self::InProgress, Self::Done, Self::Paused, Self::Dropped];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::InProgress => "in_progress",
            Self::Done => "done",
            Self::Paused => "paused",
            Self::Dropped => "dropped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Planned => "Planlagt",
            Self::InProgress => "I gang",
            Self::Done => "Gennemført",
            Self::Paused => "Sat på pause",
            Self::Dropped => "Opgivet",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initiatives_fall_in_this_year_next_year_or_the_later_horizon_c3() {
        assert_eq!(Horizon::of(2025, 2027), Horizon::ThisYear, "an ongoing initiative is this year's");
        assert_eq!(Horizon::of(2027, 2027), Horizon::ThisYear);
        assert_eq!(Horizon::of(2028, 2027), Horizon::NextYear);
        assert_eq!(Horizon::of(2029, 2027), Horizon::Later);
        assert_eq!(Horizon::of(2031, 2027), Horizon::Later);
        assert_eq!(Horizon::of(2030, 2027).label(), "Om 3–4 år");
    }

    #[test]
    fn every_status_has_a_danish_label_c3() {
        assert_eq!(InitiativeStatus::parse("in_progress").map(InitiativeStatus::label), Some("I gang"));
        assert_eq!(InitiativeStatus::parse("cancelled"), None);
        for s in InitiativeStatus::ALL {
            assert_eq!(InitiativeStatus::parse(s.as_str()), Some(s));
        }
    }
}
