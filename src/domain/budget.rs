//! Budgets (B1-B3): a group's position in a year, and the rule that no transfer or disposition may make
//! its disposed amount exceed its budget plus transfers in minus transfers out.

use rust_decimal::Decimal;

use crate::domain::refusal::Refusal;

/// B1, B3: where one group's budget of one year stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub year: i32,
    pub amount: Decimal,
    pub transfers_in: Decimal,
    pub transfers_out: Decimal,
    pub disposed: Decimal,
    pub spent: Decimal,
}

impl Position {
    /// What the group may dispose of: its budget plus transfers in minus transfers out.
    pub fn available(&self) -> Decimal {
        self.amount + self.transfers_in - self.transfers_out
    }

    /// What is left to dispose of; never negative while the rule holds.
    pub fn undisposed(&self) -> Decimal {
        self.available() - self.disposed
    }
}

fn kr(d: Decimal) -> String {
    let cents = d.round_dp(2);
    let negative = cents.is_sign_negative();
    let whole = cents.abs().trunc().to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let fraction = ((cents.abs() - cents.abs().trunc()) * Decimal::from(100)).trunc();
    format!("{}{grouped},{:02} kr.", if negative { "-" } else { "" }, fraction)
}

/// B2, B3: spending is recorded as it happens, so it may pass what was disposed for it; that is shown,
/// not refused: each disposition spent beyond its amount, and a year spent beyond its dispositions.
pub fn spending_warnings(
    years: &[Position],
    dispositions: &[(i32, &str, Decimal, Decimal)],
) -> Vec<crate::domain::composition::Warning> {
    let mut out = Vec::new();
    for (year, description, amount, spent) in dispositions {
        if spent > amount {
            out.push(crate::domain::composition::Warning {
                rule: "B2",
                message: format!(
                    "Forbruget på «{description}» ({year}) er {}, mere end de {} der er disponeret (B2).",
                    kr(*spent),
                    kr(*amount)
                ),
            });
        }
    }
    for p in years.iter().filter(|p| p.spent > p.disposed) {
        out.push(crate::domain::composition::Warning {
            rule: "B3",
            message: format!(
                "I {} er der brugt {}, mere end de {} der er disponeret (B3).",
                p.year,
                kr(p.spent),
                kr(p.disposed)
            ),
        });
    }
    out
}

/// B2: a new disposition of `amount` must fit in what is undisposed.
pub fn check_disposition(position: &Position, amount: Decimal) -> Result<(), Refusal> {
    if amount <= Decimal::ZERO {
        return Err(Refusal::new("B2", "En disposition skal være et positivt beløb."));
    }
    if amount > position.undisposed() {
        return Err(Refusal::new(
            "B2",
            format!(
                "Dispositionen på {} overstiger det ikke-disponerede beløb på {} (budget plus overførsler ind minus overførsler ud, fratrukket det disponerede).",
                kr(amount),
                kr(position.undisposed())
            ),
        ));
    }
    Ok(())
}

/// B2: a transfer moves undisposed funds within one budget year, from one group to another.
pub fn check_transfer(from: &Position, to: &Position, amount: Decimal) -> Result<(), Refusal> {
    if from.year != to.year {
        return Err(Refusal::new(
            "B2",
            format!(
                "Der kan kun overføres inden for samme budgetår ({} til {}), og ubrugt budget overføres ikke (B1).",
                from.year, to.year
            ),
        ));
    }
    if amount <= Decimal::ZERO {
        return Err(Refusal::new("B2", "En overførsel skal være et positivt beløb."));
    }
    if amount > from.undisposed() {
        return Err(Refusal::new(
            "B2",
            format!(
                "Overførslen på {} overstiger gruppens ikke-disponerede beløb på {}; det disponerede må ikke overstige budgettet.",
                kr(amount),
                kr(from.undisposed())
            ),
        ));
    }
    Ok(())
}

/// B1, B2: a budget changed by the board may not fall below what is already disposed of it.
pub fn check_budget_amount(position: &Position, new_amount: Decimal) -> Result<(), Refusal> {
    let changed = Position { amount: new_amount, ..*position };
    if changed.undisposed() < Decimal::ZERO {
        return Err(Refusal::new(
            "B2",
            format!(
                "Budgettet kan ikke sættes til {}: der er allerede disponeret {} (efter overførsler er der {} til rådighed).",
                kr(new_amount),
                kr(position.disposed),
                kr(changed.available())
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {

    #[test]
    fn spending_beyond_what_is_disposed_is_pointed_out_not_refused_b2_b3() {
        let year = Position {
            year: 2027,
            amount: Decimal::from(100_000),
            disposed: Decimal::from(50_000),
            spent: Decimal::from(60_000),
            ..Position::default()
        };
        let warnings = spending_warnings(
            &[year],
            &[
                (2027, "Konsulent", Decimal::from(50_000), Decimal::from(60_000)),
                (2027, "Kursus", Decimal::from(1), Decimal::ZERO),
            ],
        );
        assert_eq!(warnings.iter().map(|w| w.rule).collect::<Vec<_>>(), ["B2", "B3"]);
        assert!(warnings[0].message.contains("«Konsulent» (2027) er 60.000,00 kr."), "{}", warnings[0].message);
        assert!(spending_warnings(&[Position { spent: Decimal::ZERO, ..year }], &[]).is_empty());
    }
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    fn natur() -> Position {
        Position {
            year: 2027,
            amount: d(900_000),
            transfers_in: d(0),
            transfers_out: d(100_000),
            disposed: d(485_000),
            spent: d(0),
        }
    }

    #[test]
    fn undisposed_is_budget_plus_in_minus_out_minus_disposed_b3() {
        assert_eq!(natur().available(), d(800_000));
        assert_eq!(natur().undisposed(), d(315_000));
    }

    #[test]
    fn a_disposition_fits_in_what_is_undisposed_or_is_refused_naming_b2() {
        assert!(check_disposition(&natur(), d(315_000)).is_ok());
        let refusal = check_disposition(&natur(), d(315_001)).unwrap_err();
        assert_eq!(refusal.rule, "B2");
        assert!(refusal.message.contains("315.000,00 kr."), "{}", refusal.message);
        assert_eq!(check_disposition(&natur(), d(0)).unwrap_err().rule, "B2");
    }

    #[test]
    fn a_transfer_stays_within_the_year_and_the_undisposed_amount_b2() {
        let jord = Position { year: 2027, amount: d(700_000), ..Default::default() };
        assert!(check_transfer(&natur(), &jord, d(315_000)).is_ok());
        assert_eq!(check_transfer(&natur(), &jord, d(315_001)).unwrap_err().rule, "B2");
        let next_year = Position { year: 2028, ..jord };
        let refusal = check_transfer(&natur(), &next_year, d(1)).unwrap_err();
        assert_eq!(refusal.rule, "B2");
        assert!(refusal.message.contains("samme budgetår"));
        assert_eq!(check_transfer(&natur(), &jord, d(-5)).unwrap_err().rule, "B2");
    }

    #[test]
    fn a_budget_may_not_fall_below_what_is_disposed_b1_b2() {
        assert!(check_budget_amount(&natur(), d(585_000)).is_ok());
        assert_eq!(check_budget_amount(&natur(), d(584_999)).unwrap_err().rule, "B2");
    }

    #[test]
    fn amounts_are_written_the_danish_way() {
        assert_eq!(kr(Decimal::new(123_456_789, 2)), "1.234.567,89 kr.");
        assert_eq!(kr(d(0)), "0,00 kr.");
        assert_eq!(kr(d(-1500)), "-1.500,00 kr.");
    }
}
