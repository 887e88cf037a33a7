//! Whose account (issue 18 item 1): every route and API endpoint that writes a person or an account,
//! as each role, against an account of each global role. Nobody takes an account above their own; a
//! sign-in address changes only when the new address confirms it, and the old one can object.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

const ATTACKER: &str = "attacker@evil.example";

/// A second account of a role, so that no actor is its own target.
async fn account_with_role(app: &TestApp, email: &str, name: &str, role: &str) -> i64 {
    let hash = samarbejdsrum::security::password::hash(DEMO_PASSWORD.into()).await.unwrap();
    let id: i64 = sqlx::query_scalar("INSERT INTO people (name, email) VALUES ($1, $2) RETURNING id")
        .bind(name)
        .bind(email)
        .fetch_one(&app.db)
        .await
        .unwrap();
    sqlx::query("INSERT INTO accounts (person_id, password_hash, role) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(hash)
        .bind(role)
        .execute(&app.db)
        .await
        .unwrap();
    id
}

async fn email_of(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT email FROM people WHERE id = $1").bind(id).fetch_one(&app.db).await.unwrap()
}

async fn mails_to(app: &TestApp, address: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT subject FROM outbox WHERE lower(to_address) = lower($1) ORDER BY id")
        .bind(address)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

async fn links_of(app: &TestApp, id: i64) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM account_links WHERE person_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The session's CSRF token, from a page the client can open (signed in or not).
async fn token_of(app: &TestApp, client: &reqwest::Client) -> String {
    match csrf_in(&app.get(client, "/profil").await.text().await.unwrap()) {
        Some(token) => token,
        None => app.csrf(client, "/login").await,
    }
}

/// The person form posted with a new address.
async fn post_person(app: &TestApp, client: &reqwest::Client, id: i64, email: &str) -> reqwest::Response {
    let token = token_of(app, client).await;
    let name: String =
        sqlx::query_scalar("SELECT name FROM people WHERE id = $1").bind(id).fetch_one(&app.db).await.unwrap();
    app.post_form(client, &format!("/personer/{id}"), &[("csrf_token", &token), ("name", &name), ("email", email)])
        .await
}

async fn post_invitation(app: &TestApp, client: &reqwest::Client, id: i64) -> reqwest::Response {
    let token = token_of(app, client).await;
    app.post_form(client, &format!("/personer/{id}/invitation"), &[("csrf_token", &token)]).await
}

async fn put_person(app: &TestApp, token: Option<&str>, id: i64, email: &str) -> reqwest::Response {
    let mut request =
        app.client().put(app.url(&format!("/api/v1/people/{id}"))).json(&json!({ "name": "Navn", "email": email }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Actor {
    Anonymous,
    Member,
    Secretariat,
    Admin,
}

#[tokio::test]
async fn no_role_changes_the_sign_in_address_or_sends_a_password_link_of_an_account_above_its_reach() {
    let app = spawn_app().await;
    let user = sqlx::query_scalar::<_, i64>("SELECT id FROM people WHERE email = $1")
        .bind(SUBSTITUTE)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let secretariat = account_with_role(&app, "sekretaer2@dmp.example", "Sekretær To", "secretariat").await;
    let admin = account_with_role(&app, "admin2@dmp.example", "Administrator To", "admin").await;
    let targets = [("user", user), ("secretariat", secretariat), ("admin", admin)];

    let actors = [
        (Actor::Anonymous, app.client(), None),
        (Actor::Member, app.login_as(MEMBER).await, Some(api_token(&app, MEMBER).await)),
        (Actor::Secretariat, app.login_as(SECRETARIAT).await, Some(api_token(&app, SECRETARIAT).await)),
        (Actor::Admin, app.login_as(ADMIN).await, Some(api_token(&app, ADMIN).await)),
    ];
    for (actor, client, token) in &actors {
        for (role, target) in targets {
            let before = email_of(&app, target).await;
            let links_before = links_of(&app, target).await;
            let wanted = format!("{actor:?}-{role}-{ATTACKER}").to_lowercase();

            let page = post_person(&app, client, target, &wanted).await.status();
            let api = put_person(&app, token.as_deref(), target, &format!("api-{wanted}")).await.status();
            let invitation = post_invitation(&app, client, target).await.status();

            let case = format!("{actor:?} on a {role} account");
            match actor {
                Actor::Anonymous => {
                    assert_eq!(page, StatusCode::SEE_OTHER, "{case}: to the login page");
                    assert_eq!(api, StatusCode::UNAUTHORIZED, "{case}");
                }
                Actor::Member => {
                    assert_eq!(page, StatusCode::FORBIDDEN, "{case}");
                    assert_eq!(api, StatusCode::FORBIDDEN, "{case}");
                }
                Actor::Secretariat => {
                    assert_eq!(page, StatusCode::UNPROCESSABLE_ENTITY, "{case}: refused, the form comes back");
                    assert_eq!(api, StatusCode::CONFLICT, "{case}");
                }
                Actor::Admin => {
                    assert_eq!(page, StatusCode::SEE_OTHER, "{case}: saved, the address waits for confirmation");
                    assert_eq!(api, StatusCode::OK, "{case}");
                }
            }
            let invitation_expected = match actor {
                Actor::Anonymous => StatusCode::SEE_OTHER, // to the login page
                Actor::Member => StatusCode::FORBIDDEN,
                Actor::Secretariat | Actor::Admin => StatusCode::UNPROCESSABLE_ENTITY,
            };
            assert_eq!(invitation, invitation_expected, "{case}: a person with a password is never invited");

            // Whoever asked, the address in force is the old one, and no link to set a password was made.
            assert_eq!(email_of(&app, target).await, before, "{case}");
            assert_eq!(links_of(&app, target).await, links_before, "{case}");
            for asked in [wanted.clone(), format!("api-{wanted}")] {
                let mails = mails_to(&app, &asked).await;
                if *actor == Actor::Admin {
                    assert_eq!(mails, ["Bekræft din nye e-mailadresse i Samarbejdsrum"], "{case}: only a confirmation");
                } else {
                    assert!(mails.is_empty(), "{case}: nothing goes to {asked}: {mails:?}");
                }
            }
        }
    }
    // The old addresses heard of every change an administrator asked for, and of nothing else.
    for (_, target) in targets {
        let notices = mails_to(&app, &email_of(&app, target).await).await;
        assert_eq!(notices.iter().filter(|s| s.contains("ændres")).count(), 2, "page and API: {notices:?}");
    }
}

#[tokio::test]
async fn the_secretariat_edits_a_persons_other_fields_and_the_address_of_people_without_an_account() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let admin_id: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(ADMIN).fetch_one(&app.db).await.unwrap();

    let form = app.get(&secretariat, &format!("/personer/{admin_id}/rediger")).await.text().await.unwrap();
    assert!(form.contains("readonly") && form.contains("Kun personen selv eller en administrator"), "{form}");
    let response = post_person(&app, &secretariat, admin_id, ADMIN).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "the other fields are the secretariat's");

    let refused = post_person(&app, &secretariat, admin_id, ATTACKER).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("Kun personen selv eller en administrator kan ændre den") && page.contains("(Konto)"),
        "{page}"
    );

    // A person without an account: the address is contact data, saved at once.
    let contact = new_person(&app, "Kontakt Person", "kontakt@aarhus.example", "Aarhus Kommune", false).await;
    assert_eq!(
        post_person(&app, &secretariat, contact, "ny.kontakt@aarhus.example").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(email_of(&app, contact).await, "ny.kontakt@aarhus.example");
    assert!(mails_to(&app, "kontakt@aarhus.example").await.is_empty());
}

/// The link of the newest mail to an address that contains `path`.
async fn link_to(app: &TestApp, address: &str, path: &str) -> String {
    let body: String =
        sqlx::query_scalar("SELECT body_text FROM outbox WHERE to_address = $1 AND body_text LIKE '%' || $2 || '%' ORDER BY id DESC LIMIT 1")
            .bind(address)
            .bind(path)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let start = body.find(path).unwrap();
    body[start..].split_whitespace().next().unwrap().to_owned()
}

async fn press(app: &TestApp, link: &str) -> reqwest::Response {
    let client = app.client();
    let page = app.get(&client, link).await;
    assert_eq!(page.status(), StatusCode::OK, "{link}");
    let token = csrf_in(&page.text().await.unwrap()).unwrap();
    app.post_form(&client, link, &[("csrf_token", &token)]).await
}

#[tokio::test]
async fn a_new_sign_in_address_counts_once_the_new_address_confirms_it_and_the_old_one_can_undo_it() {
    let app = spawn_app().await;
    let admin = app.login_as(ADMIN).await;
    let member_id: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(MEMBER).fetch_one(&app.db).await.unwrap();
    let new_address = "medlem.ny@aarhus.example";

    assert_eq!(post_person(&app, &admin, member_id, new_address).await.status(), StatusCode::SEE_OTHER);
    let page = app.get(&admin, &format!("/personer/{member_id}")).await.text().await.unwrap();
    assert!(page.contains("Ny adresse venter på bekræftelse: medlem.ny@aarhus.example"), "{page}");
    assert_eq!(email_of(&app, member_id).await, MEMBER, "nothing changes before the confirmation");
    app.login_as(MEMBER).await;

    // The old address is told what is happening, by whom, and how to object.
    let notice: String =
        sqlx::query_scalar("SELECT body_text FROM outbox WHERE to_address = $1 ORDER BY id DESC LIMIT 1")
            .bind(MEMBER)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(
        notice.contains(new_address) && notice.contains("Jakob Winther") && notice.contains("indsigelse"),
        "{notice}"
    );

    let confirm = link_to(&app, new_address, "/e-mail/bekraeft/").await;
    let confirmed = press(&app, &confirm).await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    assert!(confirmed.text().await.unwrap().contains("Den nye adresse er bekræftet"));
    assert_eq!(email_of(&app, member_id).await, new_address);
    assert_eq!(app.get(&app.client(), &confirm).await.status(), StatusCode::GONE, "a link works once");
    let member = app.login_as(new_address).await;
    let token = api_token(&app, new_address).await;

    // The old address objects: the change is undone, the account's sessions and tokens end, and a link
    // to choose a new password goes to the old address.
    let objection = link_to(&app, MEMBER, "/e-mail/indsigelse/").await;
    let undone = press(&app, &objection).await;
    assert_eq!(undone.status(), StatusCode::OK);
    assert!(undone.text().await.unwrap().contains("rullet tilbage"));
    assert_eq!(email_of(&app, member_id).await, MEMBER);
    assert_eq!(app.get(&member, "/profil").await.status(), StatusCode::SEE_OTHER, "the session ended");
    let me = app.client().get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED, "the API token stopped");
    assert_eq!(
        app.try_login(&app.client(), MEMBER, DEMO_PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED,
        "password gone"
    );
    assert!(link_to(&app, MEMBER, "/adgangskode/").await.contains("/adgangskode/"));
    assert_eq!(app.get(&app.client(), &objection).await.status(), StatusCode::GONE);
}

#[tokio::test]
async fn an_objection_before_the_confirmation_stops_the_change() {
    let app = spawn_app().await;
    let admin = app.login_as(ADMIN).await;
    let chair_id: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(CHAIR).fetch_one(&app.db).await.unwrap();
    assert_eq!(post_person(&app, &admin, chair_id, "forperson.ny@mst.example").await.status(), StatusCode::SEE_OTHER);
    let confirm = link_to(&app, "forperson.ny@mst.example", "/e-mail/bekraeft/").await;
    let stopped = press(&app, &link_to(&app, CHAIR, "/e-mail/indsigelse/").await).await;
    assert!(stopped.text().await.unwrap().contains("Ændringen er stoppet"));
    assert_eq!(app.get(&app.client(), &confirm).await.status(), StatusCode::GONE);
    assert_eq!(email_of(&app, chair_id).await, CHAIR);
    app.login_as(CHAIR).await;
}

#[tokio::test]
async fn the_secretariat_invites_only_people_without_a_password_and_never_a_privileged_account() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let admin = app.login_as(ADMIN).await;
    let person = new_person(&app, "Ny Kollega", "ny.kollega@dmp.example", "Aarhus Kommune", false).await;
    assert_eq!(post_invitation(&app, &secretariat, person).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(links_of(&app, person).await, 1);

    // An invitation not yet used can be sent again; a privileged account without a password only by an
    // administrator.
    assert_eq!(post_invitation(&app, &secretariat, person).await.status(), StatusCode::SEE_OTHER);
    sqlx::query("UPDATE accounts SET role = 'secretariat' WHERE person_id = $1")
        .bind(person)
        .execute(&app.db)
        .await
        .unwrap();
    let refused = post_invitation(&app, &secretariat, person).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("Kun en administrator"));
    assert_eq!(post_invitation(&app, &admin, person).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(links_of(&app, person).await, 3);

    let page = app.get(&secretariat, &format!("/personer/{person}")).await.text().await.unwrap();
    assert!(!page.contains("Send invitation") && page.contains("Kun en administrator"), "{page}");
}

async fn role_of(app: &TestApp, id: i64) -> Option<String> {
    sqlx::query_scalar("SELECT role FROM accounts WHERE person_id = $1").bind(id).fetch_optional(&app.db).await.unwrap()
}

async fn post_role(app: &TestApp, client: &reqwest::Client, id: i64, role: &str) -> reqwest::Response {
    let token = token_of(app, client).await;
    app.post_form(client, &format!("/personer/{id}/rolle"), &[("csrf_token", &token), ("role", role)]).await
}

#[tokio::test]
async fn only_an_administrator_grants_roles_from_the_browser_and_the_last_administrator_stays_one() {
    let app = spawn_app().await;
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
    let (member_id, admin_id, secretariat_id) = (id_of(MEMBER).await, id_of(ADMIN).await, id_of(SECRETARIAT).await);

    // Nobody but an administrator changes a role, whoever the target.
    for who in [MEMBER, SECRETARIAT] {
        let client = app.login_as(who).await;
        for target in [member_id, secretariat_id, admin_id] {
            let before = role_of(&app, target).await;
            assert_eq!(post_role(&app, &client, target, "admin").await.status(), StatusCode::FORBIDDEN, "{who}");
            assert_eq!(role_of(&app, target).await, before, "{who} on {target}");
        }
    }

    // An administrator grants the secretariat role; the page says so and the audit log has it.
    let admin = app.login_as(ADMIN).await;
    assert_eq!(post_role(&app, &admin, member_id, "secretariat").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(role_of(&app, member_id).await.as_deref(), Some("secretariat"));
    let page = app.get(&admin, &format!("/personer/{member_id}")).await.text().await.unwrap();
    assert!(page.contains("Rolle i Samarbejdsrum: <strong>Sekretariat</strong>"), "{page}");
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'account_role_changed' AND entity_id = $1::text
           AND before->>'role' = 'user' AND after->>'role' = 'secretariat'",
    )
    .bind(member_id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    let member = app.login_as(MEMBER).await;
    assert_eq!(app.get(&member, "/personer").await.status(), StatusCode::OK, "the new role opens the register");

    // The only administrator cannot step down until there is another.
    let refused = post_role(&app, &admin, admin_id, "secretariat").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("sidste administrator"));
    assert_eq!(role_of(&app, admin_id).await.as_deref(), Some("admin"));
    assert_eq!(post_role(&app, &admin, secretariat_id, "admin").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(post_role(&app, &admin, admin_id, "user").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(role_of(&app, admin_id).await.as_deref(), Some("user"));
}

#[tokio::test]
async fn an_invitation_carries_a_role_only_when_an_administrator_sends_it() {
    let app = spawn_app().await;
    let invite = |client: reqwest::Client, id: i64, role: &'static str| {
        let app = &app;
        async move {
            let token = token_of(app, &client).await;
            app.post_form(&client, &format!("/personer/{id}/invitation"), &[("csrf_token", &token), ("role", role)])
                .await
        }
    };
    let colleague = new_person(&app, "Ny Kollega", "ny.kollega@dmp.example", "Aarhus Kommune", false).await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let refused = invite(secretariat.clone(), colleague, "admin").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("Kun en administrator"));
    assert_eq!(role_of(&app, colleague).await, None, "nothing created");
    assert_eq!(links_of(&app, colleague).await, 0);

    let admin = app.login_as(ADMIN).await;
    assert_eq!(invite(admin, colleague, "secretariat").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(role_of(&app, colleague).await.as_deref(), Some("secretariat"));
    assert_eq!(links_of(&app, colleague).await, 1);
}
