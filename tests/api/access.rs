//! The role matrix: every page × every role, checked on the server.

use reqwest::StatusCode;

use crate::helpers::*;

/// What a role gets on a page: the page, a refusal, or the way to the login page.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Page,
    Forbidden,
    SignIn,
}
use Expect::*;

const PAGES: [&str; 9] =
    ["/", "/grupper", "/moeder", "/aendringsoensker", "/roadmap", "/budget", "/personer", "/administration", "/profil"];

fn expected(role: Option<&str>, page: &str) -> Expect {
    match (role, page) {
        (None, _) => SignIn,
        (Some(ADMIN), _) => Page,
        (Some(SECRETARIAT), "/administration") => Forbidden,
        (Some(SECRETARIAT), _) => Page,
        // Chair, member and substitute: the register of persons (M8), administration and editing are closed.
        (
            Some(_),
            "/personer" | "/administration" | "/grupper/ny" | "/grupper/natur/rediger" | "/personer/ny" | "/parter",
        ) => Forbidden,
        (Some(_), _) => Page,
    }
}

#[tokio::test]
async fn every_role_gets_exactly_the_pages_it_may_see() {
    let app = spawn_app().await;
    let roles = [None, Some(SUBSTITUTE), Some(MEMBER), Some(CHAIR), Some(SECRETARIAT), Some(ADMIN)];
    let mut failures = Vec::new();
    for role in roles {
        let client = match role {
            Some(email) => app.login_as(email).await,
            None => app.client(),
        };
        for page in PAGES {
            let response = app.get(&client, page).await;
            let got = match response.status() {
                StatusCode::OK => Page,
                StatusCode::FORBIDDEN => Forbidden,
                StatusCode::SEE_OTHER if response.headers()["location"].to_str().unwrap().starts_with("/login") => {
                    SignIn
                }
                other => panic!("{role:?} {page}: unexpected {other}"),
            };
            if got != expected(role, page) {
                failures.push(format!("{role:?} on {page}: got {got:?}, expected {:?}", expected(role, page)));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn the_navigation_offers_only_what_the_role_may_open() {
    let app = spawn_app().await;
    let member = app.get(&app.login_as(MEMBER).await, "/").await.text().await.unwrap();
    assert!(member.contains("href=\"/grupper\""));
    assert!(!member.contains("href=\"/personer\""));
    assert!(!member.contains("href=\"/administration\""));
    let secretariat = app.get(&app.login_as(SECRETARIAT).await, "/").await.text().await.unwrap();
    assert!(secretariat.contains("href=\"/personer\""));
    assert!(!secretariat.contains("href=\"/administration\""));
    let admin = app.get(&app.login_as(ADMIN).await, "/").await.text().await.unwrap();
    assert!(admin.contains("href=\"/administration\""));
}

#[tokio::test]
async fn the_chair_sees_agendas_awaiting_approval_and_a_member_does_not_a1() {
    let app = spawn_app().await;
    let chair = app.get(&app.login_as(CHAIR).await, "/").await.text().await.unwrap();
    assert!(chair.contains("Dagsordener der venter på din godkendelse"), "{chair}");
    let member = app.get(&app.login_as(MEMBER).await, "/").await.text().await.unwrap();
    assert!(!member.contains("Dagsordener der venter på din godkendelse"));
}

#[tokio::test]
async fn the_start_page_shows_the_persons_own_groups_and_roles_m1_m10() {
    let app = spawn_app().await;
    let chair = app.get(&app.login_as(CHAIR).await, "/").await.text().await.unwrap();
    assert!(chair.contains("Forperson"));
    assert!(chair.contains("10–15 timer pr. måned"));
    let substitute = app.get(&app.login_as(SUBSTITUTE).await, "/").await.text().await.unwrap();
    assert!(substitute.contains("Suppleant"));
}

#[tokio::test]
async fn an_unknown_page_is_a_danish_404() {
    let app = spawn_app().await;
    let response = app.get(&app.login_as(MEMBER).await, "/findes-ikke").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().await.unwrap().contains("Siden findes ikke"));
}

#[tokio::test]
async fn the_accessibility_statement_is_public_and_linked_from_every_page_footer_the_login_too() {
    let app = spawn_app().await;
    let statement = app.get(&app.client(), "/tilgaengelighed").await;
    assert_eq!(statement.status(), StatusCode::OK);
    let text = statement.text().await.unwrap();
    assert!(text.contains("WCAG 2.1") && text.contains("Sådan melder du en fejl"));
    let login = app.get(&app.client(), "/login").await.text().await.unwrap();
    assert!(login.contains("href=\"/tilgaengelighed\""));
    let home = app.get(&app.login_as(MEMBER).await, "/").await.text().await.unwrap();
    assert!(home.contains("href=\"/tilgaengelighed\""));
}

/// A refused page or an unknown address keeps the signed-in person's menu, name and role, so they can
/// go on from there; someone not signed in still gets the bare page.
#[tokio::test]
async fn an_error_page_keeps_the_menu_and_the_signed_in_person() {
    let app = spawn_app().await;
    let member = app.login_as(MEMBER).await;
    for (path, status) in [("/administration", StatusCode::FORBIDDEN), ("/findes-ikke", StatusCode::NOT_FOUND)] {
        let response = app.get(&member, path).await;
        assert_eq!(response.status(), status, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("aria-label=\"Hovedmenu\""), "{path}: no menu");
        assert!(html.contains("href=\"/profil\""), "{path}: the person is not shown");
        assert!(html.contains(">Medlem</span>"), "{path}: the role badge is missing");
        assert!(html.contains("action=\"/logout\""), "{path}: no way to sign out");
        assert!(!html.contains("aria-current=\"page\""), "{path}: an error page is no section of the menu");
    }
    let anonymous = app.get(&app.client(), "/findes-ikke").await;
    assert_eq!(anonymous.status(), StatusCode::NOT_FOUND);
    assert!(!anonymous.text().await.unwrap().contains("action=\"/logout\""));
    app.stop().await;
}
