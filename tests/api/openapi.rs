//! The served OpenAPI document is valid OpenAPI 3.1, checked offline against the official schema and
//! by openapi-spec-validator, the semantic validator client generators rely on.

use serde_json::{Value, json};

use crate::helpers::*;

/// The OpenAPI Initiative's JSON Schema for OpenAPI 3.1 documents, id
/// `https://spec.openapis.org/oas/3.1/schema/2022-10-07` (Apache-2.0), byte for byte as shipped in the PyPI
/// package openapi-spec-validator 0.9.0 (`openapi_spec_validator/resources/schemas/v3.1/schema.json`).
const OPENAPI_3_1_SCHEMA: &str = include_str!("openapi-3.1-schema.json");

/// Every problem the 3.1 schema finds in `doc`, as "message at path".
fn schema_errors(doc: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(OPENAPI_3_1_SCHEMA).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    validator.iter_errors(doc).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

/// The official schema leaves Schema Objects and references alone; these are the checks it skips.
fn walk(value: &Value, doc: &Value, path: &str, problems: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                let resolves = target.strip_prefix('#').is_some_and(|pointer| doc.pointer(pointer).is_some());
                if !resolves {
                    problems.push(format!("{path}: $ref {target} does not resolve"));
                }
            }
            for (key, child) in map {
                let child_path = format!("{path}/{key}");
                if (key == "schema" || path.ends_with("/components/schemas"))
                    && let Err(e) = jsonschema::meta::validate(child)
                {
                    problems.push(format!("{child_path}: not a JSON Schema 2020-12: {e}"));
                }
                walk(child, doc, &child_path, problems);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, doc, &format!("{path}/{i}"), problems);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn the_openapi_document_is_valid_openapi_3_1() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap();
    assert_eq!(response.headers()["content-type"], "application/json");
    let doc: Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");

    let errors = schema_errors(&doc);
    assert!(errors.is_empty(), "not valid OpenAPI 3.1: {errors:#?}");
    let mut problems = Vec::new();
    walk(&doc, &doc, "", &mut problems);
    assert!(problems.is_empty(), "{problems:#?}");

    let mut operation_ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .map(|op| op["operationId"].as_str().expect("every operation has an operationId"))
        .collect();
    let count = operation_ids.len();
    operation_ids.sort();
    operation_ids.dedup();
    assert_eq!(operation_ids.len(), count, "operationIds are unique");

    // The checks above do look deep: a 2.0-style body parameter and a dangling reference are both caught.
    let mut broken = doc.clone();
    broken["paths"]["/api/v1/me"]["get"]["parameters"] = json!([{ "name": "x", "in": "body" }]);
    assert!(!schema_errors(&broken).is_empty());
    broken["components"]["schemas"]["Me"]["properties"]["role"] = json!({ "$ref": "#/components/schemas/Nobody" });
    let mut problems = Vec::new();
    walk(&broken, &broken, "", &mut problems);
    assert_eq!(problems.len(), 1, "{problems:?}");
}

/// What openapi-spec-validator (PyPI, installed by scripts/test in target/py-tools) finds in `doc`.
fn semantic_problems(doc: &Value) -> Vec<String> {
    use std::io::Write;
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/target/py-tools/bin/python");
    let mut child = std::process::Command::new(python)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools/openapi_check.py"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the validator's venv (scripts/test creates target/py-tools from tests/tools/requirements.txt)");
    child.stdin.take().unwrap().write_all(doc.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect()
}

/// A generated client breaks on what the JSON Schema lets through: a path parameter its path does
/// not have (the groups list once declared its `page` so). The semantic validator finds nothing in the
/// served document, and does find that.
#[tokio::test]
async fn the_openapi_document_passes_a_semantic_validator() {
    let app = spawn_app().await;
    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
    let problems = semantic_problems(&doc);
    assert!(problems.is_empty(), "openapi-spec-validator: {problems:#?}");

    let mut broken = doc.clone();
    broken["paths"]["/api/v1/groups"]["get"]["parameters"] =
        json!([{ "name": "page", "in": "path", "required": true, "schema": { "type": "integer" } }]);
    assert!(schema_errors(&broken).is_empty(), "the JSON Schema alone lets it through");
    let problems = semantic_problems(&broken);
    assert!(problems.iter().any(|p| p.contains("page")), "{problems:?}");
}

#[tokio::test]
async fn the_public_operations_are_marked_without_security_and_the_rest_need_a_bearer_token() {
    let app = spawn_app().await;
    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
    assert_eq!(doc["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
    assert_eq!(doc["security"], json!([{ "bearerAuth": [] }]));
    let mut public: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| item.as_object().unwrap().iter().map(move |(method, op)| (path, method, op)))
        .filter(|(_, _, op)| op["security"] == json!([]))
        .map(|(path, method, _)| format!("{} {path}", method.to_uppercase()))
        .collect();
    public.sort();
    assert_eq!(
        public,
        ["GET /api/v1/groups", "GET /api/v1/groups/{id}/members", "GET /api/v1/openapi.json"],
        "the same as the authorisation matrix's public API routes"
    );
    let unauthorized = &doc["components"]["responses"]["Unauthorized"];
    assert!(unauthorized["headers"]["WWW-Authenticate"].is_object());
    let example = &unauthorized["content"]["application/json"]["examples"]["unauthorized"]["value"];
    assert_eq!(example["error"]["code"], "unauthorized");
}

/// A path id that does not parse (beyond i64, a word) answers 404 in the API's JSON error shape, and
/// every operation with a path parameter documents that 404.
#[tokio::test]
async fn a_path_id_that_does_not_parse_is_a_documented_json_404() {
    let app = spawn_app().await;
    let token = api_token(&app, SECRETARIAT).await;
    for path in ["/api/v1/meetings/99999999999999999999", "/api/v1/people/abc", "/api/v1/groups/1/budgets/x"] {
        let response = app.client().get(app.url(path)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::NOT_FOUND, "{path}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"), "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found", "{path}: {body}");
    }
    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.contains('{') {
            continue;
        }
        for (method, op) in item.as_object().unwrap() {
            assert!(op["responses"].get("404").is_some(), "{method} {path} does not document its 404");
        }
    }
}
