//! A `Document` as Word (.docx, A4): the same blocks as the PDF, with Word's own fields for the page
//! numbers ("Side x af y") and "UDKAST" in the header of every page of a draft.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, Header, LineSpacing, NumPages, PageMargin, PageNum, Paragraph, Run,
    SpecialIndentType, Table, TableCell, TableRow, WidthType,
};

use super::{Block, DRAFT_MARK, Document};

/// A4 in twentieths of a point, with 2 cm margins.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN: i32 = 1134;

#[derive(Debug, thiserror::Error)]
#[error("the Word document could not be written: {0}")]
pub struct DocxError(String);

/// Text as runs, keeping the text's own line breaks.
fn run(text: &str, bold: bool, half_points: usize) -> Run {
    let mut r = Run::new().size(half_points);
    if bold {
        r = r.bold();
    }
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        r = r.add_text(line);
    }
    r
}

fn spaced(p: Paragraph, before: u32, after: u32) -> Paragraph {
    p.line_spacing(LineSpacing::new().before(before).after(after))
}

fn indented(p: Paragraph, left: i32, hanging: i32) -> Paragraph {
    p.indent(Some(left), Some(SpecialIndentType::Hanging(hanging)), None, None)
}

fn block(mut docx: Docx, block: &Block) -> Docx {
    match block {
        Block::Heading(text) => docx.add_paragraph(spaced(Paragraph::new().add_run(run(text, true, 26)), 240, 80)),
        Block::Subheading(text) => {
            docx.add_paragraph(spaced(Paragraph::new().add_run(run(text, true, 22)).keep_next(true), 120, 40))
        }
        Block::Paragraph(text) => docx.add_paragraph(spaced(Paragraph::new().add_run(run(text, false, 20)), 0, 80)),
        Block::Bullets(lines) => {
            for line in lines {
                let p = Paragraph::new().add_run(run(&format!("•\t{line}"), false, 20));
                docx = docx.add_paragraph(spaced(indented(p, 360, 360), 0, 40));
            }
            docx
        }
        Block::Facts(pairs) => {
            for (label, value) in pairs {
                let p = Paragraph::new().add_run(run(&format!("{label}: "), true, 20)).add_run(run(
                    if value.is_empty() { "–" } else { value },
                    false,
                    20,
                ));
                docx = docx.add_paragraph(spaced(p, 0, 40));
            }
            docx
        }
        Block::Item { number, title, top_level, lines } => {
            let (left, size) = if *top_level { (567, 22) } else { (907, 20) };
            let p = Paragraph::new().add_run(run(&format!("{number}\t{title}"), true, size)).keep_next(true);
            docx = docx.add_paragraph(spaced(indented(p, left, 567), if *top_level { 160 } else { 60 }, 40));
            for line in lines {
                let p = Paragraph::new().add_run(run(line, false, 20));
                docx = docx.add_paragraph(spaced(indented(p, left, 0), 0, 40));
            }
            docx
        }
        Block::Table { columns, rows } => {
            let total: f32 = columns.iter().map(|(_, share)| share).sum::<f32>().max(0.01);
            let width = (PAGE_W as i32 - 2 * MARGIN) as f32;
            let widths: Vec<usize> = columns.iter().map(|(_, share)| (width * share / total) as usize).collect();
            let cell = |text: &str, bold: bool, w: usize| {
                TableCell::new().width(w, WidthType::Dxa).add_paragraph(Paragraph::new().add_run(run(text, bold, 18)))
            };
            let mut table_rows =
                vec![TableRow::new(columns.iter().zip(&widths).map(|((t, _), &w)| cell(t, true, w)).collect())];
            for row in rows {
                table_rows.push(TableRow::new(row.iter().zip(&widths).map(|(t, &w)| cell(t, false, w)).collect()));
            }
            docx.add_table(Table::new(table_rows).set_grid(widths)).add_paragraph(Paragraph::new())
        }
    }
}

/// The document as the bytes of a .docx file.
pub fn render(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let heading = if doc.title.is_empty() { doc.kind.clone() } else { format!("{} · {}", doc.kind, doc.title) };
    let mut header = Paragraph::new().add_run(run(&doc.organisation, false, 16));
    if doc.draft {
        header = header.add_run(Run::new().add_tab()).add_run(run(DRAFT_MARK, true, 24).color("AA1414"));
    }
    let footer = Paragraph::new()
        .add_run(run(&format!("{heading}    Side "), false, 16))
        .add_page_num(PageNum::new())
        .add_run(run(" af ", false, 16))
        .add_num_pages(NumPages::new())
        .align(AlignmentType::Right);
    let margin =
        PageMargin { top: MARGIN, left: MARGIN, bottom: MARGIN, right: MARGIN, header: 567, footer: 567, gutter: 0 };
    let mut docx = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(margin)
        .header(Header::new().add_paragraph(header))
        .footer(Footer::new().add_paragraph(footer));
    if doc.draft {
        docx = docx.add_paragraph(Paragraph::new().add_run(run(DRAFT_MARK, true, 28).color("AA1414")));
    }
    docx = docx.add_paragraph(spaced(Paragraph::new().add_run(run(&heading, true, 36)), 0, 160));
    for b in &doc.blocks {
        docx = block(docx, b);
    }
    let mut out = Cursor::new(Vec::new());
    docx.build().pack(&mut out).map_err(|e| DocxError(e.to_string()))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_becomes_a_zip_with_its_text_in_word_document_xml() {
        let doc = Document {
            kind: "Referat".into(),
            organisation: "Samarbejdsrum · Natur".into(),
            title: "Møde II".into(),
            draft: true,
            blocks: vec![
                Block::Heading("Til stede".into()),
                Block::Bullets(vec!["Søren Ærø".into()]),
                Block::Table { columns: vec![("Navn".into(), 1.0)], rows: vec![vec!["Åse".into()]] },
            ],
        };
        let bytes = render(&doc).expect("docx");
        assert!(bytes.starts_with(b"PK"));
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").expect("document.xml"), &mut xml)
            .expect("utf-8");
        assert!(xml.contains("Søren Ærø") && xml.contains("Åse") && xml.contains("UDKAST"));
    }
}
