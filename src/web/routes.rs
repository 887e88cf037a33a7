//! The one place that lists every URL, and the layers every request passes through.

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::routing::{get, post, put};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use super::{
    accessibility, account_links, admin, admin_settings, admin_sign_in, api, budgets, calendar_feed, change_requests,
    charters, csrf, deadlines_overview, directory, email_change, error_page, groups, health, home, input_guard, login,
    login_oidc, meetings, metrics, middleware, minutes_registers, outbox, overviews, parties, people, personal_data,
    profile, roadmap, search, second_factor, solutions,
};
use crate::state::AppState;
use crate::store::sessions::Sessions;

/// The router, built through a table that records every (method, path) it adds: the authorisation and
/// CSRF tests walk `route_table()`, so a new route without a row in their expectations fails them.
pub struct Routes {
    router: Router<AppState>,
    table: Vec<(Method, &'static str)>,
}

macro_rules! method_fn {
    ($name:ident, $method:ident, $routing:path) => {
        fn $name<H, T>(mut self, path: &'static str, handler: H) -> Self
        where
            H: Handler<T, AppState>,
            T: 'static,
        {
            self.table.push((Method::$method, path));
            self.router = self.router.route(path, $routing(handler));
            self
        }
    };
}

impl Routes {
    fn new() -> Self {
        Routes { router: Router::new(), table: Vec::new() }
    }

    method_fn!(get, GET, get);
    method_fn!(post, POST, post);
    method_fn!(put, PUT, put);

    /// A multipart upload route, with its own body limit.
    fn upload<H, T>(mut self, path: &'static str, handler: H, max_bytes: usize) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.table.push((Method::POST, path));
        self.router = self.router.route(path, post(handler).layer(DefaultBodyLimit::max(max_bytes)));
        self
    }
}

/// Every route of the app as (method, path), in the order they are added.
pub fn route_table() -> Vec<(Method, &'static str)> {
    let mut table = pages(0).table;
    table.extend(api().table);
    table.extend(probes().table);
    table
}

/// The browser pages (sessions, CSRF).
fn pages(max_upload_bytes: usize) -> Routes {
    Routes::new()
        .get("/", home::page)
        .get("/soeg", search::page)
        .get("/login", login::form)
        .post("/login", login::submit)
        .get("/login/totrin", second_factor::form)
        .post("/login/totrin", second_factor::submit)
        .get("/login/oidc", login_oidc::start)
        .get("/login/oidc/callback", login_oidc::callback)
        .post("/logout", login::logout)
        .get("/glemt-adgangskode", account_links::forgot_form)
        .post("/glemt-adgangskode", account_links::forgot)
        .get("/adgangskode/{secret}", account_links::choose_form)
        .post("/adgangskode/{secret}", account_links::choose)
        .get("/e-mail/bekraeft/{secret}", email_change::confirm_form)
        .post("/e-mail/bekraeft/{secret}", email_change::confirm)
        .get("/e-mail/indsigelse/{secret}", email_change::objection_form)
        .post("/e-mail/indsigelse/{secret}", email_change::object)
        .get("/profil", profile::page)
        .post("/profil/adgangskode", profile::change_password)
        .post("/profil/api-noegler", profile::create_token)
        .post("/profil/api-noegler/{id}/tilbagekald", profile::revoke_token)
        .post("/profil/notifikationer", profile::save_notifications)
        .post("/profil/oplysninger", profile::save_contact)
        .get("/profil/mine-data.json", profile::own_data)
        .get("/profil/totrin", second_factor::profile_form)
        .post("/profil/totrin", second_factor::profile_confirm)
        .post("/profil/kalender", calendar_feed::create)
        .post("/profil/kalender/{id}/tilbagekald", calendar_feed::revoke)
        .get("/kalender/{file}", calendar_feed::feed)
        .get("/grupper", groups::list)
        .post("/grupper", groups::create)
        .get("/grupper/ny", groups::new_form)
        .get("/grupper/{slug}", groups::show)
        .post("/grupper/{slug}", groups::update)
        .get("/grupper/{slug}/rediger", groups::edit_form)
        .post("/grupper/{slug}/medlemmer", groups::add_member)
        .post("/grupper/{slug}/medlemmer/{id}/godkend", groups::approve_member)
        .post("/grupper/{slug}/medlemmer/{id}/afslut", groups::end_member)
        .post("/grupper/{slug}/medlemmer/{id}/onboarding", groups::onboarding_step)
        .post("/grupper/{slug}/foelg-eller-forklar", groups::add_explanation)
        .get("/grupper/{slug}/kommissorium", charters::show)
        .post("/grupper/{slug}/kommissorium", charters::add_draft)
        .upload("/grupper/{slug}/kommissorium/fra-word", charters::from_word, max_upload_bytes)
        // Also `{version}.pdf` and `{version}.docx` (O3): the router matches whole segments, the handler the extension.
        .get("/grupper/{slug}/kommissorium/{version}", charters::version)
        .post("/grupper/{slug}/kommissorium/{version}/godkend", charters::approve)
        .get("/moeder", overviews::meetings)
        .get("/frister", deadlines_overview::page)
        .get("/udbakke", outbox::list)
        .get("/udbakke/{id}", outbox::show)
        .post("/udbakke/{id}/send-igen", outbox::resend)
        .get("/grupper/{slug}/moeder", meetings::plan::plan)
        .post("/grupper/{slug}/moeder", meetings::plan::create)
        .post("/grupper/{slug}/aarshjul", meetings::plan::place_topic)
        .post("/grupper/{slug}/aarshjul/{topic}/udfoert", meetings::plan::record_duty)
        .get("/grupper/{slug}/fremmoede", meetings::sheet::attendance_sheet)
        .get("/grupper/{slug}/fremmoede.csv", meetings::sheet::attendance_csv)
        .get("/moeder/ny", meetings::changes::across_form)
        .post("/moeder/ny", meetings::changes::create_across)
        .get("/moeder/{id}", meetings::page::show)
        .get("/moeder/{id}/rediger", meetings::changes::edit_form)
        .post("/moeder/{id}/rediger", meetings::changes::update)
        .post("/moeder/{id}/aflys", meetings::changes::cancel)
        .get("/moeder/{id}/kalender.ics", meetings::arrangements::ics)
        .post("/moeder/{id}/status", meetings::arrangements::set_status)
        .post("/moeder/{id}/tjekliste", meetings::arrangements::checklist)
        .upload("/moeder/{id}/bilag", meetings::attachments::upload, max_upload_bytes)
        .get("/moeder/{id}/bilag/{document}", meetings::attachments::download)
        .upload("/moeder/{id}/bilag/{document}/erstat", meetings::attachments::replace, max_upload_bytes)
        .post("/moeder/{id}/bilag/{document}/slet", meetings::attachments::remove)
        .get("/moeder/{id}/dagsorden", meetings::page::printable)
        .get("/moeder/{id}/dagsorden.pdf", meetings::downloads::agenda_pdf)
        .get("/moeder/{id}/dagsorden.docx", meetings::downloads::agenda_docx)
        .get("/moeder/{id}/referat.pdf", meetings::downloads::minutes_pdf)
        .get("/moeder/{id}/referat.docx", meetings::downloads::minutes_docx)
        .get("/moeder/{id}/sag.zip", meetings::downloads::case_file)
        .post("/moeder/{id}/dagsorden", meetings::agenda::create)
        .post("/moeder/{id}/dagsorden/punkter", meetings::agenda::add_item)
        .post("/moeder/{id}/dagsorden/aendringsoensker", meetings::agenda::select_change_requests)
        .post("/moeder/{id}/dagsorden/tider", meetings::agenda::set_times)
        .post("/moeder/{id}/dagsorden/punkter/{item}", meetings::agenda::update_item)
        .post("/moeder/{id}/dagsorden/punkter/{item}/slet", meetings::agenda::delete_item)
        .post("/moeder/{id}/dagsorden/punkter/{item}/{direction}", meetings::agenda::move_item)
        .post("/moeder/{id}/dagsorden/{action}", meetings::agenda::transition)
        .post("/moeder/{id}/punktoensker", meetings::participation::request_item)
        .post("/moeder/{id}/punktoensker/{request}", meetings::participation::decide_request)
        .post("/moeder/{id}/afbud", meetings::participation::apologise)
        .post("/moeder/{id}/afbud/tilbagekald", meetings::participation::withdraw_apology)
        .post("/moeder/{id}/stedfortraeder", meetings::participation::stand_in)
        .post("/moeder/{id}/fremmoede", meetings::participation::record_attendance)
        .get("/moeder/{id}/referat", meetings::minutes::page::show)
        .post("/moeder/{id}/referat", meetings::minutes::writing::create)
        .get("/moeder/{id}/referat/udskrift", meetings::minutes::page::printable)
        .get("/moeder/{id}/referat/versioner/{version}", meetings::minutes::page::version)
        .post("/moeder/{id}/referat/punkter", meetings::minutes::writing::add_item)
        .post("/moeder/{id}/referat/punkter/{item}", meetings::minutes::writing::save_item)
        .post("/moeder/{id}/referat/punkter/{item}/poster", meetings::minutes::writing::add_entry)
        .post("/moeder/{id}/referat/poster/{entry}/slet", meetings::minutes::writing::delete_entry)
        .post("/moeder/{id}/referat/parter", meetings::minutes::writing::save_summary)
        .post("/moeder/{id}/referat/bemaerkninger", meetings::minutes::comments::comment)
        .post("/moeder/{id}/referat/bemaerkninger/{comment}", meetings::minutes::comments::resolve)
        .post("/moeder/{id}/referat/ingen-bemaerkninger", meetings::minutes::comments::no_remarks)
        .post("/moeder/{id}/referat/{action}", meetings::minutes::steps::transition)
        .get("/grupper/{slug}/referater", minutes_registers::archive)
        .get("/beslutninger", minutes_registers::decisions)
        .get("/grupper/{slug}/beslutninger", minutes_registers::group_decisions)
        .get("/aktioner", minutes_registers::actions)
        .get("/grupper/{slug}/aktioner", minutes_registers::group_actions)
        .post("/aktioner/{id}/luk", minutes_registers::close)
        .get("/aendringsoensker", change_requests::list)
        .get("/aendringsoensker.csv", change_requests::list_csv)
        .get("/aendringsoensker/{id}", change_requests::show)
        .post("/aendringsoensker/{id}", change_requests::update)
        .get("/aendringsoensker/{id}/rediger", change_requests::edit_form)
        .post("/aendringsoensker/{id}/status", change_requests::step)
        .post("/aendringsoensker/{id}/eskaleringer", change_requests::escalate)
        .post("/aendringsoensker/{id}/eskaleringer/{escalation}", change_requests::record_outcome)
        .get("/eskaleringer", change_requests::escalations)
        .get("/grupper/{slug}/aendringsoensker", change_requests::group_list)
        .post("/grupper/{slug}/aendringsoensker", change_requests::create)
        .get("/grupper/{slug}/aendringsoensker.csv", change_requests::group_csv)
        .get("/grupper/{slug}/aendringsoensker/ny", change_requests::new_form)
        .get("/roadmap", overviews::roadmap)
        .get("/grupper/{slug}/roadmap", roadmap::page)
        .post("/grupper/{slug}/roadmap", roadmap::create)
        .get("/roadmap/{id}/rediger", roadmap::edit_form)
        .post("/roadmap/{id}", roadmap::update)
        .get("/loesninger", solutions::list)
        .post("/loesninger", solutions::create)
        .get("/loesninger/{id}/rediger", solutions::edit_form)
        .post("/loesninger/{id}", solutions::update)
        .post("/loesninger/{id}/drift", solutions::add_entry)
        .get("/budget", overviews::budget)
        .get("/grupper/{slug}/budget", budgets::page)
        .post("/grupper/{slug}/budget", budgets::set)
        .post("/grupper/{slug}/budget/dispositioner", budgets::dispose)
        .post("/grupper/{slug}/budget/forbrug", budgets::spend)
        .post("/grupper/{slug}/budget/overfoersler", budgets::transfer)
        .get("/personer", people::list)
        .post("/personer", people::create)
        .get("/personer/ny", people::new_form)
        .get("/personer/{id}", people::show)
        .post("/personer/{id}", people::update)
        .get("/personer/{id}/rediger", people::edit_form)
        .post("/personer/{id}/frikoeb", people::add_buyout)
        .post("/personer/{id}/invitation", account_links::invite)
        .post("/personer/{id}/rolle", people::set_role)
        .post("/personer/{id}/totrin/nulstil", second_factor::reset)
        .get("/personer/{id}/data", personal_data::page)
        .get("/personer/{id}/data.json", personal_data::download)
        .post("/personer/{id}/slet", personal_data::erase)
        .get("/parter", parties::list)
        .post("/parter", parties::add_party)
        .post("/parter/{id}", parties::update_party)
        .get("/parter/{id}/rediger", parties::edit_party_form)
        .post("/parter/{id}/udfas", parties::retire_party)
        .post("/parter/{id}/genaktiver", parties::reactivate_party)
        .post("/parter/organisationer", parties::add_organisation)
        .post("/parter/organisationer/{id}", parties::update_organisation)
        .get("/parter/organisationer/{id}/rediger", parties::edit_organisation_form)
        .post("/parter/organisationer/{id}/udfas", parties::retire_organisation)
        .post("/parter/organisationer/{id}/genaktiver", parties::reactivate_organisation)
        .get("/tilgaengelighed", accessibility::statement)
        .get("/medlemmer", directory::index)
        .get("/medlemmer/{slug}", directory::group)
        .get("/medlemmer/{slug}/medlemsliste.csv", directory::csv)
        .get("/administration", admin::page)
        .post("/administration/log-ind", admin_sign_in::set_password_sign_in)
        .post("/administration/log-ind/noedadgang/{id}", admin_sign_in::set_break_glass)
        .post("/administration/log-ind/totrin", admin_sign_in::set_second_factor_for_staff)
        .post("/administration/brugere/{id}/luk", admin_settings::close_account)
        .post("/administration/brugere/{id}/genaabn", admin_settings::reopen_account)
        .get("/administration/gruppetyper/{code}", admin_settings::kind_form)
        .post("/administration/gruppetyper/{code}", admin_settings::update_kind)
        .post("/administration/lukkedage", admin_settings::add_closed_day)
        .post("/administration/lukkedage/{day}/slet", admin_settings::remove_closed_day)
}

/// The JSON API (Bearer tokens, no cookies, no CSRF).
fn api() -> Routes {
    Routes::new()
        .get("/api/v1/openapi.json", api::openapi::openapi)
        .get("/api/v1/me", api::me)
        .get("/api/v1/groups", api::groups::list)
        .post("/api/v1/groups", api::groups::create)
        .get("/api/v1/groups/{id}/members", api::groups::members)
        .get("/api/v1/groups/{id}/decisions", api::minutes::decisions)
        .get("/api/v1/groups/{id}/actions", api::minutes::actions)
        .get("/api/v1/groups/{id}/memberships", api::groups::memberships)
        .post("/api/v1/groups/{id}/memberships", api::groups::appoint)
        .post("/api/v1/groups/{id}/meetings", api::meetings::create)
        .get("/api/v1/meetings/{id}", api::meetings::get)
        .put("/api/v1/meetings/{id}", api::meetings::update)
        .post("/api/v1/meetings/{id}/cancel", api::meetings::cancel)
        .get("/api/v1/meetings/{id}/minutes", api::minutes::get)
        .post("/api/v1/memberships/{id}/approve", api::groups::approve)
        .post("/api/v1/memberships/{id}/end", api::groups::end)
        .get("/api/v1/people", api::people::list)
        .post("/api/v1/people", api::people::create)
        .get("/api/v1/people/{id}", api::people::get)
        .put("/api/v1/people/{id}", api::people::update)
        .get("/api/v1/groups/{id}/change-requests", api::registers::list_change_requests)
        .post("/api/v1/groups/{id}/change-requests", api::registers::create_change_request)
        .get("/api/v1/change-requests/{id}", api::registers::get_change_request)
        .put("/api/v1/change-requests/{id}", api::registers::update_change_request)
        .post("/api/v1/change-requests/{id}/status", api::registers::step_change_request)
        .get("/api/v1/groups/{id}/roadmap", api::registers::roadmap)
        .get("/api/v1/groups/{id}/budgets/{year}", api::registers::budget)
        .get("/api/v1/groups/{id}/operations", api::registers::operations)
}

/// Liveness and readiness for the load balancer.
fn probes() -> Routes {
    Routes::new()
        .get("/healthz", health::healthz)
        .get("/readyz", health::readyz)
        .get("/metrics", metrics::scrape_with_token)
}

/// The operator's own listener (METRICS_BIND): the metrics and nothing else.
pub fn metrics_app(state: AppState) -> Router {
    Router::new().route("/metrics", get(metrics::scrape)).with_state(state)
}

pub fn app(state: AppState, sessions: Sessions) -> Router {
    let max_upload = state.config.max_attachment_mb as usize * 1024 * 1024 + 64 * 1024;
    // Counted by route template once matched (`route_layer`): the operator's request metrics.
    let track = || axum::middleware::from_fn(metrics::track);
    let pages = pages(max_upload).router.route_layer(track()).fallback(error_page::not_found);
    let api = api()
        .router
        .route_layer(track())
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
        .layer(axum::middleware::from_fn_with_state(state.clone(), csrf::verify))
        .layer(axum::middleware::from_fn(error_page::with_menu))
        .layer(session_layer)
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));

    let mut router =
        Router::new().merge(probes().router.route_layer(track())).merge(api).merge(static_files).merge(browser).layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
                    let path = middleware::loggable_path(req.uri().path());
                    tracing::info_span!("request", method = %req.method(), %path, request_id)
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
