//! Amounts in Danish kroner.

use rust_decimal::Decimal;

/// "1.250.000 kr." (Danish thousands separator, whole kroner unless there are øre).
/// An amount as a Danish spreadsheet reads a number it can sum: no thousands separator, a decimal
/// comma, no currency (the column's header names it): "-125000,5" for -125.000,50 kr.
pub fn spreadsheet_number(amount: Decimal) -> String {
    amount.round_dp(2).normalize().to_string().replace('.', ",")
}

pub fn kroner(amount: Decimal) -> String {
    let rounded = amount.round_dp(2);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let abs = rounded.abs();
    let whole = abs.trunc().to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let fraction = (abs.fract() * Decimal::from(100)).trunc();
    let sign = if negative { "-" } else { "" };
    if fraction.is_zero() { format!("{sign}{grouped} kr.") } else { format!("{sign}{grouped},{fraction:0>2} kr.") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_use_danish_separators() {
        assert_eq!(kroner(Decimal::new(1_250_000, 0)), "1.250.000 kr.");
        assert_eq!(kroner(Decimal::new(99_950, 2)), "999,50 kr.");
        assert_eq!(kroner(Decimal::new(-500_000, 0)), "-500.000 kr.");
        assert_eq!(kroner(Decimal::ZERO), "0 kr.");
    }

    #[test]
    fn a_spreadsheet_gets_a_plain_number_with_a_decimal_comma() {
        assert_eq!(spreadsheet_number(Decimal::new(125_000_050, 3)), "125000,05");
        assert_eq!(spreadsheet_number(Decimal::new(1_250_000, 0)), "1250000");
        assert_eq!(spreadsheet_number(Decimal::new(-99_950, 2)), "-999,5");
    }
}
