//! O3: a charter version as a document: its text (headings, lists and paragraphs kept), the group's
//! kind, the version's status and, once approved, the approving body and the date.

use super::{Block, Document};
use crate::domain::charter_text::{Part, parts};
use crate::domain::document_codes::CharterStatus;
use crate::store::charters::Charter;
use crate::store::groups::Group;
use crate::text;

fn body_blocks(body: &str) -> Vec<Block> {
    parts(body)
        .into_iter()
        .map(|part| match part {
            Part::Heading(t) => Block::Subheading(t),
            Part::Paragraph(t) => Block::Paragraph(t),
            Part::List(items) => Block::Bullets(items),
        })
        .collect()
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
        organisation: format!("{} · {}", group.family.organisation(), group.name),
        title: format!("{}, version {}", group.name, charter.version),
        draft: charter.status == CharterStatus::Draft,
        blocks,
    }
}
