//! The pieces of the OpenAPI document that the handlers name in their `#[utoipa::path]` attributes:
//! the error answers with examples `ApiError` itself renders, and the codes of string fields. Apart
//! from `openapi.rs`, which gathers the handlers, so that handlers and document do not import each other.

use std::collections::BTreeMap;

use utoipa::openapi::RefOr;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{Object, ObjectBuilder, Ref, Type};
use utoipa::{IntoResponses, ToResponse, ToSchema};

use super::{ApiError, ErrorBody};
use crate::domain::composition::Refusal;
use crate::domain::meeting_codes::{MeetingFormat, MeetingKind};

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
    Invalid: "Invalid fields (code `invalid`, with `fields`): what the request's schema says, and what no schema \
        can (a meeting that ends before it begins, a control character in any field or parameter).",
        [ApiError::Invalid(vec![("name", "Skriv gruppens navn.".into())])];
    Refused: "A domain rule refused the change as the stored data stands (code `refused`, with `rule`).",
        [m4_refusal()];
    RefusedOrConflict: "The request is well formed, but the stored data stands in its way: a domain rule refused \
        it (code `refused`, with `rule`, e.g. M1-M5), or a value is in use already, a chosen reference does not \
        exist or is retired, or the meeting is no longer planned (code `conflict`, with `fields`).",
        [m4_refusal(), ApiError::Conflict(vec![("slug", "Kortnavnet er allerede i brug.".into())])];
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

/// The codes of a string field that the body reads as text and parses itself, listed from its enum.
fn codes(values: impl IntoIterator<Item = &'static str>) -> Object {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(values)).build()
}

/// The kinds of meeting a group plans itself (the others are joint meetings).
pub(super) fn group_meeting_kind() -> Object {
    codes(MeetingKind::GROUP_KINDS.map(MeetingKind::as_str))
}

/// Every kind of meeting (T1): a group's own, and the yearly meetings across groups.
pub(super) fn meeting_kind() -> Object {
    codes(MeetingKind::GROUP_KINDS.into_iter().chain(MeetingKind::ACROSS_GROUPS).map(MeetingKind::as_str))
}

pub(super) fn meeting_format() -> Object {
    codes(MeetingFormat::ALL.map(MeetingFormat::as_str))
}
