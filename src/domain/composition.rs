//! The composition rules of a group (M2-M6), as plain functions over the group's seats.
//! A seat becomes *active* by direct appointment or by the staff group's approval of a nomination
//! (M5); only that transition can break a limit, so only it is checked. Substitutes do not count.

use serde::Serialize;

use super::access::GroupRole;

/// Which of M2-M6 a group kind applies (group kinds are data: O2, S1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KindRules {
    pub max_members: Option<u32>,
    pub max_per_party: Option<u32>,
    pub max_secretariat: Option<u32>,
    pub chair_management_level: bool,
    pub chair_from_party: bool,
    pub requires_staff_approval: bool,
    pub expects_substitutes: bool,
}

/// O1: what a party is, which decides which limit its representatives count toward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum PartyKind {
    Party,
    Secretariat,
    MemberOrganisation,
    Vendor,
}

impl PartyKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "party" => Some(Self::Party),
            "secretariat" => Some(Self::Secretariat),
            "member_organisation" => Some(Self::MemberOrganisation),
            "vendor" => Some(Self::Vendor),
            _ => None,
        }
    }

    pub const ALL: [PartyKind; 4] = [Self::Party, Self::Secretariat, Self::MemberOrganisation, Self::Vendor];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Party => "party",
            Self::Secretariat => "secretariat",
            Self::MemberOrganisation => "member_organisation",
            Self::Vendor => "vendor",
        }
    }

    /// O1: the kind in the secretariat's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Party => "Part",
            Self::Secretariat => "Sekretariat",
            Self::MemberOrganisation => "Medlemsorganisation",
            Self::Vendor => "Leverandør",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum SeatStatus {
    Nominated,
    Active,
    Ended,
}

impl SeatStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "nominated" => Some(Self::Nominated),
            "active" => Some(Self::Active),
            "ended" => Some(Self::Ended),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nominated => "nominated",
            Self::Active => "active",
            Self::Ended => "ended",
        }
    }

    /// M5: the status in the secretariat's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Nominated => "Indstillet – afventer Stabsgruppen",
            Self::Active => "Aktiv",
            Self::Ended => "Afsluttet",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub id: i64,
    pub name: String,
    pub kind: PartyKind,
}

/// One person's place in the group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    pub membership_id: Option<i64>,
    pub person_id: i64,
    pub person_name: String,
    pub role: GroupRole,
    pub party: Option<Party>,
    pub management_level: bool,
    pub status: SeatStatus,
}

impl Seat {
    /// M2: the eleven are the active members; substitutes are not counted.
    fn counts(&self) -> bool {
        self.status == SeatStatus::Active && self.role != GroupRole::Substitute
    }

    fn is_secretariat(&self) -> bool {
        self.role == GroupRole::Secretariat || self.party.as_ref().is_some_and(|p| p.kind == PartyKind::Secretariat)
    }
}

pub use super::refusal::Refusal;

fn refuse(rule: &'static str, message: impl Into<String>) -> Result<(), Refusal> {
    Err(Refusal { rule, message: message.into() })
}

/// Checks that `candidate` may become active beside the group's other seats (M2, M3, M4).
pub fn check_activation(rules: &KindRules, others: &[Seat], candidate: &Seat) -> Result<(), Refusal> {
    let others: Vec<&Seat> = others
        .iter()
        .filter(|s| s.counts() && (s.membership_id.is_none() || s.membership_id != candidate.membership_id))
        .collect();

    if candidate.role == GroupRole::Chair {
        if rules.chair_management_level && !candidate.management_level {
            return refuse("M3", "Forpersonen skal altid være på ledelsesniveau (M3).");
        }
        if rules.chair_from_party && !candidate.party.as_ref().is_some_and(|p| p.kind == PartyKind::Party) {
            return refuse("M4", "Forpersonen udpeges blandt parternes repræsentanter, ikke sekretariatet (M4).");
        }
        if others.iter().any(|s| s.role == GroupRole::Chair) {
            return refuse("M4", "Gruppen har allerede en forperson; afslut den nuværende først (M4).");
        }
    }
    if rules.chair_from_party
        && candidate.role != GroupRole::Secretariat
        && candidate.role != GroupRole::Substitute
        && candidate.party.is_none()
    {
        return refuse("M2", "Et medlem skal repræsentere en part (M2).");
    }
    if candidate.role == GroupRole::Substitute {
        return Ok(());
    }

    if candidate.is_secretariat() {
        if let Some(max) = rules.max_secretariat
            && others.iter().filter(|s| s.is_secretariat()).count() as u32 >= max
        {
            return refuse("M2", format!("Højst {max} medlemmer fra sekretariatet (M2)."));
        }
    } else if let (Some(max), Some(party)) = (rules.max_per_party, &candidate.party) {
        let same_party =
            others.iter().filter(|s| !s.is_secretariat() && s.party.as_ref().is_some_and(|p| p.id == party.id)).count()
                as u32;
        if same_party >= max {
            return refuse(
                "M2",
                format!("Højst {max} repræsentanter pr. part (M2): {} har allerede {same_party}.", party.name),
            );
        }
    }
    if let Some(max) = rules.max_members
        && others.len() as u32 >= max
    {
        return refuse("M2", format!("Højst {max} medlemmer i gruppen (M2); suppleanter tæller ikke med."));
    }
    Ok(())
}

/// Something that should be mended but does not stop the work (M3, M6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Warning {
    /// The rule, e.g. `M3` or `M6`.
    #[schema(examples("M3"))]
    pub rule: &'static str,
    /// A Danish explanation.
    pub message: String,
}

/// M3: each party should have a member at management level. M6: each party should appoint a substitute.
/// M2, M5: a nomination that the caps would refuse at approval is pointed out while it waits, so the
/// party can be asked for another before the staff group meets.
pub fn warnings(rules: &KindRules, seats: &[Seat]) -> Vec<Warning> {
    let mut out = party_warnings(rules, seats);
    for nominee in seats.iter().filter(|s| s.status == SeatStatus::Nominated) {
        if let Err(r) = check_activation(rules, seats, &Seat { status: SeatStatus::Active, ..nominee.clone() }) {
            out.push(Warning {
                rule: r.rule,
                message: format!(
                    "Indstillingen af {} kan ikke godkendes, som gruppen er sammensat nu: {}",
                    nominee.person_name, r.message
                ),
            });
        }
    }
    out
}

fn party_warnings(rules: &KindRules, seats: &[Seat]) -> Vec<Warning> {
    let mut parties: Vec<&Party> = seats
        .iter()
        .filter(|s| s.status == SeatStatus::Active)
        .filter_map(|s| s.party.as_ref())
        .filter(|p| p.kind == PartyKind::Party)
        .collect();
    parties.sort_by_key(|p| p.id);
    parties.dedup_by_key(|p| p.id);

    let mut out = Vec::new();
    for party in parties {
        let of_party = |s: &&Seat| s.status == SeatStatus::Active && s.party.as_ref().is_some_and(|p| p.id == party.id);
        if rules.chair_management_level
            && !seats.iter().filter(of_party).any(|s| s.role != GroupRole::Substitute && s.management_level)
        {
            out.push(Warning {
                rule: "M3",
                message: format!("{} har intet medlem på ledelsesniveau (M3).", party.name),
            });
        }
        if rules.expects_substitutes && !seats.iter().filter(of_party).any(|s| s.role == GroupRole::Substitute) {
            out.push(Warning { rule: "M6", message: format!("{} har ikke udpeget en suppleant (M6).", party.name) });
        }
    }
    out
}

/// M6, T4: may `substitute` confirm that they take part in place of `absent`? Only an approved
/// substitute of the same group and party, for a member of that party who has sent an apology.
pub fn may_stand_in(substitute: &Seat, absent: &Seat, absent_has_apologised: bool) -> Result<(), Refusal> {
    if substitute.role != GroupRole::Substitute || substitute.status != SeatStatus::Active {
        return refuse("M6", "Kun en godkendt suppleant kan deltage i et medlems sted (M6).");
    }
    let same_party = matches!((&substitute.party, &absent.party), (Some(a), Some(b)) if a.id == b.id);
    if !same_party || absent.role == GroupRole::Substitute {
        return refuse("M6", "En suppleant deltager kun for et medlem fra sin egen part (M6).");
    }
    if !absent_has_apologised {
        return refuse("T4", format!("{} har ikke meldt afbud til mødet (T4).", absent.person_name));
    }
    Ok(())
}

/// M5: a nominated member waits for the staff group; only an active seat takes part in meetings.
pub fn may_take_part_in_meetings(seat: &Seat) -> Result<(), Refusal> {
    match seat.status {
        SeatStatus::Active => Ok(()),
        SeatStatus::Nominated => refuse(
            "M5",
            format!(
                "{} afventer Stabsgruppens godkendelse og må ikke deltage i gruppens møder endnu (M5).",
                seat.person_name
            ),
        ),
        SeatStatus::Ended => refuse("M5", format!("{} er ikke længere medlem af gruppen.", seat.person_name)),
    }
}

/// One seat at a meeting and what is recorded of its attendance (T5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub person_name: String,
    pub role: GroupRole,
    pub party: Option<Party>,
    pub seat_status: SeatStatus,
    pub status: Option<super::meeting_codes::AttendanceStatus>,
}

/// M6, T2: a substitute attends only when a member of their party is absent; a substitute registered
/// as present beside their party's full delegation is *warned* about (not refused).
pub fn substitutes_beside_full_delegation(seats: &[Presence]) -> Vec<Warning> {
    use super::meeting_codes::AttendanceStatus;
    let attended = |p: &Presence| p.status == Some(AttendanceStatus::Attended);
    let same_party = |a: &Presence, b: &Presence| match (&a.party, &b.party) {
        (Some(x), Some(y)) => x.id == y.id,
        _ => false,
    };
    seats
        .iter()
        .filter(|s| s.role == GroupRole::Substitute && attended(s))
        .filter_map(|sub| {
            let party = sub.party.as_ref()?;
            let delegation: Vec<&Presence> = seats
                .iter()
                .filter(|s| s.role != GroupRole::Substitute && s.seat_status == SeatStatus::Active)
                .filter(|s| same_party(s, sub))
                .collect();
            (!delegation.is_empty() && delegation.iter().all(|s| attended(s))).then(|| Warning {
                rule: "M6",
                message: format!(
                    "{} er registreret som til stede, men hele {}s delegation deltog også. En suppleant deltager kun, når et medlem er fraværende (M6, T2).",
                    sub.person_name, party.name
                ),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faggruppe() -> KindRules {
        KindRules {
            max_members: Some(11),
            max_per_party: Some(3),
            max_secretariat: Some(2),
            chair_management_level: true,
            chair_from_party: true,
            requires_staff_approval: true,
            expects_substitutes: true,
        }
    }

    fn party(id: i64) -> Party {
        let (name, kind) = match id {
            1 => ("Staten", PartyKind::Party),
            2 => ("Regionerne", PartyKind::Party),
            3 => ("Kommunerne", PartyKind::Party),
            _ => ("Sekretariatet", PartyKind::Secretariat),
        };
        Party { id, name: name.into(), kind }
    }

    fn seat(id: i64, role: GroupRole, party_id: i64) -> Seat {
        Seat {
            membership_id: Some(id),
            person_id: id,
            person_name: format!("Person {id}"),
            role,
            party: Some(party(party_id)),
            management_level: false,
            status: SeatStatus::Active,
        }
    }

    fn new_seat(role: GroupRole, party_id: i64) -> Seat {
        Seat { membership_id: None, person_id: 100, ..seat(100, role, party_id) }
    }

    /// 3 + 3 + 3 party members (chair at management level) and 2 from the secretariat: eleven.
    fn full_group() -> Vec<Seat> {
        let mut seats = Vec::new();
        let mut id = 1;
        for p in 1..=3 {
            for _ in 0..3 {
                seats.push(seat(id, GroupRole::Member, p));
                id += 1;
            }
        }
        seats[0].role = GroupRole::Chair;
        seats[0].management_level = true;
        seats.push(seat(10, GroupRole::Secretariat, 9));
        seats.push(seat(11, GroupRole::Secretariat, 9));
        seats
    }

    #[test]
    fn a_nomination_the_caps_would_refuse_is_warned_about_while_it_waits_m2_m5() {
        let mut seats = full_group();
        let mut nominee = seat(12, GroupRole::Member, 2);
        nominee.status = SeatStatus::Nominated;
        seats.push(nominee);
        let warned: Vec<Warning> = warnings(&faggruppe(), &seats).into_iter().filter(|w| w.rule == "M2").collect();
        assert_eq!(warned.len(), 1, "{warned:?}");
        assert!(
            warned[0].message.starts_with("Indstillingen af Person 12 kan ikke godkendes"),
            "{}",
            warned[0].message
        );
        seats.remove(4); // a place frees up in the party
        assert!(warnings(&faggruppe(), &seats).iter().all(|w| w.rule != "M2"));
    }

    #[test]
    fn a_substitute_stands_in_only_for_an_apologising_member_of_their_own_party_m6_t4() {
        let substitute = seat(20, GroupRole::Substitute, 2);
        let member = seat(5, GroupRole::Member, 2);
        assert!(may_stand_in(&substitute, &member, true).is_ok());
        assert_eq!(may_stand_in(&substitute, &member, false).unwrap_err().rule, "T4");
        assert_eq!(may_stand_in(&substitute, &seat(7, GroupRole::Member, 3), true).unwrap_err().rule, "M6");
        assert_eq!(may_stand_in(&seat(8, GroupRole::Member, 2), &member, true).unwrap_err().rule, "M6");
        let mut nominated = substitute.clone();
        nominated.status = SeatStatus::Nominated;
        assert_eq!(may_stand_in(&nominated, &member, true).unwrap_err().rule, "M6");
    }

    #[test]
    fn a_fourth_representative_of_a_party_is_refused_m2() {
        let seats: Vec<Seat> = (1..=3).map(|i| seat(i, GroupRole::Member, 2)).collect();
        let refusal = check_activation(&faggruppe(), &seats, &new_seat(GroupRole::Member, 2)).unwrap_err();
        assert_eq!(refusal.rule, "M2");
        assert!(refusal.message.starts_with("Højst 3 repræsentanter pr. part (M2)"), "{}", refusal.message);
        assert!(check_activation(&faggruppe(), &seats, &new_seat(GroupRole::Member, 3)).is_ok(), "another party may");
    }

    #[test]
    fn a_party_may_send_fewer_than_three_m2() {
        let seats = vec![seat(1, GroupRole::Member, 1)];
        assert!(check_activation(&faggruppe(), &seats, &new_seat(GroupRole::Member, 1)).is_ok());
    }

    #[test]
    fn a_third_secretariat_member_is_refused_m2() {
        let seats = vec![seat(1, GroupRole::Secretariat, 9), seat(2, GroupRole::Secretariat, 9)];
        let refusal = check_activation(&faggruppe(), &seats, &new_seat(GroupRole::Secretariat, 9)).unwrap_err();
        assert_eq!(refusal, Refusal { rule: "M2", message: "Højst 2 medlemmer fra sekretariatet (M2).".into() });
    }

    #[test]
    fn a_twelfth_member_is_refused_but_substitutes_are_not_counted_m2() {
        let mut rules = faggruppe();
        rules.max_per_party = Some(4); // isolate the total
        let seats = full_group();
        let refusal = check_activation(&rules, &seats, &new_seat(GroupRole::Member, 1)).unwrap_err();
        assert!(refusal.message.starts_with("Højst 11 medlemmer"), "{}", refusal.message);
        assert!(check_activation(&faggruppe(), &seats, &new_seat(GroupRole::Substitute, 1)).is_ok());
    }

    #[test]
    fn ended_and_nominated_seats_do_not_count_toward_the_limits_m2() {
        let mut seats: Vec<Seat> = (1..=3).map(|i| seat(i, GroupRole::Member, 2)).collect();
        seats[0].status = SeatStatus::Ended;
        seats[1].status = SeatStatus::Nominated;
        assert!(check_activation(&faggruppe(), &seats, &new_seat(GroupRole::Member, 2)).is_ok());
    }

    #[test]
    fn approving_a_nomination_does_not_count_the_seat_against_itself_m2_m5() {
        let mut seats: Vec<Seat> = (1..=3).map(|i| seat(i, GroupRole::Member, 2)).collect();
        seats[2].status = SeatStatus::Nominated;
        let mut candidate = seats[2].clone();
        candidate.status = SeatStatus::Active;
        assert!(check_activation(&faggruppe(), &seats, &candidate).is_ok());
    }

    #[test]
    fn the_chair_must_be_at_management_level_m3() {
        let refusal = check_activation(&faggruppe(), &[], &new_seat(GroupRole::Chair, 1)).unwrap_err();
        assert_eq!(refusal.rule, "M3");
        let mut manager = new_seat(GroupRole::Chair, 1);
        manager.management_level = true;
        assert!(check_activation(&faggruppe(), &[], &manager).is_ok());
    }

    #[test]
    fn the_chair_comes_from_a_party_not_the_secretariat_m4() {
        let mut candidate = new_seat(GroupRole::Chair, 9);
        candidate.management_level = true;
        assert_eq!(check_activation(&faggruppe(), &[], &candidate).unwrap_err().rule, "M4");
        candidate.party = None;
        assert_eq!(check_activation(&faggruppe(), &[], &candidate).unwrap_err().rule, "M4");
    }

    #[test]
    fn a_group_has_one_chair_m4() {
        let seats = full_group();
        let mut second = new_seat(GroupRole::Chair, 2);
        second.management_level = true;
        let refusal = check_activation(&faggruppe(), &seats[..1], &second).unwrap_err();
        assert_eq!(refusal.rule, "M4");
    }

    #[test]
    fn kinds_without_limits_accept_anyone_s1() {
        let open = KindRules::default();
        let seats: Vec<Seat> = (1..=20).map(|i| seat(i, GroupRole::Member, 1)).collect();
        assert!(check_activation(&open, &seats, &new_seat(GroupRole::Member, 1)).is_ok());
        let mut chair = new_seat(GroupRole::Chair, 9);
        chair.party = None;
        assert!(check_activation(&open, &seats, &chair).is_ok(), "OS2 chairs need no party or management level");
    }

    #[test]
    fn a_party_without_a_manager_or_a_substitute_is_warned_about_m3_m6() {
        let mut seats = full_group();
        let got = warnings(&faggruppe(), &seats);
        let rules: Vec<(&str, &str)> = got.iter().map(|w| (w.rule, w.message.as_str())).collect();
        assert!(rules.contains(&("M3", "Regionerne har intet medlem på ledelsesniveau (M3).")), "{rules:?}");
        assert!(rules.contains(&("M3", "Kommunerne har intet medlem på ledelsesniveau (M3).")));
        assert!(!rules.iter().any(|(_, m)| m.starts_with("Staten har intet")), "the chair is a manager");
        assert_eq!(got.iter().filter(|w| w.rule == "M6").count(), 3, "no party has a substitute");

        seats[3].management_level = true;
        seats[6].management_level = true;
        for p in 1..=3 {
            seats.push(seat(20 + p, GroupRole::Substitute, p));
        }
        assert!(warnings(&faggruppe(), &seats).is_empty());
        assert!(warnings(&KindRules::default(), &full_group()).is_empty(), "OS2 kinds do not warn");
    }

    #[test]
    fn only_an_approved_member_takes_part_in_meetings_m5() {
        let mut s = seat(1, GroupRole::Member, 1);
        assert!(may_take_part_in_meetings(&s).is_ok());
        s.status = SeatStatus::Nominated;
        let refusal = may_take_part_in_meetings(&s).unwrap_err();
        assert_eq!(refusal.rule, "M5");
        assert!(refusal.message.contains("afventer Stabsgruppens godkendelse"));
    }

    fn presence(name: &str, role: GroupRole, party: i64, status: Option<AttendanceStatus>) -> Presence {
        Presence {
            person_name: name.into(),
            role,
            party: Some(Party { id: party, name: format!("Part {party}"), kind: PartyKind::Party }),
            seat_status: SeatStatus::Active,
            status,
        }
    }

    use crate::domain::meeting_codes::AttendanceStatus;

    #[test]
    fn a_substitute_beside_the_full_delegation_is_warned_about_m6_t2() {
        let a = Some(AttendanceStatus::Attended);
        let mut seats = vec![
            presence("Ane", GroupRole::Chair, 1, a),
            presence("Bo", GroupRole::Member, 1, a),
            presence("Sif", GroupRole::Substitute, 1, a),
            presence("Ulf", GroupRole::Member, 2, Some(AttendanceStatus::Apology)),
            presence("Vera", GroupRole::Substitute, 2, a),
        ];
        let w = substitutes_beside_full_delegation(&seats);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].rule, "M6");
        assert!(w[0].message.starts_with("Sif er registreret som til stede"), "{}", w[0].message);

        seats[1].status = Some(AttendanceStatus::Absent);
        assert!(substitutes_beside_full_delegation(&seats).is_empty(), "Sif stands in for an absent member");
        seats[1].status = a;
        seats[1].seat_status = SeatStatus::Nominated;
        assert_eq!(substitutes_beside_full_delegation(&seats).len(), 1, "a nominated member is not of the delegation");
        seats[2].status = Some(AttendanceStatus::Absent);
        assert!(substitutes_beside_full_delegation(&seats).is_empty());
    }
}
