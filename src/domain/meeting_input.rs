//! A meeting as a person types it (T1, T3, Y1), parsed once for every door it comes through: the
//! plan form, the edit form, the form for meetings across groups, and the API (POST and PUT). The
//! page shows the field errors next to the fields; the API answers them as 422.

use chrono::{DateTime, Datelike, NaiveTime, Utc};
use serde::Deserialize;

use super::calendar::local_to_utc;
use super::field_errors::FieldErrors;
use super::input::{self, Choice, Unfit};
use super::meeting_codes::{MeetingFormat, MeetingKind};

/// The raw input, kept as typed so a form can come back with it. A form gives the local `date`,
/// `start` and `end`; the API gives `starts_at` and `ends_at` as RFC 3339 instants.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct MeetingInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub online_link: String,
    #[serde(default)]
    pub cycle_number: String,
}

/// A meeting's fields, parsed and bounded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MeetingFields {
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub format: MeetingFormat,
    pub location: String,
    pub online_link: String,
    pub cycle_number: Option<i16>,
}

impl MeetingInput {
    /// The defaults of a new meeting's form: an ordinary physical meeting in the afternoon.
    pub fn new_meeting(kind: MeetingKind) -> MeetingInput {
        MeetingInput {
            kind: kind.as_str().into(),
            start: "13:00".into(),
            end: "16:00".into(),
            format: MeetingFormat::Physical.as_str().into(),
            ..MeetingInput::default()
        }
    }

    /// The meeting's fields, or what is wrong with each, in Danish. `kinds` are the kinds this door
    /// allows (a group's own, or the meetings across groups: T1).
    pub fn parse(&self, kinds: &[MeetingKind]) -> Result<MeetingFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = MeetingKind::parse(self.kind.trim()).filter(|k| kinds.contains(k));
        if kind.is_none() {
            let names: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
            errors.add("kind", format!("Vælg en mødetype: {}.", names.join(", ")));
        }
        let format = MeetingFormat::parse(self.format.trim());
        if format.is_none() {
            errors.add("format", "Vælg fysisk, online eller hybrid.");
        }
        let times = if self.date.trim().is_empty() && !self.starts_at.trim().is_empty() {
            instants(&self.starts_at, &self.ends_at, &mut errors)
        } else {
            local_times(&self.date, &self.start, &self.end, &mut errors)
        };
        let cycle_number = match self.cycle_number.trim() {
            "" => None,
            s => s.parse::<i16>().ok().filter(|n| (1..=4).contains(n)).or_else(|| {
                errors.add("cycle_number", "Vælg møde I, II, III eller IV (1-4).");
                None
            }),
        };
        let title = input::one_line(&self.title, 200).map_err(|m| errors.add("title", m)).unwrap_or_default();
        let location = input::one_line(&self.location, 200).map_err(|m| errors.add("location", m)).unwrap_or_default();
        let online_link =
            input::web_link(&self.online_link).map_err(|m| errors.add("online_link", m)).unwrap_or_default();
        match (kind, format, times, errors.is_empty()) {
            (Some(kind), Some(format), Some((starts_at, ends_at)), true) => {
                Ok(MeetingFields { kind, title, starts_at, ends_at, format, location, online_link, cycle_number })
            }
            _ => Err(errors),
        }
    }
}

/// The form's local date and times (Europe/Copenhagen, D2); errors on `date`, `start`, `end`.
fn local_times(date: &str, start: &str, end: &str, errors: &mut FieldErrors) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let date = input::date(date).map_err(|_| errors.add("date", "Skriv datoen som åååå-mm-dd (år 1900-2200).")).ok();
    let time = |s: &str| NaiveTime::parse_from_str(s.trim(), "%H:%M").ok();
    let start = time(start).or_else(|| {
        errors.add("start", "Skriv starttidspunktet som tt:mm.");
        None
    });
    let end = time(end).or_else(|| {
        errors.add("end", "Skriv sluttidspunktet som tt:mm.");
        None
    });
    let (date, start, end) = (date?, start?, end?);
    let (Some(starts_at), Some(ends_at)) = (local_to_utc(date, start), local_to_utc(date, end)) else {
        errors.add("start", "Tidspunktet findes ikke den dag (sommertid).");
        return None;
    };
    ends_after(starts_at, ends_at, "end", errors)
}

/// The API's two instants (RFC 3339 with an offset); errors on `starts_at`, `ends_at`.
fn instants(starts_at: &str, ends_at: &str, errors: &mut FieldErrors) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let parse = |s: &str| {
        DateTime::parse_from_rfc3339(s.trim())
            .ok()
            .filter(|t| (input::FIRST_YEAR..=input::LAST_YEAR).contains(&t.year()))
            .map(|t| t.with_timezone(&Utc))
    };
    let message = "Skriv tidspunktet som 2027-03-31T13:00:00+02:00 (år 1900-2200).";
    let starts = parse(starts_at).or_else(|| {
        errors.add("starts_at", message);
        None
    });
    let ends = parse(ends_at).or_else(|| {
        errors.add("ends_at", message);
        None
    });
    ends_after(starts?, ends?, "ends_at", errors)
}

fn ends_after(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    field: &'static str,
    errors: &mut FieldErrors,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    if ends_at <= starts_at {
        errors.add(field, "Mødet skal slutte efter det begynder.");
        return None;
    }
    Some((starts_at, ends_at))
}

/// The kinds as a form offers them.
/// The reason a meeting is cancelled, bounded (it is sent to the participants); or the Danish message.
pub fn cancel_reason(raw: &str) -> Result<String, Unfit> {
    let reason = input::text(raw, CANCEL_REASON_MAX)?;
    if reason.is_empty() {
        return Err(Unfit::Missing("Skriv hvorfor mødet aflyses; begrundelsen sendes til deltagerne."));
    }
    Ok(reason)
}

pub const CANCEL_REASON_MAX: usize = 1000;

pub fn kind_choices(kinds: &[MeetingKind]) -> Vec<Choice> {
    kinds.iter().map(|k| Choice::new(k.as_str(), k.label())).collect()
}

/// T3: the formats as a form offers them.
pub fn format_choices() -> Vec<Choice> {
    MeetingFormat::ALL.iter().map(|f| Choice::new(f.as_str(), f.label())).collect()
}

/// Y1: meeting I-IV of the year.
pub fn cycle_choices() -> Vec<Choice> {
    (1..=4u32).map(|n| Choice::new(n.to_string(), format!("Møde {}", super::annual_cycle::roman(n)))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> MeetingInput {
        MeetingInput { date: "2027-03-31".into(), ..MeetingInput::new_meeting(MeetingKind::Ordinary) }
    }

    #[test]
    fn a_form_becomes_a_meeting_in_copenhagen_time_d2() {
        let m = form().parse(&MeetingKind::GROUP_KINDS).unwrap();
        assert_eq!(m.starts_at.to_rfc3339(), "2027-03-31T11:00:00+00:00");
        assert_eq!(m.kind, MeetingKind::Ordinary);
        assert_eq!(m.format, MeetingFormat::Physical);
    }

    #[test]
    fn every_wrong_field_gets_its_own_danish_message() {
        let bad = MeetingInput {
            kind: "joint".into(),
            format: "teleport".into(),
            end: "12:00".into(),
            cycle_number: "7".into(),
            online_link: "javascript:alert(1)".into(),
            ..form()
        };
        let errors = bad.parse(&MeetingKind::GROUP_KINDS).unwrap_err();
        for field in ["kind", "format", "end", "cycle_number", "online_link"] {
            assert!(!errors.get(field).is_empty(), "{field}: {errors:?}");
        }
        assert_eq!(errors.get("end"), "Mødet skal slutte efter det begynder.");
        let far = MeetingInput { date: "275760-09-13".into(), ..form() };
        assert!(!far.parse(&MeetingKind::GROUP_KINDS).unwrap_err().get("date").is_empty());
    }

    #[test]
    fn the_api_gives_instants_and_its_errors_name_its_fields() {
        let api = MeetingInput {
            date: String::new(),
            starts_at: "2027-03-31T13:00:00+02:00".into(),
            ends_at: "2027-03-31T16:00:00+02:00".into(),
            ..form()
        };
        assert_eq!(api.parse(&MeetingKind::GROUP_KINDS).unwrap().ends_at.to_rfc3339(), "2027-03-31T14:00:00+00:00");
        let backwards = MeetingInput { ends_at: "2027-03-31T12:00:00+02:00".into(), ..api.clone() };
        assert!(!backwards.parse(&MeetingKind::GROUP_KINDS).unwrap_err().get("ends_at").is_empty());
        let far = MeetingInput { starts_at: "9999-03-31T12:00:00+02:00".into(), ..api };
        assert!(!far.parse(&MeetingKind::GROUP_KINDS).unwrap_err().get("starts_at").is_empty());
    }

    #[test]
    fn meetings_across_groups_take_only_their_own_kinds_t1() {
        let joint = MeetingInput { kind: "joint".into(), ..form() };
        assert_eq!(joint.parse(&MeetingKind::ACROSS_GROUPS).unwrap().kind, MeetingKind::Joint);
        assert!(form().parse(&MeetingKind::ACROSS_GROUPS).is_err());
        assert_eq!(cycle_choices()[3].label, "Møde IV");
        assert_eq!(format_choices().len(), 3);
    }
}
