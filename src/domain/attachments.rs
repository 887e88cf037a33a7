//! Which files may be attached to a meeting (T7): office documents, PDFs, images and text, by
//! extension, served with the type that belongs to the extension rather than what the browser said.

/// The content type to store and serve for a file name, or `None` when the type is not accepted.
pub fn content_type_for(filename: &str) -> Option<&'static str> {
    let ext = filename.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => return None,
    })
}

/// Characters that reorder how text is shown (Unicode bidirectional controls): "Referat\u{202E}fdp.exe"
/// shows as "Referatexe.pdf", so a name holding one could pass for another file type.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The longest file name kept, in bytes of UTF-8 (what file systems allow).
pub const MAX_FILENAME_BYTES: usize = 255;

/// A file name safe to store and to send back in a header: no path and no quotes; a name with control
/// characters or bidirectional controls, an empty one or an overlong one is refused with what is wrong.
pub fn clean_filename(raw: &str) -> Result<String, &'static str> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    if base.chars().any(char::is_control) {
        return Err("Filnavnet indeholder et ugyldigt tegn (et kontroltegn som NUL). Omdøb filen, og prøv igen.");
    }
    if base.chars().any(is_bidi_control) {
        return Err("Filnavnet indeholder et skjult tegn, der vender teksten om (fx U+202E), så navnet kan vise en \
                    anden filtype end den rigtige. Omdøb filen, og prøv igen.");
    }
    let cleaned = base.chars().filter(|c| *c != '"').collect::<String>().trim().to_owned();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        return Err("Filen mangler et navn.");
    }
    if cleaned.len() > MAX_FILENAME_BYTES {
        return Err("Filnavnet er for langt (højst 255 tegn, færre med æ, ø og å). Omdøb filen, og prøv igen.");
    }
    Ok(cleaned)
}

/// PDF and images must start the way their format does; other formats are taken by extension.
pub fn content_matches(content_type: &str, bytes: &[u8]) -> bool {
    match content_type {
        "application/pdf" => bytes.starts_with(b"%PDF-"),
        "image/png" => bytes.starts_with(&[0x89, b'P', b'N', b'G']),
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        t if t.starts_with("application/vnd.openxmlformats") || t.starts_with("application/vnd.oasis") => {
            bytes.starts_with(b"PK")
        }
        _ => true,
    }
}

/// The `Content-Disposition` header of a download: an ASCII fallback name and the exact name in RFC 8187
/// encoding (`filename*=UTF-8''Bilag%201.pdf`: percent-escapes, never `+` for a space).
pub fn content_disposition(filename: &str) -> String {
    let fallback: String = filename
        .chars()
        .map(|c| if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' { c } else { '_' })
        .collect();
    let mut encoded = String::with_capacity(filename.len() * 3);
    for byte in filename.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_types_follow_the_extension_t7() {
        assert_eq!(content_type_for("Bilag 1.PDF"), Some("application/pdf"));
        assert_eq!(content_type_for("budget.xlsx").map(|t| t.contains("spreadsheetml")), Some(true));
        assert_eq!(content_type_for("virus.exe"), None);
        assert_eq!(content_type_for("uden-endelse"), None);
        assert_eq!(content_type_for("side.html"), None, "never served as a page from our origin");
    }

    #[test]
    fn file_names_lose_paths_and_quotes() {
        assert_eq!(clean_filename("C:\\Users\\x\\Referat \"endelig\".docx").as_deref(), Ok("Referat endelig.docx"));
        assert_eq!(clean_filename("../../etc/passwd").as_deref(), Ok("passwd"));
        assert_eq!(clean_filename(".."), Err("Filen mangler et navn."));
        assert_eq!(clean_filename("   "), Err("Filen mangler et navn."));
    }

    #[test]
    fn control_and_bidirectional_characters_and_overlong_names_are_refused_saying_why() {
        assert!(clean_filename("Referat\u{202E}fdp.exe").unwrap_err().contains("U+202E"));
        assert!(clean_filename("a\u{2067}b.pdf").unwrap_err().contains("vender teksten om"));
        assert!(clean_filename("a\0b.pdf").unwrap_err().contains("NUL"));
        let long = format!("{}.pdf", "a".repeat(252));
        assert!(clean_filename(&long).unwrap_err().contains("for langt"), "256 bytes");
        assert_eq!(clean_filename(&format!("{}.pdf", "a".repeat(251))).map(|n| n.len()), Ok(255));
    }

    #[test]
    fn a_pdf_must_look_like_one() {
        assert!(content_matches("application/pdf", b"%PDF-1.7 ..."));
        assert!(!content_matches("application/pdf", b"<html>"));
        assert!(content_matches("text/plain; charset=utf-8", b"hej"));
    }

    #[test]
    fn a_download_name_keeps_its_spaces_and_letters_t7() {
        assert_eq!(
            content_disposition("Bilag 1.pdf"),
            "attachment; filename=\"Bilag 1.pdf\"; filename*=UTF-8''Bilag%201.pdf"
        );
        assert_eq!(
            content_disposition("Årshjul \"ny\".pdf"),
            "attachment; filename=\"_rshjul _ny_.pdf\"; filename*=UTF-8''%C3%85rshjul%20%22ny%22.pdf"
        );
    }
}
