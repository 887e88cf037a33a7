//! Notification preferences (D3): for each kind of mail a person chooses immediate, a daily digest,
//! or nothing. Unset means immediate.

use serde::Serialize;

/// The kinds of mail a person can choose about, with their Danish names.
pub const KINDS: [(&str, &str); 25] = [
    ("agenda_items", "Påmindelse om frist for punkter til dagsordenen (A3)"),
    ("agenda_approval", "Dagsorden til godkendelse hos forpersonen (A1)"),
    ("agenda_published", "Udsendt dagsorden (A2)"),
    ("agenda_item_decided", "Svar på dit ønske om et punkt til dagsordenen (A3)"),
    ("apology_substitute", "Afbud fra det medlem, du er suppleant for (T4)"),
    ("agenda_to_chair", "Sekretariatet: udkast til forpersonen (A1)"),
    ("agenda_item_requested", "Sekretariatet: ønske om punkt til dagsordenen (A3)"),
    ("minutes_comment", "Sekretariatet: ny bemærkning til referatet (R3)"),
    ("member_nominated", "Sekretariatet: nyt medlem indstillet (M5)"),
    ("change_request_proposed", "Sekretariatet: nyt ændringsønske fra et medlem (C1)"),
    ("change_request_status", "Nyt trin for et ændringsønske, du har stillet (C1)"),
    ("budget_transfer", "Sekretariatet: midler overført til gruppen (B2)"),
    ("escalation_decided", "Sekretariatet: bestyrelsens afgørelse af en eskalering (C2)"),
    ("escalation", "Bestyrelsen: ændringsønske eskaleret til bestyrelsen (C2)"),
    ("agenda_published_due", "Sekretariatet: frist for udsendelse af dagsorden (A2)"),
    ("minutes", "Sekretariatet: frist for referat (R2)"),
    ("minutes_sent", "Referat sendt til bemærkninger (R2, R3)"),
    ("minutes_comment_handled", "Svar på din bemærkning til referatet (R4)"),
    ("minutes_comments", "Påmindelse om frist for bemærkninger til referatet (R3)"),
    ("minutes_work_in", "Sekretariatet: frist for indarbejdelse af bemærkninger (R4)"),
    ("minutes_approved", "Godkendt referat (R4)"),
    ("action_due", "Påmindelse om dine aktioner (C4)"),
    ("action_closed", "Din aktion er lukket af en anden (C4)"),
    ("yearly_data_agreement", "Sekretariatet: årshjulets faste opgaver (Y2, Y3, B3)"),
    ("test", "Testmails"),
];

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

pub fn audience(kind: &str) -> Audience {
    match kind {
        "agenda_approval" => Audience::Chair,
        "escalation" => Audience::Board,
        "test" | "backup_failed" => Audience::Administrators,
        "agenda_to_chair"
        | "agenda_item_requested"
        | "minutes_comment"
        | "member_nominated"
        | "change_request_proposed"
        | "budget_transfer"
        | "escalation_decided"
        | "agenda_published_due"
        | "minutes"
        | "minutes_work_in"
        | "yearly_data_agreement" => Audience::Secretariat,
        _ => Audience::Participants,
    }
}

/// Whether a person with these roles can receive this kind of mail.
pub fn receives(roles: Roles, kind: &str) -> bool {
    match audience(kind) {
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

/// The preference that governs a mail kind: the yearly duties share one setting.
pub fn setting_kind(kind: &str) -> &str {
    if kind.starts_with("yearly_") { "yearly_data_agreement" } else { kind }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_is_offered_only_the_mail_a_member_can_get() {
        let member = Roles { participant: true, ..Roles::default() };
        let offered: Vec<&str> = KINDS.iter().map(|(k, _)| *k).filter(|k| receives(member, k)).collect();
        assert!(offered.contains(&"agenda_published") && offered.contains(&"minutes_comments"));
        assert!(!offered.contains(&"agenda_to_chair") && !offered.contains(&"escalation"), "{offered:?}");
        assert!(!offered.contains(&"agenda_approval") && !offered.contains(&"test"));
        let chair = Roles { chair: true, ..member };
        assert!(receives(chair, "agenda_approval"));
        let staff = Roles { secretariat: true, ..Roles::default() };
        assert!(receives(staff, "minutes_work_in") && receives(staff, "agenda_published"));
        for (kind, _) in KINDS {
            let everyone =
                Roles { participant: true, chair: true, secretariat: true, board: true, administrator: true };
            assert!(receives(everyone, kind), "{kind} reaches someone");
        }
    }

    #[test]
    fn modes_round_trip_and_yearly_duties_share_a_setting() {
        for m in [Mode::Immediate, Mode::Digest, Mode::Off] {
            assert_eq!(Mode::parse(m.as_str()), Some(m));
        }
        assert_eq!(Mode::parse("sometimes"), None);
        assert_eq!(setting_kind("yearly_budget_decision"), "yearly_data_agreement");
        assert_eq!(setting_kind("minutes"), "minutes");
        assert!(KINDS.iter().any(|(k, _)| *k == "agenda_published"));
    }
}
