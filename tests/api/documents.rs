//! The agenda and the minutes as PDF and Word, and a meeting's case file (A1-A8, R1-R4, T7): what a
//! real reader finds in them (qpdf, pdftotext, the .docx's XML, the zip's listing) and who gets them.

use std::io::{Cursor, Read};
use std::process::Command;

use chrono::{DateTime, TimeZone, Utc};
use reqwest::StatusCode;

use crate::helpers::*;
use crate::minutes::{account_for, held_meeting};

const OUTSIDER: &str = "mads.iversen@mst.example";

fn local(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Copenhagen.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap().with_timezone(&Utc)
}

/// The held Natur meeting with 40 more agenda items (so the documents run over several pages), an
/// item with å in it and an attachment.
async fn long_meeting(app: &TestApp) -> (i64, Vec<String>) {
    let id = held_meeting(app).await;
    let agenda: i64 =
        sqlx::query_scalar("SELECT id FROM agendas WHERE meeting_id = $1").bind(id).fetch_one(&app.db).await.unwrap();
    let mut titles = vec!["Godkendelse af ÆØ-2027-004".to_owned(), "Status fra Parterne".to_owned()];
    for n in 0..40 {
        let title = format!("Årshjulets punkt {n} om søer og åer");
        sqlx::query(
            "INSERT INTO agenda_items (agenda_id, position, title, presenter, body, planned_minutes)
             VALUES ($1, $2, $3, 'Sekretariatet', 'Baggrund for punktet, som fylder en linje eller to i dokumentet.', 5)",
        )
        .bind(agenda)
        .bind(n + 2)
        .bind(&title)
        .execute(&app.db)
        .await
        .unwrap();
        titles.push(title);
    }
    sqlx::query(
        "INSERT INTO documents (meeting_id, filename, content_type, size_bytes, sha256, content)
         VALUES ($1, 'Bilag å.pdf', 'application/pdf', 5, sha256('%PDF-'::bytea), '%PDF-'::bytea)",
    )
    .bind(id)
    .execute(&app.db)
    .await
    .unwrap();
    (id, titles)
}

async fn bytes(app: &TestApp, client: &reqwest::Client, path: &str, content_type: &str) -> Vec<u8> {
    let response = app.get(client, path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let headers = response.headers().clone();
    assert_eq!(headers[reqwest::header::CONTENT_TYPE], content_type, "{path}");
    let disposition = headers[reqwest::header::CONTENT_DISPOSITION].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment;") && disposition.contains("natur-2027-03-17"), "{disposition}");
    response.bytes().await.unwrap().to_vec()
}

/// Checks the PDF with qpdf and returns its text per page (pdftotext).
fn pdf_pages(pdf: &[u8]) -> Vec<String> {
    let path = std::env::temp_dir().join(format!("samarbejdsrum-{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&path, pdf).unwrap();
    let check = Command::new("qpdf").arg("--check").arg(&path).output().expect("qpdf (Debian qpdf) is installed");
    assert!(check.status.success(), "qpdf --check: {}", String::from_utf8_lossy(&check.stdout));
    let text = Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().expect("pdftotext");
    assert!(text.status.success());
    std::fs::remove_file(&path).ok();
    let text = String::from_utf8(text.stdout).unwrap();
    text.split('\x0c').filter(|p| !p.trim().is_empty()).map(str::to_owned).collect()
}

/// The text a real Word reader finds in a .docx: python-docx (Debian's python3-docx, which
/// scripts/test installs) opens it and prints every paragraph, table cell and footer.
pub fn word_text(docx: &[u8]) -> String {
    use std::io::Write;
    let mut reader = Command::new("/usr/bin/python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools/docx_text.py"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 with python3-docx is installed");
    reader.stdin.take().unwrap().write_all(docx).unwrap();
    let out = reader.wait_with_output().unwrap();
    assert!(out.status.success(), "python-docx opens the file: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a .docx is a zip");
    let mut xml = String::new();
    zip.by_name(name).expect(name).read_to_string(&mut xml).unwrap();
    xml
}

fn zip_names(bytes: &[u8]) -> Vec<String> {
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    names.sort();
    names
}

/// pdftotext's layout may space words apart; compare without runs of spaces.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_published_agenda_as_pdf_and_word_holds_every_item_the_invited_and_page_numbers_a4_a5_t4() {
    let app = spawn_app().await;
    let (id, titles) = long_meeting(&app).await;
    let secretariat = app.login_as(SECRETARIAT).await;

    let pdf = bytes(&app, &secretariat, &format!("/moeder/{id}/dagsorden.pdf"), "application/pdf").await;
    let pages = pdf_pages(&pdf);
    assert!(pages.len() >= 2, "42 items run over more than one A4 page");
    let all = squeeze(&pages.join("\n"));
    for title in &titles {
        assert!(all.contains(title.as_str()), "the PDF lists item {title}");
    }
    for letter in ["æ", "ø", "å", "Æ", "Ø", "Å"] {
        assert!(all.contains(letter), "{letter} comes through");
    }
    for (n, page) in pages.iter().enumerate() {
        assert!(squeeze(page).contains(&format!("Side {} af {}", n + 1, pages.len())), "page {n} is numbered");
        assert!(!page.contains("UDKAST"), "a published agenda is no draft");
    }
    assert!(all.contains("Dagsorden"));
    assert!(all.contains("Danmarks Miljøportal · Natur"), "the organisation and the group head it");
    assert!(all.contains("kl. 13:00"), "the clock times follow from the meeting's start (A4)");
    assert!(all.contains("v/ Sekretariatet"), "each item names who presents it (A4)");
    assert!(all.contains("[Beslutning – ansvarlig:"), "decision items are marked (A5)");
    assert!(all.contains("Inviterede") && all.contains("Medlem") && all.contains("Forperson"), "who is invited");
    assert!(all.contains("Bilag å.pdf"), "the attachments by name (T7)");

    let docx = bytes(
        &app,
        &secretariat,
        &format!("/moeder/{id}/dagsorden.docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    .await;
    let text = word_text(&docx);
    for title in &titles {
        assert!(text.contains(title.as_str()), "Word reads item {title} in the .docx");
    }
    assert!(text.contains("Bilag å.pdf") && !text.contains("UDKAST"));
    let footer = zip_entry(&docx, "word/footer1.xml");
    assert!(footer.contains("Side ") && footer.contains("NUMPAGES"), "Word numbers the pages itself");

    let page = app.get(&secretariat, &format!("/moeder/{id}")).await.text().await.unwrap();
    for link in ["dagsorden.pdf", "dagsorden.docx", "sag.zip"] {
        assert!(page.contains(&format!("/moeder/{id}/{link}")), "the meeting page links {link}");
    }
    app.stop().await;
}

#[tokio::test]
async fn who_gets_the_agenda_documents_follows_the_agenda_page_a1_a2_o5() {
    let app = spawn_app().await;
    account_for(&app, OUTSIDER).await;
    let (id, _) = long_meeting(&app).await;
    let [member, substitute, chair, outsider] = [
        app.login_as(MEMBER).await,
        app.login_as(SUBSTITUTE).await,
        app.login_as(CHAIR).await,
        app.login_as(OUTSIDER).await,
    ];
    let pdf = format!("/moeder/{id}/dagsorden.pdf");
    let docx = format!("/moeder/{id}/dagsorden.docx");
    for client in [&member, &substitute, &chair] {
        assert_eq!(app.get(client, &pdf).await.status(), StatusCode::OK);
        assert_eq!(app.get(client, &docx).await.status(), StatusCode::OK);
    }
    // O5: another group's member does not read Natur's agenda.
    assert_eq!(app.get(&outsider, &pdf).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&outsider, &docx).await.status(), StatusCode::NOT_FOUND);
    let anonymous = app.get(&app.client(), &pdf).await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert!(anonymous.headers()[reqwest::header::LOCATION].to_str().unwrap().starts_with("/login"));

    // A1: with the chair, the agenda is a draft: the chair gets it marked UDKAST, a member gets nothing.
    sqlx::query("UPDATE agendas SET status = 'sent_to_chair', approved_at = NULL, approved_by = NULL, published_at = NULL WHERE meeting_id = $1")
        .bind(id)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(app.get(&member, &pdf).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&member, &docx).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&substitute, &pdf).await.status(), StatusCode::NOT_FOUND);
    let pages = pdf_pages(&bytes(&app, &chair, &pdf, "application/pdf").await);
    assert!(pages.iter().all(|p| p.contains("UDKAST")), "UDKAST on every page of a draft agenda");
    let page = app.get(&member, &format!("/moeder/{id}")).await.text().await.unwrap();
    assert!(!page.contains(&pdf), "no link to what the member may not have");
    app.stop().await;
}

#[tokio::test]
async fn draft_minutes_say_udkast_on_every_page_and_stay_with_the_secretariat_r1_r3() {
    let app = spawn_app().await;
    account_for(&app, OUTSIDER).await;
    let (id, titles) = long_meeting(&app).await;
    app.set_time(local(2027, 3, 18, 10));
    let secretariat = app.login_as(SECRETARIAT).await;
    assert_eq!(post(&app, &secretariat, &format!("/moeder/{id}/referat"), &[]).await.status(), StatusCode::SEE_OTHER);
    sqlx::query("UPDATE minutes SET party_summary = 'Kommunerne har fået nye søer på kortet.' WHERE meeting_id = $1")
        .bind(id)
        .execute(&app.db)
        .await
        .unwrap();
    let pdf = format!("/moeder/{id}/referat.pdf");
    let docx = format!("/moeder/{id}/referat.docx");

    let pages = pdf_pages(&bytes(&app, &secretariat, &pdf, "application/pdf").await);
    assert!(pages.len() >= 2);
    for (n, page) in pages.iter().enumerate() {
        assert!(page.contains("UDKAST"), "UDKAST on page {}", n + 1);
        assert!(squeeze(page).contains(&format!("Side {} af {}", n + 1, pages.len())));
    }
    let all = squeeze(&pages.join("\n"));
    for title in &titles {
        assert!(all.contains(title.as_str()), "the minutes hold item {title}");
    }
    assert!(all.contains("Kommunerne har fået nye søer på kortet."), "the parties' summary (R1)");
    let xml = zip_entry(&bytes(&app, &secretariat, &docx, DOCX).await, "word/document.xml");
    assert!(xml.contains("UDKAST") && xml.contains(titles[5].as_str()));
    let page = app.get(&secretariat, &format!("/moeder/{id}/referat")).await.text().await.unwrap();
    assert!(page.contains(&pdf) && page.contains(&docx), "the minutes page links both downloads");

    // R3, O5: a draft is the secretariat's alone.
    let [member, chair, outsider] =
        [app.login_as(MEMBER).await, app.login_as(CHAIR).await, app.login_as(OUTSIDER).await];
    for client in [&member, &chair, &outsider] {
        assert_eq!(app.get(client, &pdf).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(client, &docx).await.status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(app.get(&app.client(), &pdf).await.status(), StatusCode::SEE_OTHER);

    // Approved, the member reads them and the mark is gone.
    sqlx::query(
        "UPDATE minutes SET status = 'approved', sent_at = now(), worked_in_at = now(), approved_at = now() WHERE meeting_id = $1",
    )
    .bind(id)
    .execute(&app.db)
    .await
    .unwrap();
    let pages = pdf_pages(&bytes(&app, &member, &pdf, "application/pdf").await);
    assert!(pages.iter().all(|p| !p.contains("UDKAST")), "approved minutes are no draft");
    app.stop().await;
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

#[tokio::test]
async fn the_case_file_holds_the_published_files_named_by_group_and_date_for_the_secretariat_only_t7() {
    let app = spawn_app().await;
    let (id, _) = long_meeting(&app).await;
    app.set_time(local(2027, 3, 18, 10));
    let secretariat = app.login_as(SECRETARIAT).await;
    let path = format!("/moeder/{id}/sag.zip");
    let group: String =
        sqlx::query_scalar("SELECT g.name FROM groups g JOIN meetings m ON m.group_id = g.id WHERE m.id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let folder = format!("{}-2027-03-17", samarbejdsrum::documents::file_stem(&group));

    let zip = bytes(&app, &secretariat, &path, "application/zip").await;
    assert_eq!(
        zip_names(&zip),
        [format!("{folder}/bilag/Bilag å.pdf"), format!("{folder}/dagsorden.pdf"), format!("{folder}/index.txt")],
        "no minutes before they are approved"
    );
    let index = zip_entry(&zip, &format!("{folder}/index.txt"));
    assert!(index.contains("dagsorden.pdf") && index.contains("bilag/Bilag å.pdf"));

    // Draft minutes stay out; approved minutes go in (R4).
    assert_eq!(post(&app, &secretariat, &format!("/moeder/{id}/referat"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(zip_names(&bytes(&app, &secretariat, &path, "application/zip").await).len(), 3);
    sqlx::query(
        "UPDATE minutes SET status = 'approved', sent_at = now(), worked_in_at = now(), approved_at = now() WHERE meeting_id = $1",
    )
    .bind(id)
    .execute(&app.db)
    .await
    .unwrap();
    let zip = bytes(&app, &secretariat, &path, "application/zip").await;
    assert!(zip_names(&zip).contains(&format!("{folder}/referat.pdf")));
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let mut minutes = Vec::new();
    archive.by_name(&format!("{folder}/referat.pdf")).unwrap().read_to_end(&mut minutes).unwrap();
    assert!(pdf_pages(&minutes).iter().all(|p| !p.contains("UDKAST")));

    // Only the secretariat, and only once the agenda is published (A2).
    let [member, chair] = [app.login_as(MEMBER).await, app.login_as(CHAIR).await];
    for client in [&member, &chair] {
        assert!(app.get(client, &path).await.status().is_client_error());
    }
    assert_eq!(app.get(&app.client(), &path).await.status(), StatusCode::SEE_OTHER);
    sqlx::query("UPDATE agendas SET status = 'draft', sent_to_chair_at = NULL, approved_at = NULL, approved_by = NULL, published_at = NULL WHERE meeting_id = $1")
        .bind(id)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(app.get(&secretariat, &path).await.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn a_charter_version_as_pdf_and_word_names_its_kind_status_and_approval_o3() {
    let app = spawn_app().await;
    let group = group_id(&app, "natur").await;
    sqlx::query(
        "UPDATE charters SET body = $2 WHERE group_id = $1 AND version = (SELECT min(version) FROM charters WHERE group_id = $1)",
    )
    .bind(group)
    .bind("# Formål\nGruppen sikrer data om søer, åer og kær.\n\nOpgaver:\n- Roadmap\n- Årshjul")
    .execute(&app.db)
    .await
    .unwrap();
    let version: i32 = sqlx::query_scalar("SELECT min(version) FROM charters WHERE group_id = $1")
        .bind(group)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let member = app.login_as(MEMBER).await;
    let base = format!("/grupper/natur/kommissorium/{version}");

    let response = app.get(&member, &format!("{base}.pdf")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[reqwest::header::CONTENT_TYPE], "application/pdf");
    let pages = pdf_pages(&response.bytes().await.unwrap());
    let all = squeeze(&pages.join("\n"));
    for text in [
        "Kommissorium",
        "Gruppetype",
        "Godkendt af",
        "Gruppen sikrer data om søer, åer og kær.",
        "• Årshjul",
        "Side 1 af",
    ] {
        assert!(all.contains(text), "the charter PDF shows {text:?}: {all}");
    }
    let response = app.get(&member, &format!("{base}.docx")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = word_text(&response.bytes().await.unwrap());
    assert!(text.contains("Gruppen sikrer data om søer, åer og kær.") && text.contains("Årshjul"), "{text}");

    let page = app.get(&member, &base).await.text().await.unwrap();
    assert!(page.contains(&format!("{base}.pdf")) && page.contains(&format!("{base}.docx")), "the page links both");
    for bad in [
        format!("{base}.exe"),
        "/grupper/natur/kommissorium/999.pdf".into(),
        "/grupper/natur/kommissorium/x.pdf".into(),
    ] {
        assert_eq!(app.get(&member, &bad).await.status(), StatusCode::NOT_FOUND, "{bad}");
    }
    let anonymous = app.get(&app.client(), &format!("{base}.pdf")).await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    app.stop().await;
}

/// The secretariat clicks "Dagsorden som PDF" on the meeting page in Chromium and gets a file a
/// PDF reader opens, named by group and date.
#[tokio::test]
async fn the_secretariat_downloads_the_agenda_pdf_from_the_meeting_page_in_the_browser() {
    use fantoccini::Locator;

    let app = spawn_app().await;
    let (id, titles) = long_meeting(&app).await;
    let driver = crate::browser::Driver::start();
    let browser = driver.client().await;
    crate::browser::sign_in(&browser, &app, SECRETARIAT).await;
    browser.goto(&app.url(&format!("/moeder/{id}"))).await.unwrap();
    browser.find(Locator::LinkText("Dagsorden som PDF")).await.unwrap().click().await.unwrap();
    let (name, pdf) = driver.downloaded().await;
    assert!(name.starts_with("dagsorden-") && name.ends_with(".pdf"), "{name}");
    let all = squeeze(&pdf_pages(&pdf).join("\n"));
    assert!(all.contains(titles[0].as_str()) && all.contains("Side 1 af"), "{all}");
    browser.close().await.unwrap();
    app.stop().await;
}
