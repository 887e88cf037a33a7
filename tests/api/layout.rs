//! What a person sees on the account pages (the person form and page, the address-change links): at a
//! laptop's 1366 px and a phone's 390 px, no page scrolls sideways, no text is squeezed to a character
//! per line, and no empty band sits under the heading. Screenshots land in target/screenshots for eyes.

use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::browser::Driver;
use crate::helpers::*;

pub const WIDTHS: [(u32, u32); 2] = [(1366, 900), (390, 844)];

/// The common breakages, found by the page itself; an empty list when it looks right.
pub const LAYOUT_PROBLEMS: &str = r#"
const problems = [];
if (document.documentElement.scrollWidth > window.innerWidth + 1) {
  problems.push(`scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
}
for (const el of document.querySelectorAll('main *')) {
  const text = (el.innerText || '').trim();
  const box = el.getBoundingClientRect();
  if (text.length >= 12 && el.children.length === 0 && box.width > 0 && box.width < 40 && box.height > 120) {
    problems.push(`squeezed: <${el.tagName.toLowerCase()}> ${text.slice(0, 30)} (${Math.round(box.width)}x${Math.round(box.height)})`);
  }
}
const h1 = document.querySelector('main h1');
if (h1) {
  const range = document.createRange();
  range.selectNodeContents(h1);
  const bottom = range.getBoundingClientRect().bottom;
  const after = [...document.querySelectorAll('main *')].filter(el => !h1.contains(el) && !el.contains(h1)
    && (el.innerText || '').trim() && el.getBoundingClientRect().top >= bottom - 1 && el.getBoundingClientRect().height > 0);
  if (after.length) {
    const gap = Math.min(...after.map(el => el.getBoundingClientRect().top)) - bottom;
    if (gap > 120) problems.push(`empty band under the heading: ${Math.round(gap)} px`);
  }
}
return problems;
"#;

/// Copenhagen wall-clock time in 2027.
fn time(m: u32, d: u32, h: u32) -> chrono::DateTime<chrono::Utc> {
    samarbejdsrum::domain::calendar::local_to_utc(
        chrono::NaiveDate::from_ymd_opt(2027, m, d).unwrap(),
        chrono::NaiveTime::from_hms_opt(h, 0, 0).unwrap(),
    )
    .unwrap()
}

async fn check(browser: &Client, app: &TestApp, path: &str, name: &str) {
    for (width, height) in WIDTHS {
        browser.set_window_size(width, height).await.unwrap();
        browser.goto(&app.url(path)).await.unwrap();
        browser.wait().for_element(Locator::Css("main h1")).await.unwrap();
        let problems = browser.execute(LAYOUT_PROBLEMS, vec![]).await.unwrap();
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}-{width}.png")), browser.screenshot().await.unwrap()).unwrap();
        assert_eq!(problems, Value::Array(vec![]), "{name} ({path}) at {width} px");
    }
}

async fn sign_in(browser: &Client, app: &TestApp, email: &str) {
    browser.delete_all_cookies().await.unwrap();
    browser.goto(&app.url("/login")).await.unwrap();
    browser.find(Locator::Css("#f-email")).await.unwrap().send_keys(email).await.unwrap();
    browser.find(Locator::Css("#f-password")).await.unwrap().send_keys(DEMO_PASSWORD).await.unwrap();
    browser.find(Locator::Css("form.form button[type=submit]")).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css(".user-menu")).await.unwrap();
}

async fn link_in_outbox(app: &TestApp, path: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body_text FROM outbox WHERE body_text LIKE '%' || $1 || '%' ORDER BY id DESC LIMIT 1",
    )
    .bind(path)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let start = body.find(path).unwrap();
    let url = body[start..].split_whitespace().next().unwrap();
    url.to_owned()
}

#[tokio::test]
async fn the_account_pages_hold_at_a_laptops_and_a_phones_width_for_each_role_that_sees_them() {
    let app = spawn_app().await;
    let driver = Driver::start();
    let browser = driver.client().await;
    let id_of = |email: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM people WHERE email = $1")
                .bind(email)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    let (admin, member) = (id_of(ADMIN).await, id_of(MEMBER).await);

    // The secretariat: an administrator's form with the address locked, and their page without the
    // invitation.
    sign_in(&browser, &app, SECRETARIAT).await;
    check(&browser, &app, &format!("/personer/{admin}/rediger"), "person-form-locked").await;
    check(&browser, &app, &format!("/personer/{admin}"), "person-page-secretariat").await;

    // An administrator changes a member's address: the form says what happens, the page shows it waiting.
    sign_in(&browser, &app, ADMIN).await;
    check(&browser, &app, &format!("/personer/{member}/rediger"), "person-form-confirmation").await;
    let email = browser.find(Locator::Css("#f-email")).await.unwrap();
    email.clear().await.unwrap();
    email.send_keys("medlem.ny@aarhus.example").await.unwrap();
    browser.find(Locator::Css("form.form button[type=submit]")).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css("#e-mail")).await.unwrap();
    let shown = browser.find(Locator::Css("#e-mail")).await.unwrap().text().await.unwrap();
    assert!(shown.contains("venter på bekræftelse"), "{shown}");
    check(&browser, &app, &format!("/personer/{member}"), "person-page-waiting").await;

    // The links, signed out as the people who get the mails are.
    browser.delete_all_cookies().await.unwrap();
    let objection = link_in_outbox(&app, "/e-mail/indsigelse/").await;
    let confirm = link_in_outbox(&app, "/e-mail/bekraeft/").await;
    check(&browser, &app, &confirm, "email-confirm").await;
    check(&browser, &app, &objection, "email-objection").await;
    browser.find(Locator::Css("main form button")).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css(".alert-success")).await.unwrap();
    let done = browser.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(done.contains("Ændringen er stoppet"), "{done}");
    check(&browser, &app, &confirm, "email-confirm-spent").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_meeting_page_holds_for_a_substitute_with_a_member_to_stand_in_for_and_for_the_secretariat() {
    let app = spawn_app().await;
    let meeting = new_meeting(&app, "natur", "2027-03-31").await;
    sqlx::query(
        "INSERT INTO attendance (meeting_id, membership_id, status, apology_at)
         SELECT $1, ms.id, 'apology', now() FROM memberships ms JOIN people p ON p.id = ms.person_id
         WHERE p.email = 'anders.toft@rm.example' AND ms.status = 'active'",
    )
    .bind(meeting)
    .execute(&app.db)
    .await
    .unwrap();
    let driver = Driver::start();
    let browser = driver.client().await;
    sign_in(&browser, &app, SUBSTITUTE).await;
    check(&browser, &app, &format!("/moeder/{meeting}"), "meeting-substitute").await;
    assert!(browser.find(Locator::XPath("//button[contains(., 'Jeg deltager for Anders Toft')]")).await.is_ok());
    sign_in(&browser, &app, SECRETARIAT).await;
    check(&browser, &app, &format!("/moeder/{meeting}"), "meeting-secretariat").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_parties_pages_hold_with_a_retired_party_and_organisation_for_the_secretariat_o1() {
    let app = spawn_app().await;
    sqlx::query("UPDATE parties SET retired_at = now() WHERE code = 'os2-leverandoer'").execute(&app.db).await.unwrap();
    sqlx::query("UPDATE organisations SET retired_at = now() WHERE name = 'Odense Kommune'")
        .execute(&app.db)
        .await
        .unwrap();
    let party: i64 =
        sqlx::query_scalar("SELECT id FROM parties WHERE code = 'os2-leverandoer'").fetch_one(&app.db).await.unwrap();
    let organisation: i64 = sqlx::query_scalar("SELECT id FROM organisations WHERE name = 'Odense Kommune'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let driver = Driver::start();
    let browser = driver.client().await;
    sign_in(&browser, &app, SECRETARIAT).await;
    check(&browser, &app, "/parter", "parties").await;
    check(&browser, &app, &format!("/parter/{party}/rediger"), "party-form-retired").await;
    check(&browser, &app, &format!("/parter/organisationer/{organisation}/rediger"), "organisation-form-retired").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_working_pages_of_a_groups_year_hold_for_each_role_at_both_widths() {
    let app = spawn_app().await;
    app.set_time(time(3, 1, 9));
    let meeting = new_meeting(&app, "natur", "2027-03-31").await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let post = |client: reqwest::Client, path: String| {
        let app = &app;
        async move {
            let token = app.csrf(&client, "/profil").await;
            let r = app.post_form(&client, &path, &[("csrf_token", token.as_str())]).await;
            assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER, "{path}");
        }
    };
    post(secretariat.clone(), format!("/moeder/{meeting}/dagsorden")).await;
    app.set_time(time(3, 16, 10));
    post(app.login_as(SECRETARIAT).await, format!("/moeder/{meeting}/dagsorden/send-til-forperson")).await;
    let held = crate::minutes::held_meeting(&app).await;
    app.set_time(time(3, 18, 10));
    let secretariat = app.login_as(SECRETARIAT).await;
    post(secretariat.clone(), format!("/moeder/{held}/referat")).await;
    post(secretariat, format!("/moeder/{held}/referat/udsend")).await;

    let driver = Driver::start();
    let browser = driver.client().await;
    sign_in(&browser, &app, SECRETARIAT).await;
    check(&browser, &app, "/", "start-secretariat").await;
    check(&browser, &app, "/grupper/natur/moeder?aar=2027", "plan-secretariat").await;
    check(&browser, &app, &format!("/moeder/{held}/referat"), "minutes-secretariat").await;
    check(&browser, &app, "/udbakke", "outbox-secretariat").await;
    sign_in(&browser, &app, CHAIR).await;
    check(&browser, &app, &format!("/moeder/{meeting}"), "meeting-chair-with-draft").await;
    check(&browser, &app, "/", "start-chair").await;
    sign_in(&browser, &app, MEMBER).await;
    check(&browser, &app, &format!("/moeder/{held}/referat"), "minutes-member").await;
    check(&browser, &app, "/profil", "profile-member").await;
    // A refusal keeps the menu, the person and their role (the 403 page in their layout).
    check(&browser, &app, "/administration", "forbidden-member").await;
    // The administration page with its audit log in Danish.
    sign_in(&browser, &app, ADMIN).await;
    check(&browser, &app, "/administration#audit-heading", "administration-admin").await;
    browser.close().await.unwrap();
}

/// What the page says about itself at this moment: no problems, and a screenshot for eyes.
async fn holds(browser: &Client, name: &str) {
    let problems = browser.execute(LAYOUT_PROBLEMS, vec![]).await.unwrap();
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}-390.png")), browser.screenshot().await.unwrap()).unwrap();
    assert_eq!(problems, Value::Array(vec![]), "{name} at 390 px");
}

/// A member does their part of a group's work on a phone (390 x 844), by tapping, without sideways
/// scrolling: from the start page to the next meeting, sends an apology with a note (T4), back to the
/// start page, into the minutes out for comments and a comment on an item (R3).
#[tokio::test]
async fn a_member_does_their_main_path_on_a_phone_t4_r3() {
    let app = spawn_app().await;
    app.set_time(time(3, 1, 9));
    let meeting = new_meeting(&app, "natur", "2027-03-31").await;
    let held = crate::minutes::held_meeting(&app).await;
    app.set_time(time(3, 18, 10));
    let secretariat = app.login_as(SECRETARIAT).await;
    for path in [format!("/moeder/{held}/referat"), format!("/moeder/{held}/referat/udsend")] {
        let token = app.csrf(&secretariat, "/profil").await;
        let r = app.post_form(&secretariat, &path, &[("csrf_token", token.as_str())]).await;
        assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER, "{path}");
    }

    let driver = Driver::start();
    let browser = driver.client().await;
    browser.set_window_size(390, 844).await.unwrap();
    sign_in(&browser, &app, MEMBER).await;
    holds(&browser, "phone-member-start").await;

    browser.find(Locator::Css(&format!("main a[href='/moeder/{meeting}']"))).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css("form[action$='/afbud']")).await.unwrap();
    holds(&browser, "phone-member-meeting").await;
    browser
        .find(Locator::Css("#f-note"))
        .await
        .unwrap()
        .send_keys("Jeg er på kursus; min suppleant er orienteret.")
        .await
        .unwrap();
    browser.find(Locator::Css("form[action$='/afbud'] button[type=submit]")).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css("form[action$='/afbud/tilbagekald']")).await.unwrap();
    holds(&browser, "phone-member-apology-sent").await;
    let apologised: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM attendance a JOIN memberships ms ON ms.id = a.membership_id JOIN people p ON p.id = ms.person_id
         WHERE a.meeting_id = $1 AND p.email = $2 AND a.status = 'apology'",
    )
    .bind(meeting)
    .bind(MEMBER)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(apologised, 1, "the apology is stored");

    browser.find(Locator::Css("a[href='/']")).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css(&format!("main a[href='/moeder/{held}/referat']"))).await.unwrap();
    browser.find(Locator::Css(&format!("main a[href='/moeder/{held}/referat']"))).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css("details > summary")).await.unwrap();
    holds(&browser, "phone-member-minutes").await;
    let summary = "//summary[starts-with(normalize-space(), 'Giv bemærkning til punkt')]";
    browser.find(Locator::XPath(summary)).await.unwrap().click().await.unwrap();
    let comment = "Punkt 1 bør nævne, at beslutningen gælder fra 1. maj.";
    browser
        .find(Locator::XPath(&format!("{summary}/following-sibling::form//textarea")))
        .await
        .unwrap()
        .send_keys(comment)
        .await
        .unwrap();
    holds(&browser, "phone-member-comment-open").await;
    browser
        .find(Locator::XPath(&format!("{summary}/following-sibling::form//button[@type='submit']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait().for_element(Locator::XPath(&format!("//main//*[contains(text(), '{comment}')]"))).await.unwrap();
    holds(&browser, "phone-member-comment-sent").await;
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM minutes_comments WHERE body = $1")
        .bind(comment)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 1, "the comment is stored");
    browser.close().await.unwrap();
}
