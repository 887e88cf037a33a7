//! A `Document` as an A4 PDF: laid out here (line breaking measured with the font's own advances,
//! page breaks, tables), drawn with krilla, which embeds the subset of the font it uses. Every page
//! carries "Side x af y" and, for a draft, "UDKAST". The font is DejaVu Sans, shipped in
//! `assets/fonts/` with its licence.

use krilla::Document as Pdf;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

use super::{Block, DRAFT_MARK, Document, page_label};

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 56.7;
const RIGHT: f32 = PAGE_W - 56.7;
const TOP: f32 = 70.0;
const BOTTOM: f32 = PAGE_H - 64.0;
const BODY: f32 = 10.0;
const SMALL: f32 = 8.5;
/// Indent of an item's title after its number, and the extra indent of a sub-item.
const NUMBER_W: f32 = 34.0;
const SUB_INDENT: f32 = 18.0;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font could not be read")]
    Font,
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// Measures text in points with the font's advance widths (kerning aside, which only narrows lines).
struct Measure {
    regular: skrifa::FontRef<'static>,
    bold: skrifa::FontRef<'static>,
}

impl Measure {
    fn new() -> Result<Self, PdfError> {
        Ok(Measure {
            regular: skrifa::FontRef::new(REGULAR).map_err(|_| PdfError::Font)?,
            bold: skrifa::FontRef::new(BOLD).map_err(|_| PdfError::Font)?,
        })
    }

    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let font = if bold { &self.bold } else { &self.regular };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .map(|c| {
                let glyph = charmap.map(c).unwrap_or_default();
                metrics.advance_width(glyph).unwrap_or(size * 0.6)
            })
            .sum()
    }

    /// Breaks `text` into lines no wider than `width`, at spaces, and inside a word only when the
    /// word alone is too wide. Line breaks in the text are kept.
    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
                if self.width(&candidate, size, bold) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for c in word.chars() {
                    line.push(c);
                    if self.width(&line, size, bold) > width && line.chars().count() > 1 {
                        line.pop();
                        lines.push(std::mem::take(&mut line));
                        line.push(c);
                    }
                }
            }
            lines.push(line);
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }
}

enum Op {
    Text { x: f32, baseline: f32, size: f32, bold: bool, text: String },
    Rule { x1: f32, x2: f32, y: f32 },
}

/// The pages as they fill: `y` is the top of the next line on the last page.
struct Layout {
    measure: Measure,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout {
    fn page(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` more fits on this one.
    fn room_for(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > TOP {
            self.new_page();
        }
    }

    fn line_height(size: f32) -> f32 {
        size * 1.45
    }

    fn text(&mut self, x: f32, size: f32, bold: bool, text: String) {
        let baseline = self.y + size;
        self.page().push(Op::Text { x, baseline, size, bold, text });
    }

    /// Wrapped text from `x` to the right margin, breaking pages between lines.
    fn paragraph(&mut self, x: f32, size: f32, bold: bool, text: &str) {
        for line in self.measure.wrap(text, size, bold, RIGHT - x) {
            self.room_for(Self::line_height(size));
            self.text(x, size, bold, line);
            self.y += Self::line_height(size);
        }
    }

    fn rule(&mut self, x1: f32, x2: f32) {
        let y = self.y;
        self.page().push(Op::Rule { x1, x2, y });
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading(text) => {
                self.y += 8.0;
                self.room_for(Self::line_height(13.0) * 3.0);
                self.paragraph(LEFT, 13.0, true, text);
                self.y += 2.0;
            }
            Block::Subheading(text) => {
                self.y += 4.0;
                self.room_for(Self::line_height(11.0) * 3.0);
                self.paragraph(LEFT, 11.0, true, text);
            }
            Block::Paragraph(text) => {
                self.paragraph(LEFT, BODY, false, text);
                self.y += 4.0;
            }
            Block::Bullets(lines) => {
                for line in lines {
                    self.room_for(Self::line_height(BODY));
                    self.text(LEFT + 4.0, BODY, false, "•".into());
                    self.paragraph(LEFT + 16.0, BODY, false, line);
                }
                self.y += 4.0;
            }
            Block::Facts(pairs) => {
                let label_w = 110.0;
                for (label, value) in pairs {
                    self.room_for(Self::line_height(BODY));
                    self.text(LEFT, BODY, true, label.clone());
                    self.paragraph(LEFT + label_w, BODY, false, if value.is_empty() { "–" } else { value });
                }
                self.y += 4.0;
            }
            Block::Item { number, title, top_level, lines } => self.item(number, title, *top_level, lines),
            Block::Table { columns, rows } => self.table(columns, rows),
        }
    }

    /// A4: "1.2  Ændringsønsker til godkendelse", its lines indented under the title.
    fn item(&mut self, number: &str, title: &str, top_level: bool, lines: &[String]) {
        let x = if top_level { LEFT } else { LEFT + SUB_INDENT };
        let size = if top_level { 11.0 } else { BODY };
        self.y += if top_level { 6.0 } else { 2.0 };
        self.room_for(Self::line_height(size) * 2.0);
        self.text(x, size, true, number.to_owned());
        self.paragraph(x + NUMBER_W, size, true, title);
        for line in lines {
            self.paragraph(x + NUMBER_W, BODY, false, line);
        }
    }

    fn table(&mut self, columns: &[(String, f32)], rows: &[Vec<String>]) {
        let total: f32 = columns.iter().map(|(_, share)| share).sum::<f32>().max(0.01);
        let mut xs = Vec::with_capacity(columns.len());
        let mut x = LEFT;
        for (_, share) in columns {
            let w = (RIGHT - LEFT) * share / total;
            xs.push((x, w - 6.0));
            x += w;
        }
        let header: Vec<String> = columns.iter().map(|(title, _)| title.clone()).collect();
        self.row(&xs, &header, true);
        for row in rows {
            let height = self.row_height(&xs, row);
            if self.y + height > BOTTOM {
                self.new_page();
                self.row(&xs, &header, true);
            }
            self.row(&xs, row, false);
        }
        self.y += 6.0;
    }

    fn row_height(&self, xs: &[(f32, f32)], cells: &[String]) -> f32 {
        let lines = xs
            .iter()
            .zip(cells)
            .map(|(&(_, w), cell)| self.measure.wrap(cell, SMALL + 0.5, false, w).len())
            .max()
            .unwrap_or(1);
        lines as f32 * Self::line_height(SMALL + 0.5) + 3.0
    }

    fn row(&mut self, xs: &[(f32, f32)], cells: &[String], bold: bool) {
        let size = SMALL + 0.5;
        let height = self.row_height(xs, cells);
        self.room_for(height);
        let top = self.y;
        for (&(x, w), cell) in xs.iter().zip(cells) {
            self.y = top;
            for line in self.measure.wrap(cell, size, bold, w) {
                self.text(x, size, bold, line);
                self.y += Self::line_height(size);
            }
        }
        self.y = top + height;
        if bold {
            self.rule(LEFT, RIGHT);
            self.y += 2.0;
        }
    }
}

/// Lays the document out on A4 pages and writes the PDF.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    let mut layout = Layout { measure: Measure::new()?, pages: Vec::new(), y: TOP };
    layout.page();
    layout.paragraph(LEFT, SMALL, false, &doc.organisation);
    layout.y += 4.0;
    let heading = if doc.title.is_empty() { doc.kind.clone() } else { format!("{} · {}", doc.kind, doc.title) };
    layout.paragraph(LEFT, 18.0, true, &heading);
    layout.y += 6.0;
    for block in &doc.blocks {
        layout.block(block);
    }
    draw(doc, layout.pages)
}

fn draw(doc: &Document, pages: Vec<Vec<Op>>) -> Result<Vec<u8>, PdfError> {
    let regular = Font::new(REGULAR.into(), 0).ok_or(PdfError::Font)?;
    let bold = Font::new(BOLD.into(), 0).ok_or(PdfError::Font)?;
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or(PdfError::Font)?;
    let mut pdf = Pdf::new();
    let title = format!("{} · {}", doc.kind, doc.title);
    pdf.set_metadata(Metadata::new().title(title.clone()).language("da".into()).creator("Samarbejdsrum".into()));
    let count = pages.len();
    let black = Fill::default();
    let red = Fill { paint: rgb::Color::new(170, 20, 20).into(), ..Fill::default() };
    for (index, ops) in pages.into_iter().enumerate() {
        let mut page = pdf.start_page_with(settings.clone());
        let mut surface = page.surface();
        let text = |surface: &mut krilla::surface::Surface, x: f32, y: f32, size: f32, bold_face: bool, s: &str| {
            let font = if bold_face { bold.clone() } else { regular.clone() };
            surface.draw_text(Point::from_xy(x, y), font, size, s, false, TextDirection::Auto);
        };
        for op in ops {
            match op {
                Op::Text { x, baseline, size, bold: b, text: s } => text(&mut surface, x, baseline, size, b, &s),
                Op::Rule { x1, x2, y } => {
                    let mut path = PathBuilder::new();
                    path.move_to(x1, y);
                    path.line_to(x2, y);
                    if let Some(path) = path.finish() {
                        surface.set_stroke(Some(Stroke { width: 0.6, ..Stroke::default() }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
            }
        }
        if doc.draft {
            surface.set_fill(Some(red.clone()));
            text(&mut surface, LEFT, 40.0, 12.0, true, DRAFT_MARK);
            surface.set_fill(Some(black.clone()));
        }
        let footer = page_label(index + 1, count);
        let measure_w = Measure::new()?.width(&footer, SMALL, false);
        text(&mut surface, LEFT, PAGE_H - 36.0, SMALL, false, &title);
        text(&mut surface, RIGHT - measure_w, PAGE_H - 36.0, SMALL, false, &footer);
        surface.finish();
        page.finish();
    }
    pdf.finish().map_err(|e| PdfError::Write(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_breaks_into_lines_that_fit() {
        let m = Measure::new().expect("font");
        let text = "Ændringsønsker til godkendelse og drøftelse på årets første møde ".repeat(5);
        let lines = m.wrap(&text, BODY, false, 200.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| m.width(l, BODY, false) <= 200.0));
    }

    #[test]
    fn a_word_wider_than_the_column_is_broken_inside() {
        let m = Measure::new().expect("font");
        let lines = m.wrap(&"å".repeat(80), BODY, false, 60.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| m.width(l, BODY, false) <= 60.0));
    }

    #[test]
    fn a_long_document_gets_several_pages_and_starts_with_pdf() {
        let doc = Document {
            kind: "Dagsorden".into(),
            organisation: "Samarbejdsrum · Natur".into(),
            title: "Møde I".into(),
            draft: true,
            blocks: (0..80)
                .map(|i| Block::Item {
                    number: format!("{i}"),
                    title: format!("Punkt {i} om æbler, øer og åer"),
                    top_level: true,
                    lines: vec!["v/ Forpersonen".into()],
                })
                .collect(),
        };
        let bytes = render(&doc).expect("pdf");
        assert!(bytes.starts_with(b"%PDF-"));
    }
}
