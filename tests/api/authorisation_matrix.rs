//! The authorisation matrix: every route the router has (read from `route_table()`, so a new route
//! without a row here fails) × every role × an object of the role's own group and of a confidential
//! group. A denied cell must answer 4xx (or send the anonymous to the login) and write nothing to the
//! audit log; an allowed cell must not be refused for who is asking. CSRF tokens are always valid
//! here, so a refusal comes from the authorisation, not from the token.

use reqwest::{Method, StatusCode};
use samarbejdsrum::domain::access::GlobalRole;
use samarbejdsrum::store::accounts::{self, NewAccount};
use samarbejdsrum::store::audit::Actor;

use crate::helpers::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Anonymous,
    /// A member of another group (Vand).
    Outsider,
    /// Nominated to Natur, not yet approved (M5).
    Nominated,
    Substitute,
    Member,
    Chair,
    Secretariat,
    Admin,
    /// The member's API token, without a browser session.
    TokenOnly,
}
use Role::*;

const ROLES: [Role; 9] = [Anonymous, Outsider, Nominated, Substitute, Member, Chair, Secretariat, Admin, TokenOnly];
const OUTSIDER: &str = "mads.iversen@mst.example";
const NOMINATED: &str = "nomineret.natur@aarhus.example";

/// Whose object a cell is about: Natur (internal; the roles' own group) or Jord made confidential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Object {
    Own,
    Confidential,
}

/// Who may use a route, as the rules (O5, M5, M8, A1-A3, T4) say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Everyone,
    Nobody,
    SignedIn,
    /// May read the group (O5, M5): any signed-in person for an internal group; for a confidential one the
    /// secretariat and its active members.
    GroupReader,
    /// May read the meeting's published agenda and its attachments (A1, A2, T7).
    AgendaReader,
    /// Takes part in the group's meetings (M5): active chair, member, substitute, secretariat member.
    Participant,
    /// May propose a change request to the group (C1): its active members and the secretariat.
    Proposer,
    /// The member themself, or the register's keepers (M8).
    SelfOrSecretariat,
    Secretariat,
    Admin,
}

fn rule_for(method: &Method, path: &str) -> Rule {
    use Rule::*;
    let get = *method == Method::GET;
    match path {
        "/healthz" | "/readyz" | "/login" | "/api/v1/openapi.json" | "/api/v1/groups" if get => Everyone,
        "/login" | "/glemt-adgangskode" => Everyone,
        // Without an identity provider configured (as here) these are not found; tests/api/oidc.rs
        // walks them with one.
        "/login/oidc" | "/login/oidc/callback" => Nobody,
        // The operator's metrics answer a bearer token (METRICS_TOKEN), unset here: not found.
        "/metrics" => Nobody,
        // The second step of a password sign-in: without a password just accepted, it sends the
        // browser back to /login (tests/api/second_factor.rs walks it).
        "/login/totrin" => Nobody,
        // A link's secret opens it, not the role: a made-up one opens nothing.
        "/adgangskode/{secret}" | "/e-mail/bekraeft/{secret}" | "/e-mail/indsigelse/{secret}" => Nobody,
        "/tilgaengelighed"
        | "/medlemmer"
        | "/medlemmer/{slug}"
        | "/medlemmer/{slug}/medlemsliste.csv"
        | "/api/v1/groups/{id}/members" => Everyone,
        // Secrets and other people's credentials open nothing.
        "/kalender/{file}" | "/profil/api-noegler/{id}/tilbagekald" | "/profil/kalender/{id}/tilbagekald" => Nobody,
        "/" | "/profil" | "/grupper" | "/moeder" | "/aendringsoensker" | "/roadmap" | "/budget" if get => SignedIn,
        "/aendringsoensker.csv" | "/eskaleringer" | "/soeg" if get => SignedIn,
        "/logout"
        | "/profil/adgangskode"
        | "/profil/api-noegler"
        | "/profil/notifikationer"
        | "/profil/kalender"
        | "/profil/oplysninger"
        | "/profil/mine-data.json"
        | "/profil/totrin"
        | "/api/v1/me" => SignedIn,
        "/grupper/{slug}"
        | "/grupper/{slug}/moeder"
        | "/grupper/{slug}/fremmoede"
        | "/grupper/{slug}/fremmoede.csv"
        | "/grupper/{slug}/kommissorium"
        | "/grupper/{slug}/kommissorium/{version}"
        | "/moeder/{id}"
        | "/moeder/{id}/kalender.ics"
        | "/api/v1/groups/{id}/memberships"
        | "/api/v1/meetings/{id}"
        | "/api/v1/groups/{id}/decisions"
        | "/api/v1/groups/{id}/actions"
        | "/aendringsoensker/{id}"
        | "/grupper/{slug}/aendringsoensker"
        | "/grupper/{slug}/aendringsoensker.csv"
        | "/grupper/{slug}/budget"
        | "/grupper/{slug}/roadmap"
        | "/api/v1/groups/{id}/change-requests"
        | "/api/v1/groups/{id}/roadmap"
        | "/api/v1/groups/{id}/budgets/{year}"
        | "/api/v1/groups/{id}/operations"
        | "/api/v1/change-requests/{id}"
            if get =>
        {
            GroupReader
        }
        "/moeder/{id}/dagsorden" | "/moeder/{id}/bilag/{document}" if get => AgendaReader,
        // A1, A2: the agenda as PDF and Word under the agenda page's rules.
        "/moeder/{id}/dagsorden.pdf" | "/moeder/{id}/dagsorden.docx" if get => AgendaReader,
        // R3, O5: the minutes as PDF and Word under the minutes page's rules.
        "/moeder/{id}/referat.pdf" | "/moeder/{id}/referat.docx" if get => AgendaReader,
        // T7: the meeting's case file is the secretariat's, once the agenda is published.
        "/moeder/{id}/sag.zip" if get => Secretariat,
        // R3, O5: the group reads minutes from their sending on; its members and the chair comment on them.
        "/moeder/{id}/referat" | "/moeder/{id}/referat/udskrift" | "/moeder/{id}/referat/versioner/{version}"
            if get =>
        {
            AgendaReader
        }
        "/moeder/{id}/referat/bemaerkninger" | "/moeder/{id}/referat/ingen-bemaerkninger" => AgendaReader,
        "/api/v1/meetings/{id}/minutes" if get => AgendaReader,
        "/beslutninger" | "/aktioner" if get => SignedIn,
        "/grupper/{slug}/referater" | "/grupper/{slug}/beslutninger" | "/grupper/{slug}/aktioner" if get => {
            GroupReader
        }
        // C4: the owner or the secretariat closes an action; the matrix names no action of anyone's
        // (who closes one is tested in tests/api/minutes.rs).
        "/aktioner/{id}/luk" => Nobody,
        "/moeder/{id}/afbud"
        | "/moeder/{id}/afbud/tilbagekald"
        | "/moeder/{id}/stedfortraeder"
        | "/moeder/{id}/punktoensker" => Participant,
        "/grupper/{slug}/aendringsoensker/ny"
        | "/grupper/{slug}/aendringsoensker"
        | "/api/v1/groups/{id}/change-requests" => Proposer,
        "/personer/{id}" | "/api/v1/people/{id}" if get => SelfOrSecretariat,
        "/administration"
        | "/administration/log-ind"
        | "/administration/log-ind/noedadgang/{id}"
        | "/administration/log-ind/totrin"
        | "/administration/brugere/{id}/luk"
        | "/administration/brugere/{id}/genaabn"
        | "/administration/gruppetyper/{code}"
        | "/administration/lukkedage"
        | "/administration/lukkedage/{day}/slet"
        // GDPR (issue 10 item 5): the export and the erasure of a person are for administrators only.
        | "/personer/{id}/data"
        | "/personer/{id}/data.json"
        | "/personer/{id}/slet"
        // Global roles are granted and removed by administrators only.
        | "/personer/{id}/rolle"
        // A lost second factor is reset by an administrator only.
        | "/personer/{id}/totrin/nulstil" => Admin,
        // The secretariat keeps groups, people, meetings, agendas and attendance (O5, M8, A1, T5).
        "/grupper"
        | "/grupper/ny"
        | "/grupper/{slug}"
        | "/grupper/{slug}/rediger"
        | "/grupper/{slug}/medlemmer"
        | "/grupper/{slug}/medlemmer/{id}/godkend"
        | "/grupper/{slug}/medlemmer/{id}/afslut"
        | "/grupper/{slug}/medlemmer/{id}/onboarding"
        | "/grupper/{slug}/foelg-eller-forklar"
        | "/grupper/{slug}/kommissorium"
        | "/grupper/{slug}/kommissorium/{version}/godkend"
        | "/grupper/{slug}/kommissorium/fra-word"
        | "/grupper/{slug}/moeder"
        | "/grupper/{slug}/aarshjul"
        | "/grupper/{slug}/aarshjul/{topic}/udfoert"
        | "/frister"
        | "/udbakke"
        | "/udbakke/{id}"
        | "/udbakke/{id}/send-igen"
        | "/moeder/{id}/status"
        | "/moeder/{id}/tjekliste"
        | "/moeder/{id}/bilag"
        // Issue 10 item 3: moving, changing and cancelling meetings, replacing and removing
        // attachments (T7), and planning the meetings across groups (T1).
        | "/moeder/ny"
        | "/moeder/{id}/rediger"
        | "/moeder/{id}/aflys"
        | "/moeder/{id}/bilag/{document}/erstat"
        | "/moeder/{id}/bilag/{document}/slet"
        | "/api/v1/meetings/{id}"
        | "/api/v1/meetings/{id}/cancel"
        | "/moeder/{id}/dagsorden"
        | "/moeder/{id}/dagsorden/punkter"
        | "/moeder/{id}/dagsorden/aendringsoensker"
        | "/moeder/{id}/dagsorden/tider"
        | "/moeder/{id}/dagsorden/punkter/{item}"
        | "/moeder/{id}/dagsorden/punkter/{item}/slet"
        | "/moeder/{id}/dagsorden/punkter/{item}/{direction}"
        | "/moeder/{id}/dagsorden/{action}"
        | "/moeder/{id}/punktoensker/{request}"
        | "/moeder/{id}/fremmoede"
        // R1-R4: the secretariat writes, sends, handles comments and approves the minutes.
        | "/moeder/{id}/referat"
        | "/moeder/{id}/referat/punkter"
        | "/moeder/{id}/referat/punkter/{item}"
        | "/moeder/{id}/referat/punkter/{item}/poster"
        | "/moeder/{id}/referat/poster/{entry}/slet"
        | "/moeder/{id}/referat/parter"
        | "/moeder/{id}/referat/bemaerkninger/{comment}"
        | "/moeder/{id}/referat/{action}"
        | "/personer"
        | "/personer/ny"
        | "/personer/{id}"
        | "/personer/{id}/rediger"
        | "/personer/{id}/frikoeb"
        | "/personer/{id}/invitation"
        | "/parter"
        | "/parter/organisationer"
        // O1: parties and organisations are edited, retired and reactivated by whoever may create them.
        | "/parter/{id}"
        | "/parter/{id}/rediger"
        | "/parter/{id}/udfas"
        | "/parter/{id}/genaktiver"
        | "/parter/organisationer/{id}"
        | "/parter/organisationer/{id}/rediger"
        | "/parter/organisationer/{id}/udfas"
        | "/parter/organisationer/{id}/genaktiver"
        | "/api/v1/groups"
        | "/api/v1/groups/{id}/memberships"
        | "/api/v1/groups/{id}/meetings"
        | "/api/v1/memberships/{id}/approve"
        | "/api/v1/memberships/{id}/end"
        | "/api/v1/people"
        | "/api/v1/people/{id}"
        // The registers (C1-C3, B1-B3, O4) are kept by the secretariat.
        | "/aendringsoensker/{id}"
        | "/aendringsoensker/{id}/rediger"
        | "/aendringsoensker/{id}/status"
        | "/aendringsoensker/{id}/eskaleringer"
        | "/aendringsoensker/{id}/eskaleringer/{escalation}"
        | "/api/v1/change-requests/{id}"
        | "/api/v1/change-requests/{id}/status"
        | "/grupper/{slug}/budget"
        | "/grupper/{slug}/budget/dispositioner"
        | "/grupper/{slug}/budget/forbrug"
        | "/grupper/{slug}/budget/overfoersler"
        | "/grupper/{slug}/roadmap"
        | "/roadmap/{id}"
        | "/roadmap/{id}/rediger"
        | "/loesninger"
        | "/loesninger/{id}"
        | "/loesninger/{id}/rediger"
        | "/loesninger/{id}/drift" => Secretariat,
        other => panic!("{method} {other} has no row in the authorisation matrix: say who may use it"),
    }
}

fn allowed(rule: Rule, role: Role, object: Object, api: bool) -> bool {
    use Rule::*;
    let signed_in = if api { role != Anonymous } else { !matches!(role, Anonymous | TokenOnly) };
    let staff = matches!(role, Role::Secretariat | Role::Admin);
    let own_active = matches!(role, Substitute | Member | Chair | TokenOnly | Role::Secretariat);
    match rule {
        Everyone => object == Object::Own,
        Nobody => false,
        SignedIn => signed_in,
        GroupReader => signed_in && (object == Object::Own || staff),
        AgendaReader => signed_in && (staff || (object == Object::Own && own_active)),
        // The demo's secretariat account sits in both groups as their secretariat member.
        Participant => signed_in && ((object == Object::Own && own_active) || role == Role::Secretariat),
        Proposer => signed_in && (staff || (object == Object::Own && own_active)),
        SelfOrSecretariat => signed_in && (staff || matches!(role, Member | TokenOnly)),
        Rule::Secretariat => signed_in && staff,
        Rule::Admin => signed_in && role == Role::Admin,
    }
}

struct Objects {
    group_slug: &'static str,
    group_id: i64,
    meeting_id: i64,
    document_id: i64,
    item_id: i64,
    request_id: i64,
    membership_id: i64,
    change_request_id: i64,
    escalation_id: i64,
    initiative_id: i64,
    solution_id: i64,
    /// A party and an organisation of the matrix's own, so that retiring them changes no other cell.
    party_id: i64,
    organisation_id: i64,
    /// A failed mail of the matrix's own, to read and to send again.
    mail_id: i64,
}

async fn scalar(app: &TestApp, sql: &str, bind: i64) -> i64 {
    sqlx::query_scalar(sql).bind(bind).fetch_one(&app.db).await.unwrap()
}

/// A coming meeting of the group with a published agenda, an item, an attachment and an item request.
async fn objects(app: &TestApp, slug: &'static str) -> Objects {
    let group_id = group_id(app, slug).await;
    let meeting_id = scalar(
        app,
        "SELECT id FROM meetings WHERE group_id = $1 AND starts_at > now() AND kind = 'ordinary' ORDER BY starts_at LIMIT 1",
        group_id,
    )
    .await;
    let chair = scalar(app, "SELECT person_id FROM memberships WHERE group_id = $1 AND role = 'chair'", group_id).await;
    sqlx::query(
        "INSERT INTO agendas (meeting_id, status, sent_to_chair_at, approved_at, approved_by, published_at)
         VALUES ($1, 'published', now(), now(), $2, now())
         ON CONFLICT (meeting_id) DO UPDATE SET status = 'published', sent_to_chair_at = now(), approved_at = now(),
             approved_by = $2, published_at = now()",
    )
    .bind(meeting_id)
    .bind(chair)
    .execute(&app.db)
    .await
    .unwrap();
    let agenda = scalar(app, "SELECT id FROM agendas WHERE meeting_id = $1", meeting_id).await;
    // Minutes out for comments (R3), with an earlier approved version to read.
    let minutes = scalar(
        app,
        "INSERT INTO minutes (meeting_id, status, sent_at) VALUES ($1, 'sent', now()) RETURNING id",
        meeting_id,
    )
    .await;
    sqlx::query("INSERT INTO minutes_versions (minutes_id, version, approved_at, content) VALUES ($1, 1, now(), $2)")
        .bind(minutes)
        .bind(serde_json::json!({ "party_summary": "", "items": [], "entries": [] }))
        .execute(&app.db)
        .await
        .unwrap();
    let item_id = scalar(
        app,
        "INSERT INTO agenda_items (agenda_id, position, title) VALUES ($1, 99, 'Matrixpunkt') RETURNING id",
        agenda,
    )
    .await;
    let document_id = scalar(
        app,
        "INSERT INTO documents (meeting_id, filename, content_type, size_bytes, sha256, content)
         VALUES ($1, 'matrix.pdf', 'application/pdf', 5, sha256('%PDF-'::bytea), '%PDF-'::bytea) RETURNING id",
        meeting_id,
    )
    .await;
    let request_id = scalar(
        app,
        "INSERT INTO agenda_item_requests (meeting_id, requested_by, title, late)
         SELECT $1, person_id, 'Matrixønske', false FROM memberships
         WHERE group_id = (SELECT group_id FROM meetings WHERE id = $1) AND role = 'member' LIMIT 1 RETURNING id",
        meeting_id,
    )
    .await;
    let membership_id = scalar(
        app,
        "SELECT id FROM memberships WHERE group_id = $1 AND role = 'member' AND status = 'active' ORDER BY id LIMIT 1",
        group_id,
    )
    .await;
    let change_request_id =
        scalar(app, "SELECT id FROM change_requests WHERE group_id = $1 ORDER BY id LIMIT 1", group_id).await;
    let escalation_id = scalar(
        app,
        "INSERT INTO change_request_escalations (change_request_id, reason) VALUES ($1, 'Matrix') RETURNING id",
        change_request_id,
    )
    .await;
    let initiative_id =
        scalar(app, "SELECT id FROM roadmap_initiatives WHERE group_id = $1 ORDER BY id LIMIT 1", group_id).await;
    let solution_id = scalar(app, "SELECT id FROM solutions WHERE group_id = $1 ORDER BY id LIMIT 1", group_id).await;
    let party_id: i64 = sqlx::query_scalar(
        "INSERT INTO parties (code, name, kind) VALUES ('matrix-' || $1, 'Matrixpart ' || $1, 'vendor') RETURNING id",
    )
    .bind(slug)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let organisation_id =
        scalar(app, "INSERT INTO organisations (party_id, name) VALUES ($1, 'Matrix ApS') RETURNING id", party_id)
            .await;
    let mail_id = scalar(
        app,
        "INSERT INTO outbox (idempotency_key, kind, to_address, subject, body_text, status, attempts)
         VALUES ('matrix-' || $1, 'test', 'matrix@example.dk', 'Matrixmail', 'Tekst', 'failed', 8) RETURNING id",
        group_id,
    )
    .await;
    Objects {
        party_id,
        organisation_id,
        mail_id,
        initiative_id,
        solution_id,
        group_slug: slug,
        group_id,
        meeting_id,
        document_id,
        item_id,
        request_id,
        membership_id,
        change_request_id,
        escalation_id,
    }
}

fn fill(path: &str, o: &Objects, member_id: i64) -> String {
    let id = if path.starts_with("/moeder/") || path.starts_with("/api/v1/meetings/") {
        o.meeting_id
    } else if path.starts_with("/api/v1/groups/") {
        o.group_id
    } else if path.starts_with("/grupper/") || path.starts_with("/api/v1/memberships/") {
        o.membership_id
    } else if path.starts_with("/personer/") || path.starts_with("/api/v1/people/") {
        member_id
    } else if path.starts_with("/aendringsoensker/") || path.starts_with("/api/v1/change-requests/") {
        o.change_request_id
    } else if path.starts_with("/roadmap/") {
        o.initiative_id
    } else if path.starts_with("/loesninger/") {
        o.solution_id
    } else if path.starts_with("/udbakke/") {
        o.mail_id
    } else if path.starts_with("/parter/organisationer/") {
        o.organisation_id
    } else if path.starts_with("/parter/") {
        o.party_id
    } else {
        // Credentials of nobody in the matrix: revoking them must be refused to everyone.
        9_999_999
    };
    path.replace("{slug}", o.group_slug)
        .replace("{id}", &id.to_string())
        .replace("{document}", &o.document_id.to_string())
        .replace("{item}", &o.item_id.to_string())
        .replace("{request}", &o.request_id.to_string())
        .replace("{escalation}", &o.escalation_id.to_string())
        .replace("{entry}", "9999999")
        .replace("{comment}", "9999999")
        .replace("{topic}", "9999999")
        .replace("{version}", "1")
        .replace("{year}", &chrono::Datelike::year(&chrono::Utc::now()).to_string())
        .replace("{direction}", "op")
        .replace("{action}", "godkend")
        .replace("{file}", "ikke-en-hemmelighed.ics")
        .replace("{code}", "faggruppe")
        .replace("{day}", "2027-05-01")
        .replace("{secret}", "ikke-et-rigtigt-link")
}

async fn account_for(app: &TestApp, email: &str, name: &str) -> i64 {
    let hash = samarbejdsrum::security::password::hash(DEMO_PASSWORD.into()).await.unwrap();
    let new = NewAccount { email, name, role: GlobalRole::User, password_hash: &hash };
    accounts::upsert(&app.db, &Actor::cli(), new).await.unwrap()
}

async fn audit_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_log").fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_rules_say_for_own_and_confidential_objects() {
    let app = spawn_app().await;
    account_for(&app, OUTSIDER, "").await;
    let nominated = account_for(&app, NOMINATED, "Nomineret Medlem").await;
    sqlx::query(
        "INSERT INTO memberships (group_id, person_id, role, party_id, status, nominated_on)
         SELECT g.id, $1, 'member', pa.id, 'nominated', current_date FROM groups g, parties pa
         WHERE g.slug = 'natur' AND pa.code = 'kommunerne'",
    )
    .bind(nominated)
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query("UPDATE groups SET confidentiality = 'confidential' WHERE slug = 'jord'")
        .execute(&app.db)
        .await
        .unwrap();
    let own = objects(&app, "natur").await;
    let secret = objects(&app, "jord").await;
    let member_id: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(MEMBER).fetch_one(&app.db).await.unwrap();

    let table = samarbejdsrum::web::routes::route_table();
    let mut cells = 0;
    let mut failures = Vec::new();
    for role in ROLES {
        let email = match role {
            Anonymous => None,
            Outsider => Some(OUTSIDER),
            Nominated => Some(NOMINATED),
            Substitute => Some(SUBSTITUTE),
            Member | TokenOnly => Some(MEMBER),
            Chair => Some(CHAIR),
            Secretariat => Some(SECRETARIAT),
            Admin => Some(ADMIN),
        };
        let client = match (role, email) {
            (TokenOnly, _) | (_, None) => app.client(),
            (_, Some(email)) => app.login_as(email).await,
        };
        let token = match email {
            Some(email) => Some(api_token(&app, email).await),
            None => None,
        };
        // A valid CSRF token of this client's own session (the anonymous one's from the login page).
        let csrf = app.csrf(&client, if client_signed_in(role) { "/profil" } else { "/login" }).await;
        // Writes go last, and signing out last of all, so that what one cell changes cannot open the next.
        let mut routes = table.clone();
        routes.sort_by_key(|(method, path)| (*method != Method::GET, *path == "/logout"));
        for (method, path) in &routes {
            let rule = rule_for(method, path);
            let api = path.starts_with("/api/");
            for (object, objects) in [(Object::Own, &own), (Object::Confidential, &secret)] {
                let url = fill(path, objects, member_id);
                if object == Object::Confidential && url == fill(path, &own, member_id) {
                    continue; // the route names no object of a group
                }
                let expected = allowed(rule, role, object, api);
                let before = audit_count(&app).await;
                let mut request = client.request(method.clone(), app.url(&url));
                if api {
                    if let Some(token) = &token.as_ref().filter(|_| role != Anonymous) {
                        request = request.bearer_auth(token);
                    }
                    if *method != Method::GET {
                        request = request.json(&serde_json::json!({}));
                    }
                } else if *method != Method::GET {
                    request = request.form(&[("csrf_token", csrf.as_str())]);
                }
                let response = request.send().await.unwrap();
                let status = response.status();
                let to_login = status == StatusCode::SEE_OTHER
                    && response
                        .headers()
                        .get("location")
                        .is_some_and(|l| l.to_str().unwrap_or("").starts_with("/login"));
                let wrote = audit_count(&app).await != before;
                cells += 1;
                let verdict = if status.is_server_error() {
                    Some("a server error")
                } else if expected
                    && (status == StatusCode::FORBIDDEN
                        || status == StatusCode::UNAUTHORIZED
                        || (to_login && *path != "/logout"))
                {
                    Some("refused, but the rule allows it")
                } else if expected && *method == Method::GET && !(status.is_success() || status.is_redirection()) {
                    Some("not shown, but the rule allows it")
                } else if !(expected || status.is_client_error() || to_login) {
                    Some("allowed, but the rule refuses it")
                } else if !expected && wrote {
                    Some("refused, but something was written")
                } else {
                    None
                };
                if let Some(verdict) = verdict {
                    failures.push(format!("{role:?} {method} {url} ({object:?}, {rule:?}): {status}: {verdict}"));
                }
            }
        }
    }
    assert!(cells > 9 * 80, "the matrix has only {cells} cells");
    println!("authorisation matrix: {} routes x {} roles, {cells} cells", table.len(), ROLES.len());
    assert!(failures.is_empty(), "{} of {cells} cells are wrong:\n{}", failures.len(), failures.join("\n"));
}

fn client_signed_in(role: Role) -> bool {
    !matches!(role, Anonymous | TokenOnly)
}

#[tokio::test]
async fn every_state_changing_route_refuses_a_missing_or_wrong_csrf_token_and_a_get() {
    let app = spawn_app().await;
    let own = objects(&app, "natur").await;
    let client = app.login_as(SECRETARIAT).await;
    let mut checked = 0;
    for (method, path) in samarbejdsrum::web::routes::route_table() {
        if method == Method::GET || path.starts_with("/api/") {
            continue;
        }
        let url = fill(path, &own, 1);
        for fields in [vec![], vec![("csrf_token", "forkert")]] {
            let before = audit_count(&app).await;
            let response = client.request(method.clone(), app.url(&url)).form(&fields).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{method} {url} with {fields:?}");
            assert_eq!(audit_count(&app).await, before, "{method} {url} wrote despite the CSRF refusal");
        }
        let is_also_get =
            samarbejdsrum::web::routes::route_table().iter().any(|(m, p)| *m == Method::GET && *p == path);
        if !is_also_get {
            let response = client.get(app.url(&url)).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "GET {url} must not change anything");
        }
        checked += 1;
    }
    assert!(checked >= 35, "only {checked} state-changing routes found");
}
