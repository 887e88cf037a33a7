//! O3: a charter version comes into force only when the body that approved it, chosen from the
//! installation's bodies, and the date of its decision are recorded. A group kind may name the one
//! body its charters need (DMP: the board); a decision cannot lie in the future.

use chrono::NaiveDate;

use super::refusal::Refusal;

/// One of the installation's bodies that may approve a charter (reference data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub id: i64,
    pub name: String,
}

/// Checks an approval before it is recorded: `required` is the body the group's kind names, if any.
pub fn check(
    required: Option<&Body>,
    chosen: Option<&Body>,
    decided_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), Refusal> {
    let Some(chosen) = chosen else {
        return Err(Refusal::new("O3", "Vælg det organ, der har godkendt kommissoriet (O3)."));
    };
    if let Some(required) = required
        && required.id != chosen.id
    {
        return Err(Refusal::new(
            "O3",
            format!(
                "Kommissoriet for denne gruppetype træder kun i kraft, når {} har godkendt det (O3).",
                required.name
            ),
        ));
    }
    match decided_on {
        None => Err(Refusal::new("O3", "Skriv datoen for beslutningen som åååå-mm-dd (O3).")),
        Some(d) if d > today => Err(Refusal::new(
            "O3",
            "Beslutningsdatoen ligger i fremtiden; registrér godkendelsen, når den er truffet (O3).",
        )),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(id: i64, name: &str) -> Body {
        Body { id, name: name.into() }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, d).expect("valid date")
    }

    #[test]
    fn a_dmp_charter_needs_the_board_o3() {
        let board = body(1, "Bestyrelsen");
        let staff = body(2, "Stabsgruppen");
        let refused = check(Some(&board), Some(&staff), Some(day(1)), day(2)).expect_err("staff group is not enough");
        assert_eq!(refused.rule, "O3");
        assert!(refused.message.contains("Bestyrelsen"));
        assert!(check(Some(&board), Some(&board), Some(day(1)), day(2)).is_ok());
    }

    #[test]
    fn a_body_and_a_past_or_present_decision_date_are_required_o3() {
        let board = body(1, "Bestyrelsen");
        assert_eq!(check(None, None, Some(day(1)), day(2)).map_err(|r| r.rule), Err("O3"));
        assert_eq!(check(None, Some(&board), None, day(2)).map_err(|r| r.rule), Err("O3"));
        assert_eq!(check(None, Some(&board), Some(day(3)), day(2)).map_err(|r| r.rule), Err("O3"));
        assert!(check(None, Some(&board), Some(day(2)), day(2)).is_ok());
    }
}
