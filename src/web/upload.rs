//! The one file of a multipart upload form (field `fil`), bounded by the attachment limit (T7),
//! or why not in Danish. What the file may be is for each form to decide.

use axum::body::Bytes;
use axum::extract::Multipart;
use axum::http::StatusCode;

/// The browser's name for the file and its bytes; an empty or missing file is `empty`'s message.
pub async fn one_file(form: &mut Multipart, max_mb: u32, empty: &str) -> Result<(String, Bytes), String> {
    let too_big = || format!("Filen er for stor eller kom ikke helt frem (højst {max_mb} MB).");
    let mut file = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_big()),
            Err(_) => {
                return Err("Formularen kunne ikke læses: filen kom ikke helt frem, eller dens navn indeholder \
                            ugyldige tegn. Omdøb filen, og prøv igen."
                    .into());
            }
        };
        if field.name() != Some("fil") {
            continue;
        }
        let name = field.file_name().map(str::to_owned).unwrap_or_default();
        let Ok(bytes) = field.bytes().await else { return Err(too_big()) };
        file = Some((name, bytes));
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(empty.into());
    };
    if bytes.len() > max_mb as usize * 1024 * 1024 {
        return Err(format!("Filen er for stor (højst {max_mb} MB)."));
    }
    Ok((name, bytes))
}
