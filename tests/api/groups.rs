//! Groups and memberships through the pages: the composition rules M2-M6 refused or warned exactly
//! as DOMAIN.md says, with nothing stored on a refusal.

use reqwest::StatusCode;

use crate::helpers::*;

async fn add_member(
    app: &TestApp,
    client: &reqwest::Client,
    group: &str,
    person_id: i64,
    role: &str,
) -> reqwest::Response {
    let token = app.csrf(client, &format!("/grupper/{group}")).await;
    let person = person_id.to_string();
    let fields = [
        ("csrf_token", token.as_str()),
        ("person_id", &person),
        ("role", role),
        ("party_id", ""),
        ("starts_on", "2026-11-23"),
    ];
    app.post_form(client, &format!("/grupper/{group}/medlemmer"), &fields).await
}

async fn membership_id(app: &TestApp, group: &str, person_id: i64) -> i64 {
    sqlx::query_scalar("SELECT m.id FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.slug = $1 AND m.person_id = $2 AND m.status <> 'ended'")
        .bind(group)
        .bind(person_id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn approve(app: &TestApp, client: &reqwest::Client, group: &str, membership: i64) -> reqwest::Response {
    let token = app.csrf(client, &format!("/grupper/{group}")).await;
    app.post_form(
        client,
        &format!("/grupper/{group}/medlemmer/{membership}/godkend"),
        &[("csrf_token", &token), ("approved_on", "2026-11-20")],
    )
    .await
}

#[tokio::test]
async fn the_group_page_shows_members_by_party_and_the_warnings_m3_m6() {
    let app = spawn_app().await;
    let client = app.login_as(MEMBER).await;
    let html = app.get(&client, "/grupper/vand").await.text().await.unwrap();
    assert!(html.contains("<caption>Staten</caption>") && html.contains("<caption>Kommunerne</caption>"), "{html}");
    assert!(html.contains("Regionerne har intet medlem på ledelsesniveau (M3)."), "{html}");
    assert!(html.contains("Regionerne har ikke udpeget en suppleant (M6)."));
    let natur = app.get(&client, "/grupper/natur").await.text().await.unwrap();
    assert!(natur.contains("Forperson") && natur.contains("Suppleant"));
    assert!(natur.contains("<dd>11 (suppleanter og indstillede tælles ikke med)</dd>"), "Natur is full: 3+3+3+2");
    assert!(!natur.contains("Tilføj medlem"), "members read, they do not edit");
}

#[tokio::test]
async fn a_fourth_party_representative_is_nominated_but_the_approval_is_refused_m2_m5() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    let person = new_person(&app, "Mads Nyborg", "mads.nyborg@odense.example", "Odense Kommune", false).await;
    let response = add_member(&app, &client, "natur", person, "member").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        membership_status(&app, "natur", person).await,
        "nominated",
        "M5: a party's new member waits for the staff group"
    );
    let page = app.get(&client, "/grupper/natur").await.text().await.unwrap();
    assert!(page.contains("Indstillet – afventer Stabsgruppen"));

    let membership = membership_id(&app, "natur", person).await;
    let response = approve(&app, &client, "natur", membership).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("Højst 3 repræsentanter pr. part (M2)"), "{html}");
    assert!(html.contains("Intet er gemt."));
    assert_eq!(membership_status(&app, "natur", person).await, "nominated", "nothing stored");

    // When a kommunerne member leaves, the approval goes through and the onboarding records it (M9).
    let leaving: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(MEMBER).fetch_one(&app.db).await.unwrap();
    let leaving_membership = membership_id(&app, "natur", leaving).await;
    let page = app.get(&client, "/grupper/natur").await.text().await.unwrap();
    assert!(page.contains("Et afsluttet medlemskab kan ikke genåbnes"), "ending says what happens first");
    let token = app.csrf(&client, "/grupper/natur").await;
    let end = format!("/grupper/natur/medlemmer/{leaving_membership}/afslut");
    let bad = app.post_form(&client, &end, &[("csrf_token", &token), ("ends_on", "i morgen")]).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST, "a last day that is not a date is refused");
    assert!(bad.text().await.unwrap().contains("sidste dag som en dato"));
    assert_eq!(membership_status(&app, "natur", leaving).await, "active", "nothing changed");
    let response = app.post_form(&client, &end, &[("csrf_token", &token), ("ends_on", "2026-11-21")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(approve(&app, &client, "natur", membership).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(membership_status(&app, "natur", person).await, "active");
    let step: Option<chrono::NaiveDate> = sqlx::query_scalar(
        "SELECT done_on FROM onboarding_steps WHERE membership_id = $1 AND step = 'staff_group_approval'",
    )
    .bind(membership)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(step, chrono::NaiveDate::from_ymd_opt(2026, 11, 20));
}

#[tokio::test]
async fn a_third_secretariat_member_is_refused_at_once_m2() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    let person = new_person(&app, "Ida Sekretær", "ida@dmp.example", "Danmarks Miljøportal", false).await;
    let response = add_member(&app, &client, "natur", person, "secretariat").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("Højst 2 medlemmer fra sekretariatet (M2)."), "{html}");
    assert!(html.contains(&format!("<option value=\"{person}\" selected>")), "the form keeps the user's choice");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships WHERE person_id = $1")
        .bind(person)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn the_chair_must_be_a_manager_from_a_party_and_there_is_one_m3_m4() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    let token = app.csrf(&client, "/grupper/ny").await;
    let kind: i64 =
        sqlx::query_scalar("SELECT id FROM group_kinds WHERE code = 'faggruppe'").fetch_one(&app.db).await.unwrap();
    let fields = [
        ("csrf_token", token.as_str()),
        ("kind_id", &kind.to_string()),
        ("slug", "luft"),
        ("name", "Luft"),
        ("purpose", "Luftkvalitet"),
        ("confidentiality", "internal"),
        ("status", "active"),
    ];
    assert_eq!(app.post_form(&client, "/grupper", &fields).await.status(), StatusCode::SEE_OTHER);

    let employee = new_person(&app, "Ane Fagligsen", "ane@mst.example", "Miljøstyrelsen", false).await;
    let response = add_member(&app, &client, "luft", employee, "chair").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("Forpersonen skal altid være på ledelsesniveau (M3)."));

    let secretariat_manager = new_person(&app, "Bo Chef", "bo@dmp.example", "Danmarks Miljøportal", true).await;
    let response = add_member(&app, &client, "luft", secretariat_manager, "chair").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("(M4)"));

    let manager = new_person(&app, "Cecilie Leder", "cecilie@mst.example", "Miljøstyrelsen", true).await;
    assert_eq!(add_member(&app, &client, "luft", manager, "chair").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(membership_status(&app, "luft", manager).await, "active", "the board appoints the chair directly (M4)");

    let another = new_person(&app, "Dorte Leder", "dorte@rm.example", "Region Midtjylland", true).await;
    let response = add_member(&app, &client, "luft", another, "chair").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("allerede en forperson"));
}

#[tokio::test]
async fn a_new_group_gets_a_charter_draft_from_its_kinds_template_and_approval_keeps_the_old_version_o3_s2() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    let page = app.get(&client, "/grupper/natur/kommissorium").await.text().await.unwrap();
    assert!(page.contains("Gældende") && page.contains("Bestyrelsen"), "{page}");

    let token = app.csrf(&client, "/grupper/natur/kommissorium").await;
    let response = app
        .post_form(
            &client,
            "/grupper/natur/kommissorium",
            &[("csrf_token", &token), ("body", "Formål\nHøjst 11 medlemmer\nNy linje om klimatilpasning")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let version: i32 = location.rsplit('/').next().unwrap().parse().unwrap();
    let draft = app.get(&client, &location).await.text().await.unwrap();
    assert!(draft.contains("diff-added"), "the draft shows what changed: {draft}");

    let body_id = |code: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM approving_bodies WHERE code = $1")
                .bind(code)
                .fetch_one(&db)
                .await
                .unwrap()
                .to_string()
        }
    };
    let (board, staff_group) = (body_id("bestyrelse").await, body_id("stabsgruppe").await);
    assert!(draft.contains(&format!("<option value=\"{board}\" selected>Bestyrelsen</option>")), "{draft}");
    let in_force = || async {
        sqlx::query_scalar::<_, i32>(
            "SELECT c.version FROM charters c JOIN groups g ON g.id = c.group_id WHERE g.slug = 'natur' AND c.status = 'approved'",
        )
        .fetch_one(&app.db)
        .await
        .unwrap()
    };
    let before = in_force().await;
    // O3: no body, an unparsable date, a body other than the board, a decision in the future: refused.
    for (body, date, words) in [
        ("", "i går", "Vælg det organ, der har godkendt kommissoriet (O3)."),
        (board.as_str(), "i går", "Skriv beslutningsdatoen som åååå-mm-dd."),
        (staff_group.as_str(), "2026-11-20", "træder kun i kraft, når Bestyrelsen har godkendt det (O3)."),
        (board.as_str(), "2199-01-01", "Beslutningsdatoen ligger i fremtiden"),
    ] {
        let response = app
            .post_form(
                &client,
                &format!("{location}/godkend"),
                &[("csrf_token", &token), ("approving_body_id", body), ("approved_on", date)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains(words) && html.contains(r#"<span class="rule">O3</span>"#), "{words}: {html}");
        assert_eq!(in_force().await, before, "nothing comes into force on a refusal");
    }

    let response = app
        .post_form(
            &client,
            &format!("{location}/godkend"),
            &[("csrf_token", &token), ("approving_body_id", &board), ("approved_on", "2026-11-20")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let statuses: Vec<(i32, String)> = sqlx::query_as("SELECT c.version, c.status FROM charters c JOIN groups g ON g.id = c.group_id WHERE g.slug = 'natur' ORDER BY c.version")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(statuses.last().unwrap(), &(version, "approved".to_owned()));
    assert_eq!(statuses.iter().filter(|(_, s)| s == "approved").count(), 1);
    assert!(statuses.iter().any(|(_, s)| s == "superseded"), "the old version stays readable: {statuses:?}");
    let recorded: (Option<String>, Option<String>, Option<chrono::NaiveDate>) = sqlx::query_as(
        "SELECT b.code, c.approved_by, c.approved_on FROM charters c JOIN groups g ON g.id = c.group_id
         LEFT JOIN approving_bodies b ON b.id = c.approving_body_id WHERE g.slug = 'natur' AND c.version = $1",
    )
    .bind(version)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        recorded,
        (Some("bestyrelse".into()), Some("Bestyrelsen".into()), chrono::NaiveDate::from_ymd_opt(2026, 11, 20))
    );
    let shown = app.get(&client, "/grupper/natur/kommissorium").await.text().await.unwrap();
    assert!(shown.contains("Godkendt af Bestyrelsen den"), "the approval is shown: {shown}");
    let again = app
        .post_form(
            &client,
            &format!("{location}/godkend"),
            &[("csrf_token", &token), ("approving_body_id", &board), ("approved_on", "2026-11-20")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "an approved version is not changed");
}

#[tokio::test]
async fn only_the_secretariat_changes_groups_and_people() {
    let app = spawn_app().await;
    let person: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(SUBSTITUTE).fetch_one(&app.db).await.unwrap();
    for email in [MEMBER, CHAIR, SUBSTITUTE] {
        let client = app.login_as(email).await;
        let token = app.csrf(&client, "/profil").await;
        let person_s = person.to_string();
        let attempts: [(&str, Vec<(&str, &str)>); 5] = [
            (
                "/grupper/natur/medlemmer",
                vec![("csrf_token", &token), ("person_id", &person_s), ("role", "member"), ("starts_on", "2026-11-23")],
            ),
            ("/grupper", vec![("csrf_token", &token), ("slug", "x"), ("name", "X")]),
            ("/personer", vec![("csrf_token", &token), ("name", "X"), ("email", "x@x.dk")]),
            ("/grupper/natur/kommissorium", vec![("csrf_token", &token), ("body", "Nyt")]),
            ("/parter", vec![("csrf_token", &token), ("code", "x"), ("name", "X"), ("kind", "party")]),
        ];
        for (path, fields) in attempts {
            let response = app.post_form(&client, path, &fields).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{email} POST {path}");
        }
        for path in ["/grupper/ny", "/personer/ny", "/parter", "/grupper/natur/rediger"] {
            assert_eq!(app.get(&client, path).await.status(), StatusCode::FORBIDDEN, "{email} GET {path}");
        }
    }
    let audit: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action NOT IN ('login', 'logout')")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(audit, 0, "nothing was changed");
}

#[tokio::test]
async fn a_person_form_with_a_bad_email_comes_back_with_the_text_m8() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    let token = app.csrf(&client, "/personer/ny").await;
    let fields = [
        ("csrf_token", token.as_str()),
        ("name", "Karl Kompetent"),
        ("email", "karl-at-mst"),
        ("competences", "Naturtyper, NOVANA"),
    ];
    let response = app.post_form(&client, "/personer", &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("E-mailadressen skal indeholde @.")
            && html.contains("Karl Kompetent")
            && html.contains("Naturtyper, NOVANA")
    );

    let fields = [("csrf_token", token.as_str()), ("name", "Karl Kompetent"), ("email", SUBSTITUTE)];
    let response = app.post_form(&client, "/personer", &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("Der findes allerede en person med denne e-mailadresse."));

    let fields = [
        ("csrf_token", token.as_str()),
        ("name", "Karl Kompetent"),
        ("email", "Karl@MST.example"),
        ("management_level", "ja"),
    ];
    let response = app.post_form(&client, "/personer", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = app.get(&client, response.headers()["location"].to_str().unwrap()).await.text().await.unwrap();
    assert!(page.contains("karl@mst.example") && page.contains("<dt>Ledelsesniveau</dt><dd>Ja</dd>"), "{page}");
}

#[tokio::test]
async fn the_people_register_searches_and_a_person_page_shows_the_history() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    let html = app.get(&client, "/personer?q=aarhus").await.text().await.unwrap();
    assert!(html.contains("Rasmus Friis"));
    assert!(!html.contains("Karen Vestergaard"));
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(CHAIR).fetch_one(&app.db).await.unwrap();
    let page = app.get(&client, &format!("/personer/{id}")).await.text().await.unwrap();
    assert!(page.contains("Faggruppe Natur") || page.contains("Natur"));
    assert!(page.contains("Forperson"));
    // A person sees their own page but not another's (M8 is the secretariat's register).
    let member = app.login_as(MEMBER).await;
    assert_eq!(app.get(&member, &format!("/personer/{id}")).await.status(), StatusCode::FORBIDDEN);
    let own: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(MEMBER).fetch_one(&app.db).await.unwrap();
    assert_eq!(app.get(&member, &format!("/personer/{own}")).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn parties_and_organisations_are_data_o1() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    let token = app.csrf(&client, "/parter").await;
    let response = app
        .post_form(
            &client,
            "/parter",
            &[("csrf_token", &token), ("code", "leverandoer-x"), ("name", "Leverandør X"), ("kind", "vendor")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let party: i64 =
        sqlx::query_scalar("SELECT id FROM parties WHERE code = 'leverandoer-x'").fetch_one(&app.db).await.unwrap();
    let response = app
        .post_form(
            &client,
            "/parter/organisationer",
            &[("csrf_token", &token), ("party_id", &party.to_string()), ("org_name", "X ApS")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = app
        .post_form(
            &client,
            "/parter",
            &[("csrf_token", &token), ("code", "leverandoer-x"), ("name", "Igen"), ("kind", "vendor")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("Koden er allerede brugt."));
    assert!(app.get(&client, "/parter").await.text().await.unwrap().contains("X ApS"));
}

#[tokio::test]
async fn buyout_agreements_are_recorded_by_the_secretariat_m10() {
    let app = spawn_app().await;
    let client = app.login_as(SECRETARIAT).await;
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(MEMBER).fetch_one(&app.db).await.unwrap();
    let token = app.csrf(&client, &format!("/personer/{id}")).await;
    let bad = [
        ("csrf_token", token.as_str()),
        ("description", "Registreringsvejledning"),
        ("hours", "mange"),
        ("starts_on", "2026-12-01"),
        ("ends_on", "2026-11-01"),
    ];
    let response = app.post_form(&client, &format!("/personer/{id}/frikoeb"), &bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Skriv antal timer som et tal mellem 0 og 10.000.")
            && html.contains("Slutdatoen ligger før startdatoen.")
            && html.contains("Registreringsvejledning")
    );
    let good = [
        ("csrf_token", token.as_str()),
        ("description", "Registreringsvejledning"),
        ("hours", "37,5"),
        ("starts_on", "2026-12-01"),
        ("ends_on", ""),
    ];
    assert_eq!(app.post_form(&client, &format!("/personer/{id}/frikoeb"), &good).await.status(), StatusCode::SEE_OTHER);
    assert!(app.get(&client, &format!("/personer/{id}")).await.text().await.unwrap().contains("37,5 t"));
}

/// Issue 12: the add-member form lists at most 100 people, whatever the register holds, and finds the
/// rest by name or e-mail; a form shown again keeps the person chosen even when the list would not hold them.
#[tokio::test]
async fn the_add_member_form_searches_a_large_register_instead_of_listing_it() {
    let app = spawn_app().await;
    sqlx::query(
        "INSERT INTO people (name, email) SELECT 'Registerperson ' || lpad(n::text, 3, '0'), 'reg' || n || '@example.dk'
         FROM generate_series(1, 150) n",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let secretariat = app.login_as(SECRETARIAT).await;
    // People offered, without the blank "Vælg person".
    let options = |html: &str| html.matches("<option value=\"").count() - html.matches("<option value=\"\">").count();

    let page = app.get(&secretariat, "/grupper/natur").await.text().await.unwrap();
    assert!(page.contains("Listen viser de første 100 personer"), "no note that the list is cut");
    let listed = options(page.split("name=\"person_id\"").nth(1).unwrap().split("</select>").next().unwrap());
    assert_eq!(listed, 100, "the person list holds {listed} people");

    let found = app.get(&secretariat, "/grupper/natur?find=registerperson%2014").await.text().await.unwrap();
    let select = found.split("name=\"person_id\"").nth(1).unwrap().split("</select>").next().unwrap();
    assert_eq!(options(select), 10, "Registerperson 140-149 match: {found}");
    assert!(!found.contains("Listen viser de første 100"));
    let literal = app.get(&secretariat, "/grupper/natur?find=%25").await.text().await.unwrap();
    let select = literal.split("name=\"person_id\"").nth(1).unwrap().split("</select>").next().unwrap();
    assert_eq!(options(select), 0, "a % is searched for literally");

    // The last person by name is not among the first 100; a refused form shows them chosen.
    let last: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = 'reg150@example.dk'").fetch_one(&app.db).await.unwrap();
    let token = app.csrf(&secretariat, "/grupper/natur").await;
    let person = last.to_string();
    let fields = [
        ("csrf_token", token.as_str()),
        ("person_id", &person),
        ("role", ""),
        ("party_id", ""),
        ("starts_on", "2026-11-23"),
    ];
    let again = app.post_form(&secretariat, "/grupper/natur/medlemmer", &fields).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = again.text().await.unwrap();
    assert!(html.contains(&format!("<option value=\"{last}\" selected")), "the chosen person is not kept");
}

#[tokio::test]
async fn a_nomination_the_caps_would_refuse_is_warned_about_on_the_group_page_while_it_waits_m2_m5() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let person = new_person(&app, "Mette Fjerde", "mette.fjerde@odense.example", "Odense Kommune", false).await;
    let token = app.csrf(&secretariat, "/grupper/natur").await;
    let id = person.to_string();
    let fields = [("csrf_token", token.as_str()), ("person_id", &id), ("role", "member"), ("starts_on", "2027-01-04")];
    let response = app.post_form(&secretariat, "/grupper/natur/medlemmer", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "a nomination is not refused: the staff group decides");
    assert_eq!(membership_status(&app, "natur", person).await, "nominated");
    let page = app.get(&secretariat, "/grupper/natur").await.text().await.unwrap();
    assert!(
        page.contains("Indstillingen af Mette Fjerde kan ikke godkendes, som gruppen er sammensat nu")
            && page.contains("Højst 3 repræsentanter pr. part (M2)"),
        "warned while it waits"
    );
}
