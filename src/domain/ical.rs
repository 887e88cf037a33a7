//! iCalendar (RFC 5545) feeds of meetings and deadlines.
//!
//! Pure text generation, no I/O: [`calendar`] turns meetings ([`Event`]) and
//! deadlines ([`AllDayEvent`]) into one `VCALENDAR` that calendar clients can
//! subscribe to. Timed events are written as local wall time in
//! Europe/Copenhagen with a matching `VTIMEZONE`, so clients show the same
//! hour as the app does.
//!
//! The output follows RFC 5545 section 3.1: every content line ends with CRLF,
//! lines longer than 75 octets are folded (never inside a UTF-8 character) and
//! TEXT values are escaped.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, TimeDelta, Utc};

use crate::time_zone::TZ;

/// The `TZID` of the `VTIMEZONE` below; must equal the IANA name of [`TZ`] (a test checks it).
const TZID: &str = "Europe/Copenhagen";

/// The most octets a content line may have before it is folded, CRLF not counted.
const MAX_LINE_OCTETS: usize = 75;

/// Form of DATE-TIME values in UTC ("FORM #2" of RFC 5545 section 3.3.5).
const UTC_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// Form of DATE-TIME values in local time referring to a `TZID` ("FORM #3").
const LOCAL_FORMAT: &str = "%Y%m%dT%H%M%S";

/// Form of DATE values.
const DATE_FORMAT: &str = "%Y%m%d";

/// The time zone definition for Europe/Copenhagen under the EU rules in force
/// since 1996: summer time from the last Sunday of March 02:00 CET to the last
/// Sunday of October 03:00 CEST. [`utc_offset_by_vtimezone`] mirrors it.
const VTIMEZONE: [&str; 17] = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Copenhagen",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// A timed event, such as a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable across feeds, e.g. `meeting-42@samarbejdsrum`.
    pub uid: String,
    pub starts_at: DateTime<Utc>,
    /// Should be after `starts_at`; if it is not, `DTEND` is left out, which
    /// RFC 5545 reads as an event that takes no time.
    pub ends_at: DateTime<Utc>,
    pub summary: String,
    /// Left out when empty.
    pub description: String,
    /// Left out when empty.
    pub location: String,
    pub url: Option<String>,
    pub last_modified: DateTime<Utc>,
    /// Written as `STATUS:CANCELLED` instead of `STATUS:CONFIRMED`.
    pub cancelled: bool,
    /// RFC 5545 `SEQUENCE`: goes up with every change sent to participants, so a calendar replaces
    /// the event with the same UID instead of keeping the old one.
    pub sequence: u32,
}

/// What a calendar object asks of its receiver (RFC 5546 section 1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A feed or a file to look at.
    Publish,
    /// An invitation, new or updated: the receiver's calendar puts it in (or replaces it).
    Request,
    /// The event is cancelled: the receiver's calendar marks it so.
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// An event that fills a whole local day, such as a deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllDayEvent {
    /// Stable across feeds, e.g. `deadline-7@samarbejdsrum`.
    pub uid: String,
    pub date: NaiveDate,
    pub summary: String,
    /// Left out when empty.
    pub description: String,
    pub url: Option<String>,
}

/// Renders a whole `VCALENDAR` named `name` with the timed events first, then
/// the all-day events, each in the order given. `now` becomes every event's
/// `DTSTAMP`.
#[must_use]
pub fn calendar(name: &str, events: &[Event], all_day: &[AllDayEvent], now: DateTime<Utc>) -> String {
    write_calendar(Method::Publish, name, events, all_day, None, now)
}

/// A subscribed calendar (a person's feed): as `calendar`, with the hour after which a client should
/// fetch it again (RFC 7986 REFRESH-INTERVAL, and Outlook's X-PUBLISHED-TTL).
pub fn feed(name: &str, events: &[Event], all_day: &[AllDayEvent], now: DateTime<Utc>) -> String {
    let body = calendar(name, events, all_day, now);
    body.replacen(
        "CALSCALE:GREGORIAN\r\n",
        "CALSCALE:GREGORIAN\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\nX-PUBLISHED-TTL:PT1H\r\n",
        1,
    )
}

/// One meeting as an invitation mail's calendar object (RFC 5546): `Request` for a new or changed
/// meeting, `Cancel` for a cancelled one (its event should then be `cancelled`). `organizer` is the
/// address the invitation comes from.
#[must_use]
pub fn invitation(method: Method, event: &Event, organizer: &str, now: DateTime<Utc>) -> String {
    write_calendar(method, "Samarbejdsrum", std::slice::from_ref(event), &[], Some(organizer), now)
}

/// RFC 5546: an invitation names its recipient as ATTENDEE (no reply asked: the secretariat keeps
/// attendance in Samarbejdsrum). Added to every event of `ics` just before its end.
pub fn with_attendee(ics: &str, address: &str) -> String {
    let address: String = address.chars().filter(|c| !c.is_control() && !matches!(c, ':' | ';' | ',')).collect();
    let mut attendee = String::new();
    push_folded(
        &mut attendee,
        &format!("ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{address}"),
    );
    ics.replace("END:VEVENT\r\n", &format!("{attendee}END:VEVENT\r\n"))
}

/// What a cancelled meeting's summary starts with.
const CANCELLED: &str = "Aflyst: ";

fn write_calendar(
    method: Method,
    name: &str,
    events: &[Event],
    all_day: &[AllDayEvent],
    organizer: Option<&str>,
    now: DateTime<Utc>,
) -> String {
    let mut out = Lines::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line("PRODID:-//Samarbejdsrum//DA");
    out.line("CALSCALE:GREGORIAN");
    out.line(&format!("METHOD:{}", method.as_str()));
    out.text("X-WR-CALNAME", name);
    out.line(&format!("X-WR-TIMEZONE:{TZID}"));
    for line in VTIMEZONE {
        out.line(line);
    }
    let dtstamp = utc(now);
    for event in events {
        write_event(&mut out, event, now, organizer);
    }
    for event in all_day {
        write_all_day_event(&mut out, event, &dtstamp);
    }
    out.line("END:VCALENDAR");
    out.0
}

fn write_event(out: &mut Lines, event: &Event, now: DateTime<Utc>, organizer: Option<&str>) {
    out.line("BEGIN:VEVENT");
    out.text("UID", &event.uid);
    out.line(&format!("DTSTAMP:{}", utc(now)));
    if let Some(organizer) = organizer {
        let address: String = organizer.chars().filter(|c| !c.is_control() && !matches!(c, ':' | ';' | ',')).collect();
        out.line(&format!("ORGANIZER:mailto:{address}"));
    }
    out.line(&date_time("DTSTART", event.starts_at));
    if event.ends_at > event.starts_at {
        out.line(&date_time("DTEND", event.ends_at));
    }
    // A cancelled meeting says so where a calendar shows it, also where STATUS is not displayed.
    match event.cancelled && !event.summary.starts_with(CANCELLED) {
        true => out.text("SUMMARY", &format!("{CANCELLED}{}", event.summary)),
        false => out.text("SUMMARY", &event.summary),
    }
    if !event.description.is_empty() {
        out.text("DESCRIPTION", &event.description);
    }
    if !event.location.is_empty() {
        out.text("LOCATION", &event.location);
    }
    if let Some(url) = &event.url {
        out.uri("URL", url);
    }
    // Never in the future (RFC 5545 3.8.7.3): a meeting without a stored change time falls back on now.
    out.line(&format!("LAST-MODIFIED:{}", utc(event.last_modified.min(now))));
    out.line(if event.cancelled { "STATUS:CANCELLED" } else { "STATUS:CONFIRMED" });
    out.line(&format!("SEQUENCE:{}", event.sequence));
    out.line("END:VEVENT");
}

fn write_all_day_event(out: &mut Lines, event: &AllDayEvent, dtstamp: &str) {
    out.line("BEGIN:VEVENT");
    out.text("UID", &event.uid);
    out.line(&format!("DTSTAMP:{dtstamp}"));
    out.line(&format!("DTSTART;VALUE=DATE:{}", event.date.format(DATE_FORMAT)));
    // DTEND of a DATE is exclusive. Without it the event lasts one day too, so
    // the last representable date still gives a valid event.
    if let Some(next_day) = event.date.checked_add_days(Days::new(1)) {
        out.line(&format!("DTEND;VALUE=DATE:{}", next_day.format(DATE_FORMAT)));
    }
    out.text("SUMMARY", &event.summary);
    if !event.description.is_empty() {
        out.text("DESCRIPTION", &event.description);
    }
    if let Some(url) = &event.url {
        out.uri("URL", url);
    }
    out.line("TRANSP:TRANSPARENT");
    out.line("SEQUENCE:0");
    out.line("END:VEVENT");
}

/// Content lines being written, each folded and ended with CRLF.
#[derive(Default)]
struct Lines(String);

impl Lines {
    /// Appends one unfolded content line.
    fn line(&mut self, line: &str) {
        push_folded(&mut self.0, line);
    }

    /// Appends a property whose value is TEXT.
    fn text(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape_text(value)));
    }

    /// Appends a property whose value is a URI, which is not escaped; control
    /// characters cannot be part of a URI, so they are dropped.
    fn uri(&mut self, name: &str, value: &str) {
        let value: String = value.chars().filter(|c| !c.is_control()).collect();
        self.line(&format!("{name}:{value}"));
    }
}

/// Escapes a TEXT value (RFC 5545 section 3.3.11): backslash, semicolon and
/// comma get a backslash, and each line break (LF, CRLF or a lone CR) becomes
/// `\n`. Other control characters but tab are not allowed and are dropped.
fn escape_text(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                escaped.push_str("\\n");
            }
            '\t' => escaped.push('\t'),
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Appends `line` to `out` folded (RFC 5545 section 3.1): no physical line has
/// more than 75 octets, each continuation starts with one space, and a break
/// never falls inside a UTF-8 encoded character.
fn push_folded(out: &mut String, line: &str) {
    let mut limit = MAX_LINE_OCTETS;
    let mut start = 0;
    for (index, c) in line.char_indices() {
        if index + c.len_utf8() - start > limit {
            out.push_str(&line[start..index]);
            out.push_str("\r\n ");
            start = index;
            // The leading space counts towards the continuation's octets.
            limit = MAX_LINE_OCTETS - 1;
        }
    }
    out.push_str(&line[start..]);
    out.push_str("\r\n");
}

fn utc(at: DateTime<Utc>) -> String {
    at.format(UTC_FORMAT).to_string()
}

/// A DATE-TIME property for `at`, as local wall time with `TZID` when a client
/// reading it through [`VTIMEZONE`] gets back the very same instant. Otherwise
/// (the second pass through the repeated hour when summer time ends, or dates
/// under other rules than the current ones) it is written in UTC, which every
/// client reads unambiguously.
fn date_time(name: &str, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&TZ).naive_local();
    match utc_offset_by_vtimezone(local) {
        Some(offset) if local - offset == at.naive_utc() => {
            format!("{name};TZID={TZID}:{}", local.format(LOCAL_FORMAT))
        }
        _ => format!("{name}:{}", utc(at)),
    }
}

/// The UTC offset a client applies to the wall time `local` tagged with our
/// `TZID`, following [`VTIMEZONE`] and RFC 5545 section 3.3.5: a repeated
/// wall time means its first occurrence (summer time) and a skipped one is
/// read with the offset before the gap (standard time). `None` before the
/// definition's first year, where it says nothing.
fn utc_offset_by_vtimezone(local: NaiveDateTime) -> Option<TimeDelta> {
    let year = local.year();
    if year < 1971 {
        return None;
    }
    let summer_from = last_sunday(year, 3)?.and_hms_opt(3, 0, 0)?;
    let summer_until = last_sunday(year, 10)?.and_hms_opt(3, 0, 0)?;
    let hours = if (summer_from..summer_until).contains(&local) { 2 } else { 1 };
    Some(TimeDelta::hours(hours))
}

/// The last Sunday of `month` (March or October: both have 31 days).
fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let last_day = NaiveDate::from_ymd_opt(year, month, 31)?;
    let days_after_sunday = last_day.weekday().num_days_from_sunday();
    last_day.checked_sub_days(Days::new(u64::from(days_after_sunday)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveTime, Offset, TimeZone};

    /// One unfolded content line: name, parameters (without the leading `;`)
    /// and raw value. Our output never quotes parameter values, so the first
    /// colon ends the name and parameters.
    #[derive(Debug, PartialEq)]
    struct Property {
        name: String,
        params: String,
        value: String,
    }

    /// Undoes folding: a CRLF followed by one space or tab is removed.
    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "").replace("\r\n\t", "")
    }

    /// Unfolds and splits a whole calendar into its content lines.
    fn parse(text: &str) -> Vec<Property> {
        let unfolded = unfold(text);
        let body = unfolded.strip_suffix("\r\n").expect("output ends with CRLF");
        body.split("\r\n")
            .map(|line| {
                let (head, value) = line.split_once(':').unwrap_or_else(|| panic!("no colon in {line:?}"));
                let (name, params) = head.split_once(';').unwrap_or((head, ""));
                Property { name: name.to_owned(), params: params.to_owned(), value: value.to_owned() }
            })
            .collect()
    }

    /// The inverse of [`escape_text`], scanning once so `\\n` stays a
    /// backslash followed by `n`.
    fn unescape_text(value: &str) -> String {
        let mut text = String::with_capacity(value.len());
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                text.push(c);
                continue;
            }
            match chars.next() {
                Some('n' | 'N') => text.push('\n'),
                Some(escaped @ ('\\' | ';' | ',')) => text.push(escaped),
                other => panic!("bad escape \\{other:?} in {value:?}"),
            }
        }
        text
    }

    /// The VEVENTs of a parsed calendar, each as its list of properties.
    fn vevents(properties: &[Property]) -> Vec<&[Property]> {
        let mut events = Vec::new();
        let mut start = None;
        for (index, property) in properties.iter().enumerate() {
            match (property.name.as_str(), property.value.as_str()) {
                ("BEGIN", "VEVENT") => start = Some(index + 1),
                ("END", "VEVENT") => events.push(&properties[start.take().expect("BEGIN before END")..index]),
                _ => {}
            }
        }
        events
    }

    /// The single property called `name` of one component, or `None`.
    fn find<'a>(component: &'a [Property], name: &str) -> Option<&'a Property> {
        let mut found = component.iter().filter(|property| property.name == name);
        let first = found.next();
        assert!(found.next().is_none(), "{name} appears more than once");
        first
    }

    fn utc_at(text: &str) -> DateTime<Utc> {
        text.parse().expect("RFC 3339 date-time")
    }

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("valid date")
    }

    fn meeting(starts_at: &str, ends_at: &str) -> Event {
        Event {
            uid: "meeting-42@samarbejdsrum".to_owned(),
            starts_at: utc_at(starts_at),
            ends_at: utc_at(ends_at),
            summary: "Møde i arbejdsgruppen".to_owned(),
            description: String::new(),
            location: String::new(),
            url: None,
            last_modified: utc_at("2027-01-02T08:30:15Z"),
            cancelled: false,
            sequence: 0,
        }
    }

    fn deadline(date: NaiveDate) -> AllDayEvent {
        AllDayEvent {
            uid: "deadline-7@samarbejdsrum".to_owned(),
            date,
            summary: "Frist for høringssvar".to_owned(),
            description: String::new(),
            url: None,
        }
    }

    fn now() -> DateTime<Utc> {
        utc_at("2027-01-05T09:10:11Z")
    }

    /// The properties of the one VEVENT of a calendar holding only `event`.
    fn single_event(event: Event) -> Vec<Property> {
        let mut properties = parse(&calendar("Test", &[event], &[], now()));
        let is = |p: &Property, name: &str| p.name == name && p.value == "VEVENT";
        assert_eq!(properties.iter().filter(|p| is(p, "BEGIN")).count(), 1);
        let begin = properties.iter().position(|p| is(p, "BEGIN")).unwrap();
        let end = properties.iter().position(|p| is(p, "END")).unwrap();
        properties.drain(begin + 1..end).collect()
    }

    fn wall_time(property: &Property) -> (&str, &str) {
        (property.params.as_str(), property.value.as_str())
    }

    #[test]
    fn escape_text_escapes_backslash_semicolon_comma_and_newlines() {
        assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(escape_text("one\ntwo\r\nthree\rfour"), r"one\ntwo\nthree\nfour");
        assert_eq!(escape_text(r"C:\new"), r"C:\\new");
        assert_eq!(escape_text(";;,,\\\\"), r"\;\;\,\,\\\\");
    }

    #[test]
    fn escape_text_keeps_colons_quotes_tabs_and_danish_letters_but_drops_other_controls() {
        assert_eq!(escape_text("Æblegrød: \"øl\" på Ålborg\tkl. 10"), "Æblegrød: \"øl\" på Ålborg\tkl. 10");
        assert_eq!(escape_text("bell\u{7}null\u{0}del\u{7f}"), "bellnulldel");
    }

    #[test]
    fn escaped_text_unescapes_to_the_original() {
        let original = "Dagsorden:\n1. Godkendelse; referat, bilag\n2. Sti: C:\\new\\æøå\\\n3. Slut,;\\";
        assert_eq!(unescape_text(&escape_text(original)), original);
        assert!(!escape_text(original).contains('\n'));
    }

    #[test]
    fn long_danish_line_is_folded_on_char_boundaries_and_unfolds_exactly() {
        let value = "Høringssvar fra Københavns, Århus' og Aalborgs kommuner om ændring af bekendtgørelsen \
                     om kvalitetsstandarder for ældrepleje, både på plejecentre og i eget hjem (æøåÆØÅ)."
            .repeat(3);
        // Every offset of the multi-byte letters against the fold points.
        for prefix in 0..4 {
            let line = format!("DESCRIPTION:{}{}", "x".repeat(prefix), escape_text(&value));
            let mut folded = String::new();
            push_folded(&mut folded, &line);

            let bytes = folded.as_bytes();
            assert!(bytes.ends_with(b"\r\n"));
            let physical: Vec<&[u8]> = bytes[..bytes.len() - 2].split(|&b| b == b'\n').collect();
            assert!(physical.len() > 3, "a long line is folded");
            for (index, raw) in physical.iter().enumerate() {
                let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                assert!(raw.len() <= MAX_LINE_OCTETS, "line {index} has {} octets", raw.len());
                // A split inside a character would leave invalid UTF-8 on both sides.
                assert!(std::str::from_utf8(raw).is_ok(), "line {index} splits a character");
                assert_eq!(index > 0, raw.starts_with(b" "), "only continuations start with a space");
            }
            // Folds are as late as allowed: only a two-octet letter that does
            // not fit ends a line early, by one octet.
            for raw in &physical[..physical.len() - 1] {
                let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                assert!(raw.len() >= MAX_LINE_OCTETS - 1, "a line is folded after {} octets", raw.len());
            }
            assert_eq!(unfold(&folded), format!("{line}\r\n"));
            assert_eq!(unescape_text(&parse(&folded)[0].value), format!("{}{value}", "x".repeat(prefix)));
        }
    }

    #[test]
    fn lines_up_to_75_octets_are_not_folded() {
        let mut out = String::new();
        push_folded(&mut out, &"a".repeat(75));
        assert_eq!(out, format!("{}\r\n", "a".repeat(75)));

        let mut out = String::new();
        push_folded(&mut out, &"a".repeat(76));
        assert_eq!(out, format!("{}\r\n a\r\n", "a".repeat(75)));

        // 74 octets, then a two-octet letter that does not fit.
        let mut out = String::new();
        push_folded(&mut out, &format!("{}ø", "a".repeat(74)));
        assert_eq!(out, format!("{}\r\n ø\r\n", "a".repeat(74)));
    }

    #[test]
    fn summer_event_is_written_in_cest_wall_time() {
        let event = single_event(meeting("2027-03-31T11:00:00Z", "2027-03-31T12:30:00Z"));
        assert_eq!(wall_time(find(&event, "DTSTART").unwrap()), ("TZID=Europe/Copenhagen", "20270331T130000"));
        assert_eq!(wall_time(find(&event, "DTEND").unwrap()), ("TZID=Europe/Copenhagen", "20270331T143000"));
    }

    #[test]
    fn winter_event_is_written_in_cet_wall_time() {
        let event = single_event(meeting("2027-01-12T12:00:00Z", "2027-01-12T14:00:00Z"));
        assert_eq!(wall_time(find(&event, "DTSTART").unwrap()), ("TZID=Europe/Copenhagen", "20270112T130000"));
        assert_eq!(wall_time(find(&event, "DTEND").unwrap()), ("TZID=Europe/Copenhagen", "20270112T150000"));
    }

    #[test]
    fn event_across_the_spring_change_gets_both_offsets() {
        // 28 March 2027 is the last Sunday of March: 01:30 CET until 03:30 CEST.
        let event = single_event(meeting("2027-03-28T00:30:00Z", "2027-03-28T01:30:00Z"));
        assert_eq!(find(&event, "DTSTART").unwrap().value, "20270328T013000");
        assert_eq!(find(&event, "DTEND").unwrap().value, "20270328T033000");
    }

    #[test]
    fn repeated_hour_in_autumn_is_wall_time_once_and_utc_the_second_time() {
        // 31 October 2027: 02:30 CEST is 00:30Z, 02:30 CET is 01:30Z. Clients
        // read a repeated wall time as its first occurrence.
        let event = single_event(meeting("2027-10-31T00:30:00Z", "2027-10-31T01:30:00Z"));
        assert_eq!(wall_time(find(&event, "DTSTART").unwrap()), ("TZID=Europe/Copenhagen", "20271031T023000"));
        assert_eq!(wall_time(find(&event, "DTEND").unwrap()), ("", "20271031T013000Z"));
    }

    #[test]
    fn times_under_older_rules_are_written_in_utc() {
        // Until 1995 Danish summer time ended on the last Sunday of September.
        let event = single_event(meeting("1990-10-10T12:00:00Z", "1990-10-10T13:00:00Z"));
        assert_eq!(wall_time(find(&event, "DTSTART").unwrap()), ("", "19901010T120000Z"));
        let event = single_event(meeting("1970-01-10T12:00:00Z", "1970-01-10T13:00:00Z"));
        assert_eq!(wall_time(find(&event, "DTSTART").unwrap()), ("", "19700110T120000Z"));
    }

    #[test]
    fn the_tzid_names_the_apps_time_zone() {
        assert_eq!(TZID, TZ.name());
        assert!(VTIMEZONE.contains(&format!("TZID:{TZID}").as_str()));
    }

    #[test]
    fn vtimezone_agrees_with_chrono_tz_from_1996_on_except_the_repeated_hour() {
        let mut at = utc_at("1996-01-01T00:00:00Z");
        let mut repeated_hours = 0;
        while at.year() < 2060 {
            let local = at.with_timezone(&TZ);
            let chrono_offset = TimeDelta::seconds(i64::from(local.offset().fix().local_minus_utc()));
            let ours = utc_offset_by_vtimezone(local.naive_local()).unwrap();
            if ours == chrono_offset {
                assert!(date_time("DTSTART", at).starts_with("DTSTART;TZID=Europe/Copenhagen:"), "{at}");
            } else {
                // Only the second 02:00 (CET) on the last Sunday of October.
                assert_eq!(chrono_offset, TimeDelta::hours(1), "{at}");
                assert_eq!(local.time(), NaiveTime::from_hms_opt(2, 0, 0).unwrap(), "{at}");
                assert_eq!(local.date_naive(), last_sunday(at.year(), 10).unwrap(), "{at}");
                assert!(date_time("DTSTART", at).ends_with('Z'), "{at}");
                repeated_hours += 1;
            }
            at += TimeDelta::hours(1);
        }
        assert_eq!(repeated_hours, 2060 - 1996);
    }

    #[test]
    fn all_day_event_ends_the_next_day() {
        for (day, next) in [
            (date(2027, 4, 15), "20270416"),
            (date(2028, 2, 28), "20280229"),
            (date(2027, 2, 28), "20270301"),
            (date(2027, 12, 31), "20280101"),
        ] {
            let properties = parse(&calendar("Frister", &[], &[deadline(day)], now()));
            let events = vevents(&properties);
            assert_eq!(events.len(), 1);
            let start = find(events[0], "DTSTART").unwrap();
            let end = find(events[0], "DTEND").unwrap();
            assert_eq!((start.params.as_str(), start.value.clone()), ("VALUE=DATE", day.format("%Y%m%d").to_string()));
            assert_eq!((end.params.as_str(), end.value.as_str()), ("VALUE=DATE", next));
            assert_eq!(find(events[0], "TRANSP").unwrap().value, "TRANSPARENT");
        }
    }

    #[test]
    fn all_day_event_on_the_last_date_has_no_dtend() {
        let properties = parse(&calendar("Frister", &[], &[deadline(NaiveDate::MAX)], now()));
        let events = vevents(&properties);
        assert!(find(events[0], "DTSTART").is_some());
        assert!(find(events[0], "DTEND").is_none());
    }

    #[test]
    fn calendar_begins_and_ends_correctly_and_every_line_ends_with_crlf() {
        let mut event = meeting("2027-03-31T11:00:00Z", "2027-03-31T12:00:00Z");
        event.description = "Linje 1\nLinje 2\r\nLinje 3 med en meget lang tekst om æbler, pærer og blommer".repeat(4);
        let text = calendar("Arbejdsgruppe om ældrepleje", &[event], &[deadline(date(2027, 4, 1))], now());

        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        let body = text.strip_suffix("\r\n").unwrap();
        for line in body.split("\r\n") {
            assert!(!line.contains('\n') && !line.contains('\r'), "bare line break in {line:?}");
            assert!(line.len() <= MAX_LINE_OCTETS, "{line:?} is too long");
        }
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
        assert_eq!(text.matches('\r').count(), text.matches("\r\n").count());
    }

    #[test]
    fn calendar_has_the_header_and_the_copenhagen_time_zone() {
        let text = calendar("Gruppe; A, B", &[], &[], now());
        let expected = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Samarbejdsrum//DA",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:Gruppe\\; A\\, B",
            "X-WR-TIMEZONE:Europe/Copenhagen",
            "BEGIN:VTIMEZONE",
            "TZID:Europe/Copenhagen",
            "BEGIN:DAYLIGHT",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200",
            "TZNAME:CEST",
            "DTSTART:19700329T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "TZNAME:CET",
            "DTSTART:19701025T030000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "END:STANDARD",
            "END:VTIMEZONE",
            "END:VCALENDAR",
        ];
        assert_eq!(text, expected.map(|line| format!("{line}\r\n")).concat());
    }

    #[test]
    fn event_has_all_properties_and_text_survives_parsing() {
        let mut event = meeting("2027-01-12T12:00:00Z", "2027-01-12T14:00:00Z");
        event.summary = "Møde: budget; 2027, del 2".to_owned();
        event.description = "Dagsorden:\n1. Referat, godkendelse\n2. Sti C:\\new\\; slut\\".to_owned();
        event.location = "Mødelokale 3, Rådhuset; Århus".to_owned();
        event.url = Some("https://samarbejdsrum.example/moeder/42?vis=1&sprog=da".to_owned());
        event.last_modified = utc_at("2027-01-02T08:30:15.75Z");
        let properties = single_event(event.clone());

        let names: Vec<&str> = properties.iter().map(|p| p.name.as_str()).collect();
        let expected = [
            "UID",
            "DTSTAMP",
            "DTSTART",
            "DTEND",
            "SUMMARY",
            "DESCRIPTION",
            "LOCATION",
            "URL",
            "LAST-MODIFIED",
            "STATUS",
            "SEQUENCE",
        ];
        assert_eq!(names, expected);
        let value = |name| unescape_text(&find(&properties, name).unwrap().value);
        assert_eq!(value("UID"), event.uid);
        assert_eq!(value("DTSTAMP"), "20270105T091011Z");
        assert_eq!(value("SUMMARY"), event.summary);
        assert_eq!(value("DESCRIPTION"), event.description);
        assert_eq!(value("LOCATION"), event.location);
        assert_eq!(find(&properties, "URL").unwrap().value, event.url.unwrap());
        assert_eq!(value("LAST-MODIFIED"), "20270102T083015Z");
        assert_eq!(value("STATUS"), "CONFIRMED");
        assert_eq!(value("SEQUENCE"), "0");
    }

    #[test]
    fn empty_description_location_and_missing_url_are_left_out() {
        let properties = single_event(meeting("2027-01-12T12:00:00Z", "2027-01-12T14:00:00Z"));
        for name in ["DESCRIPTION", "LOCATION", "URL"] {
            assert!(find(&properties, name).is_none(), "{name} is written");
        }
        assert!(find(&properties, "SUMMARY").is_some());
    }

    #[test]
    fn cancelled_event_has_status_cancelled() {
        let mut event = meeting("2027-01-12T12:00:00Z", "2027-01-12T14:00:00Z");
        event.cancelled = true;
        let properties = single_event(event);
        assert_eq!(find(&properties, "STATUS").unwrap().value, "CANCELLED");
        assert_eq!(find(&properties, "SUMMARY").unwrap().value, "Aflyst: Møde i arbejdsgruppen", "the summary says so");
    }

    #[test]
    fn an_invitation_names_its_recipient_as_attendee_folded_rfc5546() {
        let event = meeting("2027-01-12T12:00:00Z", "2027-01-12T14:00:00Z");
        let ics =
            with_attendee(&invitation(Method::Request, &event, "sekretariat@example.dk", now()), "ida@kommune.dk");
        assert!(ics.lines().all(|l| l.len() <= 75), "{ics}");
        let properties = parse(&ics);
        let attendee = find(vevents(&properties)[0], "ATTENDEE").expect("an attendee");
        assert_eq!(attendee.value, "mailto:ida@kommune.dk");
    }

    #[test]
    fn last_modified_is_never_in_the_future() {
        let mut event = meeting("2027-01-12T12:00:00Z", "2027-01-12T14:00:00Z");
        event.last_modified = event.starts_at;
        assert_eq!(find(&single_event(event), "LAST-MODIFIED").unwrap().value, "20270105T091011Z", "now at the latest");
    }

    #[test]
    fn an_updated_invitation_asks_to_replace_and_a_cancellation_cancels_rfc5546() {
        let mut event = meeting("2027-01-12T12:00:00Z", "2027-01-12T14:00:00Z");
        event.sequence = 3;
        let request = parse(&invitation(Method::Request, &event, "sekretariat@example.dk", now()));
        assert_eq!(find(&request, "METHOD").unwrap().value, "REQUEST");
        let properties = &vevents(&request)[0];
        assert_eq!(find(properties, "SEQUENCE").unwrap().value, "3");
        assert_eq!(find(properties, "ORGANIZER").unwrap().value, "mailto:sekretariat@example.dk");
        event.cancelled = true;
        let cancel = parse(&invitation(Method::Cancel, &event, "sekretariat@example.dk", now()));
        assert_eq!(find(&cancel, "METHOD").unwrap().value, "CANCEL");
        assert_eq!(find(vevents(&cancel)[0], "STATUS").unwrap().value, "CANCELLED");
        assert_eq!(find(vevents(&cancel)[0], "UID").unwrap().value, event.uid);
    }

    #[test]
    fn event_that_does_not_end_after_it_starts_has_no_dtend() {
        let properties = single_event(meeting("2027-01-12T12:00:00Z", "2027-01-12T12:00:00Z"));
        assert!(find(&properties, "DTSTART").is_some());
        assert!(find(&properties, "DTEND").is_none());
    }

    #[test]
    fn url_loses_control_characters() {
        let mut event = meeting("2027-01-12T12:00:00Z", "2027-01-12T14:00:00Z");
        event.url = Some("https://a.example/x\r\nBEGIN:VEVENT".to_owned());
        assert_eq!(find(&single_event(event), "URL").unwrap().value, "https://a.example/xBEGIN:VEVENT");
    }

    #[test]
    fn events_come_in_order_with_timed_before_all_day() {
        let mut first = meeting("2027-05-01T08:00:00Z", "2027-05-01T09:00:00Z");
        first.uid = "meeting-1@samarbejdsrum".to_owned();
        let mut second = meeting("2027-02-01T08:00:00Z", "2027-02-01T09:00:00Z");
        second.uid = "meeting-2@samarbejdsrum".to_owned();
        let properties = parse(&calendar("Alle", &[first, second], &[deadline(date(2027, 1, 1))], now()));
        let uids: Vec<&str> = vevents(&properties).iter().map(|e| find(e, "UID").unwrap().value.as_str()).collect();
        assert_eq!(uids, ["meeting-1@samarbejdsrum", "meeting-2@samarbejdsrum", "deadline-7@samarbejdsrum"]);
        for event in vevents(&properties) {
            assert_eq!(find(event, "DTSTAMP").unwrap().value, "20270105T091011Z");
        }
    }

    #[test]
    fn last_sunday_of_march_and_october() {
        assert_eq!(last_sunday(2027, 3), Some(date(2027, 3, 28)));
        assert_eq!(last_sunday(2027, 10), Some(date(2027, 10, 31)));
        assert_eq!(last_sunday(2026, 3), Some(date(2026, 3, 29)));
        assert_eq!(last_sunday(2026, 10), Some(date(2026, 10, 25)));
        let summer = TZ.with_ymd_and_hms(2026, 3, 29, 3, 0, 0).unwrap();
        assert_eq!(summer.offset().fix().local_minus_utc(), 2 * 3600);
    }
}
