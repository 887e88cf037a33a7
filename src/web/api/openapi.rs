//! The OpenAPI 3.1 document of `/api/v1`, generated from the handlers' `#[utoipa::path]` attributes and the
//! JSON types, so it cannot drift from them. The URLs themselves are listed in `web/routes.rs`; a test checks
//! that both name the same operations.

use std::collections::BTreeMap;

use axum::Json;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{Object, ObjectBuilder, Ref, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi as Document, RefOr};
use utoipa::{IntoResponses, Modify, OpenApi, ToResponse, ToSchema};

use super::{ApiError, ErrorBody, groups, meetings, minutes, people, registers};
use crate::domain::composition::Refusal;

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
        responses(BadRequest, Unauthorized, Forbidden, NotFound, Invalid, Refused, InvalidOrRefused)
    ),
    security(("bearerAuth" = [])),
    modifiers(&BearerToken)
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

/// An error answer with the `Error` schema and examples that `ApiError` itself renders.
fn error_response(description: &str, examples: Vec<ApiError>) -> ResponseBuilder {
    let schema = Ref::from_schema_name(ErrorBody::name());
    let examples = examples.iter().map(|e| {
        let body = serde_json::to_value(e.body()).unwrap_or_default();
        (body["error"]["code"].as_str().unwrap_or_default().to_owned(), ExampleBuilder::new().value(Some(body)))
    });
    let content = ContentBuilder::new().schema(Some(schema)).examples_from_iter(examples).build();
    ResponseBuilder::new().description(description).content("application/json", content)
}

macro_rules! error_responses {
    ($($name:ident: $description:literal, [$($example:expr),+];)+) => {$(
        pub struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                let examples = vec![$($example),+];
                let bearer = examples.iter().any(|e| matches!(e, ApiError::Unauthorized));
                let mut response = error_response($description, examples);
                if bearer {
                    let always_bearer = ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["Bearer"]));
                    let header = HeaderBuilder::new().schema(always_bearer).description(Some("Always `Bearer`."));
                    response = response.header("WWW-Authenticate", header.build());
                }
                (stringify!($name), response.build().into())
            }
        }
    )+};
}

error_responses! {
    BadRequest: "The body is not valid JSON for this operation (or the Content-Type is not application/json).",
        [ApiError::BadRequest("Ugyldig JSON: Failed to parse the request body as JSON".into())];
    Unauthorized: "Missing or invalid API token.", [ApiError::Unauthorized];
    Forbidden: "The token holder's role does not allow this operation.", [ApiError::Forbidden];
    NotFound: "Not found.", [ApiError::NotFound];
    Invalid: "Invalid fields (code `invalid`, with `fields`).",
        [ApiError::Invalid(vec![("name", "Skriv gruppens navn.".into())])];
    Refused: "A domain rule refused the change (code `refused`, with `rule`).", [m4_refusal()];
    InvalidOrRefused: "Invalid fields (code `invalid`, with `fields`), or a domain rule refused the change (code \
        `refused`, with `rule`, e.g. M1-M5).",
        [ApiError::Invalid(vec![("role", "Ukendt rolle.".into())]), m4_refusal()];
}

/// What every secretariat write with a JSON body may answer before it looks at the data: 400 from its
/// `Json` body, 401 from `ApiUser`, 403 from `require(Viewer::is_secretariat)`.
pub struct SecretariatWrite;

impl IntoResponses for SecretariatWrite {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        [("400", BadRequest::response()), ("401", Unauthorized::response()), ("403", Forbidden::response())]
            .into_iter()
            .map(|(status, (name, _))| (status.to_owned(), RefOr::Ref(Ref::from_response_name(name))))
            .collect()
    }
}

fn m4_refusal() -> ApiError {
    ApiError::Refused(Refusal {
        rule: "M4",
        message: "Gruppen har allerede en forperson; afslut den nuværende først (M4).".into(),
    })
}

/// The codes of string fields that are not Rust enums (yet); an enum's schema comes from its own derive.
fn codes(values: &[&str]) -> Object {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(values.iter().copied())).build()
}

/// The kinds of meeting a group plans itself (the others are joint meetings).
pub(super) fn group_meeting_kind() -> Object {
    codes(&["ordinary", "working", "staff_group", "board"])
}

/// Every kind of meeting (T1): a group's own, and the yearly meetings across groups.
pub(super) fn meeting_kind() -> Object {
    codes(&["ordinary", "working", "staff_group", "board", "joint", "chairs", "chairs_board"])
}

pub(super) fn meeting_format() -> Object {
    codes(&["physical", "online", "hybrid"])
}
