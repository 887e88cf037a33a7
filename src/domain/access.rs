//! Who may do what (M1, O5). Every handler asks these functions; none decides access on its own.

use serde::Serialize;

/// The installation-wide role of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GlobalRole {
    Admin,
    Secretariat,
    User,
}

impl GlobalRole {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "secretariat" => Some(Self::Secretariat),
            "user" => Some(Self::User),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Secretariat => "secretariat",
            Self::User => "user",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Administrator",
            Self::Secretariat => "Sekretariat",
            Self::User => "Bruger",
        }
    }
}

/// M1: a person's role in one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupRole {
    Chair,
    Member,
    Substitute,
    Secretariat,
    Coordinator,
    Vendor,
}

impl GroupRole {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "chair" => Some(Self::Chair),
            "member" => Some(Self::Member),
            "substitute" => Some(Self::Substitute),
            "secretariat" => Some(Self::Secretariat),
            "coordinator" => Some(Self::Coordinator),
            "vendor" => Some(Self::Vendor),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Chair => "Forperson",
            Self::Member => "Medlem",
            Self::Substitute => "Suppleant",
            Self::Secretariat => "Sekretariat",
            Self::Coordinator => "Tovholder",
            Self::Vendor => "Leverandør",
        }
    }

    /// M10: expected effort, shown beside the role.
    pub fn expected_effort(self) -> Option<&'static str> {
        match self {
            Self::Chair => Some("10–15 timer pr. måned"),
            Self::Member => Some("8–12 timer pr. måned"),
            _ => None,
        }
    }
}

/// O5: how widely a piece of data may be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize, sqlx::Type)]
#[sqlx(type_name = "confidentiality", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Confidentiality {
    Public,
    Internal,
    Confidential,
}

/// M7, O5: the public member directory lists every active group that is not confidential.
pub fn listed_in_directory(level: Confidentiality, active: bool) -> bool {
    active && level != Confidentiality::Confidential
}

/// The person asking, as far as access is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    Anonymous,
    Person { role: GlobalRole },
}

impl Viewer {
    fn global(&self) -> Option<GlobalRole> {
        match self {
            Viewer::Anonymous => None,
            Viewer::Person { role } => Some(*role),
        }
    }

    pub fn is_signed_in(&self) -> bool {
        self.global().is_some()
    }

    /// Administration: accounts, roles, the audit log.
    pub fn can_administer(&self) -> bool {
        self.global() == Some(GlobalRole::Admin)
    }

    /// The secretariat serves every group (O5) and keeps the registers (M8, R5).
    pub fn is_secretariat(&self) -> bool {
        matches!(self.global(), Some(GlobalRole::Admin | GlobalRole::Secretariat))
    }

    /// M8: the register of persons with education and networks is the secretariat's.
    pub fn can_see_people_register(&self) -> bool {
        self.is_secretariat()
    }

    /// O5: public data for everyone; internal for signed-in people; confidential for the secretariat
    /// and the group's own members.
    pub fn can_read(&self, level: Confidentiality, is_group_member: bool) -> bool {
        match level {
            Confidentiality::Public => true,
            Confidentiality::Internal => self.is_signed_in(),
            Confidentiality::Confidential => self.is_secretariat() || (self.is_signed_in() && is_group_member),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADMIN: Viewer = Viewer::Person { role: GlobalRole::Admin };
    const SECRETARIAT: Viewer = Viewer::Person { role: GlobalRole::Secretariat };
    const USER: Viewer = Viewer::Person { role: GlobalRole::User };

    #[test]
    fn the_directory_leaves_out_confidential_and_closed_groups_m7_o5() {
        assert!(listed_in_directory(Confidentiality::Public, true));
        assert!(listed_in_directory(Confidentiality::Internal, true));
        assert!(!listed_in_directory(Confidentiality::Confidential, true));
        assert!(!listed_in_directory(Confidentiality::Public, false));
    }

    #[test]
    fn only_admins_administer() {
        assert!(ADMIN.can_administer());
        assert!(!SECRETARIAT.can_administer());
        assert!(!USER.can_administer());
        assert!(!Viewer::Anonymous.can_administer());
    }

    #[test]
    fn the_people_register_is_the_secretariats_m8() {
        assert!(ADMIN.can_see_people_register());
        assert!(SECRETARIAT.can_see_people_register());
        assert!(!USER.can_see_people_register());
        assert!(!Viewer::Anonymous.can_see_people_register());
    }

    #[test]
    fn confidentiality_decides_who_reads_o5() {
        use Confidentiality::*;
        assert!(Viewer::Anonymous.can_read(Public, false));
        assert!(!Viewer::Anonymous.can_read(Internal, false));
        assert!(USER.can_read(Internal, false));
        assert!(!USER.can_read(Confidential, false));
        assert!(USER.can_read(Confidential, true));
        assert!(!Viewer::Anonymous.can_read(Confidential, true));
        assert!(SECRETARIAT.can_read(Confidential, false));
    }

    #[test]
    fn roles_round_trip_and_carry_danish_labels_and_effort_m10() {
        for s in ["admin", "secretariat", "user"] {
            assert_eq!(GlobalRole::parse(s).map(GlobalRole::as_str), Some(s));
        }
        assert_eq!(GlobalRole::parse("root"), None);
        assert_eq!(GroupRole::parse("chair").map(GroupRole::label), Some("Forperson"));
        assert_eq!(GroupRole::Chair.expected_effort(), Some("10–15 timer pr. måned"));
        assert_eq!(GroupRole::Member.expected_effort(), Some("8–12 timer pr. måned"));
        assert_eq!(GroupRole::Substitute.expected_effort(), None);
    }
}
