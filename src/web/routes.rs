//! The one place that lists every URL, and the layers every request passes through.

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::routing::{get, post};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

use super::error::AppError;
use super::{
    admin, agendas, api, attachments, calendar_feed, charters, csrf, deadlines_overview, directory, groups, health,
    home, input_guard, login, meeting_page, meetings, middleware, overviews, people, profile,
};
use crate::state::AppState;

pub fn app(state: AppState, sessions: PostgresStore) -> Router {
    let pages = Router::new()
        .route("/", get(home::page))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/profil", get(profile::page))
        .route("/profil/adgangskode", post(profile::change_password))
        .route("/profil/api-noegler", post(profile::create_token))
        .route("/profil/api-noegler/{id}/tilbagekald", post(profile::revoke_token))
        .route("/profil/notifikationer", post(profile::save_notifications))
        .route("/profil/kalender", post(calendar_feed::create))
        .route("/profil/kalender/{id}/tilbagekald", post(calendar_feed::revoke))
        .route("/kalender/{file}", get(calendar_feed::feed))
        .route("/grupper", get(groups::list).post(groups::create))
        .route("/grupper/ny", get(groups::new_form))
        .route("/grupper/{slug}", get(groups::show).post(groups::update))
        .route("/grupper/{slug}/rediger", get(groups::edit_form))
        .route("/grupper/{slug}/medlemmer", post(groups::add_member))
        .route("/grupper/{slug}/medlemmer/{id}/godkend", post(groups::approve_member))
        .route("/grupper/{slug}/medlemmer/{id}/afslut", post(groups::end_member))
        .route("/grupper/{slug}/medlemmer/{id}/onboarding", post(groups::onboarding_step))
        .route("/grupper/{slug}/foelg-eller-forklar", post(groups::add_explanation))
        .route("/grupper/{slug}/kommissorium", get(charters::show).post(charters::add_draft))
        .route("/grupper/{slug}/kommissorium/{version}", get(charters::version))
        .route("/grupper/{slug}/kommissorium/{version}/godkend", post(charters::approve))
        .route("/moeder", get(overviews::meetings))
        .route("/frister", get(deadlines_overview::page))
        .route("/udbakke", get(admin::outbox))
        .route("/grupper/{slug}/moeder", get(meetings::plan).post(meetings::create))
        .route("/grupper/{slug}/aarshjul", post(meetings::place_topic))
        .route("/grupper/{slug}/fremmoede", get(meetings::attendance_sheet))
        .route("/grupper/{slug}/fremmoede.csv", get(meetings::attendance_csv))
        .route("/moeder/{id}", get(meeting_page::show))
        .route("/moeder/{id}/kalender.ics", get(meetings::ics))
        .route("/moeder/{id}/status", post(meetings::set_status))
        .route("/moeder/{id}/tjekliste", post(meetings::checklist))
        .route(
            "/moeder/{id}/bilag",
            post(attachments::upload).layer(axum::extract::DefaultBodyLimit::max(
                state.config.max_attachment_mb as usize * 1024 * 1024 + 64 * 1024,
            )),
        )
        .route("/moeder/{id}/bilag/{document}", get(attachments::download))
        .route("/moeder/{id}/dagsorden", get(meeting_page::printable).post(agendas::create))
        .route("/moeder/{id}/dagsorden/punkter", post(agendas::add_item))
        .route("/moeder/{id}/dagsorden/punkter/{item}", post(agendas::update_item))
        .route("/moeder/{id}/dagsorden/punkter/{item}/slet", post(agendas::delete_item))
        .route("/moeder/{id}/dagsorden/punkter/{item}/{direction}", post(agendas::move_item))
        .route("/moeder/{id}/dagsorden/{action}", post(agendas::transition))
        .route("/moeder/{id}/punktoensker", post(agendas::request_item))
        .route("/moeder/{id}/punktoensker/{request}", post(agendas::decide_request))
        .route("/moeder/{id}/afbud", post(agendas::apologise))
        .route("/moeder/{id}/fremmoede", post(agendas::record_attendance))
        .route("/aendringsoensker", get(overviews::change_requests))
        .route("/roadmap", get(overviews::roadmap))
        .route("/budget", get(overviews::budget))
        .route("/personer", get(people::list).post(people::create))
        .route("/personer/ny", get(people::new_form))
        .route("/personer/{id}", get(people::show).post(people::update))
        .route("/personer/{id}/rediger", get(people::edit_form))
        .route("/personer/{id}/frikoeb", post(people::add_buyout))
        .route("/parter", get(people::parties).post(people::add_party))
        .route("/parter/organisationer", post(people::add_organisation))
        .route("/medlemmer", get(directory::index))
        .route("/medlemmer/{slug}", get(directory::group))
        .route("/medlemmer/{slug}/medlemsliste.csv", get(directory::csv))
        .route("/administration", get(admin::page))
        .fallback(|| async { AppError::NotFound });

    let api = Router::new()
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/me", get(api::me))
        .route("/api/v1/groups", get(api::groups::list).post(api::groups::create))
        .route("/api/v1/groups/{id}/members", get(api::groups::members))
        .route("/api/v1/groups/{id}/memberships", get(api::groups::memberships).post(api::groups::appoint))
        .route("/api/v1/groups/{id}/meetings", post(api::meetings::create))
        .route("/api/v1/meetings/{id}", get(api::meetings::get))
        .route("/api/v1/memberships/{id}/approve", post(api::groups::approve))
        .route("/api/v1/memberships/{id}/end", post(api::groups::end))
        .route("/api/v1/people", get(api::people::list).post(api::people::create))
        .route("/api/v1/people/{id}", get(api::people::get).put(api::people::update))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));

    let session_layer = SessionManagerLayer::new(sessions)
        .with_name(state.config.session_cookie_name())
        .with_secure(state.config.serves_https())
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(state.config.session_idle().as_secs() as i64)));

    let static_files = Router::new().nest_service("/static", ServeDir::new(state.config.static_dir())).layer(
        SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
    );

    let browser = pages
        .layer(axum::middleware::from_fn(csrf::verify))
        .layer(session_layer)
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));

    let mut router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(api)
        .merge(static_files)
        .merge(browser)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id)
                }))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(axum::middleware::from_fn(middleware::log_errors))
                .layer(axum::middleware::from_fn(input_guard::guard))
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
                .layer(CompressionLayer::new()),
        );
    for header_layer in middleware::security_headers() {
        router = router.layer(header_layer);
    }
    if state.config.serves_https() {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ));
    }
    router.with_state(state)
}
