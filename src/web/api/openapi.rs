//! The OpenAPI 3.1 document of `/api/v1`, generated from the handlers' `#[utoipa::path]` attributes and the
//! JSON types, so it cannot drift from them. The URLs themselves are listed in `web/routes.rs`; a test checks
//! that both name the same operations.

use axum::Json;
use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::responses::{BadRequest, Forbidden, Invalid, InvalidOrRefused, NotFound, Refused, Unauthorized};
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
