//! Fuzzed input (proptest): every state-changing form and API body of the router, with NUL and control
//! characters, oversized text, out-of-range numbers and dates and unknown ids, posted by the
//! administrator (who passes every authorisation check, so the input reaches the handlers). Nothing may
//! answer 5xx, and a refused request must write nothing (the audit log records every change).

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use reqwest::Method;
use serde_json::{Map, Value};

use crate::helpers::*;

/// Every field name a form or API body of the app reads.
const FIELDS: [&str; 85] = [
    "aar",
    "approved_by",
    "approved_on",
    "approving_body_id",
    "body",
    "code",
    "comment",
    "competences",
    "confidentiality",
    "current_password",
    "cycle_number",
    "date",
    "decision",
    "description",
    "done",
    "education",
    "email",
    "end",
    "ends_at",
    "ends_on",
    "explanation",
    "format",
    "group_id",
    "hours",
    "is_decision",
    "is_planning",
    "item",
    "kind",
    "kind_id",
    "label",
    "location",
    "management_level",
    "meeting_id",
    "name",
    "networks",
    "new_password",
    "new_password_repeat",
    "note",
    "online_link",
    "org_name",
    "organisation_id",
    "parent_id",
    "part",
    "party_id",
    "person_id",
    "phone",
    "planned_minutes",
    "presenter",
    "purpose",
    "q",
    "reason",
    "requirement",
    "responsible_id",
    "role",
    "slug",
    "staff_meeting_id",
    "start",
    "starts_at",
    "starts_on",
    "status",
    "step",
    "title",
    "wanted_decision",
    "year",
    "attended",
    "business_need",
    "value",
    "beneficiaries",
    "priority",
    "initiative_id",
    "vendor_estimate",
    "cost",
    "learning",
    "outcome",
    "amount",
    "decided_on",
    "d_amount",
    "t_amount",
    "to_group_id",
    "disposed_on",
    "spent",
    "start_year",
    "end_year",
    "in_operation",
    "taken_over_on",
];

/// Values that have broken web apps before.
fn hostile_value() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,30}",
        "[\\x00-\\x1f]{1,4}",
        Just("Natur\u{0}".to_owned()),
        Just("a\r\nBcc: x@evil.example".to_owned()),
        Just("x".repeat(60_000)),
        Just("æ".repeat(5_000)),
        Just("2147483648".to_owned()),
        Just("-1".to_owned()),
        Just("99999999999999999999".to_owned()),
        Just("10000000".to_owned()),
        Just("1e309".to_owned()),
        Just("NaN".to_owned()),
        Just("-5000-01-01".to_owned()),
        Just("275760-09-13".to_owned()),
        Just("2027-02-30".to_owned()),
        Just("2027-03-31T25:61".to_owned()),
        Just("9999999".to_owned()),
        Just("javascript:alert(1)".to_owned()),
        Just("<script>alert(1)</script>".to_owned()),
        Just("'; DROP TABLE people; --".to_owned()),
        Just("natur".to_owned()),
        Just("2027-03-31".to_owned()),
        Just("10:00".to_owned()),
        Just("member".to_owned()),
        Just("ordinary".to_owned()),
    ]
}

/// One to three fields of a valid form replaced by hostile values.
fn hostile_changes() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    proptest::collection::vec((proptest::sample::select(FIELDS.to_vec()), hostile_value()), 1..4)
}

/// A form that every handler would accept as far as its own fields go, so that the hostile values reach
/// the parsing, the rules and the database rather than stopping at a missing field.
fn valid_form(ids: &Ids, n: usize) -> Vec<(&'static str, String)> {
    let id = |v: i64| v.to_string();
    vec![
        ("name", format!("Fuzz Person {n}")),
        ("email", format!("fuzz{n}@example.dk")),
        ("slug", format!("fuzz-{n}")),
        ("title", "Titel".into()),
        ("label", "Nøgle".into()),
        ("date", "2027-03-31".into()),
        ("start", "10:00".into()),
        ("end", "12:00".into()),
        ("starts_at", "2027-03-31T10:00:00+02:00".into()),
        ("ends_at", "2027-03-31T12:00:00+02:00".into()),
        ("kind", "ordinary".into()),
        ("format", "physical".into()),
        ("location", "Mødelokale 1".into()),
        ("online_link", "https://møde.example/1".into()),
        ("cycle_number", "1".into()),
        ("kind_id", id(ids.kind)),
        ("organisation_id", id(ids.organisation)),
        ("party_id", id(ids.party)),
        ("person_id", id(ids.person)),
        ("responsible_id", id(ids.person)),
        ("staff_meeting_id", id(ids.staff_meeting)),
        ("meeting_id", id(ids.meeting)),
        ("role", "member".into()),
        ("confidentiality", "internal".into()),
        ("status", "planned".into()),
        ("body", "Tekst".into()),
        ("description", "Beskrivelse".into()),
        ("hours", "5".into()),
        ("starts_on", "2027-01-01".into()),
        ("approved_on", "2027-01-01".into()),
        ("year", "2027".into()),
        ("code", "custom".into()),
        ("requirement", "Krav".into()),
        ("explanation", "Forklaring".into()),
        ("reason", "Grund".into()),
        ("comment", "Kommentar".into()),
        ("presenter", "v/ sekretariatet".into()),
        ("planned_minutes", "10".into()),
        ("purpose", "Formål".into()),
        ("org_name", format!("Organisation {n}")),
        ("step", "intro_package".into()),
        ("done", "ja".into()),
        ("decision", "accept".into()),
        ("item", "room".into()),
        ("phone", "12345678".into()),
        ("competences", "Natur".into()),
        ("business_need", "Behov".into()),
        ("value", "Værdi".into()),
        ("priority", "medium".into()),
        ("cost", "1000".into()),
        ("outcome", "Udfald".into()),
        ("amount", "1000".into()),
        ("decided_on", "2027-01-01".into()),
        ("d_year", "2027".into()),
        ("d_amount", "10".into()),
        ("disposed_on", "2027-02-01".into()),
        ("t_year", "2027".into()),
        ("t_amount", "10".into()),
        ("spent", "5".into()),
        ("start_year", "2027".into()),
        ("end_year", "2028".into()),
    ]
}

struct Ids {
    kind: i64,
    organisation: i64,
    party: i64,
    person: i64,
    staff_meeting: i64,
    meeting: i64,
}

fn json_of(fields: &[(String, String)]) -> Value {
    let mut map = Map::new();
    for (k, v) in fields {
        let numeric = k.ends_with("_id") || matches!(k.as_str(), "cycle_number" | "planned_minutes" | "hours" | "year");
        let value = match v.parse::<f64>() {
            Ok(n) if numeric && n.is_finite() => serde_json::json!(n),
            _ if k == "management_level" => Value::Bool(true),
            _ => Value::String(v.clone()),
        };
        map.insert(k.clone(), value);
    }
    Value::Object(map)
}

#[tokio::test]
async fn fuzzed_forms_and_api_bodies_never_give_a_5xx_and_a_refusal_writes_nothing() {
    let app = spawn_app().await;
    let client = app.login_as(ADMIN).await;
    let token = api_token(&app, ADMIN).await;
    let csrf = app.csrf(&client, "/profil").await;
    let natur = group_id(&app, "natur").await;
    let meeting: i64 =
        sqlx::query_scalar("SELECT id FROM meetings WHERE group_id = $1 ORDER BY starts_at DESC LIMIT 1")
            .bind(natur)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let mut runner =
        TestRunner::new(Config { rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha, ..Config::default() });
    let strategy = hostile_changes();
    let one = |sql: &'static str| {
        let db = app.db.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&db).await.unwrap() }
    };
    let ids = Ids {
        kind: one("SELECT id FROM group_kinds ORDER BY id LIMIT 1").await,
        organisation: one("SELECT id FROM organisations ORDER BY id LIMIT 1").await,
        party: one("SELECT id FROM parties WHERE code = 'kommunerne'").await,
        person: one("SELECT id FROM people WHERE email = 'medlem.natur@aarhus.example'").await,
        staff_meeting: one("SELECT id FROM meetings WHERE kind = 'staff_group' ORDER BY starts_at LIMIT 1").await,
        meeting,
    };
    let change_request = one("SELECT id FROM change_requests ORDER BY id LIMIT 1").await;
    let cases_per_route = std::env::var("FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(40);
    let mut failures = Vec::new();
    let mut sent = 0;
    for (method, path) in samarbejdsrum::web::routes::route_table() {
        if method == Method::GET || path == "/logout" || path == "/profil/adgangskode" {
            continue; // signing out or changing the password would end the fuzzing session
        }
        let url = path
            .replace("{slug}", "natur")
            .replace(
                "{id}",
                &if path.starts_with("/api/v1/groups/") {
                    natur
                } else if path.starts_with("/aendringsoensker/") {
                    change_request
                } else {
                    meeting
                }
                .to_string(),
            )
            .replace("{escalation}", "1")
            .replace("{version}", "1")
            .replace("{item}", "1")
            .replace("{request}", "1")
            .replace("{direction}", "op")
            .replace("{action}", "godkend")
            .replace("{code}", "faggruppe")
            .replace("{day}", "2027-05-01")
            .replace("{secret}", "ikke-et-rigtigt-link");
        for _ in 0..cases_per_route {
            let changes = strategy.new_tree(&mut runner).unwrap().current();
            let mut fields: Vec<(String, String)> =
                valid_form(&ids, sent).into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            for (field, value) in changes {
                match fields.iter_mut().find(|(k, _)| k == field) {
                    Some(slot) => slot.1 = value,
                    None => fields.push((field.to_owned(), value)),
                }
            }
            let before: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log").fetch_one(&app.db).await.unwrap();
            let request = client.request(method.clone(), app.url(&url));
            let request = if path.starts_with("/api/") {
                request.bearer_auth(&token).json(&json_of(&fields))
            } else {
                let mut form = fields.clone();
                form.push(("csrf_token".into(), csrf.clone()));
                request.form(&form)
            };
            let response = request.send().await.unwrap();
            let status = response.status();
            let after: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log").fetch_one(&app.db).await.unwrap();
            sent += 1;
            let base: Vec<(String, String)> =
                valid_form(&ids, sent - 1).into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            let shown: Vec<(String, String)> = fields
                .iter()
                .filter(|f| !base.contains(f))
                .map(|(k, v)| (k.clone(), v.chars().take(40).collect::<String>()))
                .collect();
            if status.is_server_error() {
                failures.push(format!("{method} {url} {shown:?}: {status}"));
            } else if status.is_client_error() && after != before {
                failures.push(format!("{method} {url} {shown:?}: {status} but {} audit records", after - before));
            }
        }
    }
    println!("fuzzed {sent} requests");
    assert!(sent > 300, "only {sent} requests were sent");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
