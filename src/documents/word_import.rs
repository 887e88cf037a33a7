//! A charter written in Word becomes a charter version's text (O3) without retyping: the .docx's
//! headings, lists, paragraphs and table rows, in reading order, in the plain form the charter
//! page and documents read ("# " a heading, "- " a list item, a blank line between blocks).
//!
//! The file comes from a browser upload, so anything may arrive: every failure is a `WordRefusal`
//! with a Danish message, never a panic, and nothing is inflated beyond `MAX_XML_BYTES`.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// The most a part of the document may inflate to: a charter is a few pages, and a zip bomb must
/// not fill the server's memory.
const MAX_XML_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WordRefusal {
    #[error("Filen kunne ikke læses som et Word-dokument (.docx). Gem den som .docx i Word, og prøv igen.")]
    Unreadable,
    #[error("Word-dokumentet indeholder ingen tekst.")]
    NoText,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Paragraph,
    Heading,
    ListItem,
}

/// One paragraph as read: its kind and its text with runs joined.
struct Paragraph {
    kind: Kind,
    text: String,
}

/// The charter text of a .docx, or why it cannot be one.
pub fn charter_text(bytes: &[u8]) -> Result<String, WordRefusal> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| WordRefusal::Unreadable)?;
    let document = part(&mut zip, "word/document.xml")?.ok_or(WordRefusal::Unreadable)?;
    let headings = match part(&mut zip, "word/styles.xml")? {
        Some(styles) => heading_styles(&styles)?,
        None => HashMap::new(),
    };
    let paragraphs = paragraphs(&document, &headings)?;
    let text = plain_text(&paragraphs);
    if text.trim().is_empty() { Err(WordRefusal::NoText) } else { Ok(text) }
}

/// A part of the package as text, bounded; `None` when the package has no such part.
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, WordRefusal> {
    let file = match zip.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(_) => return Err(WordRefusal::Unreadable),
    };
    let mut text = String::new();
    file.take(MAX_XML_BYTES + 1).read_to_string(&mut text).map_err(|_| WordRefusal::Unreadable)?;
    if text.len() as u64 > MAX_XML_BYTES {
        return Err(WordRefusal::Unreadable);
    }
    Ok(Some(text))
}

fn attr(element: &BytesStart, name: &[u8]) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// Style ids whose style is a heading or a title, mapped to true. Word names them "heading 1" and
/// "Title" whatever the interface language; the ids differ ("Heading1", "Overskrift1").
fn heading_styles(xml: &str) -> Result<HashMap<String, bool>, WordRefusal> {
    let mut reader = Reader::from_str(xml);
    let mut headings = HashMap::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event().map_err(|_| WordRefusal::Unreadable)? {
            Event::Start(e) if e.name().as_ref() == b"w:style" => current = attr(&e, b"w:styleId"),
            Event::Empty(e) if e.name().as_ref() == b"w:name" => {
                if let (Some(id), Some(name)) = (&current, attr(&e, b"w:val")) {
                    let name = name.to_lowercase();
                    if name.starts_with("heading") || name == "title" || name.starts_with("overskrift") {
                        headings.insert(id.clone(), true);
                    }
                }
            }
            Event::Empty(e) if e.name().as_ref() == b"w:outlineLvl" => {
                if let Some(id) = &current {
                    headings.insert(id.clone(), true);
                }
            }
            Event::End(e) if e.name().as_ref() == b"w:style" => current = None,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(headings)
}

/// The paragraphs of the document body in reading order; a table row becomes one paragraph with
/// its cells joined by " · ".
fn paragraphs(xml: &str, headings: &HashMap<String, bool>) -> Result<Vec<Paragraph>, WordRefusal> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut kind = Kind::Paragraph;
    let mut text = String::new();
    let mut in_text = false;
    let mut table_depth = 0usize;
    let mut row: Vec<String> = Vec::new();
    loop {
        match reader.read_event().map_err(|_| WordRefusal::Unreadable)? {
            Event::Start(e) => match e.name().as_ref() {
                b"w:p" => {
                    kind = Kind::Paragraph;
                    text.clear();
                }
                b"w:t" => in_text = true,
                b"w:tbl" => table_depth += 1,
                b"w:tr" => row.clear(),
                b"w:numPr" if kind == Kind::Paragraph => kind = Kind::ListItem,
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                b"w:pStyle" => {
                    let style = attr(&e, b"w:val").unwrap_or_default();
                    let lower = style.to_lowercase();
                    if headings.contains_key(&style) || lower.starts_with("heading") || lower.starts_with("overskrift")
                    {
                        kind = Kind::Heading;
                    } else if kind == Kind::Paragraph && (lower.starts_with("list") || lower.starts_with("opstilling"))
                    {
                        kind = Kind::ListItem;
                    }
                }
                b"w:outlineLvl" => kind = Kind::Heading,
                b"w:tab" | b"w:br" | b"w:cr" => text.push(' '),
                _ => {}
            },
            Event::Text(t) if in_text => {
                text.push_str(&t.decode().map_err(|_| WordRefusal::Unreadable)?);
            }
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else {
                    let name = r.decode().map_err(|_| WordRefusal::Unreadable)?;
                    text.push_str(match name.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"w:t" => in_text = false,
                b"w:p" => {
                    // Word keeps some marks as control characters; a charter's text holds none.
                    let visible: String = text.chars().filter(|c| !c.is_control() || c.is_whitespace()).collect();
                    let line = visible.split_whitespace().collect::<Vec<_>>().join(" ");
                    if table_depth > 0 {
                        if !line.is_empty() {
                            row.push(line);
                        }
                    } else {
                        out.push(Paragraph { kind, text: line });
                    }
                    text.clear();
                }
                b"w:tr" if !row.is_empty() => {
                    out.push(Paragraph { kind: Kind::Paragraph, text: row.join(" · ") });
                    row.clear();
                }
                b"w:tbl" => table_depth = table_depth.saturating_sub(1),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// The charter page's plain form: a blank line between blocks, list items together.
fn plain_text(paragraphs: &[Paragraph]) -> String {
    let mut out = String::new();
    let mut previous: Option<Kind> = None;
    for p in paragraphs.iter().filter(|p| !p.text.is_empty()) {
        if let Some(prev) = previous
            && !(prev == Kind::ListItem && p.kind == Kind::ListItem)
        {
            out.push('\n');
        }
        match p.kind {
            Kind::Heading => out.push_str("# "),
            Kind::ListItem => out.push_str("- "),
            Kind::Paragraph => {}
        }
        out.push_str(&p.text);
        out.push('\n');
        previous = Some(p.kind);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A package with the given parts, as Word writes them (deflated).
    fn package(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in parts {
            zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    const STYLES: &str = r#"<w:styles xmlns:w="w"><w:style w:type="paragraph" w:styleId="Overskrift1"><w:name w:val="heading 1"/></w:style><w:style w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>"#;

    fn body(paragraphs: &str) -> String {
        format!(r#"<w:document xmlns:w="w"><w:body>{paragraphs}</w:body></w:document>"#)
    }

    #[test]
    fn headings_lists_paragraphs_and_table_rows_are_kept_in_order_o3() {
        let xml = body(concat!(
            r#"<w:p><w:pPr><w:pStyle w:val="Overskrift1"/></w:pPr><w:r><w:t>Formål</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t xml:space="preserve">Gruppen sikrer </w:t></w:r><w:r><w:t>data &amp; kvalitet.</w:t></w:r></w:p>"#,
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Roadmap</w:t></w:r></w:p>"#,
            r#"<w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr><w:r><w:t>Årshjul</w:t></w:r></w:p>"#,
            r#"<w:p/>"#,
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Rolle</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Antal</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            r#"<w:p><w:r><w:t>Sidste</w:t><w:tab/><w:t>afsnit æøå</w:t></w:r></w:p>"#,
        ));
        let text = charter_text(&package(&[("word/document.xml", &xml), ("word/styles.xml", STYLES)])).unwrap();
        assert_eq!(
            text,
            "# Formål\n\nGruppen sikrer data & kvalitet.\n\n- Roadmap\n- Årshjul\n\nRolle · Antal\n\nSidste afsnit æøå\n"
        );
    }

    #[test]
    fn a_document_without_text_is_refused_as_empty() {
        let xml = body("<w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p>");
        assert_eq!(charter_text(&package(&[("word/document.xml", &xml)])), Err(WordRefusal::NoText));
    }

    #[test]
    fn other_files_and_zips_without_a_document_are_unreadable() {
        assert_eq!(charter_text(b"%PDF-1.7 not a Word file"), Err(WordRefusal::Unreadable));
        assert_eq!(charter_text(b""), Err(WordRefusal::Unreadable));
        assert_eq!(charter_text(&package(&[("content.xml", "<office/>")])), Err(WordRefusal::Unreadable));
        let broken = package(&[("word/document.xml", "<w:document><w:body><w:p></w:body>")]);
        assert_eq!(charter_text(&broken), Err(WordRefusal::Unreadable));
    }

    /// Every truncation of a real package and some noise: an answer each time, never a panic.
    #[test]
    fn truncated_and_garbled_files_are_answered_not_crashed_on() {
        let xml = body(r#"<w:p><w:r><w:t>Kommissorium for styregruppen</w:t></w:r></w:p>"#);
        let whole = package(&[("word/document.xml", &xml), ("word/styles.xml", STYLES)]);
        assert!(charter_text(&whole).is_ok());
        for end in 0..whole.len() {
            let _ = charter_text(&whole[..end]);
        }
        let mut seed: u32 = 2026;
        for round in 0..200 {
            let mut garbled = whole.clone();
            for _ in 0..=round % 8 {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let at = seed as usize % garbled.len();
                garbled[at] ^= (seed >> 16) as u8 | 1;
            }
            let _ = charter_text(&garbled);
        }
    }

    #[test]
    fn a_part_that_inflates_beyond_the_bound_is_refused() {
        let huge = body(&"<w:p><w:r><w:t>x</w:t></w:r></w:p>".repeat(600_000));
        assert!(huge.len() as u64 > MAX_XML_BYTES);
        assert_eq!(charter_text(&package(&[("word/document.xml", &huge)])), Err(WordRefusal::Unreadable));
    }
}
