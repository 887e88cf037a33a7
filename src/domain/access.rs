//! Who may do what (M1, O5). Every handler asks these functions; none decides access on its own.

use serde::Serialize;

/// The installation-wide role of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
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
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    sqlx::Type,
    utoipa::ToSchema,
)]
#[sqlx(type_name = "confidentiality", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Confidentiality {
    Public,
    Internal,
    Confidential,
}

impl Confidentiality {
    pub const ALL: [Confidentiality; 3] =
        [Confidentiality::Public, Confidentiality::Internal, Confidentiality::Confidential];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == s)
    }

    pub fn code(self) -> &'static str {
        match self {
            Confidentiality::Public => "public",
            Confidentiality::Internal => "internal",
            Confidentiality::Confidential => "confidential",
        }
    }
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
}

/// O5, M5: how far a reader sees into groups. This is the one read rule: every list, overview, detail
/// page and API endpoint passes it to the SQL predicate `group_readable(...)` (migration 0007), so nothing
/// is filtered after the fetch. Beyond `open_up_to`, only an *active* membership opens a group: a nominated
/// member is not yet a member (M5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GroupScope {
    /// The secretariat serves every group (O5) and reads them all.
    pub every_group: bool,
    /// The most confidential level readable without being a member of the group.
    pub open_up_to: Confidentiality,
    /// The reader, whose active memberships open their own groups; 0 for nobody.
    pub reader: i64,
}

impl GroupScope {
    /// What the reader may see: public data for everyone, internal for signed-in people, confidential for
    /// the secretariat and the group's own active members.
    pub fn of(viewer: &Viewer, person_id: Option<i64>) -> GroupScope {
        let reader = person_id.filter(|_| viewer.is_signed_in()).unwrap_or(0);
        match viewer.global() {
            None => GroupScope { every_group: false, open_up_to: Confidentiality::Public, reader: 0 },
            Some(_) if viewer.is_secretariat() => {
                GroupScope { every_group: true, open_up_to: Confidentiality::Confidential, reader }
            }
            Some(_) => GroupScope { every_group: false, open_up_to: Confidentiality::Internal, reader },
        }
    }

    /// The same rule as the SQL predicate, for a group whose level and the reader's membership are known.
    /// Used by the unit tests that pin the rule; the queries use `group_readable(...)`.
    pub fn allows(&self, level: Confidentiality, active_member: bool) -> bool {
        self.every_group || level <= self.open_up_to || (self.reader != 0 && active_member)
    }

    /// T1: a meeting across groups (joint, chairs') is read by those invited to it and by the secretariat
    /// that runs it. The same rule as the SQL predicate `meeting_invited(...)`, which the queries use.
    pub fn allows_meeting_across_groups(&self, invited: bool) -> bool {
        self.every_group || (self.reader != 0 && invited)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADMIN: Viewer = Viewer::Person { role: GlobalRole::Admin };
    const SECRETARIAT: Viewer = Viewer::Person { role: GlobalRole::Secretariat };
    const USER: Viewer = Viewer::Person { role: GlobalRole::User };

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
    fn a_meeting_across_groups_is_read_only_by_those_invited_and_the_secretariat_t1() {
        let user = GroupScope::of(&USER, Some(7));
        assert!(user.allows_meeting_across_groups(true));
        assert!(!user.allows_meeting_across_groups(false), "a person not invited does not see it");
        assert!(!GroupScope::of(&Viewer::Anonymous, Some(7)).allows_meeting_across_groups(true));
        for staff in [SECRETARIAT, ADMIN] {
            assert!(GroupScope::of(&staff, Some(1)).allows_meeting_across_groups(false));
        }
    }

    #[test]
    fn the_group_scope_opens_confidential_groups_only_to_the_secretariat_and_active_members_o5_m5() {
        use Confidentiality::*;
        let anonymous = GroupScope::of(&Viewer::Anonymous, Some(7));
        assert_eq!(anonymous.reader, 0, "an anonymous reader has no memberships");
        assert!(anonymous.allows(Public, false));
        assert!(!anonymous.allows(Internal, true));
        assert!(!anonymous.allows(Confidential, true));

        let user = GroupScope::of(&USER, Some(7));
        assert!(user.allows(Internal, false));
        assert!(!user.allows(Confidential, false), "a non-member (or a nominated member, M5) reads nothing");
        assert!(user.allows(Confidential, true), "an active member reads their own group");

        for staff in [SECRETARIAT, ADMIN] {
            let scope = GroupScope::of(&staff, Some(1));
            assert!(scope.every_group);
            assert!(scope.allows(Confidential, false));
        }
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
