//! A meeting's file for the case system (ESDH): one zip whose single folder is named by the group and
//! the meeting's date (T7: the date is its folder), holding the agenda, the approved minutes, the
//! attachments and an index of what it holds.

use std::io::{Cursor, Write};

use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

pub struct CaseFile {
    /// The folder inside the zip and the zip's own name, e.g. "natur-2027-03-31".
    pub folder: String,
    /// Lines at the top of the index: group, meeting, date, when the file was made.
    pub about: Vec<String>,
    pub agenda_pdf: Vec<u8>,
    /// R4: only approved minutes go into the case file.
    pub minutes_pdf: Option<Vec<u8>>,
    /// (file name, content) of every attachment (T7).
    pub attachments: Vec<(String, Vec<u8>)>,
}

#[derive(Debug, thiserror::Error)]
#[error("the case file could not be written: {0}")]
pub struct CaseFileError(String);

/// A name that stays one file inside the folder, unique among `taken`.
fn entry_name(name: &str, taken: &mut Vec<String>) -> String {
    let clean: String = name.chars().map(|c| if matches!(c, '/' | '\\') || c.is_control() { '_' } else { c }).collect();
    let clean = clean.trim_start_matches('.').to_owned();
    let clean = if clean.is_empty() { "bilag".to_owned() } else { clean };
    let (stem, ext) = match clean.rfind('.') {
        Some(dot) if dot > 0 => (clean[..dot].to_owned(), clean[dot..].to_owned()),
        _ => (clean.clone(), String::new()),
    };
    let mut candidate = clean;
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
        candidate = format!("{stem} ({n}){ext}");
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

/// The paths inside the zip, in order, and the zip's bytes.
pub fn render(file: CaseFile) -> Result<(Vec<String>, Vec<u8>), CaseFileError> {
    let err = |e: &dyn std::fmt::Display| CaseFileError(e.to_string());
    let folder = &file.folder;
    let mut entries: Vec<(String, Vec<u8>, String)> = Vec::new();
    entries.push((format!("{folder}/dagsorden.pdf"), file.agenda_pdf, "Dagsorden (PDF)".into()));
    if let Some(minutes) = file.minutes_pdf {
        entries.push((format!("{folder}/referat.pdf"), minutes, "Referat, godkendt (PDF)".into()));
    }
    let mut taken = Vec::new();
    for (name, content) in file.attachments {
        let entry = entry_name(&name, &mut taken);
        entries.push((format!("{folder}/bilag/{entry}"), content, format!("Bilag: {name}")));
    }
    let mut index = String::new();
    for line in &file.about {
        index.push_str(line);
        index.push_str("\r\n");
    }
    index.push_str("\r\nIndhold:\r\n");
    for (path, content, what) in &entries {
        let inside = path.strip_prefix(&format!("{folder}/")).unwrap_or(path);
        index.push_str(&format!("{inside}\t{what}\t{} bytes\r\n", content.len()));
    }
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let mut names = Vec::new();
    let index_path = format!("{folder}/index.txt");
    zip.start_file(index_path.as_str(), deflated).map_err(|e| err(&e))?;
    zip.write_all(index.as_bytes()).map_err(|e| err(&e))?;
    names.push(index_path);
    for (path, content, _) in entries {
        zip.start_file(path.as_str(), deflated).map_err(|e| err(&e))?;
        zip.write_all(&content).map_err(|e| err(&e))?;
        names.push(path);
    }
    let bytes = zip.finish().map_err(|e| err(&e))?.into_inner();
    Ok((names, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_with_the_same_name_or_a_path_stay_apart_inside_the_folder_t7() {
        let mut taken = Vec::new();
        assert_eq!(entry_name("Bilag.pdf", &mut taken), "Bilag.pdf");
        assert_eq!(entry_name("bilag.pdf", &mut taken), "bilag (2).pdf");
        assert_eq!(entry_name("../../etc/passwd", &mut taken), "_.._etc_passwd");
    }

    #[test]
    fn the_zip_holds_the_index_the_agenda_and_the_attachments_t7() {
        let file = CaseFile {
            folder: "natur-2027-03-31".into(),
            about: vec!["Faggruppe Natur".into()],
            agenda_pdf: b"%PDF-".to_vec(),
            minutes_pdf: None,
            attachments: vec![("Årshjul.pdf".into(), b"%PDF-".to_vec())],
        };
        let (names, bytes) = render(file).expect("zip");
        assert_eq!(
            names,
            ["natur-2027-03-31/index.txt", "natur-2027-03-31/dagsorden.pdf", "natur-2027-03-31/bilag/Årshjul.pdf"]
        );
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("readable");
        assert_eq!(zip.len(), 3);
    }
}
