//! O3: a charter version as a document: its text (headings, lists and paragraphs kept), the group's
//! kind, the version's status and, once approved, the approving body and the date.

use super::{Block, Document};
use crate::domain::document_codes::CharterStatus;
use crate::store::charters::Charter;
use crate::store::groups::Group;
use crate::text;

/// Lines starting "- ", "* " or "• " become bullets; a short line ending in ":" or starting "#" a
/// heading; blank lines separate paragraphs.
fn body_blocks(body: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut bullets: Vec<String> = Vec::new();
    let flush = |blocks: &mut Vec<Block>, paragraph: &mut Vec<&str>, bullets: &mut Vec<String>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(paragraph.join(" ")));
            paragraph.clear();
        }
        if !bullets.is_empty() {
            blocks.push(Block::Bullets(std::mem::take(bullets)));
        }
    };
    for line in body.lines().map(str::trim) {
        if line.is_empty() {
            flush(&mut blocks, &mut paragraph, &mut bullets);
        } else if let Some(item) = ["- ", "* ", "• "].iter().find_map(|m| line.strip_prefix(m)) {
            if !paragraph.is_empty() {
                blocks.push(Block::Paragraph(paragraph.join(" ")));
                paragraph.clear();
            }
            bullets.push(item.trim().to_owned());
        } else if line.starts_with('#') || (line.ends_with(':') && line.chars().count() < 60) {
            flush(&mut blocks, &mut paragraph, &mut bullets);
            blocks.push(Block::Subheading(line.trim_start_matches('#').trim().to_owned()));
        } else {
            if !bullets.is_empty() {
                blocks.push(Block::Bullets(std::mem::take(&mut bullets)));
            }
            paragraph.push(line);
        }
    }
    flush(&mut blocks, &mut paragraph, &mut bullets);
    blocks
}

pub fn document(group: &Group, charter: &Charter) -> Document {
    let approved = match (&charter.approved_by, charter.approved_on) {
        (Some(by), Some(on)) => format!("{by}, {}", text::date(on)),
        _ => "Ikke godkendt".into(),
    };
    let mut blocks = vec![Block::Facts(vec![
        ("Gruppe".into(), group.name.clone()),
        ("Gruppetype".into(), group.kind_name.clone()),
        ("Version".into(), charter.version.to_string()),
        ("Status".into(), charter.status.label().into()),
        ("Godkendt af".into(), approved),
    ])];
    blocks.push(Block::Heading("Kommissorium".into()));
    blocks.extend(body_blocks(&charter.body));
    Document {
        kind: "Kommissorium".into(),
        organisation: format!("Samarbejdsrum · {}", group.name),
        title: format!("{}, version {}", group.name, charter.version),
        draft: charter.status == CharterStatus::Draft,
        blocks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_charter_text_keeps_its_headings_lists_and_paragraphs_o3() {
        let blocks =
            body_blocks("# Formål\nGruppen skal\nsikre data.\n\nOpgaver:\n- Roadmap\n- Årshjul\nSidste afsnit.");
        let kinds: Vec<String> = blocks
            .iter()
            .map(|b| match b {
                Block::Subheading(t) => format!("h:{t}"),
                Block::Paragraph(t) => format!("p:{t}"),
                Block::Bullets(items) => format!("ul:{}", items.join("|")),
                _ => "other".into(),
            })
            .collect();
        assert_eq!(
            kinds,
            ["h:Formål", "p:Gruppen skal sikre data.", "h:Opgaver:", "ul:Roadmap|Årshjul", "p:Sidste afsnit."]
        );
    }
}
