//! GDPR: an administrator reads everything stored about a person (page and JSON
//! download) and erases a person who has left. What is stored where is known by `store::personal_data`.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value;

use super::auth::Ctx;
use super::error::AppError;
use super::layout::{Layout, Nav};
use crate::domain::access::Viewer;
use crate::state::AppState;
use crate::store::{self, personal_data};

/// The sections of the export in the order and words of the page.
const SECTIONS: &[(&str, &str)] = &[
    ("person", "Personoplysninger"),
    ("account", "Konto"),
    ("memberships", "Medlemskaber"),
    ("attendance", "Fremmøde og afbud"),
    ("onboarding", "Onboarding"),
    ("buyouts", "Frikøbsaftaler"),
    ("agenda_requests", "Ønsker om dagsordenspunkter"),
    ("chair_comments", "Kommentarer som forperson"),
    ("minutes_comments", "Kommentarer til referater"),
    ("decisions", "Beslutninger med ansvar"),
    ("agenda_items", "Dagsordenspunkter med ansvar"),
    ("actions", "Aktioner"),
    ("change_requests", "Indsendte ændringsønsker"),
    ("documents", "Uploadede bilag"),
    ("notification_settings", "Valg af påmindelser"),
    ("api_tokens", "API-nøgler"),
    ("calendar_feeds", "Kalenderabonnementer"),
    ("account_links", "Invitations- og nulstillingslinks"),
    ("login_attempts", "Loginforsøg"),
    ("mails", "Mails til personen"),
    ("audit_log", "Revisionsspor"),
];

struct Section {
    id: &'static str,
    title: &'static str,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

#[derive(Template)]
#[template(path = "people/data.html")]
struct DataPage {
    l: Layout,
    person_id: i64,
    name: String,
    erased: bool,
    sections: Vec<Section>,
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(true) => "ja".into(),
        Value::Bool(false) => "nej".into(),
        other => other.to_string(),
    }
}

fn section(id: &'static str, title: &'static str, value: Option<&Value>) -> Section {
    let objects: Vec<&serde_json::Map<String, Value>> = match value {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
        Some(Value::Object(o)) => vec![o],
        _ => Vec::new(),
    };
    let columns: Vec<String> = objects.first().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    let rows =
        objects.iter().map(|o| columns.iter().map(|c| o.get(c).map(cell).unwrap_or_default()).collect()).collect();
    Section { id, title, columns, rows }
}

async fn export(state: &AppState, ctx: &Ctx, id: i64) -> Result<Value, AppError> {
    ctx.require(Viewer::can_administer)?;
    personal_data::export(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// GET /personer/{id}/data: everything stored about the person, readable.
pub async fn page(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, AppError> {
    let data = export(&state, &ctx, id).await?;
    let person = data.get("person");
    let name = person.and_then(|p| p.get("name")).map(cell).unwrap_or_default();
    let erased = person.and_then(|p| p.get("erased_at")).is_some_and(|v| !v.is_null());
    let page = DataPage {
        l: ctx.layout(Nav::People, format!("Oplysninger om {name}")),
        person_id: id,
        name,
        erased,
        sections: SECTIONS.iter().map(|(key, title)| section(key, title, data.get(*key))).collect(),
    };
    Ok(Html(page.render()?))
}

/// GET /personer/{id}/data.json: the same as a file to hand to the person.
pub async fn download(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let data = export(&state, &ctx, id).await?;
    let body = serde_json::to_string_pretty(&data).map_err(|e| AppError::Internal(e.into()))?;
    let disposition = format!("attachment; filename=\"person-{id}.json\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct EraseForm {
    #[serde(default, deserialize_with = "crate::web::forms::checkbox")]
    confirm: bool,
}

/// POST /personer/{id}/slet: erases a person who has left; the record keeps a neutral name.
pub async fn erase(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<EraseForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::can_administer)?;
    if !form.confirm {
        return Err(AppError::Refused {
            rule: "GDPR",
            message: "Sæt kryds for at bekræfte, at personens oplysninger skal slettes.".into(),
        });
    }
    match personal_data::erase(&state.db, &ctx.actor(), id, state.clock.now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/personer/{id}/data")).into_response()),
        Err(store::Error::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}
