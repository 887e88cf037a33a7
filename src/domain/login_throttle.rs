//! When the next sign-in attempt is allowed (NIST SP 800-63B-4 §3.2.2, rate limiting).
//!
//! - Per account *and* address: a few free failures, then each further attempt waits a delay that
//!   doubles with every failure, up to a cap. One address hammering an account therefore slows only
//!   itself; the owner signs in from elsewhere.
//! - Per account, from the addresses it has signed in from before (its *known* addresses, kept
//!   [`KNOWN_ADDRESS_DAYS`]): after [`ACCOUNT_CAP`] consecutive failures with no success the account is
//!   refused everywhere until its password is reset.
//! - Per account, from every other address: a separate, slower bucket. A few free failures, then
//!   growing delays, and after [`UNKNOWN_CAP`] failures unknown addresses are refused until the bucket
//!   expires [`UNKNOWN_EXPIRY_HOURS`] after its last failure. An attacker who has never signed in as the
//!   owner can only spend this bucket (NIST's "accept only ... addresses at which the subscriber has
//!   been successfully authenticated before"); the owner still signs in from a computer used before, or
//!   through a reset link, which also makes the address known.
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
/// NIST SP 800-63B-4: no more than 100 consecutive failed attempts on one account (from its known addresses).
pub const ACCOUNT_CAP: u32 = 100;
pub const ADDRESS_FAILURES_PER_WINDOW: u32 = 20;
pub const ADDRESS_WINDOW_MINUTES: i64 = 15;
/// How long a successful sign-in keeps its address known to the account.
pub const KNOWN_ADDRESS_DAYS: i64 = 180;
/// Failures for one account from all unknown addresses together before delays begin.
pub const UNKNOWN_FREE_FAILURES: u32 = 10;
/// The first delay of the unknown-address bucket; each further failure doubles it.
pub const UNKNOWN_BASE_DELAY_SECONDS: i64 = 60;
pub const UNKNOWN_MAX_DELAY_SECONDS: i64 = 60 * 60;
/// Failures from unknown addresses after which they are refused until the bucket expires.
pub const UNKNOWN_CAP: u32 = 50;
/// The unknown-address bucket is forgotten this long after its last failure.
pub const UNKNOWN_EXPIRY_HOURS: i64 = 24;
/// Retry-After for a locked account: it opens only by a reset, so the client is told to come back later.
pub const LOCKED_RETRY_AFTER_SECONDS: i64 = 60 * 60;

/// What the database knows when an attempt arrives (counted under a lock, before the password is checked).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Consecutive failures for this account from this address since its last success.
    pub pair_failures: u32,
    pub pair_last_failure: Option<DateTime<Utc>>,
    /// Consecutive failures for this account from its known addresses since its last success or reset.
    pub account_failures: u32,
    /// Failures from this address, for any account, within the address window, and the time of the
    /// oldest of the newest [`ADDRESS_FAILURES_PER_WINDOW`] of them (when it leaves the window, the
    /// address is below the limit again).
    pub address_failures: u32,
    pub address_oldest_failure: Option<DateTime<Utc>>,
    /// The account signed in from this address within [`KNOWN_ADDRESS_DAYS`].
    pub known_address: bool,
    /// The account's unknown-address bucket: failures from addresses it has not signed in from, since
    /// its last success from such an address or reset, and the time of the last (the bucket expires).
    pub unknown_failures: u32,
    pub unknown_last_failure: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The password may be checked.
    Allowed,
    /// Refused from this address until then.
    WaitUntil(DateTime<Utc>),
    /// Refused from addresses the account has not signed in from until then; known addresses and a
    /// reset link still get in.
    UnknownAddressWait(DateTime<Utc>),
    /// Refused from every address until the password is reset.
    AccountLocked,
}

/// A delay that doubles with each failure past the free ones, up to a cap (zero while they are free).
fn doubling_delay(failures: u32, free: u32, base_seconds: i64, max_seconds: i64) -> Duration {
    if failures < free {
        return Duration::zero();
    }
    let doublings = (failures - free).min(20);
    Duration::seconds((base_seconds << doublings).min(max_seconds))
}

/// The delay after `failures` consecutive failures from one address (zero while they are free).
pub fn pair_delay(failures: u32) -> Duration {
    doubling_delay(failures, FREE_FAILURES, BASE_DELAY_SECONDS, MAX_DELAY_SECONDS)
}

/// The delay after `failures` failures in the unknown-address bucket (zero while they are free).
pub fn unknown_delay(failures: u32) -> Duration {
    doubling_delay(failures, UNKNOWN_FREE_FAILURES, UNKNOWN_BASE_DELAY_SECONDS, UNKNOWN_MAX_DELAY_SECONDS)
}

/// Until when the unknown-address bucket refuses an attempt at `now`, if it does.
fn unknown_refuses_until(counts: &Counts, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let last = counts.unknown_last_failure?;
    let expires = last + Duration::hours(UNKNOWN_EXPIRY_HOURS);
    if now >= expires {
        return None;
    }
    if counts.unknown_failures >= UNKNOWN_CAP {
        return Some(expires);
    }
    let until = last + unknown_delay(counts.unknown_failures);
    (counts.unknown_failures >= UNKNOWN_FREE_FAILURES && now < until).then_some(until)
}

/// The rule: may an attempt made at `now` have its password checked?
pub fn next_attempt(counts: &Counts, now: DateTime<Utc>) -> Verdict {
    if counts.account_failures >= ACCOUNT_CAP {
        return Verdict::AccountLocked;
    }
    let mut wait_until: Option<DateTime<Utc>> = None;
    let mut later = |until: DateTime<Utc>| wait_until = Some(wait_until.map_or(until, |w: DateTime<Utc>| w.max(until)));
    if let Some(last) = counts.pair_last_failure.filter(|_| counts.pair_failures >= FREE_FAILURES) {
        let until = last + pair_delay(counts.pair_failures);
        if now < until {
            later(until);
        }
    }
    if counts.address_failures >= ADDRESS_FAILURES_PER_WINDOW {
        let oldest = counts.address_oldest_failure.unwrap_or(now);
        let until = oldest + Duration::minutes(ADDRESS_WINDOW_MINUTES);
        if now < until {
            later(until);
        }
    }
    let unknown = if counts.known_address { None } else { unknown_refuses_until(counts, now) };
    if let Some(until) = unknown {
        later(until);
    }
    match (wait_until, unknown) {
        (Some(until), Some(_)) => Verdict::UnknownAddressWait(until),
        (Some(until), None) => Verdict::WaitUntil(until),
        (None, _) => Verdict::Allowed,
    }
}

impl Verdict {
    /// The Danish message for a refused attempt (empty when allowed).
    pub fn message(&self, now: DateTime<Utc>) -> String {
        match self {
            Verdict::Allowed => String::new(),
            Verdict::WaitUntil(until) => {
                format!("For mange mislykkede forsøg. Vent {}, og prøv igen.", wait_text(*until, now))
            }
            Verdict::UnknownAddressWait(until) => format!(
                "For mange mislykkede forsøg fra computere, som kontoen ikke har logget ind fra før. Log ind fra en \
                 computer, du har brugt før, eller brug »Glemt adgangskode?« for at få et link til at vælge en ny \
                 adgangskode. Ellers kan du prøve igen om {}.",
                wait_text(*until, now)
            ),
            Verdict::AccountLocked => format!(
                "Kontoen er spærret efter {ACCOUNT_CAP} mislykkede forsøg i træk. Brug »Glemt adgangskode?« for at \
                 få et link til at vælge en ny adgangskode; derefter kan du logge ind igen."
            ),
        }
    }

    /// Seconds a client should wait before trying again (for the Retry-After header); none when allowed.
    pub fn retry_after_seconds(&self, now: DateTime<Utc>) -> Option<i64> {
        match self {
            Verdict::Allowed => None,
            Verdict::AccountLocked => Some(LOCKED_RETRY_AFTER_SECONDS),
            Verdict::WaitUntil(until) | Verdict::UnknownAddressWait(until) => Some(seconds_until(*until, now)),
        }
    }
}

/// "1 minut", "15 minutter", "2 timer": minutes up to an hour, whole hours (rounded up) beyond.
fn wait_text(until: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (seconds_until(until, now) + 59) / 60;
    match minutes {
        1 => "1 minut".into(),
        0..=60 => format!("{minutes} minutter"),
        _ => match (minutes + 59) / 60 {
            1 => "1 time".into(),
            hours => format!("{hours} timer"),
        },
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
            known_address: true,
            ..Default::default()
        }
    }

    fn unknown(failures: u32, last: i64) -> Counts {
        Counts { unknown_failures: failures, unknown_last_failure: Some(t(last)), ..Default::default() }
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
        assert!(Verdict::AccountLocked.message(t(0)).contains("»Glemt adgangskode?«"));
        assert_eq!(Verdict::AccountLocked.retry_after_seconds(t(0)), Some(LOCKED_RETRY_AFTER_SECONDS));
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
        assert_eq!(
            Verdict::WaitUntil(t(3 * 3600)).message(t(1)),
            "For mange mislykkede forsøg. Vent 3 timer, og prøv igen."
        );
        assert_eq!(Verdict::Allowed.message(t(0)), "");
        assert_eq!(Verdict::Allowed.retry_after_seconds(t(0)), None);
    }

    #[test]
    fn failures_from_unknown_addresses_fill_their_own_slower_bucket_not_the_cap() {
        // An attacker at addresses the account never signed in from: each address within its free
        // failures, the account's unknown bucket filling up.
        for failures in 0..UNKNOWN_FREE_FAILURES {
            assert_eq!(next_attempt(&unknown(failures, 0), t(0)), Verdict::Allowed, "{failures}");
        }
        let delays: Vec<i64> = (10..18).map(|n| unknown_delay(n).num_seconds()).collect();
        assert_eq!(delays, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(next_attempt(&unknown(10, 0), t(59)), Verdict::UnknownAddressWait(t(60)));
        assert_eq!(next_attempt(&unknown(10, 0), t(60)), Verdict::Allowed);
        let message = Verdict::UnknownAddressWait(t(60)).message(t(0));
        assert!(
            message.contains("Log ind fra en computer, du har brugt før") && message.contains("»Glemt adgangskode?«")
        );

        let full = unknown(UNKNOWN_CAP, 0);
        let expiry = UNKNOWN_EXPIRY_HOURS * 3600;
        assert_eq!(
            next_attempt(&full, t(3600 * 5)),
            Verdict::UnknownAddressWait(t(expiry)),
            "until the bucket expires"
        );
        assert_eq!(Verdict::UnknownAddressWait(t(expiry)).retry_after_seconds(t(3600)), Some(expiry - 3600));
        assert_eq!(next_attempt(&full, t(expiry)), Verdict::Allowed, "expired");
        assert_eq!(next_attempt(&unknown(UNKNOWN_CAP + 30, 0), t(expiry)), Verdict::Allowed);

        // The owner at an address they signed in from before is not held by the unknown bucket.
        let owner = Counts { known_address: true, ..full };
        assert_eq!(next_attempt(&owner, t(60)), Verdict::Allowed);
        let both = Counts { pair_failures: 9, pair_last_failure: Some(t(0)), ..unknown(12, 0) };
        assert_eq!(next_attempt(&both, t(1)), Verdict::UnknownAddressWait(t(480)), "the later of the two");
    }

    #[test]
    fn the_cap_of_a_hundred_counts_failures_from_known_addresses_and_locks_unknown_ones_too() {
        let known = Counts { account_failures: ACCOUNT_CAP, known_address: true, ..Default::default() };
        assert_eq!(next_attempt(&known, t(0)), Verdict::AccountLocked);
        let unknown_address = Counts { known_address: false, ..known };
        assert_eq!(next_attempt(&unknown_address, t(0)), Verdict::AccountLocked);
    }
}
