//! O3: a charter's text is kept as plain lines, so that it can be pasted, compared version by
//! version and imported from Word. These are its parts as the page and the documents show them:
//! a line starting "#", or a short line ending in ":", is a heading; lines starting "- ", "* " or
//! "• " are a list; other lines run together into paragraphs, which blank lines separate.

/// The longest charter text kept: a charter is a few pages; this leaves room for fifty.
pub const MAX_CHARS: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Heading(String),
    Paragraph(String),
    List(Vec<String>),
}

pub fn parts(body: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    fn flush(parts: &mut Vec<Part>, paragraph: &mut Vec<&str>, list: &mut Vec<String>) {
        if !paragraph.is_empty() {
            parts.push(Part::Paragraph(paragraph.join(" ")));
            paragraph.clear();
        }
        if !list.is_empty() {
            parts.push(Part::List(std::mem::take(list)));
        }
    }
    for line in body.lines().map(str::trim) {
        if line.is_empty() {
            flush(&mut parts, &mut paragraph, &mut list);
        } else if let Some(item) = ["- ", "* ", "• "].iter().find_map(|m| line.strip_prefix(m)) {
            if !paragraph.is_empty() {
                parts.push(Part::Paragraph(paragraph.join(" ")));
                paragraph.clear();
            }
            list.push(item.trim().to_owned());
        } else if line.starts_with('#') || (line.ends_with(':') && line.chars().count() < 60) {
            flush(&mut parts, &mut paragraph, &mut list);
            parts.push(Part::Heading(line.trim_start_matches('#').trim().to_owned()));
        } else {
            if !list.is_empty() {
                parts.push(Part::List(std::mem::take(&mut list)));
            }
            paragraph.push(line);
        }
    }
    flush(&mut parts, &mut paragraph, &mut list);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_charter_text_keeps_its_headings_lists_and_paragraphs_o3() {
        let found = parts("# Formål\nGruppen skal\nsikre data.\n\nOpgaver:\n- Roadmap\n- Årshjul\nSidste afsnit.");
        assert_eq!(
            found,
            [
                Part::Heading("Formål".into()),
                Part::Paragraph("Gruppen skal sikre data.".into()),
                Part::Heading("Opgaver:".into()),
                Part::List(vec!["Roadmap".into(), "Årshjul".into()]),
                Part::Paragraph("Sidste afsnit.".into()),
            ]
        );
    }
}
