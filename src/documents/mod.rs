//! Agendas, minutes and charters as documents to file and print: one plain model of a document
//! (`Document`), laid out as an A4 PDF (`pdf`) or written as Word (`docx`), and a meeting's file for
//! the case system (`case_file`, T7). The pages decide what a document holds and who may have it;
//! this module only renders. Rendering is CPU work: callers run it on a blocking thread.

pub mod case_file;
pub mod charter;
pub mod docx;
pub mod pdf;
pub mod word_import;

/// A document as both renderings see it: a heading, the lines under it, and blocks in reading order.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// "Dagsorden", "Referat", "Kommissorium".
    pub kind: String,
    /// Who it is from: the application and the group.
    pub organisation: String,
    /// The meeting's or charter's title.
    pub title: String,
    /// A4 (agenda), R2-R4 (minutes): "UDKAST" on every page until the document is final.
    pub draft: bool,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub enum Block {
    /// A section heading.
    Heading(String),
    /// A heading inside a section (a roadmap initiative, a part of the dashboard).
    Subheading(String),
    /// Label and value pairs ("Tidspunkt", "kl. 13–16").
    Facts(Vec<(String, String)>),
    Paragraph(String),
    Bullets(Vec<String>),
    /// A4: a numbered agenda or minutes item; `lines` follow it indented.
    Item {
        number: String,
        title: String,
        top_level: bool,
        lines: Vec<String>,
    },
    /// Columns with their share of the width (summing to about 1) and rows of cells.
    Table {
        columns: Vec<(String, f32)>,
        rows: Vec<Vec<String>>,
    },
}

/// The Danish text of the page footer: "Side 3 af 7".
pub fn page_label(page: usize, pages: usize) -> String {
    format!("Side {page} af {pages}")
}

pub const DRAFT_MARK: &str = "UDKAST";

/// A file name from free text: letters (Danish ones too), digits and dashes, no path or spaces.
pub fn file_stem(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() { "dokument".into() } else { trimmed.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_keep_danish_letters_and_drop_separators() {
        assert_eq!(file_stem("Faggruppe Natur"), "faggruppe-natur");
        assert_eq!(file_stem("Vand & Jord / Åer"), "vand-jord-åer");
        assert_eq!(file_stem("../"), "dokument");
    }

    #[test]
    fn page_labels_are_danish() {
        assert_eq!(page_label(1, 3), "Side 1 af 3");
    }
}
