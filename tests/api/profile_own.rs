//! A person's own profile: only the kinds of mail they can receive, their own phone and competences,
//! and everything stored about them as a file (GDPR articles 15 and 20).

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

#[tokio::test]
async fn each_role_is_offered_only_the_mails_it_can_receive_d3() {
    let app = spawn_app().await;
    let member = app.get(&app.login_as(MEMBER).await, "/profil").await.text().await.unwrap();
    assert!(member.contains("Udsendt dagsorden") && member.contains("Godkendt referat"), "a member's own mails");
    assert!(!member.contains("Sekretariatet:"), "none of the secretariat's");
    assert!(!member.contains("Dagsorden til godkendelse hos forpersonen"), "nor the chair's");
    let chair = app.get(&app.login_as(CHAIR).await, "/profil").await.text().await.unwrap();
    assert!(chair.contains("Dagsorden til godkendelse hos forpersonen") && !chair.contains("Sekretariatet:"));
    let secretariat = app.get(&app.login_as(SECRETARIAT).await, "/profil").await.text().await.unwrap();
    assert!(secretariat.contains("Sekretariatet: frist for referat"));

    // A choice about a kind the person cannot receive is not stored.
    let client = app.login_as(MEMBER).await;
    let token = app.csrf(&client, "/profil").await;
    let fields = [("csrf_token", token.as_str()), ("agenda_published", "digest"), ("minutes", "off")];
    assert_eq!(app.post_form(&client, "/profil/notifikationer", &fields).await.status(), StatusCode::SEE_OTHER);
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT s.kind FROM notification_settings s JOIN people p ON p.id = s.person_id WHERE p.email = $1 ORDER BY 1",
    )
    .bind(MEMBER)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(stored.contains(&"agenda_published".to_owned()) && !stored.contains(&"minutes".to_owned()), "{stored:?}");
}

#[tokio::test]
async fn a_member_keeps_their_own_phone_and_competences_and_downloads_their_data_m8_gdpr() {
    let app = spawn_app().await;
    let member = app.login_as(MEMBER).await;
    let token = app.csrf(&member, "/profil").await;
    let long = "x".repeat(41);
    let bad = [("csrf_token", token.as_str()), ("phone", long.as_str()), ("competences", "GIS og artsdata")];
    let r = app.post_form(&member, "/profil/oplysninger", &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("højst have 40 tegn") && page.contains("GIS og artsdata"), "message and the typed text");
    let ok = [("csrf_token", token.as_str()), ("phone", "+45 87 65 43 21"), ("competences", "GIS og artsdata")];
    assert_eq!(app.post_form(&member, "/profil/oplysninger", &ok).await.status(), StatusCode::SEE_OTHER);
    let (phone, competences): (String, String) =
        sqlx::query_as("SELECT phone, competences FROM people WHERE email = $1")
            .bind(MEMBER)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((phone.as_str(), competences.as_str()), ("+45 87 65 43 21", "GIS og artsdata"));

    let download = app.get(&member, "/profil/mine-data.json").await;
    assert_eq!(download.status(), StatusCode::OK);
    assert!(download.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let data: Value = download.json().await.unwrap();
    assert_eq!(data["person"]["email"], MEMBER, "the person's own data");
    assert_eq!(data["person"]["phone"], "+45 87 65 43 21");
    let anonymous = app.get(&app.client(), "/profil/mine-data.json").await;
    assert!(anonymous.status() == StatusCode::SEE_OTHER || anonymous.status() == StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_header_badge_says_who_the_person_is_here_not_user() {
    let app = spawn_app().await;
    for (email, badge) in
        [(MEMBER, "Medlem"), (CHAIR, "Forperson"), (SUBSTITUTE, "Suppleant"), (SECRETARIAT, "Sekretariat")]
    {
        let page = app.get(&app.login_as(email).await, "/").await.text().await.unwrap();
        assert!(page.contains(&format!("<span class=\"badge badge-role\">{badge}</span>")), "{email}: {badge}");
        assert!(!page.contains("<span class=\"badge badge-role\">Bruger</span>"), "{email}");
    }
}

/// A rule code in parentheses or a rule badge: "(T7)", "(A3, A5)", `<span class="rule">`.
fn rule_codes(page: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = page.as_bytes();
    for (i, _) in page.match_indices('(') {
        let rest = &page[i + 1..];
        let code: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == ',' || *c == ' ').collect();
        let is_code = rest[code.len()..].starts_with(')')
            && code.split(',').all(|c| {
                let c = c.trim();
                c.len() >= 2
                    && c.len() <= 3
                    && "ATRMCYBDOS".contains(&c[..1])
                    && c[1..].chars().all(|d| d.is_ascii_digit())
            });
        if is_code && i > 0 && bytes[i - 1] == b' ' {
            found.push(format!("({code})"));
        }
    }
    found.extend(page.matches("class=\"rule\"").map(str::to_owned));
    found
}

#[tokio::test]
async fn members_substitutes_and_chairs_see_no_rule_codes_and_the_secretariat_does() {
    let app = spawn_app().await;
    let meeting = new_meeting(&app, "natur", "2027-03-31").await;
    for who in [MEMBER, SUBSTITUTE, CHAIR] {
        let client = app.login_as(who).await;
        for path in [
            format!("/moeder/{meeting}"),
            "/profil".to_owned(),
            "/grupper/natur/moeder?aar=2027".to_owned(),
            "/".to_owned(),
        ] {
            let page = app.get(&client, &path).await.text().await.unwrap();
            assert_eq!(rule_codes(&page), Vec::<String>::new(), "{who} on {path}");
        }
    }
    let secretariat = app.login_as(SECRETARIAT).await;
    let page = app.get(&secretariat, &format!("/moeder/{meeting}")).await.text().await.unwrap();
    assert!(!rule_codes(&page).is_empty(), "the secretariat keeps the codes it works by");
}

#[tokio::test]
async fn another_groups_member_is_not_told_a_published_agenda_is_being_written_a2() {
    let app = spawn_app().await;
    crate::minutes::account_for(&app, "mads.iversen@mst.example").await;
    let meeting: i64 = sqlx::query_scalar(
        "SELECT m.id FROM meetings m JOIN agendas a ON a.meeting_id = m.id JOIN groups g ON g.id = m.group_id
         WHERE g.slug = 'natur' AND a.status = 'published' ORDER BY m.starts_at DESC LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let outsider = app.login_as("mads.iversen@mst.example").await;
    let page = app.get(&outsider, &format!("/moeder/{meeting}")).await.text().await.unwrap();
    assert!(page.contains("Dagsordenen er udsendt til gruppens deltagere.") && !page.contains("under udarbejdelse"));
}
