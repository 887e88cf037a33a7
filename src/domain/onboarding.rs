//! M9: the steps of a new member's onboarding, each ticked off by the secretariat with its day.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum OnboardingStep {
    IntroPackage,
    WebsiteUpdated,
    MeetingsBooked,
    RoomAccess,
    StaffGroupApproval,
    BoardInformed,
}

impl OnboardingStep {
    /// In the order of M9; every nomination starts with each of them open.
    pub const ALL: [OnboardingStep; 6] = [
        Self::IntroPackage,
        Self::WebsiteUpdated,
        Self::MeetingsBooked,
        Self::RoomAccess,
        Self::StaffGroupApproval,
        Self::BoardInformed,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|step| step.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::IntroPackage => "intro_package",
            Self::WebsiteUpdated => "website_updated",
            Self::MeetingsBooked => "meetings_booked",
            Self::RoomAccess => "room_access",
            Self::StaffGroupApproval => "staff_group_approval",
            Self::BoardInformed => "board_informed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::IntroPackage => "Introduktionspakke præsenteret",
            Self::WebsiteUpdated => "Hjemmesiden opdateret",
            Self::MeetingsBooked => "Mødebookinger sendt",
            Self::RoomAccess => "Adgang til gruppens rum",
            Self::StaffGroupApproval => "Stabsgruppens godkendelse registreret",
            Self::BoardInformed => "Bestyrelsen orienteret",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_of_m9_round_trips_and_has_danish_words() {
        for step in OnboardingStep::ALL {
            assert_eq!(OnboardingStep::parse(step.as_str()), Some(step));
            assert!(!step.label().is_empty());
        }
        assert_eq!(OnboardingStep::parse("kaffe"), None);
    }
}
