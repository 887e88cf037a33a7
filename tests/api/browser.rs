//! Headless Chromium (Debian's chromium and chromium-driver) driving the real pages.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::*;

/// A chromedriver for one test, stopped when dropped.
pub struct Driver {
    child: Child,
    port: u16,
    profile: std::path::PathBuf,
}

impl Driver {
    pub fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (apt-get install chromium chromium-driver)");
        let profile = std::env::temp_dir().join(format!("sr-chrome-{}", uuid::Uuid::new_v4().simple()));
        Driver { child, port, profile }
    }

    pub async fn client(&self) -> Client {
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
        ];
        let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", self.profile.display()));
        // Downloads land in the profile's own folder, without asking.
        let prefs = json!({
            "download.default_directory": self.downloads().display().to_string(),
            "download.prompt_for_download": false,
        });
        let caps = json!({ "goog:chromeOptions": { "binary": "/usr/bin/chromium", "args": args, "prefs": prefs } });
        let caps = caps.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{}", self.port);
        // Two TLS back-ends are linked in (lettre's and fantoccini's); chromedriver is plain HTTP anyway.
        let _ = rustls::crypto::ring::default_provider().install_default();
        for _ in 0..50 {
            if let Ok(client) = ClientBuilder::rustls().unwrap().capabilities(caps.clone()).connect(&url).await {
                return client;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("could not connect to chromedriver");
    }
}

impl Driver {
    /// Where this browser saves what it downloads.
    pub fn downloads(&self) -> std::path::PathBuf {
        self.profile.join("downloads")
    }

    /// The first finished download (not a partial .crdownload), waiting up to ten seconds for it.
    pub async fn downloaded(&self) -> (String, Vec<u8>) {
        for _ in 0..100 {
            let finished = std::fs::read_dir(self.downloads()).into_iter().flatten().flatten().find(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                !name.ends_with(".crdownload") && !name.starts_with('.')
            });
            if let Some(entry) = finished {
                return (entry.file_name().to_string_lossy().into_owned(), std::fs::read(entry.path()).unwrap());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("nothing was downloaded to {}", self.downloads().display());
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

#[tokio::test]
async fn a_chair_signs_in_with_the_browser_and_sees_the_start_page() {
    let app = spawn_app().await;
    let driver = Driver::start();
    let browser = driver.client().await;

    browser.goto(&app.url("/")).await.unwrap();
    assert!(
        browser.current_url().await.unwrap().path().starts_with("/login"),
        "signed-out visitors are sent to the login page"
    );

    browser.find(Locator::Css("#f-email")).await.unwrap().send_keys(CHAIR).await.unwrap();
    browser.find(Locator::Css("#f-password")).await.unwrap().send_keys(DEMO_PASSWORD).await.unwrap();
    browser.find(Locator::Css("form.form button[type=submit]")).await.unwrap().click().await.unwrap();

    // The login page has a heading too: wait for the signed-in header before reading the page.
    browser.wait().for_element(Locator::Css(".user-menu")).await.unwrap();
    let heading = browser.find(Locator::Css("h1.page-title")).await.unwrap().text().await.unwrap();
    assert!(heading.starts_with("Goddag"), "{heading}");
    let body = browser.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(body.contains("Mine grupper") && body.contains("Forperson"), "{body}");
    assert!(body.contains("Dagsordener der venter på din godkendelse"));

    // The stylesheet loaded (the CSP allows it) and the navigation is keyboard-reachable.
    let nav_links = browser.find_all(Locator::Css("nav.main-nav a")).await.unwrap();
    assert!(nav_links.len() >= 6);
    let current = browser.find(Locator::Css("nav.main-nav a[aria-current=page]")).await.unwrap().text().await.unwrap();
    assert_eq!(current, "Forside");

    // Logging out through the header form.
    browser.find(Locator::Css(".user-menu button")).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css("#f-email")).await.unwrap();
    assert_eq!(browser.current_url().await.unwrap().path(), "/login");
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_wrong_password_in_the_browser_shows_the_danish_message() {
    let app = spawn_app().await;
    let driver = Driver::start();
    let browser = driver.client().await;
    browser.goto(&app.url("/login")).await.unwrap();
    browser.find(Locator::Css("#f-email")).await.unwrap().send_keys(MEMBER).await.unwrap();
    browser.find(Locator::Css("#f-password")).await.unwrap().send_keys("forkert-kode").await.unwrap();
    browser.find(Locator::Css("form.form button[type=submit]")).await.unwrap().click().await.unwrap();
    let alert = browser.wait().for_element(Locator::Css(".alert-error")).await.unwrap().text().await.unwrap();
    assert_eq!(alert, "Forkert e-mail eller adgangskode.");
    let kept = browser.find(Locator::Css("#f-email")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some(MEMBER));
    browser.close().await.unwrap();
}

pub(crate) async fn sign_in(browser: &Client, app: &TestApp, email: &str) {
    browser.goto(&app.url("/login")).await.unwrap();
    browser.find(Locator::Css("#f-email")).await.unwrap().send_keys(email).await.unwrap();
    browser.find(Locator::Css("#f-password")).await.unwrap().send_keys(DEMO_PASSWORD).await.unwrap();
    browser.find(Locator::Css("form.form button[type=submit]")).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css(".user-menu")).await.unwrap();
}

#[tokio::test]
async fn the_secretariat_adds_a_member_and_sees_the_fourth_party_representative_refused_m2() {
    let app = spawn_app().await;
    let person = new_person(&app, "Mads Nyborg", "mads.nyborg@odense.example", "Odense Kommune", false).await;
    let driver = Driver::start();
    let browser = driver.client().await;
    sign_in(&browser, &app, SECRETARIAT).await;
    browser.goto(&app.url("/grupper/natur")).await.unwrap();

    // The add-member form finds the person by name (issue 12: the register is searched, not listed whole).
    browser.find(Locator::Css("#f-find")).await.unwrap().send_keys("Nyborg").await.unwrap();
    browser
        .find(Locator::Css("form[role=search][action^='/grupper/'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait().for_element(Locator::Css("#f-find[value=Nyborg]")).await.unwrap();
    browser.find(Locator::Css("#f-person_id")).await.unwrap().select_by_value(&person.to_string()).await.unwrap();
    browser.find(Locator::Css("#f-role")).await.unwrap().select_by_value("member").await.unwrap();
    browser.find(Locator::Css("form[action$='/medlemmer'] button[type=submit]")).await.unwrap().click().await.unwrap();

    let badge = browser
        .wait()
        .for_element(Locator::XPath("//tr[contains(., 'Mads Nyborg')]//span[contains(@class, 'badge-warn')]"))
        .await
        .unwrap();
    assert_eq!(badge.text().await.unwrap(), "Indstillet – afventer Stabsgruppen");

    browser
        .find(Locator::XPath("//tr[contains(., 'Mads Nyborg')]//form[contains(@action, '/godkend')]//button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let alert = browser.wait().for_element(Locator::Css(".alert-error")).await.unwrap().text().await.unwrap();
    assert!(alert.contains("M2") && alert.contains("Højst 3 repræsentanter pr. part (M2)"), "{alert}");
    assert!(alert.contains("Intet er gemt."));
    assert_eq!(membership_status(&app, "natur", person).await, "nominated");
    browser.close().await.unwrap();
}

async fn click_button(browser: &Client, text: &str) {
    let xpath = format!("//button[normalize-space(.)='{text}']");
    match browser.find(Locator::XPath(&xpath)).await {
        Ok(button) => button.click().await.unwrap(),
        Err(e) => {
            let page = browser.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
            panic!("button {text}: {e}\n{page}");
        }
    }
}

pub(crate) async fn log_out(browser: &Client) {
    browser.find(Locator::Css(".user-menu button")).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css("#f-email")).await.unwrap();
}

/// T1-A3: the secretariat plans a meeting and sends the agenda, the chair approves it from the
/// start page, the secretariat publishes it, and a member reads it, sends an apology and asks for
/// an item.
#[tokio::test]
async fn an_agenda_goes_from_the_secretariat_via_the_chair_to_a_member_a1_a2_a3_t4() {
    let app = spawn_app().await;
    let driver = Driver::start();
    let browser = driver.client().await;

    sign_in(&browser, &app, SECRETARIAT).await;
    browser.goto(&app.url("/grupper/natur/moeder?aar=2027")).await.unwrap();
    browser.find(Locator::Css("#f-cycle_number")).await.unwrap().select_by_value("2").await.unwrap();
    browser.execute("document.getElementById('f-date').value = '2027-06-16'; return null;", vec![]).await.unwrap();
    browser.find(Locator::Css("#f-location")).await.unwrap().send_keys("Miljøportalen, lokale 2").await.unwrap();
    click_button(&browser, "Planlæg møde").await;
    browser.wait().for_element(Locator::XPath("//h2[normalize-space(.)='Frister']")).await.unwrap();
    let meeting_url = browser.current_url().await.unwrap();
    click_button(&browser, "Opret dagsorden fra standardskabelonen").await;
    browser.wait().for_element(Locator::Css("ol.agenda")).await.unwrap();
    click_button(&browser, "Send til forpersonen").await;
    browser
        .wait()
        .for_element(Locator::XPath(
            "//span[contains(@class,'badge-info') and normalize-space(.)='Til kommentering hos forpersonen']",
        ))
        .await
        .unwrap();
    log_out(&browser).await;

    // A1: the chair gets the mail at once and follows its link; signing in leads back to the agenda.
    let mail: String = sqlx::query_scalar(
        "SELECT body_text FROM outbox WHERE kind = 'agenda_approval' AND to_address = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(CHAIR)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let start = mail.find("/moeder/").expect("the mail links to the meeting");
    let link = mail[start..].split_whitespace().next().unwrap();
    assert_eq!(link, format!("{}#dagsorden", meeting_url.path()));
    browser.goto(&app.url(link)).await.unwrap();
    browser.find(Locator::Css("#f-email")).await.unwrap().send_keys(CHAIR).await.unwrap();
    browser.find(Locator::Css("#f-password")).await.unwrap().send_keys(DEMO_PASSWORD).await.unwrap();
    browser.find(Locator::Css("form.form button[type=submit]")).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css("ol.agenda")).await.unwrap();
    assert_eq!(browser.current_url().await.unwrap().path(), meeting_url.path());
    click_button(&browser, "Godkend dagsordenen").await;
    browser
        .wait()
        .for_element(Locator::XPath(
            "//span[contains(@class,'badge-info') and normalize-space(.)='Godkendt af forpersonen']",
        ))
        .await
        .unwrap();
    log_out(&browser).await;

    sign_in(&browser, &app, SECRETARIAT).await;
    browser.goto(meeting_url.as_str()).await.unwrap();
    click_button(&browser, "Udsend dagsordenen").await;
    browser
        .wait()
        .for_element(Locator::XPath("//span[contains(@class,'badge-info') and normalize-space(.)='Offentliggjort']"))
        .await
        .unwrap();
    log_out(&browser).await;

    sign_in(&browser, &app, MEMBER).await;
    browser.goto(meeting_url.as_str()).await.unwrap();
    let agenda = browser.find(Locator::Css("ol.agenda")).await.unwrap().text().await.unwrap();
    assert!(agenda.contains("Status fra Parterne") && agenda.contains("Gennemgang af beslutninger"), "{agenda}");
    click_button(&browser, "Meld afbud").await;
    let note = browser
        .wait()
        .for_element(Locator::XPath("//section[@id='fremmoede']//div[contains(@class,'alert-info')]"))
        .await
        .unwrap();
    assert!(note.text().await.unwrap().starts_with("Du meldte afbud"));
    browser.find(Locator::Css("#f-title")).await.unwrap().send_keys("Erfaringer med naturtjek").await.unwrap();
    click_button(&browser, "Send ønske").await;
    let request = browser
        .wait()
        .for_element(Locator::XPath("//section[@id='punktoensker']//div[contains(@class,'card')]//strong"))
        .await
        .unwrap();
    assert_eq!(request.text().await.unwrap(), "Erfaringer med naturtjek");
    browser.close().await.unwrap();

    let mails: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox WHERE kind IN ('agenda_published', 'apology_substitute')")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(mails >= 2, "the agenda and the substitute's notice are queued");
}

/// C1, C3, A7, B3: a member proposes a change request; the secretariat describes it, links it to a roadmap
/// initiative, puts it on the next agenda for decision and disposes budget to it, all in the browser.
#[tokio::test]
async fn a_proposed_change_request_is_described_linked_put_on_the_agenda_and_funded_c1_c3_a7_b3() {
    let app = spawn_app().await;
    let meeting: i64 = sqlx::query_scalar(
        "SELECT id FROM meetings WHERE group_id = (SELECT id FROM groups WHERE slug = 'natur')
         AND starts_at > now() AND kind = 'ordinary' ORDER BY starts_at LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    sqlx::query("DELETE FROM agendas WHERE meeting_id = $1").bind(meeting).execute(&app.db).await.unwrap();
    let (initiative, initiative_title): (i64, String) = sqlx::query_as(
        "SELECT id, title FROM roadmap_initiatives WHERE group_id = (SELECT id FROM groups WHERE slug = 'natur')
         ORDER BY id LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let driver = Driver::start();
    let browser = driver.client().await;

    // The member proposes.
    sign_in(&browser, &app, MEMBER).await;
    browser.goto(&app.url("/grupper/natur/aendringsoensker/ny")).await.unwrap();
    browser.find(Locator::Css("#f-title")).await.unwrap().send_keys("Kortlag med fredninger").await.unwrap();
    browser.find(Locator::Css("#f-business_need")).await.unwrap().send_keys("Fredninger ses ikke.").await.unwrap();
    browser.find(Locator::Css("#f-value")).await.unwrap().send_keys("Færre fejl i sagsbehandlingen.").await.unwrap();
    browser.find(Locator::Css("#f-priority")).await.unwrap().select_by_value("high").await.unwrap();
    click_button(&browser, "Indsend").await;
    browser.wait().for_element(Locator::Id("historik")).await.unwrap();
    let path = browser.current_url().await.unwrap().path().to_owned();
    let id: i64 = path.trim_start_matches("/aendringsoensker/").parse().unwrap();
    log_out(&browser).await;

    // The secretariat describes it and links it to an initiative.
    sign_in(&browser, &app, SECRETARIAT).await;
    browser.goto(&app.url(&format!("/aendringsoensker/{id}"))).await.unwrap();
    browser.find(Locator::Css("#f-status")).await.unwrap().select_by_value("described").await.unwrap();
    click_button(&browser, "Skift status").await;
    browser.wait().for_element(Locator::XPath("//*[@id='historik']//*[contains(., 'Idé → Beskrevet')]")).await.unwrap();
    browser.goto(&app.url(&format!("/aendringsoensker/{id}/rediger"))).await.unwrap();
    browser
        .find(Locator::Css("#f-initiative_id"))
        .await
        .unwrap()
        .select_by_value(&initiative.to_string())
        .await
        .unwrap();
    click_button(&browser, "Gem").await;
    browser.wait().for_element(Locator::Id("historik")).await.unwrap();
    let main = browser.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(main.contains(&initiative_title), "{main}");

    // It goes on the next meeting's agenda for decision (A7).
    browser.goto(&app.url(&format!("/moeder/{meeting}"))).await.unwrap();
    click_button(&browser, "Opret dagsorden fra standardskabelonen").await;
    browser.wait().for_element(Locator::Css("#udvaelg-aendringsoensker summary")).await.unwrap().click().await.unwrap();
    browser.find(Locator::Css(&format!("#f-purpose-{id}"))).await.unwrap().select_by_value("decision").await.unwrap();
    click_button(&browser, "Gem udvalget").await;
    // The section is on the page before and after saving: read it until the reloaded page shows the choice
    // (an element of the old page may go stale while the new one loads).
    let mut section = String::new();
    for _ in 0..100 {
        let xpath = "//section[@aria-labelledby='cr-heading'][contains(., 'Kortlag med fredninger')]";
        if let Ok(element) = browser.find(Locator::XPath(xpath)).await {
            section = element.text().await.unwrap_or_default();
            if section.contains("Til beslutning") {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(section.contains(&initiative_title) && section.contains("Til beslutning"), "{section}");
    assert!(section.contains("Ikke klar"), "described, not yet ready for decision: {section}");
    browser.goto(&app.url(&format!("/aendringsoensker/{id}"))).await.unwrap();
    let shown = browser.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(shown.contains("På dagsordenen") && shown.contains("til beslutning"), "{shown}");

    // Budget is disposed to it (B3).
    let year = chrono::Datelike::year(&samarbejdsrum::domain::calendar::local_date(chrono::Utc::now()));
    browser.goto(&app.url("/grupper/natur/budget")).await.unwrap();
    browser.find(Locator::Css("#f-d_amount")).await.unwrap().send_keys("50.000").await.unwrap();
    browser.find(Locator::Css("#f-change_request_id")).await.unwrap().select_by_value(&id.to_string()).await.unwrap();
    browser
        .execute("document.getElementById('f-disposed_on').value = arguments[0];", vec![json!(format!("{year}-06-01"))])
        .await
        .unwrap();
    browser.find(Locator::Css("#f-description")).await.unwrap().send_keys("Udvikling af kortlaget").await.unwrap();
    click_button(&browser, "Disponér").await;
    browser.wait().for_element(Locator::XPath("//main[contains(., 'Udvikling af kortlaget')]")).await.unwrap();
    let disposed: rust_decimal::Decimal =
        sqlx::query_scalar("SELECT amount FROM budget_dispositions WHERE change_request_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(disposed, rust_decimal::Decimal::from(50_000));
    browser.close().await.unwrap();
}
