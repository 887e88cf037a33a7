//! When the next sign-in attempt is allowed (NIST SP 800-63B-4 §3.2.2, rate limiting).
//!
//! - Per account *and* address: a few free failures, then each further attempt waits a delay that
//!   doubles with every failure, up to a cap. One address hammering an account therefore slows only
//!   itself; the owner signs in from elsewhere.
//! - Per account, from every address: after [`ACCOUNT_CAP`] consecutive failures with no success the
//!   account is refused everywhere until its password is reset.
//! - Per address, across accounts: at most [`ADDRESS_FAILURES_PER_WINDOW`] failures in
//!   [`ADDRESS_WINDOW_MINUTES`] (guessing one password against many accounts).
//!
//! Only attempts whose password was checked count as failures; refused attempts do not.

use chrono::{DateTime, Duration, Utc};

/// Failures for one account from one address before delays begin.
pub const FREE_FAILURES: u32 = 5;
/// The first delay; each further failure doubles it.
pub const BASE_DELAY_SECONDS: i64 = 30;
/// The longest delay between attempts for one account from one address.
pub const MAX_DELAY_SECONDS: i64 = 15 * 60;
/// NIST SP 800-63B-4: no more than 100 consecutive failed attempts on one account.
pub const ACCOUNT_CAP: u32 = 100;
pub const ADDRESS_FAILURES_PER_WINDOW: u32 = 20;
pub const ADDRESS_WINDOW_MINUTES: i64 = 15;

/// What the database knows when an attempt arrives (counted under a lock, before the password is checked).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Consecutive failures for this account from this address since its last success.
    pub pair_failures: u32,
    pub pair_last_failure: Option<DateTime<Utc>>,
    /// Consecutive failures for this account from every address since its last success or password reset.
    pub account_failures: u32,
    /// Failures from this address, for any account, within the address window, and the time of the
    /// oldest of the newest [`ADDRESS_FAILURES_PER_WINDOW`] of them (when it leaves the window, the
    /// address is below the limit again).
    pub address_failures: u32,
    pub address_oldest_failure: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The password may be checked.
    Allowed,
    /// Refused from this address until then.
    WaitUntil(DateTime<Utc>),
    /// Refused from every address until the password is reset.
    AccountLocked,
}

/// The delay after `failures` consecutive failures from one address (zero while they are free).
pub fn pair_delay(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::zero();
    }
    let doublings = (failures - FREE_FAILURES).min(20);
    Duration::seconds((BASE_DELAY_SECONDS << doublings).min(MAX_DELAY_SECONDS))
}

/// The rule: may an attempt made at `now` have its password checked?
pub fn next_attempt(counts: &Counts, now: DateTime<Utc>) -> Verdict {
    if counts.account_failures >= ACCOUNT_CAP {
        return Verdict::AccountLocked;
    }
    let mut wait_until: Option<DateTime<Utc>> = None;
    if let Some(last) = counts.pair_last_failure.filter(|_| counts.pair_failures >= FREE_FAILURES) {
        let until = last + pair_delay(counts.pair_failures);
        if now < until {
            wait_until = Some(until);
        }
    }
    if counts.address_failures >= ADDRESS_FAILURES_PER_WINDOW {
        let oldest = counts.address_oldest_failure.unwrap_or(now);
        let until = oldest + Duration::minutes(ADDRESS_WINDOW_MINUTES);
        if now < until {
            wait_until = Some(wait_until.map_or(until, |w| w.max(until)));
        }
    }
    match wait_until {
        Some(until) => Verdict::WaitUntil(until),
        None => Verdict::Allowed,
    }
}

impl Verdict {
    /// The Danish message for a refused attempt (empty when allowed).
    pub fn message(&self, now: DateTime<Utc>) -> String {
        match self {
            Verdict::Allowed => String::new(),
            Verdict::WaitUntil(until) => {
                let minutes = (seconds_until(*until, now) + 59) / 60;
                let unit = if minutes == 1 { "minut" } else { "minutter" };
                format!("For mange mislykkede forsøg. Vent {minutes} {unit}, og prøv igen.")
            }
            Verdict::AccountLocked => format!(
                "Kontoen er spærret efter {ACCOUNT_CAP} mislykkede forsøg i træk. Kontakt sekretariatet for at få \
                 nulstillet din adgangskode; derefter kan du logge ind igen."
            ),
        }
    }

    /// Seconds a client should wait before trying again (for the Retry-After header).
    pub fn retry_after_seconds(&self, now: DateTime<Utc>) -> Option<i64> {
        match self {
            Verdict::Allowed | Verdict::AccountLocked => None,
            Verdict::WaitUntil(until) => Some(seconds_until(*until, now)),
        }
    }
}

/// Whole seconds from `now` to `until`, rounded up (stored times keep microseconds, clocks nanoseconds).
fn seconds_until(until: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let millis = (until - now).num_milliseconds();
    ((millis + 999) / 1000).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    fn pair(failures: u32, last: i64) -> Counts {
        Counts {
            pair_failures: failures,
            pair_last_failure: Some(t(last)),
            account_failures: failures,
            ..Default::default()
        }
    }

    #[test]
    fn the_first_failures_cost_nothing() {
        assert_eq!(next_attempt(&Counts::default(), t(0)), Verdict::Allowed);
        for failures in 0..FREE_FAILURES {
            assert_eq!(next_attempt(&pair(failures, 0), t(0)), Verdict::Allowed, "{failures}");
        }
    }

    #[test]
    fn further_failures_wait_a_doubling_delay_up_to_the_cap() {
        let delays: Vec<i64> = (5..13).map(|n| pair_delay(n).num_seconds()).collect();
        assert_eq!(delays, [30, 60, 120, 240, 480, 900, 900, 900]);
        assert_eq!(pair_delay(u32::MAX).num_seconds(), MAX_DELAY_SECONDS);
        assert_eq!(next_attempt(&pair(5, 0), t(29)), Verdict::WaitUntil(t(30)));
        assert_eq!(next_attempt(&pair(5, 0), t(30)), Verdict::Allowed);
        assert_eq!(next_attempt(&pair(7, 100), t(219)), Verdict::WaitUntil(t(220)));
        assert_eq!(next_attempt(&pair(7, 100), t(220)), Verdict::Allowed);
    }

    #[test]
    fn a_hundred_consecutive_failures_lock_the_account_from_every_address() {
        let elsewhere = Counts { account_failures: ACCOUNT_CAP, ..Default::default() };
        assert_eq!(next_attempt(&elsewhere, t(0)), Verdict::AccountLocked);
        assert_eq!(next_attempt(&elsewhere, t(365 * 24 * 3600)), Verdict::AccountLocked, "no time limit");
        let below = Counts { account_failures: ACCOUNT_CAP - 1, ..Default::default() };
        assert_eq!(next_attempt(&below, t(0)), Verdict::Allowed, "another address gets in below the cap");
        assert!(Verdict::AccountLocked.message(t(0)).contains("Kontakt sekretariatet"));
    }

    #[test]
    fn many_failures_from_one_address_across_accounts_wait_for_the_window() {
        let counts = Counts {
            address_failures: ADDRESS_FAILURES_PER_WINDOW,
            address_oldest_failure: Some(t(0)),
            ..Default::default()
        };
        assert_eq!(next_attempt(&counts, t(60)), Verdict::WaitUntil(t(15 * 60)));
        assert_eq!(next_attempt(&counts, t(15 * 60)), Verdict::Allowed);
        let fewer = Counts { address_failures: ADDRESS_FAILURES_PER_WINDOW - 1, ..counts };
        assert_eq!(next_attempt(&fewer, t(60)), Verdict::Allowed);
        let both = Counts { pair_failures: 9, pair_last_failure: Some(t(0)), ..counts };
        assert_eq!(next_attempt(&both, t(60)), Verdict::WaitUntil(t(15 * 60)), "the later of the two");
    }

    #[test]
    fn the_message_says_how_long_to_wait_in_danish() {
        assert_eq!(Verdict::WaitUntil(t(30)).message(t(0)), "For mange mislykkede forsøg. Vent 1 minut, og prøv igen.");
        assert_eq!(
            Verdict::WaitUntil(t(14 * 60 + 1)).message(t(0)),
            "For mange mislykkede forsøg. Vent 15 minutter, og prøv igen."
        );
        assert_eq!(Verdict::WaitUntil(t(30)).retry_after_seconds(t(0)), Some(30));
        let almost = t(0) + Duration::microseconds(1);
        assert_eq!(Verdict::WaitUntil(t(30)).retry_after_seconds(almost), Some(30), "rounded up");
        assert_eq!(Verdict::Allowed.message(t(0)), "");
    }
}
