//! The codes of a meeting (T1, T3): its kind, its format and its status, as the database stores them
//! and as the pages name them. Forms and the API parse into these; nothing compares the text.

use serde::{Deserialize, Serialize};

/// T1: what kind of meeting it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum MeetingKind {
    Ordinary,
    Working,
    Joint,
    Chairs,
    ChairsBoard,
    StaffGroup,
    Board,
}

impl MeetingKind {
    /// The kinds a group plans for itself; the others are meetings across groups (T1).
    pub const GROUP_KINDS: [MeetingKind; 4] =
        [MeetingKind::Ordinary, MeetingKind::Working, MeetingKind::StaffGroup, MeetingKind::Board];

    /// T1: the yearly meetings across groups, with participants from every group.
    pub const ACROSS_GROUPS: [MeetingKind; 3] = [MeetingKind::Joint, MeetingKind::Chairs, MeetingKind::ChairsBoard];

    /// The kinds a meeting may be changed between: a group's own stay a group's, T1 kinds stay T1.
    pub fn family(self) -> &'static [MeetingKind] {
        if Self::ACROSS_GROUPS.contains(&self) { &Self::ACROSS_GROUPS } else { &Self::GROUP_KINDS }
    }

    pub fn parse(s: &str) -> Option<MeetingKind> {
        [Self::Ordinary, Self::Working, Self::Joint, Self::Chairs, Self::ChairsBoard, Self::StaffGroup, Self::Board]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// A kind a group may plan itself (T1).
    pub fn parse_for_group(s: &str) -> Option<MeetingKind> {
        Self::parse(s).filter(|k| Self::GROUP_KINDS.contains(k))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ordinary => "ordinary",
            Self::Working => "working",
            Self::Joint => "joint",
            Self::Chairs => "chairs",
            Self::ChairsBoard => "chairs_board",
            Self::StaffGroup => "staff_group",
            Self::Board => "board",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Ordinary => "Ordinært møde",
            Self::Working => "Arbejdsmøde",
            Self::Joint => "Fællesmøde for alle grupper",
            Self::Chairs => "Formandsmøde",
            Self::ChairsBoard => "Forpersoner med stabsgruppe og bestyrelse",
            Self::StaffGroup => "Stabsgruppemøde",
            Self::Board => "Bestyrelsesmøde",
        }
    }
}

/// T3: physical, online or hybrid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum MeetingFormat {
    Physical,
    Online,
    Hybrid,
}

impl MeetingFormat {
    pub const ALL: [MeetingFormat; 3] = [Self::Physical, Self::Online, Self::Hybrid];

    pub fn parse(s: &str) -> Option<MeetingFormat> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Physical => "physical",
            Self::Online => "online",
            Self::Hybrid => "hybrid",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Physical => "Fysisk",
            Self::Online => "Online",
            Self::Hybrid => "Hybrid",
        }
    }

    /// Where it happens, as a list shows it: the format and, when there is one, the place.
    pub fn place(self, location: &str) -> String {
        match location.trim() {
            "" => self.label().to_owned(),
            place => format!("{} · {place}", self.label()),
        }
    }
}

/// Whether the meeting is still ahead, was held, or was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum MeetingStatus {
    Planned,
    Held,
    Cancelled,
}

impl MeetingStatus {
    pub fn parse(s: &str) -> Option<MeetingStatus> {
        [Self::Planned, Self::Held, Self::Cancelled].into_iter().find(|st| st.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Held => "held",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Planned => "Planlagt",
            Self::Held => "Afholdt",
            Self::Cancelled => "Aflyst",
        }
    }
}

/// T5: what is known of one seat's attendance at a meeting (T4: an apology is sent beforehand).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum AttendanceStatus {
    Invited,
    Attended,
    Absent,
    Apology,
}

impl AttendanceStatus {
    /// The status on the meeting page; an invitation alone says nothing yet.
    pub fn label(self) -> &'static str {
        match self {
            Self::Invited => "",
            Self::Attended => "Deltog",
            Self::Absent => "Fraværende",
            Self::Apology => "Afbud",
        }
    }

    /// The mark in the attendance sheet (T5), where a late apology is told apart (T4).
    pub fn sheet_mark(status: Option<Self>, late: bool) -> &'static str {
        match (status, late) {
            (Some(Self::Attended), _) => "Deltog",
            (Some(Self::Apology), true) => "Sent afbud",
            (Some(Self::Apology), false) => "Afbud",
            (Some(Self::Absent), _) => "Fraværende",
            (Some(Self::Invited) | None, _) => "",
        }
    }
}

/// T6: what the secretariat arranges for a meeting, ticked off on its checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum ChecklistItem {
    Room,
    Catering,
    Equipment,
    Directions,
}

impl ChecklistItem {
    /// In the order the checklist shows them; every new meeting gets each.
    pub const ALL: [ChecklistItem; 4] = [Self::Room, Self::Catering, Self::Equipment, Self::Directions];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Room => "room",
            Self::Catering => "catering",
            Self::Equipment => "equipment",
            Self::Directions => "directions",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Room => "Lokale booket",
            Self::Catering => "Forplejning bestilt",
            Self::Equipment => "Teknik til hybridmøde",
            Self::Directions => "Vejvisning og adgang sendt",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checklist_items_round_trip_t6() {
        for item in ChecklistItem::ALL {
            assert_eq!(ChecklistItem::parse(item.as_str()), Some(item));
            assert!(!item.label().is_empty());
        }
        assert_eq!(ChecklistItem::parse("kage"), None);
    }

    #[test]
    fn codes_round_trip_and_a_group_plans_only_its_own_kinds_t1_t3() {
        for k in [MeetingKind::Ordinary, MeetingKind::Joint, MeetingKind::ChairsBoard, MeetingKind::Board] {
            assert_eq!(MeetingKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(MeetingKind::parse_for_group("joint"), None, "joint meetings span every group");
        assert_eq!(MeetingKind::parse_for_group("working"), Some(MeetingKind::Working));
        assert_eq!(MeetingFormat::parse("hybrid").map(MeetingFormat::label), Some("Hybrid"));
        assert_eq!(MeetingFormat::Physical.place("Mødelokale 2"), "Fysisk · Mødelokale 2");
        assert_eq!(MeetingFormat::Online.place(" "), "Online");
        assert_eq!(MeetingStatus::parse("cancelled"), Some(MeetingStatus::Cancelled));
        assert_eq!(MeetingStatus::parse("Aflyst"), None);
    }

    #[test]
    fn attendance_has_danish_labels_and_sheet_marks_t4_t5() {
        assert_eq!(AttendanceStatus::Attended.label(), "Deltog");
        assert_eq!(AttendanceStatus::Invited.label(), "");
        assert_eq!(AttendanceStatus::sheet_mark(Some(AttendanceStatus::Apology), true), "Sent afbud");
        assert_eq!(AttendanceStatus::sheet_mark(None, false), "");
    }
}
