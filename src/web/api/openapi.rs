//! The OpenAPI 3.1 document of `/api/v1`, generated from the handlers' `#[utoipa::path]` attributes and the
//! JSON types, so it cannot drift from them. The URLs themselves are listed in `web/routes.rs`; a test checks
//! that both name the same operations.

use axum::Json;
use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::responses::{BadRequest, Forbidden, Invalid, NotFound, Refused, RefusedOrConflict, Unauthorized};
use super::{ErrorBody, groups, meetings, minutes, people, registers};

const DESCRIPTION: &str = "The JSON API of Samarbejdsrum for integrations.

Authenticate with a personal API token in the `Authorization: Bearer <token>` header. Tokens are created on the \
profile page (/profil) or with `samarbejdsrum create-token --email ... --label ...`, and act with the token owner's \
role. The member directory (M7) and this document are public.

Errors answer with a JSON envelope, `{\"error\": {\"code\": \"...\", \"message\": \"...\"}}`. When a domain rule \
refuses a change, the answer is 422 with `{\"error\": {\"code\": \"refused\", \"rule\": \"M2\", \"message\": \
\"...\"}}`; invalid fields answer 422 with code `invalid` and a `fields` object. While the database is away the \
answer is 503 with code `unavailable` (nothing was stored; repeat the request). Unexpected failures answer 500 with \
code `internal`.";

#[derive(OpenApi)]
#[openapi(
    info(title = "Samarbejdsrum API", version = "1", description = DESCRIPTION),
    servers((url = "/")),
    tags(
        (name = "meta", description = "This document."),
        (name = "me", description = "The token's owner."),
        (name = "groups", description = "Groups and the public member directory (M7)."),
        (name = "memberships", description = "Appointments, nominations, approvals and ends (M1-M6)."),
        (name = "meetings", description = "Meetings with their deadlines (T1-T3, D2, D3)."),
        (name = "people", description = "The register of persons (M8)."),
        (name = "registers", description = "Change requests, roadmap, budgets and operational status (C1-C3, B1-B3, A8)."),
        (name = "minutes", description = "Minutes, decisions and the action list (R1-R5, C4)."),
    ),
    paths(
        openapi,
        super::me,
        groups::list,
        groups::create,
        groups::members,
        groups::memberships,
        groups::appoint,
        meetings::create,
        meetings::get,
        meetings::update,
        meetings::cancel,
        minutes::get,
        minutes::decisions,
        minutes::actions,
        groups::approve,
        groups::end,
        people::list,
        people::create,
        people::get,
        people::update,
        registers::list_change_requests,
        registers::create_change_request,
        registers::get_change_request,
        registers::update_change_request,
        registers::step_change_request,
        registers::roadmap,
        registers::budget,
        registers::operations,
    ),
    components(
        schemas(ErrorBody),
        responses(BadRequest, Unauthorized, Forbidden, NotFound, Invalid, Refused, RefusedOrConflict)
    ),
    security(("bearerAuth" = [])),
    modifiers(&BearerToken, &EveryAnswer, &TextPatterns)
)]
struct ApiDoc;

/// The document, as served.
pub fn document() -> Document {
    ApiDoc::openapi()
}

/// This OpenAPI document.
///
/// Public: no token needed.
#[utoipa::path(get, path = "/api/v1/openapi.json", operation_id = "getOpenApi", tag = "meta", security(),
    responses((status = 200, description = "The OpenAPI 3.1 document describing /api/v1.", body = Object))
)]
pub async fn openapi() -> Json<Document> {
    Json(document())
}

/// What any operation may answer besides its own: 422 from the input guard, which refuses a control
/// character in any parameter or field before a handler runs (`web::input_guard`); and, for a write,
/// 409 when the stored data stands in its way (a value taken, a reference gone, a rule of the charters).
struct EveryAnswer;

impl Modify for EveryAnswer {
    fn modify(&self, openapi: &mut Document) {
        use utoipa::openapi::{Ref, RefOr};
        let answer = |name: &str| RefOr::Ref(Ref::from_response_name(name));
        for item in openapi.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.post, &mut item.put, &mut item.delete, &mut item.patch];
            for (write, operation) in
                operations.into_iter().enumerate().filter_map(|(i, o)| o.as_mut().map(|o| (i > 0, o)))
            {
                if operation.operation_id.as_deref() == Some("getOpenApi") {
                    continue;
                }
                let responses = &mut operation.responses.responses;
                responses.entry("422".into()).or_insert_with(|| answer("Invalid"));
                if write {
                    responses.entry("409".into()).or_insert_with(|| answer("RefusedOrConflict"));
                }
            }
        }
    }
}

/// What the text fields of the request bodies take, written into their schemas so that the document is
/// as strict as the parsing (`domain::input`): one line (`one_line`: trimmed, then no control character),
/// free text (`text`: line breaks and tabs allowed), either of them not blank, or a web link (T3).
/// JSON Schema has no "trimmed", so the patterns allow white space around the text.
#[derive(Clone, Copy)]
enum TextField {
    OneLine,
    OneLineNotBlank,
    Text,
    TextNotBlank,
    Link,
    /// Kroner (`input::amount`): digits with two decimals at most, a point or a comma as the mark; or
    /// nothing.
    Amount,
}

impl TextField {
    fn pattern(self) -> String {
        const LINE: &str = r"[^\u0000-\u001F\u007F-\u009F]";
        const TEXT: &str = r"[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]";
        const SEEN: &str = r"[^\s\u0000-\u001F\u007F-\u009F]";
        match self {
            TextField::OneLine => format!("^{AROUND}{LINE}*{AROUND}$"),
            TextField::OneLineNotBlank => format!("^{AROUND}{LINE}*{SEEN}{LINE}*{AROUND}$"),
            TextField::Text => format!("^{TEXT}*$"),
            TextField::TextNotBlank => format!("^{TEXT}*{SEEN}{TEXT}*$"),
            TextField::Link => format!("^{AROUND}([hH][tT][tT][pP]([sS]://{LINE}+|://{LINE}{{2,}}))?{AROUND}$"),
            TextField::Amount => format!("^{AROUND}([0-9]{{1,9}}([.,][0-9]{{1,2}})?)?{AROUND}$"),
        }
    }

    /// The group's short name: trimmed, then 1-60 of a-z, 0-9 and hyphen (upper case is lowered).
    fn slug() -> String {
        format!("^{AROUND}[A-Za-z0-9-]{{1,60}}{AROUND}$")
    }
}

/// What `str::trim` takes away at the ends and the input guard lets through: white space that is not a
/// control character (the guard refuses \v, \f and U+0085 anywhere).
const AROUND: &str = r"[\t\n\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*";

/// Every free text field of a request body and how it is parsed.
const TEXT_FIELDS: [(&str, &str, TextField); 23] = [
    ("NewGroup", "kind", TextField::Text),
    ("NewGroup", "name", TextField::OneLineNotBlank),
    ("NewGroup", "purpose", TextField::Text),
    ("PersonInput", "name", TextField::OneLineNotBlank),
    ("PersonInput", "title", TextField::OneLine),
    ("PersonInput", "phone", TextField::OneLine),
    ("PersonInput", "competences", TextField::Text),
    ("PersonInput", "education", TextField::Text),
    ("PersonInput", "networks", TextField::Text),
    ("ChangeRequestInput", "title", TextField::OneLineNotBlank),
    ("ChangeRequestInput", "need", TextField::Text),
    ("ChangeRequestInput", "value", TextField::Text),
    ("ChangeRequestInput", "beneficiaries", TextField::Text),
    ("ChangeRequestInput", "vendor_estimate", TextField::OneLine),
    ("ChangeRequestInput", "cost", TextField::Amount),
    ("ChangeRequestInput", "learning", TextField::Text),
    ("ChangeRequestInput", "not_ready_note", TextField::Text),
    ("ChangeRequestStep", "note", TextField::Text),
    ("MeetingCancellation", "reason", TextField::TextNotBlank),
    ("NewMeeting", "title", TextField::OneLine),
    ("NewMeeting", "location", TextField::OneLine),
    ("NewMeeting", "online_link", TextField::Link),
    ("MeetingChange", "online_link", TextField::Link),
];

/// Writes `TEXT_FIELDS` into the request schemas (and the meeting change's title and place, which are
/// the new meeting's).
struct TextPatterns;

impl Modify for TextPatterns {
    fn modify(&self, openapi: &mut Document) {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::Schema;
        let Some(components) = openapi.components.as_mut() else { return };
        let extra = [("MeetingChange", "title", TextField::OneLine), ("MeetingChange", "location", TextField::OneLine)];
        for (schema, field, kind) in TEXT_FIELDS.into_iter().chain(extra) {
            if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(schema)
                && let Some(RefOr::T(Schema::Object(property))) = object.properties.get_mut(field)
            {
                property.pattern = Some(kind.pattern());
            }
        }
        if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut("NewGroup")
            && let Some(RefOr::T(Schema::Object(property))) = object.properties.get_mut("slug")
        {
            property.pattern = Some(TextField::slug());
        }
    }
}

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut Document) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("A personal API token, created on /profil or with `samarbejdsrum create-token`."))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearerAuth", SecurityScheme::Http(scheme));
    }
}
