//! O3: a charter written in Word becomes a new draft version without retyping; a file that is not
//! a readable .docx, holds no text or is too large is refused on the page, and nothing is stored.

use reqwest::StatusCode;

use crate::helpers::*;

const FIXTURE: &[u8] = include_bytes!("../fixtures/kommissorium-os2.docx");
const PATH: &str = "/grupper/natur/kommissorium/fra-word";

async fn versions(app: &TestApp) -> Vec<(i32, String)> {
    sqlx::query_as(
        "SELECT c.version, c.body FROM charters c JOIN groups g ON g.id = c.group_id
         WHERE g.slug = 'natur' ORDER BY c.version",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_word_charter_becomes_a_draft_with_its_headings_lists_and_table_o3() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let before = versions(&app).await;

    let response = app.upload(&secretariat, PATH, "Kommissorium OS2.docx", FIXTURE).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let after = versions(&app).await;
    assert_eq!(after.len(), before.len() + 1, "one new version");
    let (version, body) = after.last().unwrap();
    assert_eq!(response.headers()["location"], format!("/grupper/natur/kommissorium/{version}"));
    for line in [
        "# Formål",
        "Styregruppen sikrer, at fællesskabets løsninger udvikles i fællesskab og efter aftale.",
        "# Opgaver",
        "- Godkende roadmap og årshjul\n- Prioritere ændringsønsker\n- Følge økonomien",
        "Medlemmer fra kommunerne · 5",
        "- Mødeform",
        "Gruppen mødes fire gange om året; møderne afholdes på skift i Århus og København.",
    ] {
        assert!(body.contains(line), "the draft keeps {line:?}: {body}");
    }
    let status: String = sqlx::query_scalar(
        "SELECT c.status FROM charters c JOIN groups g ON g.id = c.group_id WHERE g.slug = 'natur' AND c.version = $1",
    )
    .bind(version)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(status, "draft", "an import is a draft until the approving body has decided (O3)");

    // The next draft starts from the imported text, to correct what Word had differently.
    let page = app.get(&secretariat, "/grupper/natur/kommissorium").await.text().await.unwrap();
    assert!(page.contains("- Følge økonomien"), "the draft form starts from the imported text");

    // Approved, the charter page shows its structure: headings as headings, the tasks as a list.
    let board: i64 = sqlx::query_scalar(
        "SELECT k.charter_body_id FROM groups g JOIN group_kinds k ON k.id = g.kind_id WHERE g.slug = 'natur'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let approve = format!("/grupper/natur/kommissorium/{version}/godkend");
    let token = app.csrf(&secretariat, "/grupper/natur/kommissorium").await;
    let today = chrono::Utc::now().date_naive().pred_opt().unwrap().to_string();
    let fields = [("csrf_token", token.as_str()), ("approving_body_id", &board.to_string()), ("approved_on", &today)];
    assert_eq!(app.post_form(&secretariat, &approve, &fields).await.status(), StatusCode::SEE_OTHER);
    let page = app.get(&secretariat, "/grupper/natur/kommissorium").await.text().await.unwrap();
    assert!(page.contains("<h3>Formål</h3>"), "{page}");
    assert!(page.contains("<li>Prioritere ændringsønsker</li>"));
    let audit: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'charter_draft_added'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(audit >= 1);
    app.stop().await;
}

#[tokio::test]
async fn files_that_are_not_a_readable_word_charter_are_refused_in_danish_and_nothing_is_stored_o3() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let before = versions(&app).await;
    let empty_word = {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(br#"<w:document xmlns:w="w"><w:body><w:p/></w:body></w:document>"#).unwrap();
        zip.finish().unwrap().into_inner()
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("kommissorium.pdf", b"%PDF-1.7\n1 0 obj\n".to_vec(), "kunne ikke læses som et Word-dokument"),
        ("kommissorium.docx", FIXTURE[..FIXTURE.len() / 2].to_vec(), "kunne ikke læses som et Word-dokument"),
        ("kommissorium.docx", FIXTURE[..40].to_vec(), "kunne ikke læses som et Word-dokument"),
        ("tomt.docx", empty_word, "indeholder ingen tekst"),
        ("tom.docx", Vec::new(), "Vælg en Word-fil"),
    ];
    for (name, bytes, message) in cases {
        let response = app.upload(&secretariat, PATH, name, &bytes).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let page = response.text().await.unwrap();
        assert!(page.contains(message), "{name}: {message}");
        assert!(page.contains(r#"aria-invalid="true" aria-describedby="e-fil""#), "the field says it");
    }
    // Every truncation step of a real Word file: an answer, never a 500.
    for end in (0..FIXTURE.len()).step_by(997) {
        let status = app.upload(&secretariat, PATH, "k.docx", &FIXTURE[..end]).await.status();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "cut at {end} bytes");
    }
    assert_eq!(versions(&app).await, before, "nothing stored");
    app.stop().await;
}

#[tokio::test]
async fn a_word_file_over_the_attachment_limit_is_refused_and_only_the_secretariat_may_import_o3_t7() {
    let database = fresh_database().await;
    let app = spawn_with(Config { max_attachment_mb: 1, ..Config::for_tests(database) }).await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let before = versions(&app).await;
    let big = vec![b'x'; 1024 * 1024 + 10];
    let response = app.upload(&secretariat, PATH, "stor.docx", &big).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("højst 1 MB"));

    for who in [MEMBER, CHAIR, SUBSTITUTE] {
        let client = app.login_as(who).await;
        assert_eq!(app.upload(&client, PATH, "k.docx", FIXTURE).await.status(), StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(versions(&app).await, before, "nothing stored");
    app.stop().await;
}
