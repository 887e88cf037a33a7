//! Notification preferences (D3): for each kind of mail a person chooses immediate, a daily digest,
//! or nothing. Unset means immediate.

use serde::Serialize;

use super::annual_cycle::Topic;

/// Every kind of mail the outbox carries, as stored in `outbox.kind` and `notification_settings.kind`.
/// A step names its mail's kind here, so a kind cannot be misspelt; `SETTABLE` are those a person
/// chooses about on their profile, each with its Danish name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailKind {
    AgendaItems,
    AgendaApproval,
    AgendaPublished,
    AgendaItemDecided,
    ApologySubstitute,
    AgendaToChair,
    AgendaItemRequested,
    AgendaChairComment,
    AgendaChairApproved,
    MinutesComment,
    MinutesCommentHandled,
    MemberNominated,
    ChangeRequestProposed,
    ChangeRequestStatus,
    BudgetTransfer,
    EscalationDecided,
    Escalation,
    AgendaPublishedDue,
    Minutes,
    MinutesSent,
    MinutesComments,
    MinutesWorkIn,
    MinutesApproved,
    ActionDue,
    ActionClosed,
    /// Y2, Y3, B3: a yearly duty's reminder; all of them share the data agreement's setting.
    Yearly(Topic),
    /// T6: a meeting moved or changed after its agenda went out; always sent (the calendars follow it).
    MeetingChanged,
    MeetingCancelled,
    /// A person's own account and seat: always sent.
    Account,
    Membership,
    BackupFailed,
    Test,
}

impl MailKind {
    /// The kinds a person chooses about, in the order the profile shows them.
    pub const SETTABLE: [MailKind; 26] = [
        Self::AgendaItems,
        Self::AgendaApproval,
        Self::AgendaPublished,
        Self::AgendaItemDecided,
        Self::ApologySubstitute,
        Self::AgendaToChair,
        Self::AgendaItemRequested,
        Self::AgendaChairComment,
        Self::MinutesComment,
        Self::MemberNominated,
        Self::ChangeRequestProposed,
        Self::ChangeRequestStatus,
        Self::BudgetTransfer,
        Self::EscalationDecided,
        Self::Escalation,
        Self::AgendaPublishedDue,
        Self::Minutes,
        Self::MinutesSent,
        Self::MinutesComments,
        Self::MinutesCommentHandled,
        Self::MinutesWorkIn,
        Self::MinutesApproved,
        Self::ActionDue,
        Self::ActionClosed,
        Self::Yearly(Topic::DataAgreement),
        Self::Test,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AgendaItems => "agenda_items",
            Self::AgendaApproval => "agenda_approval",
            Self::AgendaPublished => "agenda_published",
            Self::AgendaItemDecided => "agenda_item_decided",
            Self::ApologySubstitute => "apology_substitute",
            Self::AgendaToChair => "agenda_to_chair",
            Self::AgendaItemRequested => "agenda_item_requested",
            Self::AgendaChairComment => "agenda_chair_comment",
            Self::AgendaChairApproved => "agenda_chair_approved",
            Self::MinutesComment => "minutes_comment",
            Self::MinutesCommentHandled => "minutes_comment_handled",
            Self::MemberNominated => "member_nominated",
            Self::ChangeRequestProposed => "change_request_proposed",
            Self::ChangeRequestStatus => "change_request_status",
            Self::BudgetTransfer => "budget_transfer",
            Self::EscalationDecided => "escalation_decided",
            Self::Escalation => "escalation",
            Self::AgendaPublishedDue => "agenda_published_due",
            Self::Minutes => "minutes",
            Self::MinutesSent => "minutes_sent",
            Self::MinutesComments => "minutes_comments",
            Self::MinutesWorkIn => "minutes_work_in",
            Self::MinutesApproved => "minutes_approved",
            Self::ActionDue => "action_due",
            Self::ActionClosed => "action_closed",
            Self::Yearly(topic) => match topic {
                Topic::CharterReview => "yearly_charter_review",
                Topic::PartyProcesses => "yearly_party_processes",
                Topic::UserInput => "yearly_user_input",
                Topic::RoadmapPlanning => "yearly_roadmap_planning",
                Topic::DataAgreement => "yearly_data_agreement",
                Topic::MetadataReview => "yearly_metadata_review",
                Topic::BudgetDecision => "yearly_budget_decision",
                Topic::Custom => "yearly_custom",
            },
            Self::MeetingChanged => "meeting_changed",
            Self::MeetingCancelled => "meeting_cancelled",
            Self::Account => "account",
            Self::Membership => "membership",
            Self::BackupFailed => "backup_failed",
            Self::Test => "test",
        }
    }

    /// Every kind, as stored: the settable ones, those always sent, and each yearly duty's.
    pub fn all() -> impl Iterator<Item = MailKind> {
        const ALWAYS: [MailKind; 6] = [
            MailKind::AgendaChairApproved,
            MailKind::MeetingChanged,
            MailKind::MeetingCancelled,
            MailKind::Account,
            MailKind::Membership,
            MailKind::BackupFailed,
        ];
        Self::SETTABLE
            .into_iter()
            .chain(ALWAYS)
            .chain(Topic::ALL.into_iter().map(Self::Yearly).filter(|k| *k != Self::Yearly(Topic::DataAgreement)))
    }

    /// A stored kind read back; none for a code no step queues.
    pub fn parse(s: &str) -> Option<MailKind> {
        Self::all().find(|k| k.as_str() == s)
    }

    /// A settable kind from the profile form; none for anything else.
    pub fn settable(s: &str) -> Option<MailKind> {
        Self::SETTABLE.into_iter().find(|k| k.as_str() == s)
    }

    /// The Danish name a person chooses by, with the rule it serves.
    pub fn label(self) -> &'static str {
        match self {
            Self::AgendaItems => "Påmindelse om frist for punkter til dagsordenen (A3)",
            Self::AgendaApproval => "Dagsorden til godkendelse hos forpersonen (A1)",
            Self::AgendaPublished => "Udsendt dagsorden (A2)",
            Self::AgendaItemDecided => "Svar på dit ønske om et punkt til dagsordenen (A3)",
            Self::ApologySubstitute => "Afbud fra det medlem, du er suppleant for (T4)",
            Self::AgendaToChair => "Sekretariatet: udkast til forpersonen (A1)",
            Self::AgendaItemRequested => "Sekretariatet: ønske om punkt til dagsordenen (A3)",
            Self::AgendaChairComment | Self::AgendaChairApproved => {
                "Sekretariatet: forpersonens kommentarer til og godkendelse af dagsordenen (A1)"
            }
            Self::MinutesComment => "Sekretariatet: ny bemærkning til referatet (R3)",
            Self::MinutesCommentHandled => "Svar på din bemærkning til referatet (R4)",
            Self::MemberNominated => "Sekretariatet: nyt medlem indstillet (M5)",
            Self::ChangeRequestProposed => "Sekretariatet: nyt ændringsønske fra et medlem (C1)",
            Self::ChangeRequestStatus => "Nyt trin for et ændringsønske, du har stillet (C1)",
            Self::BudgetTransfer => "Sekretariatet: midler overført til gruppen (B2)",
            Self::EscalationDecided => "Sekretariatet: bestyrelsens afgørelse af en eskalering (C2)",
            Self::Escalation => "Bestyrelsen: ændringsønske eskaleret til bestyrelsen (C2)",
            Self::AgendaPublishedDue => "Sekretariatet: frist for udsendelse af dagsorden (A2)",
            Self::Minutes => "Sekretariatet: frist for referat (R2)",
            Self::MinutesSent => "Referat sendt til bemærkninger (R2, R3)",
            Self::MinutesComments => "Påmindelse om frist for bemærkninger til referatet (R3)",
            Self::MinutesWorkIn => "Sekretariatet: frist for indarbejdelse af bemærkninger (R4)",
            Self::MinutesApproved => "Godkendt referat (R4)",
            Self::ActionDue => "Påmindelse om dine aktioner (C4)",
            Self::ActionClosed => "Din aktion er lukket af en anden (C4)",
            Self::Yearly(_) => "Sekretariatet: årshjulets faste opgaver (Y2, Y3, B3)",
            Self::MeetingChanged | Self::MeetingCancelled => "Ændrede og aflyste møder (T6)",
            Self::Account | Self::Membership => "Din konto og dine pladser i grupperne",
            Self::BackupFailed => "Administratorer: fejlet sikkerhedskopi",
            Self::Test => "Testmails",
        }
    }

    /// The preference that governs this kind: the yearly duties share one setting, and so do the
    /// chair's comment and approval. A kind no one chooses about governs itself and has no setting.
    pub fn setting(self) -> MailKind {
        match self {
            Self::Yearly(_) => Self::Yearly(Topic::DataAgreement),
            Self::AgendaChairApproved => Self::AgendaChairComment,
            other => other,
        }
    }

    /// Who this kind of mail can reach at all: the profile offers a person only the kinds they can receive.
    pub fn audience(self) -> Audience {
        match self {
            Self::AgendaApproval => Audience::Chair,
            Self::Escalation => Audience::Board,
            Self::Test | Self::BackupFailed => Audience::Administrators,
            Self::AgendaToChair
            | Self::AgendaItemRequested
            | Self::AgendaChairComment
            | Self::AgendaChairApproved
            | Self::MinutesComment
            | Self::MemberNominated
            | Self::ChangeRequestProposed
            | Self::BudgetTransfer
            | Self::EscalationDecided
            | Self::AgendaPublishedDue
            | Self::Minutes
            | Self::MinutesWorkIn
            | Self::Yearly(_) => Audience::Secretariat,
            _ => Audience::Participants,
        }
    }
}

/// Who a kind of mail can reach at all: the profile offers a person only the kinds they can receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Members, substitutes and chairs of any group.
    Participants,
    /// A group's chair.
    Chair,
    /// A group's secretariat (and the secretariat staff standing in for one).
    Secretariat,
    /// The board's members.
    Board,
    /// Administrators: their tests and a failed nightly backup.
    Administrators,
}

/// The roles a person holds anywhere, which decide the kinds of mail they can receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Roles {
    pub participant: bool,
    pub chair: bool,
    pub secretariat: bool,
    pub board: bool,
    pub administrator: bool,
}

/// Whether a person with these roles can receive this kind of mail.
pub fn receives(roles: Roles, kind: MailKind) -> bool {
    match kind.audience() {
        Audience::Participants => roles.participant || roles.chair || roles.secretariat,
        Audience::Chair => roles.chair,
        Audience::Secretariat => roles.secretariat,
        Audience::Board => roles.board,
        Audience::Administrators => roles.administrator,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Mode {
    Immediate,
    Digest,
    Off,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "immediate" => Some(Mode::Immediate),
            "digest" => Some(Mode::Digest),
            "off" => Some(Mode::Off),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Immediate => "immediate",
            Mode::Digest => "digest",
            Mode::Off => "off",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_is_offered_only_the_mail_a_member_can_get() {
        use MailKind as K;
        let member = Roles { participant: true, ..Roles::default() };
        let offered: Vec<MailKind> = K::SETTABLE.into_iter().filter(|&k| receives(member, k)).collect();
        assert!(offered.contains(&K::AgendaPublished) && offered.contains(&K::MinutesComments));
        assert!(offered.contains(&K::AgendaItemDecided) && offered.contains(&K::MinutesCommentHandled));
        assert!(!offered.contains(&K::AgendaToChair) && !offered.contains(&K::Escalation), "{offered:?}");
        assert!(!offered.contains(&K::AgendaApproval) && !offered.contains(&K::Test));
        assert!(!offered.contains(&K::BudgetTransfer) && !offered.contains(&K::ChangeRequestProposed));
        let chair = Roles { chair: true, ..member };
        assert!(receives(chair, K::AgendaApproval));
        let staff = Roles { secretariat: true, ..Roles::default() };
        assert!(receives(staff, K::MinutesWorkIn) && receives(staff, K::AgendaPublished));
        let everyone = Roles { participant: true, chair: true, secretariat: true, board: true, administrator: true };
        for kind in K::SETTABLE {
            assert!(receives(everyone, kind), "{kind:?} reaches someone");
        }
    }

    #[test]
    fn each_kind_is_stored_under_its_own_code_and_each_setting_is_offered() {
        use MailKind as K;
        let mut codes: Vec<&str> = K::SETTABLE.iter().map(|k| k.as_str()).collect();
        let others = [
            K::AgendaChairApproved,
            K::MeetingChanged,
            K::MeetingCancelled,
            K::Account,
            K::Membership,
            K::BackupFailed,
        ];
        codes.extend(others.iter().map(|k| k.as_str()));
        codes.extend(Topic::ALL.iter().map(|&t| K::Yearly(t).as_str()));
        let unique: std::collections::HashSet<&str> = codes.iter().copied().collect();
        assert_eq!(unique.len(), codes.len() - 1, "each code once (the data agreement's yearly duty is settable)");
        for kind in K::SETTABLE {
            assert_eq!(K::settable(kind.as_str()), Some(kind));
            assert_eq!(kind.setting(), kind, "{kind:?} governs itself");
        }
        // Every kind a person can get is governed by a setting the profile offers, or by none at all.
        for kind in others.into_iter().chain(Topic::ALL.map(K::Yearly)) {
            let setting = kind.setting();
            assert!(setting == kind || K::SETTABLE.contains(&setting), "{kind:?}");
        }
        assert_eq!(K::Yearly(Topic::BudgetDecision).setting(), K::Yearly(Topic::DataAgreement));
        assert_eq!(K::AgendaChairApproved.setting(), K::AgendaChairComment);
        assert_eq!(K::settable("account"), None, "a person's own account mail is always sent");
    }

    #[test]
    fn modes_round_trip() {
        for m in [Mode::Immediate, Mode::Digest, Mode::Off] {
            assert_eq!(Mode::parse(m.as_str()), Some(m));
        }
        assert_eq!(Mode::parse("sometimes"), None);
    }
}
