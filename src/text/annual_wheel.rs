//! The annual wheel ("årshjul"): one calendar year drawn as a ring of twelve months, with the
//! group's meetings on the rim and its recurring duties on an inner ring.
//!
//! `render` lays the wheel out here (every position, line and leader) and draws it with the template
//! `templates/annual_wheel.svg`, which escapes every text. The SVG uses presentation attributes only
//! (`fill`, `stroke`, `font-size`, ...), never a `style` attribute or a script, so it passes a strict
//! CSP. Classes (`annual-wheel`, `month`, `meeting`, `meeting-link`, `duty`, ...) are there for the
//! app's stylesheet, e.g. focus rings on the links.
//!
//! Geometry: angles are degrees clockwise from 12 o'clock. A date sits at
//! `360 * (day of year - 1) / days in year`, so 1 January is at the very top, and each month's
//! sector is as wide as the month is long (leap years included); a meeting therefore always lands
//! inside its own month. Numbers are written with at most one decimal, so the output is
//! deterministic.

use askama::Template;
use chrono::{Datelike, NaiveDate};

use crate::text::dates::{MONTH_ABBREVIATIONS, MONTHS as MONTH_NAMES};

/// A meeting shown as a marker on the rim of the wheel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelMeeting {
    pub date: NaiveDate,
    /// Short name, e.g. "Møde II".
    pub label: String,
    /// Short Danish titles of the topics placed on this meeting.
    pub topics: Vec<String>,
    /// Link to the meeting page. Only relative URLs and http(s)/mailto are linked.
    pub href: Option<String>,
}

/// A recurring duty shown on the inner ring in the middle of its month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelDuty {
    /// 1..=12; anything else is left out.
    pub month: u32,
    /// E.g. "Dataansvarsaftale (Y2)".
    pub label: String,
}

const SIZE: f64 = 720.0;
const CENTRE: f64 = SIZE / 2.0;
const RING_OUTER: f64 = 192.0;
const RING_INNER: f64 = 140.0;
const MONTH_LABEL_SIZE: f64 = 14.0;
const MEETING_MARKER: f64 = 7.0;
const MEETING_LABEL_RADIUS: f64 = 212.0;
/// How far a meeting label may be moved outwards when its natural place is taken.
const MEETING_PUSHES: [f64; 4] = [0.0, 16.0, 32.0, 48.0];
const MEETING_SEARCH_STEPS: i32 = 12;
/// Labels this far from their marker get a leader line.
const MEETING_LEADER_GAP: f64 = 24.0;
const DUTY_RING: f64 = 126.0;
const DUTY_MARKER: f64 = 6.0;
const DUTY_LABEL_RADIUS: f64 = 111.0;
/// Widest angle between the markers of several duties in the same month.
const DUTY_SPREAD: f64 = 7.0;
const YEAR_SIZE: f64 = 34.0;
/// Line lengths that fit beside the wheel at 3 and 9 o'clock.
const MAX_LINE_CHARS: usize = 20;
const MAX_LABEL_CHARS: usize = 17;
const MAX_TOPICS: usize = 3;
const DUTY_LINE_CHARS: usize = 18;
const MAX_DUTY_LINES: usize = 2;
const DUTY_SEARCH_STEPS: i32 = 8;
const DUTY_LEADER_GAP: f64 = 22.0;
/// Grid step (px) of the search for a free place for a label.
const SEARCH_GRID: f64 = 8.0;

/// The months' fills, alternating; the other colours are the template's.
const FILL_EVEN: &str = "#e6eef8";
const FILL_ODD: &str = "#f5f6f8";

/// The wheel as the template draws it: every number already written with at most one decimal.
#[derive(Template)]
#[template(path = "annual_wheel.svg", escape = "html")]
struct Wheel {
    year: i32,
    size: String,
    centre: String,
    title_id: String,
    desc_id: String,
    desc: String,
    months: Vec<MonthView>,
    month_label_size: String,
    duty_ring: String,
    duty_groups: Vec<DutyGroupView>,
    meetings: Vec<MeetingView>,
    meeting_marker: String,
    year_y: String,
    year_size: String,
    legend: LegendView,
}

struct MonthView {
    d: String,
    fill: &'static str,
    label_x: String,
    label_y: String,
    label: &'static str,
}

struct DutyGroupView {
    month: u32,
    markers: Vec<DutyMarkerView>,
    leader: Option<LeaderView>,
    text: TextBlock,
}

struct DutyMarkerView {
    title: String,
    path: String,
}

struct MeetingView {
    title: String,
    leader: Option<LeaderView>,
    href: Option<String>,
    cx: String,
    cy: String,
    text: TextBlock,
}

struct LeaderView {
    x1: String,
    y1: String,
    x2: String,
    y2: String,
}

/// A label's lines, each a `<tspan>` at its place.
struct TextBlock {
    class: &'static str,
    anchor: &'static str,
    lines: Vec<TspanView>,
}

struct TspanView {
    x: String,
    y: String,
    size: String,
    bold: bool,
    underline: bool,
    text: String,
}

struct LegendView {
    x: String,
    y: String,
    tx: String,
    ty: String,
    dty: String,
    duty_path: String,
}

/// Draws the annual wheel of `year`. Meetings outside `year` and duties with a month outside
/// 1..=12 are left out (and not counted in the description).
#[must_use]
pub fn render(year: i32, meetings: &[WheelMeeting], duties: &[WheelDuty]) -> String {
    let mut shown_meetings: Vec<&WheelMeeting> = meetings.iter().filter(|m| m.date.year() == year).collect();
    shown_meetings.sort_by_key(|m| m.date);
    let shown_duties: Vec<&WheelDuty> = duties.iter().filter(|d| (1..=12).contains(&d.month)).collect();
    let wheel = Wheel {
        year,
        size: num(SIZE),
        centre: num(CENTRE),
        title_id: format!("annual-wheel-{year}-title"),
        desc_id: format!("annual-wheel-{year}-desc"),
        desc: summary(year, shown_meetings.len(), shown_duties.len()),
        months: months(year),
        month_label_size: num(MONTH_LABEL_SIZE),
        duty_ring: num(DUTY_RING),
        duty_groups: duty_groups(year, &shown_duties),
        meetings: meeting_views(year, &shown_meetings),
        meeting_marker: num(MEETING_MARKER),
        year_y: num(CENTRE + YEAR_SIZE * 0.35),
        year_size: num(YEAR_SIZE),
        legend: legend(),
    };
    // Drawing the wheel only writes into a string; it cannot fail.
    wheel.render().unwrap_or_default()
}

/// "4 møder og 3 faste opgaver i 2027."
fn summary(year: i32, meetings: usize, duties: usize) -> String {
    let meetings = match meetings {
        0 => "ingen møder".to_owned(),
        1 => "1 møde".to_owned(),
        n => format!("{n} møder"),
    };
    let duties = match duties {
        0 => "ingen faste opgaver".to_owned(),
        1 => "1 fast opgave".to_owned(),
        n => format!("{n} faste opgaver"),
    };
    let sentence = format!("{meetings} og {duties} i {year}.");
    let mut chars = sentence.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => sentence,
    }
}

fn months(year: i32) -> Vec<MonthView> {
    (1..=12u32)
        .map(|month| {
            let (start, end) = month_span(year, month);
            let (x, y) = point((RING_OUTER + RING_INNER) / 2.0, (start + end) / 2.0);
            MonthView {
                d: sector_path(start, end),
                fill: if month % 2 == 1 { FILL_EVEN } else { FILL_ODD },
                label_x: num(x),
                label_y: num(y + MONTH_LABEL_SIZE * 0.35),
                label: MONTH_ABBREVIATIONS[month as usize - 1],
            }
        })
        .collect()
}

/// A duty marker on the inner ring.
struct DutyMarker<'a> {
    duty: &'a WheelDuty,
    x: f64,
    y: f64,
}

/// The duties of one month: their markers and one label block listing them all.
struct DutyGroup<'a> {
    month: u32,
    markers: Vec<DutyMarker<'a>>,
    lines: Vec<Line>,
    block: Block,
    leader_from: (f64, f64),
}

fn layout_duties<'a>(year: i32, duties: &[&'a WheelDuty]) -> Vec<DutyGroup<'a>> {
    let mut groups: Vec<DutyGroup<'a>> = Vec::new();
    for month in 1..=12u32 {
        let in_month: Vec<&WheelDuty> = duties.iter().copied().filter(|d| d.month == month).collect();
        if in_month.is_empty() {
            continue;
        }
        // Several duties in a month are spread around its middle.
        let (start, end) = month_span(year, month);
        let middle = (start + end) / 2.0;
        let count = in_month.len() as f64;
        let step = ((end - start) / count).min(DUTY_SPREAD);
        let markers = in_month
            .iter()
            .enumerate()
            .map(|(i, duty)| {
                let (x, y) = point(DUTY_RING, middle + (i as f64 - (count - 1.0) / 2.0) * step);
                DutyMarker { duty, x, y }
            })
            .collect();
        let lines: Vec<Line> = in_month
            .iter()
            .flat_map(|duty| wrap(&duty.label, DUTY_LINE_CHARS, MAX_DUTY_LINES))
            .map(|text| Line::new(text, 12.0, false))
            .collect();
        let (x, y) = point(DUTY_LABEL_RADIUS, middle);
        let block = layout_block(x, y, middle, &lines, false);
        groups.push(DutyGroup {
            month,
            markers,
            lines,
            block,
            leader_from: point(DUTY_RING - DUTY_MARKER - 1.0, middle),
        });
    }
    // Labels keep clear of the year, of every marker and of each other.
    let mut taken = vec![year_rect()];
    taken.extend(groups.iter().flat_map(|g| &g.markers).map(|m| Rect {
        x0: m.x - DUTY_MARKER,
        y0: m.y - DUTY_MARKER,
        x1: m.x + DUTY_MARKER,
        y1: m.y + DUTY_MARKER,
    }));
    for group in &mut groups {
        let base = &group.block;
        group.block =
            place(|_| base.clone(), &[0.0], DUTY_SEARCH_STEPS, Region::InsideDutyRing, group.leader_from, &taken);
        taken.push(group.block.rect);
    }
    groups
}

fn duty_groups(year: i32, duties: &[&WheelDuty]) -> Vec<DutyGroupView> {
    layout_duties(year, duties)
        .into_iter()
        .map(|group| DutyGroupView {
            month: group.month,
            markers: group
                .markers
                .iter()
                .map(|&DutyMarker { duty, x, y }| DutyMarkerView {
                    title: clean(&format!("{} ({})", duty.label.trim(), MONTH_NAMES[group.month as usize - 1])),
                    path: format!(
                        "M{x} {top}L{right} {y}L{x} {bottom}L{left} {y}Z",
                        x = num(x),
                        y = num(y),
                        top = num(y - DUTY_MARKER),
                        bottom = num(y + DUTY_MARKER),
                        left = num(x - DUTY_MARKER),
                        right = num(x + DUTY_MARKER),
                    ),
                })
                .collect(),
            leader: leader(group.leader_from, &group.block.rect, DUTY_LEADER_GAP),
            text: text_block("duty-label", &group.block, &group.lines, false),
        })
        .collect()
}

/// A meeting marker with its placed label.
struct MeetingMark<'a> {
    meeting: &'a WheelMeeting,
    x: f64,
    y: f64,
    lines: Vec<Line>,
    block: Block,
    leader_from: (f64, f64),
}

/// Places the labels in date order, each clear of the earlier ones and of the legend.
fn layout_meetings<'a>(year: i32, meetings: &[&'a WheelMeeting]) -> Vec<MeetingMark<'a>> {
    let mut taken = vec![LEGEND_RECT];
    let mut marks = Vec::with_capacity(meetings.len());
    for meeting in meetings {
        let angle = date_angle(year, meeting.date);
        let (x, y) = point(RING_OUTER, angle);
        let lines = meeting_lines(meeting);
        let leader_from = point(RING_OUTER + MEETING_MARKER + 1.0, angle);
        let block = place(
            |push| {
                let (x, y) = point(MEETING_LABEL_RADIUS + push, angle);
                layout_block(x, y, angle, &lines, true)
            },
            &MEETING_PUSHES,
            MEETING_SEARCH_STEPS,
            Region::OutsideRing,
            leader_from,
            &taken,
        );
        taken.push(block.rect);
        marks.push(MeetingMark { meeting, x, y, lines, block, leader_from });
    }
    marks
}

fn meeting_views(year: i32, meetings: &[&WheelMeeting]) -> Vec<MeetingView> {
    layout_meetings(year, meetings)
        .into_iter()
        .map(|MeetingMark { meeting, x, y, lines, block, leader_from }| {
            let mut title = format!(
                "{}, {}. {} {}",
                display_label(meeting),
                meeting.date.day(),
                MONTH_NAMES[meeting.date.month0() as usize],
                meeting.date.year()
            );
            let topics: Vec<&str> = meeting.topics.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).collect();
            if !topics.is_empty() {
                title.push_str(": ");
                title.push_str(&topics.join(", "));
            }
            let href = meeting.href.as_deref().and_then(safe_href).map(str::to_owned);
            MeetingView {
                title: clean(&title),
                leader: leader(leader_from, &block.rect, MEETING_LEADER_GAP),
                text: text_block("meeting-label", &block, &lines, href.is_some()),
                href,
                cx: num(x),
                cy: num(y),
            }
        })
        .collect()
}

/// A thin line from `from` to the nearest point of a label that ended up further away than `gap`.
fn leader(from: (f64, f64), label: &Rect, gap: f64) -> Option<LeaderView> {
    let to = label.nearest_point(from);
    ((to.0 - from.0).hypot(to.1 - from.1) > gap).then(|| LeaderView {
        x1: num(from.0),
        y1: num(from.1),
        x2: num(to.0),
        y2: num(to.1),
    })
}

/// Where a label block must stay.
#[derive(Clone, Copy)]
enum Region {
    /// On the canvas, clear of the month ring and the meeting markers.
    OutsideRing,
    /// Inside the ring of duty markers.
    InsideDutyRing,
}

/// Finds a place for a label block near its natural position: tries the block built by `base`
/// for each outward push, shifted by up to `steps` grid steps horizontally and vertically, and
/// keeps the cheapest. The cost is the distance moved plus heavy penalties for overlapping
/// earlier labels (`taken`), leaving `region`, or a leader line from `marker` that would cross an
/// earlier label, so a crowded wheel still gets a best effort. The search order is fixed, so the
/// result is deterministic.
fn place(
    base: impl Fn(f64) -> Block,
    pushes: &[f64],
    steps: i32,
    region: Region,
    marker: (f64, f64),
    taken: &[Rect],
) -> Block {
    let mut best: Option<(f64, Block)> = None;
    for &push in pushes {
        let block = base(push);
        for dy in -steps..=steps {
            for dx in -steps..=steps {
                let (dx, dy) = (f64::from(dx) * SEARCH_GRID, f64::from(dy) * SEARCH_GRID);
                let moved = dx.abs() + dy.abs() + push * 1.5;
                if best.as_ref().is_some_and(|(cost, _)| moved >= *cost) {
                    continue;
                }
                let rect = block.rect.shifted(dx, dy);
                let cost = moved + penalty(&rect, region, marker, taken);
                if best.as_ref().is_none_or(|(best_cost, _)| cost < *best_cost) {
                    best = Some((cost, block.shifted(dx, dy)));
                }
            }
        }
    }
    match best {
        Some((_, block)) => block,
        None => base(0.0),
    }
}

fn penalty(rect: &Rect, region: Region, marker: (f64, f64), taken: &[Rect]) -> f64 {
    let overlap: f64 = taken.iter().map(|t| rect.overlap_area(t)).sum();
    let leader_end = rect.nearest_point(marker);
    let crossings = taken.iter().filter(|t| t.crossed_by(marker, leader_end)).count() as f64;
    let outside = match region {
        Region::OutsideRing => {
            const MARGIN: f64 = 4.0;
            let off_canvas = (MARGIN - rect.x0).max(0.0)
                + (rect.x1 - (SIZE - MARGIN)).max(0.0)
                + (MARGIN - rect.y0).max(0.0)
                + (rect.y1 - (SIZE - MARGIN)).max(0.0);
            let into_ring = (RING_OUTER + MEETING_MARKER + 3.0 - rect.nearest_distance_to_centre()).max(0.0);
            off_canvas + into_ring
        }
        Region::InsideDutyRing => (rect.farthest_distance_to_centre() - (DUTY_RING - 3.0)).max(0.0),
    };
    overlap * 10.0 + outside * 100.0 + crossings * 500.0
}

/// Where the year is drawn.
fn year_rect() -> Rect {
    let baseline = CENTRE + YEAR_SIZE * 0.35;
    let half_width = 4.0 * YEAR_SIZE * 0.6 / 2.0;
    Rect { x0: CENTRE - half_width, y0: baseline - YEAR_SIZE * 0.75, x1: CENTRE + half_width, y1: baseline + 2.0 }
}

fn display_label(meeting: &WheelMeeting) -> &str {
    let label = meeting.label.trim();
    if label.is_empty() { "Møde" } else { label }
}

/// The label (bold), the date, and the first few topics.
fn meeting_lines(meeting: &WheelMeeting) -> Vec<Line> {
    let date = meeting.date;
    let mut lines = vec![
        Line::new(truncate(display_label(meeting), MAX_LABEL_CHARS), 13.0, true),
        Line::new(format!("{}. {}", date.day(), MONTH_ABBREVIATIONS[date.month0() as usize]), 12.0, false),
    ];
    let topics: Vec<&str> = meeting.topics.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).collect();
    let shown = if topics.len() > MAX_TOPICS { MAX_TOPICS - 1 } else { topics.len() };
    for topic in &topics[..shown] {
        lines.push(Line::new(truncate(topic, MAX_LINE_CHARS), 12.0, false));
    }
    match topics.len() - shown {
        0 => {}
        1 => lines.push(Line::new("+1 emne mere".to_owned(), 12.0, false)),
        n => lines.push(Line::new(format!("+{n} emner mere"), 12.0, false)),
    }
    lines
}

const LEGEND_X: f64 = 30.0;
const LEGEND_Y: f64 = 676.0;
/// Room taken by the legend in the bottom-left corner.
const LEGEND_RECT: Rect = Rect { x0: LEGEND_X - 8.0, y0: LEGEND_Y - 8.0, x1: LEGEND_X + 90.0, y1: LEGEND_Y + 30.0 };

fn legend() -> LegendView {
    let (x, y) = (LEGEND_X, LEGEND_Y);
    LegendView {
        x: num(x),
        y: num(y),
        tx: num(x + 14.0),
        ty: num(y + 4.0),
        dty: num(y + 26.0),
        duty_path: format!(
            "M{x} {top}L{right} {middle}L{x} {bottom}L{left} {middle}Z",
            x = num(x),
            top = num(y + 22.0 - DUTY_MARKER),
            right = num(x + DUTY_MARKER),
            middle = num(y + 22.0),
            bottom = num(y + 22.0 + DUTY_MARKER),
            left = num(x - DUTY_MARKER),
        ),
    }
}

/// One line of a label block.
struct Line {
    text: String,
    size: f64,
    bold: bool,
}

impl Line {
    fn new(text: String, size: f64, bold: bool) -> Self {
        Self { text, size, bold }
    }

    fn height(&self) -> f64 {
        self.size + 3.0
    }

    /// A generous estimate; good enough to keep labels apart.
    fn width(&self) -> f64 {
        let factor = if self.bold { 0.68 } else { 0.6 };
        self.text.chars().count() as f64 * self.size * factor
    }
}

#[derive(Clone, Copy)]
enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Middle => "middle",
            Self::End => "end",
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    /// Overlap area, counting a 4px gap between the rectangles.
    fn overlap_area(&self, other: &Rect) -> f64 {
        const GAP: f64 = 4.0;
        let width = self.x1.min(other.x1) - self.x0.max(other.x0) + GAP;
        let height = self.y1.min(other.y1) - self.y0.max(other.y0) + GAP;
        width.max(0.0) * height.max(0.0)
    }

    fn shifted(&self, dx: f64, dy: f64) -> Rect {
        Rect { x0: self.x0 + dx, y0: self.y0 + dy, x1: self.x1 + dx, y1: self.y1 + dy }
    }

    fn nearest_point(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (x.clamp(self.x0, self.x1), y.clamp(self.y0, self.y1))
    }

    /// Whether the segment from `a` to `b` passes through this rectangle (Liang–Barsky clipping).
    fn crossed_by(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        for (p, q) in [(-dx, a.0 - self.x0), (dx, self.x1 - a.0), (-dy, a.1 - self.y0), (dy, self.y1 - a.1)] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
        t0 < t1
    }

    fn nearest_distance_to_centre(&self) -> f64 {
        let (x, y) = self.nearest_point((CENTRE, CENTRE));
        (x - CENTRE).hypot(y - CENTRE)
    }

    fn farthest_distance_to_centre(&self) -> f64 {
        let dx = (self.x0 - CENTRE).abs().max((self.x1 - CENTRE).abs());
        let dy = (self.y0 - CENTRE).abs().max((self.y1 - CENTRE).abs());
        dx.hypot(dy)
    }
}

#[derive(Clone)]
struct Block {
    anchor: Anchor,
    x: f64,
    baselines: Vec<f64>,
    rect: Rect,
}

impl Block {
    fn shifted(&self, dx: f64, dy: f64) -> Block {
        Block {
            anchor: self.anchor,
            x: self.x + dx,
            baselines: self.baselines.iter().map(|b| b + dy).collect(),
            rect: self.rect.shifted(dx, dy),
        }
    }
}

/// Places a block of lines beside the point (`x`, `y`) at `angle`, growing away from the centre
/// (`outward`) or towards it: text is anchored on the side facing the point, and the block is
/// shifted vertically so it sits above the point at the top of the wheel, below it at the bottom,
/// and centred on it at the sides (mirrored for `outward == false`).
fn layout_block(x: f64, y: f64, angle: f64, lines: &[Line], outward: bool) -> Block {
    let (sin, cos) = angle.to_radians().sin_cos();
    let side = if outward { sin } else { -sin };
    let anchor = if side > 0.25 {
        Anchor::Start
    } else if side < -0.25 {
        Anchor::End
    } else {
        Anchor::Middle
    };
    let height: f64 = lines.iter().map(Line::height).sum();
    let top = if outward { y - height * (1.0 + cos) / 2.0 } else { y - height * (1.0 - cos) / 2.0 };
    let mut baselines = Vec::with_capacity(lines.len());
    let mut cursor = top;
    for line in lines {
        baselines.push(cursor + line.size * 0.85);
        cursor += line.height();
    }
    let width = lines.iter().map(Line::width).fold(0.0, f64::max);
    let (x0, x1) = match anchor {
        Anchor::Start => (x, x + width),
        Anchor::End => (x - width, x),
        Anchor::Middle => (x - width / 2.0, x + width / 2.0),
    };
    Block { anchor, x, baselines, rect: Rect { x0, y0: top, x1, y1: top + height } }
}

fn text_block(class: &'static str, block: &Block, lines: &[Line], underline_first: bool) -> TextBlock {
    TextBlock {
        class,
        anchor: block.anchor.as_str(),
        lines: lines
            .iter()
            .zip(&block.baselines)
            .enumerate()
            .map(|(i, (line, baseline))| TspanView {
                x: num(block.x),
                y: num(*baseline),
                size: num(line.size),
                bold: line.bold,
                underline: i == 0 && underline_first,
                text: clean(&line.text),
            })
            .collect(),
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_year(year: i32) -> u32 {
    if is_leap(year) { 366 } else { 365 }
}

/// Days of `year` before the first of `month` (1..=13; 13 gives the whole year).
fn days_before_month(year: i32, month: u32) -> u32 {
    const CUMULATIVE: [u32; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
    let days = CUMULATIVE[month.clamp(1, 13) as usize - 1];
    if month > 2 && is_leap(year) { days + 1 } else { days }
}

/// Start and end angle of `month` (1..=12) in `year`.
fn month_span(year: i32, month: u32) -> (f64, f64) {
    let total = f64::from(days_in_year(year));
    let start = f64::from(days_before_month(year, month));
    let end = f64::from(days_before_month(year, month + 1));
    (360.0 * start / total, 360.0 * end / total)
}

/// 1 January is at 0°, 31 December just before 360°.
fn date_angle(year: i32, date: NaiveDate) -> f64 {
    360.0 * f64::from(date.ordinal0()) / f64::from(days_in_year(year))
}

/// The point at `radius` from the centre and `angle` degrees clockwise from 12 o'clock.
fn point(radius: f64, angle: f64) -> (f64, f64) {
    let (sin, cos) = angle.to_radians().sin_cos();
    (CENTRE + radius * sin, CENTRE - radius * cos)
}

/// An annulus sector between the two rings from `start` to `end` degrees (clockwise).
fn sector_path(start: f64, end: f64) -> String {
    let large = if end - start > 180.0 { 1 } else { 0 };
    let (ox0, oy0) = point(RING_OUTER, start);
    let (ox1, oy1) = point(RING_OUTER, end);
    let (ix1, iy1) = point(RING_INNER, end);
    let (ix0, iy0) = point(RING_INNER, start);
    format!(
        "M{} {}A{ro} {ro} 0 {large} 1 {} {}L{} {}A{ri} {ri} 0 {large} 0 {} {}Z",
        num(ox0),
        num(oy0),
        num(ox1),
        num(oy1),
        num(ix1),
        num(iy1),
        num(ix0),
        num(iy0),
        ro = num(RING_OUTER),
        ri = num(RING_INNER),
    )
}

/// At most one decimal, no trailing ".0", never "-0".
fn num(value: f64) -> String {
    let tenths = (value * 10.0).round();
    if tenths == 0.0 || !tenths.is_finite() {
        "0".to_owned()
    } else if tenths % 10.0 == 0.0 {
        format!("{:.0}", tenths / 10.0)
    } else {
        format!("{:.1}", tenths / 10.0)
    }
}

/// Text as XML 1.0 can hold it: line breaks and tabs become spaces, other control characters (which
/// XML forbids) are dropped. The template escapes what is left.
fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => None,
            c => Some(c),
        })
        .collect()
}

/// `text` cut to `max` characters, ending in "…" when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// Word-wraps `text` into at most `max_lines` lines of at most `max_chars` characters.
fn wrap(text: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let word = truncate(word, max_chars);
        if current.is_empty() {
            current = word;
        } else if current.chars().count() + 1 + word.chars().count() <= max_chars {
            current.push(' ');
            current.push_str(&word);
        } else {
            lines.push(std::mem::replace(&mut current, word));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = truncate(&format!("{last}…"), max_chars);
        }
    }
    lines
}

/// Relative URLs and http(s)/mailto links pass; anything with another scheme (javascript:,
/// data:, ...) is dropped so the marker is drawn without a link.
fn safe_href(href: &str) -> Option<&str> {
    if href.is_empty() || href.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    match href.find([':', '/', '?', '#']) {
        Some(i) if href[i..].starts_with(':') => {
            let scheme = href[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto").then_some(href)
        }
        _ => Some(href),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test data")
    }

    fn meeting(date: NaiveDate, label: &str) -> WheelMeeting {
        WheelMeeting { date, label: label.to_owned(), topics: Vec::new(), href: None }
    }

    /// The opening tags (up to '>') that start with `prefix`.
    fn tags<'a>(svg: &'a str, prefix: &str) -> Vec<&'a str> {
        svg.match_indices(prefix).map(|(i, _)| &svg[i..i + svg[i..].find('>').expect("valid test data")]).collect()
    }

    fn attr(tag: &str, name: &str) -> f64 {
        let key = format!(" {name}=\"");
        let start = tag.find(&key).unwrap_or_else(|| panic!("no {name} in {tag}")) + key.len();
        let end = start + tag[start..].find('"').expect("valid test data");
        tag[start..end].parse().expect("valid test data")
    }

    /// Angle (clockwise from 12 o'clock) of the first meeting marker.
    fn marker_angle(svg: &str) -> f64 {
        let marker = tags(svg, "<circle class=\"meeting-marker\"")[0];
        let (x, y) = (attr(marker, "cx") - CENTRE, CENTRE - attr(marker, "cy"));
        let angle = x.atan2(y).to_degrees();
        if angle < 0.0 { angle + 360.0 } else { angle }
    }

    fn assert_marker_at(svg: &str, expected_angle: f64) {
        let marker = tags(svg, "<circle class=\"meeting-marker\"")[0];
        let (ex, ey) = point(RING_OUTER, expected_angle);
        assert!((attr(marker, "cx") - ex).abs() <= 0.1, "{marker} vs ({ex}, {ey})");
        assert!((attr(marker, "cy") - ey).abs() <= 0.1, "{marker} vs ({ex}, {ey})");
    }

    /// A small XML well-formedness check: balanced tags, quoted attributes, known entities only.
    fn assert_well_formed(xml: &str) {
        let mut stack: Vec<&str> = Vec::new();
        let mut rest = xml;
        while let Some(open) = rest.find('<') {
            check_text(&rest[..open]);
            let close = open + rest[open..].find('>').expect("unclosed tag");
            let tag = &rest[open + 1..close];
            rest = &rest[close + 1..];
            assert!(!tag.contains('<'), "'<' inside tag {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop(), Some(name.trim()), "mismatched </{name}>");
                continue;
            }
            let self_closing = tag.ends_with('/');
            let body = tag.trim_end_matches('/');
            let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
            let name = &body[..name_end];
            assert!(!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '-'));
            check_attributes(&body[name_end..]);
            if !self_closing {
                stack.push(name);
            }
            if stack.is_empty() {
                assert!(rest.is_empty(), "content after the root element: {rest}");
            }
        }
        check_text(rest);
        assert!(stack.is_empty(), "unclosed: {stack:?}");
    }

    fn check_attributes(mut attrs: &str) {
        let mut seen = Vec::new();
        loop {
            attrs = attrs.trim_start();
            if attrs.is_empty() {
                return;
            }
            let eq = attrs.find('=').expect("attribute without value");
            let name = &attrs[..eq];
            assert!(!seen.contains(&name), "duplicate attribute {name}");
            seen.push(name);
            let value = attrs[eq + 1..].strip_prefix('"').expect("unquoted attribute");
            let end = value.find('"').expect("unterminated attribute");
            check_text(&value[..end]);
            attrs = &value[end + 1..];
        }
    }

    fn check_text(text: &str) {
        assert!(!text.contains('<') && !text.contains('>'), "unescaped text: {text}");
        let mut rest = text;
        while let Some(i) = rest.find('&') {
            let entity = &rest[i..i + rest[i..].find(';').expect("unterminated entity") + 1];
            let numeric =
                entity.strip_prefix("&#").and_then(|n| n.strip_suffix(';')).is_some_and(|n| n.parse::<u32>().is_ok());
            assert!(
                numeric || ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(&entity),
                "unknown entity {entity}"
            );
            rest = &rest[i + 1..];
        }
    }

    fn sample() -> String {
        let meetings = vec![
            WheelMeeting {
                date: date(2027, 3, 10),
                label: "Møde I".to_owned(),
                topics: vec!["Budget 2028".to_owned(), "Dataansvarsaftaler og databehandling".to_owned()],
                href: Some("/grupper/1/moeder/1".to_owned()),
            },
            meeting(date(2027, 3, 17), "Møde II"),
            meeting(date(2027, 6, 2), "Møde III"),
            WheelMeeting {
                date: date(2027, 11, 24),
                label: "Møde IV".to_owned(),
                topics: (1..=6).map(|i| format!("Emne {i}")).collect(),
                href: Some("/grupper/1/moeder/4?vis=1&fane=2".to_owned()),
            },
        ];
        let duties = vec![
            WheelDuty { month: 2, label: "Dataansvarsaftale (Y2)".to_owned() },
            WheelDuty { month: 9, label: "Årsrapport til styregruppen med bilag og høringssvar".to_owned() },
            WheelDuty { month: 9, label: "Budgetopfølgning".to_owned() },
        ];
        render(2027, &meetings, &duties)
    }

    #[test]
    fn is_a_single_svg_element() {
        let svg = render(2027, &[], &[]);
        assert!(svg.starts_with("<svg"));
        assert!(svg.ends_with("</svg>"));
        assert!(sample().starts_with("<svg") && sample().ends_with("</svg>"));
    }

    #[test]
    fn is_accessible_and_scalable() {
        let svg = sample();
        let root = tags(&svg, "<svg")[0];
        // A group, not an img: an img's content is presentational, and the meeting links must stay reachable.
        assert!(root.contains(" role=\"group\""));
        assert!(root.contains(" viewBox=\"0 0 720 720\""));
        assert!(!root.contains(" width=") && !root.contains(" height="));
        assert!(root.contains(" aria-labelledby=\"annual-wheel-2027-title annual-wheel-2027-desc\""));
        assert!(svg.contains("<title id=\"annual-wheel-2027-title\">Årshjul 2027</title>"));
        assert!(svg.contains("<desc id=\"annual-wheel-2027-desc\">4 møder og 3 faste opgaver i 2027.</desc>"));
    }

    #[test]
    fn summary_uses_danish_singular_and_none() {
        assert_eq!(summary(2027, 1, 1), "1 møde og 1 fast opgave i 2027.");
        assert_eq!(summary(2027, 0, 2), "Ingen møder og 2 faste opgaver i 2027.");
        assert_eq!(summary(2027, 3, 0), "3 møder og ingen faste opgaver i 2027.");
    }

    #[test]
    fn has_twelve_month_sectors_with_danish_labels() {
        let svg = sample();
        assert_eq!(svg.matches("class=\"month\"").count(), 12);
        assert_eq!(tags(&svg, "<path class=\"month\"").len(), 12);
        assert_eq!(svg.matches("class=\"month-label\"").count(), 12);
        for abbreviation in MONTH_ABBREVIATIONS {
            assert!(svg.contains(&format!(">{abbreviation}</text>")), "{abbreviation}");
        }
        let fills: Vec<String> = tags(&svg, "<path class=\"month\"")
            .iter()
            .map(|t| t.split("fill=\"").nth(1).expect("valid test data")[..7].to_owned())
            .collect();
        assert_eq!(fills[0], FILL_EVEN);
        assert_eq!(fills[1], FILL_ODD);
        assert!(fills.windows(2).all(|w| w[0] != w[1]));
        // January starts at 12 o'clock.
        let top = format!("d=\"M360 {}A{r} {r} 0 0 1 ", num(CENTRE - RING_OUTER), r = num(RING_OUTER));
        assert!(tags(&svg, "<path class=\"month\"")[0].contains(&top));
    }

    #[test]
    fn year_is_bold_in_the_centre() {
        let svg = render(2027, &[], &[]);
        let year = tags(&svg, "<text class=\"year\"")[0];
        assert_eq!(attr(year, "x"), CENTRE);
        assert!(year.contains("font-weight=\"bold\""));
        assert!(svg.contains(">2027</text>"));
    }

    #[test]
    fn first_of_january_is_at_the_top() {
        let svg = render(2027, &[meeting(date(2027, 1, 1), "Møde I")], &[]);
        let marker = tags(&svg, "<circle class=\"meeting-marker\"")[0];
        assert_eq!(attr(marker, "cx"), CENTRE);
        assert_eq!(attr(marker, "cy"), CENTRE - RING_OUTER);
    }

    #[test]
    fn first_of_july_is_at_the_bottom_right() {
        let svg = render(2027, &[meeting(date(2027, 7, 1), "Møde III")], &[]);
        // 1 July 2027 is day 182, so 181 days have passed out of 365.
        let expected: f64 = 360.0 * 181.0 / 365.0;
        assert!((expected - 178.5).abs() < 0.1);
        assert_marker_at(&svg, expected);
        let marker = tags(&svg, "<circle class=\"meeting-marker\"")[0];
        assert!(attr(marker, "cx") > CENTRE, "right-hand half: {marker}");
        assert!(attr(marker, "cy") > CENTRE + RING_OUTER * 0.95, "near the bottom: {marker}");
        assert!((marker_angle(&svg) - expected).abs() < 0.1);
    }

    #[test]
    fn leap_years_have_366_days() {
        // 2028 is a leap year: 1 July is day 183 and the year has 366 days.
        let leap = render(2028, &[meeting(date(2028, 7, 1), "Møde")], &[]);
        assert_marker_at(&leap, 360.0 * 182.0 / 366.0);
        let leap_end = render(2028, &[meeting(date(2028, 12, 31), "Møde")], &[]);
        assert_marker_at(&leap_end, 360.0 * 365.0 / 366.0);
        let common_end = render(2027, &[meeting(date(2027, 12, 31), "Møde")], &[]);
        assert_marker_at(&common_end, 360.0 * 364.0 / 365.0);
        // 29 February lies inside February's sector.
        let leap_day = render(2028, &[meeting(date(2028, 2, 29), "Møde")], &[]);
        let (feb_start, feb_end) = month_span(2028, 2);
        let angle = marker_angle(&leap_day);
        assert!(feb_start < angle && angle < feb_end, "{feb_start} < {angle} < {feb_end}");
        assert!((feb_end - 360.0 * 60.0 / 366.0).abs() < 1e-9);
        // February is a day wider in 2028, so the sector paths differ.
        assert_ne!(tags(&leap_day, "<path class=\"month\"")[1], tags(&common_end, "<path class=\"month\"")[1]);
        // 1900 was not a leap year, 2000 was.
        assert_eq!(days_in_year(1900), 365);
        assert_eq!(days_in_year(2000), 366);
        assert_eq!(month_span(2028, 12).1, 360.0);
    }

    #[test]
    fn every_meeting_lands_in_its_own_month() {
        for year in [2027, 2028] {
            let mut day = date(year, 1, 1);
            while day.year() == year {
                let angle = date_angle(year, day);
                let (start, end) = month_span(year, day.month());
                assert!(start <= angle && angle < end, "{day}");
                day = day.succ_opt().expect("valid test data");
            }
        }
    }

    #[test]
    fn meeting_labels_topics_and_links_are_shown() {
        let svg = sample();
        for label in ["Møde I", "Møde II", "Møde III", "Møde IV"] {
            assert!(svg.contains(&format!(">{label}</tspan>")), "{label}");
        }
        assert!(svg.contains(">10. mar</tspan>"));
        assert!(svg.contains(">Budget 2028</tspan>"));
        assert!(svg.contains(">Dataansvarsaftaler…</tspan>"));
        assert!(svg.contains(">+4 emner mere</tspan>"));
        assert!(
            svg.contains("<title>Møde IV, 24. november 2027: Emne 1, Emne 2, Emne 3, Emne 4, Emne 5, Emne 6</title>")
        );
        assert!(svg.contains("<a class=\"meeting-link\" href=\"/grupper/1/moeder/1\">"));
        assert!(svg.contains("href=\"/grupper/1/moeder/4?vis=1&#38;fane=2\""));
        assert_eq!(svg.matches("<a ").count(), 2);
        assert_eq!(svg.matches("</a>").count(), 2);
        // The link wraps both the marker and the label.
        let link =
            &svg[svg.find("<a class=\"meeting-link\" href=\"/grupper/1/moeder/1\">").expect("valid test data")..];
        let link = &link[..link.find("</a>").expect("valid test data")];
        assert!(link.contains("<circle class=\"meeting-marker\"") && link.contains(">Møde I</tspan>"));
        assert_eq!(tags(&svg, "<circle class=\"meeting-marker\"").len(), 4);
    }

    #[test]
    fn duties_sit_on_the_inner_ring_in_the_middle_of_their_month() {
        let svg = render(2027, &[], &[WheelDuty { month: 4, label: "Dataansvarsaftale (Y2)".to_owned() }]);
        let marker = tags(&svg, "<path class=\"duty-marker\"")[0];
        assert!(marker.contains("fill=\"#b45309\""));
        let (start, end) = month_span(2027, 4);
        let (x, y) = point(DUTY_RING, (start + end) / 2.0);
        assert!(marker.contains(&format!("d=\"M{} {}L", num(x), num(y - DUTY_MARKER))), "{marker}");
        // Wider than a line inside the ring, so it is wrapped.
        assert!(svg.contains(">Dataansvarsaftale</tspan>") && svg.contains(">(Y2)</tspan>"));
        assert!(svg.contains("<title>Dataansvarsaftale (Y2) (april)</title>"));
        // Long duty labels are wrapped.
        let sample = sample();
        assert!(sample.contains(">Årsrapport til</tspan>"));
        assert_eq!(tags(&sample, "<path class=\"duty-marker\"").len(), 3);
    }

    #[test]
    fn out_of_range_items_are_left_out() {
        let svg = render(
            2027,
            &[meeting(date(2026, 12, 31), "Gammelt"), meeting(date(2027, 5, 5), "Nyt")],
            &[WheelDuty { month: 0, label: "Nul".to_owned() }, WheelDuty { month: 13, label: "Tretten".to_owned() }],
        );
        assert!(!svg.contains("Gammelt") && !svg.contains("Nul") && !svg.contains("Tretten"));
        assert!(svg.contains(">Nyt</tspan>"));
        assert!(svg.contains("1 møde og ingen faste opgaver i 2027."));
    }

    #[test]
    fn text_is_escaped() {
        let svg = render(
            2027,
            &[WheelMeeting {
                date: date(2027, 4, 1),
                label: "R&D <x>".to_owned(),
                topics: vec!["\"Citat\" og 'apostrof'".to_owned()],
                href: Some("/s?a=\"><script>".to_owned()),
            }],
            &[WheelDuty { month: 5, label: "A & B <c>".to_owned() }],
        );
        assert!(svg.contains(">R&#38;D &#60;x&#62;</tspan>"), "{svg}");
        assert!(!svg.contains("R&D") && !svg.contains("<x>") && !svg.contains("<script"));
        assert!(svg.contains("&#34;Citat&#34; og &#39;apostrof&#39;"));
        assert!(svg.contains(">A &#38; B &#60;c&#62;</tspan>"));
        assert!(svg.contains("href=\"/s?a=&#34;&#62;&#60;script&#62;\""));
        assert_eq!(
            clean("a\tb\u{0}\u{7}&<c>"),
            "a b&<c>",
            "XML's forbidden characters go; the template escapes the rest"
        );
        assert_well_formed(&svg);
    }

    #[test]
    fn dangerous_links_are_dropped() {
        for href in
            ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:x", "java\tscript:x", "data:text/html,x", ""]
        {
            let svg = render(
                2027,
                &[WheelMeeting {
                    date: date(2027, 4, 1),
                    label: "M".to_owned(),
                    topics: vec![],
                    href: Some(href.into()),
                }],
                &[],
            );
            assert!(!svg.contains("<a "), "{href}");
            assert!(svg.contains(">M</tspan>"));
        }
        for href in ["/moeder/1", "moeder/1", "#m1", "https://example.org/a:b", "?a=b:c", "mailto:a@b.dk"] {
            assert_eq!(safe_href(href), Some(href));
        }
    }

    #[test]
    fn output_is_well_formed_xml() {
        assert_well_formed(&sample());
        assert_well_formed(&render(2028, &[], &[]));
    }

    #[test]
    fn well_formedness_check_catches_errors() {
        for bad in ["<svg><g></svg>", "<svg><g></g>", "<svg a=\"1\" a=\"2\"/>", "<svg>&nbsp;</svg>", "<svg a=1/>"] {
            assert!(std::panic::catch_unwind(|| assert_well_formed(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn csp_friendly_and_readable() {
        let svg = sample();
        assert!(!svg.contains("style=") && !svg.contains("<script") && !svg.contains("<style"));
        for size in svg.split("font-size=\"").skip(1) {
            let size: f64 = size[..size.find('"').expect("valid test data")].parse().expect("valid test data");
            assert!(size >= 12.0, "font-size {size}");
        }
        for fill in svg.split("<text ").skip(1).map(|t| &t[..t.find('>').expect("valid test data")]) {
            assert!(fill.contains("fill=\"#1a1d21\""), "{fill}");
        }
    }

    #[test]
    fn numbers_have_at_most_one_decimal_and_output_is_deterministic() {
        let svg = sample();
        let mut digits_after_point = 0;
        let mut after_point = false;
        for c in svg.chars() {
            if c == '.' {
                after_point = true;
                digits_after_point = 0;
            } else if c.is_ascii_digit() && after_point {
                digits_after_point += 1;
                assert!(digits_after_point <= 1, "too many decimals in output");
            } else {
                after_point = false;
            }
        }
        assert_eq!(svg, sample());
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-3.96), "-4");
    }

    #[test]
    fn close_meetings_do_not_overlap() {
        let meetings: Vec<WheelMeeting> = (1..=3).map(|d| meeting(date(2027, 3, d), &format!("Møde {d}"))).collect();
        let svg = render(2027, &meetings, &[]);
        assert!(svg.contains("class=\"leader\""));
        assert_well_formed(&svg);
    }

    #[test]
    fn labels_of_a_typical_year_do_not_collide() {
        let d = |m, day| date(2027, m, day);
        let topics = |n: usize| (1..=n).map(|i| format!("Dagsordenspunkt {i}")).collect::<Vec<_>>();
        let meetings: Vec<WheelMeeting> =
            [(1, 1), (2, 24), (3, 3), (4, 28), (6, 16), (7, 1), (9, 8), (11, 24), (12, 31)]
                .iter()
                .enumerate()
                .map(|(i, &(m, day))| WheelMeeting {
                    date: d(m, day),
                    label: format!("Møde {}", i + 1),
                    topics: topics(i % 5),
                    href: None,
                })
                .collect();
        let refs: Vec<&WheelMeeting> = meetings.iter().collect();
        let marks = layout_meetings(2027, &refs);
        for (i, a) in marks.iter().enumerate() {
            let r = a.block.rect;
            assert!(r.x0 >= 0.0 && r.y0 >= 0.0 && r.x1 <= SIZE && r.y1 <= SIZE, "{r:?} off canvas");
            assert!(r.nearest_distance_to_centre() > RING_OUTER + MEETING_MARKER, "{r:?} covers the ring");
            assert_eq!(r.overlap_area(&LEGEND_RECT), 0.0);
            for b in &marks[i + 1..] {
                assert_eq!(r.overlap_area(&b.block.rect), 0.0, "{r:?} and {:?}", b.block.rect);
            }
        }

        let duties: Vec<WheelDuty> = [
            (2, "Dataansvarsaftale (Y2)"),
            (3, "Risikovurdering"),
            (3, "Budgetopfølgning"),
            (6, "Kvartalsrapport"),
            (9, "Årsrapport til styregruppen"),
            (10, "Tilsyn"),
        ]
        .iter()
        .map(|&(month, label)| WheelDuty { month, label: label.to_owned() })
        .collect();
        let refs: Vec<&WheelDuty> = duties.iter().collect();
        let groups = layout_duties(2027, &refs);
        assert_eq!(groups.iter().map(|g| g.markers.len()).sum::<usize>(), 6);
        for (i, a) in groups.iter().enumerate() {
            let r = a.block.rect;
            assert!(r.farthest_distance_to_centre() <= DUTY_RING, "{r:?} leaves the inner ring");
            assert_eq!(r.overlap_area(&year_rect()), 0.0, "{r:?} covers the year");
            for b in &groups[i + 1..] {
                assert_eq!(r.overlap_area(&b.block.rect), 0.0, "{r:?} and {:?}", b.block.rect);
            }
        }
    }

    #[test]
    fn segment_crossing() {
        let r = Rect { x0: 10.0, y0: 10.0, x1: 20.0, y1: 20.0 };
        assert!(r.crossed_by((0.0, 15.0), (30.0, 15.0)));
        assert!(r.crossed_by((0.0, 0.0), (30.0, 30.0)));
        assert!(!r.crossed_by((0.0, 0.0), (30.0, 0.0)));
        assert!(!r.crossed_by((0.0, 15.0), (5.0, 15.0)));
        assert!(!r.crossed_by((0.0, 30.0), (30.0, 25.0)));
    }

    #[test]
    fn wrapping_and_truncation() {
        assert_eq!(truncate("kort", 20), "kort");
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(wrap("Dataansvarsaftale (Y2)", 18, 3), vec!["Dataansvarsaftale", "(Y2)"]);
        let wrapped = wrap("en to tre fire fem seks syv otte ni ti elleve tolv", 8, 2);
        assert_eq!(wrapped.len(), 2);
        assert!(wrapped[1].ends_with('…') && wrapped[1].chars().count() <= 8);
        assert!(wrap("   ", 8, 2).is_empty());
    }
}
