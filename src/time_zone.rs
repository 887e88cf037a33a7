//! The installation's one time zone: deadlines are reckoned in it (D2) and every time is shown in it.
//! A leaf of its own, so that the rules (`domain`) and the Danish formats (`text`) can both name it
//! without either depending on the other.

pub const TZ: chrono_tz::Tz = chrono_tz::Europe::Copenhagen;
