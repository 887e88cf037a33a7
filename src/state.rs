//! What every request handler and background task shares.

use std::sync::Arc;

use sqlx::PgPool;

use crate::config::Config;
use crate::domain::clock::Clock;
use crate::security::oidc::Oidc;
use crate::store::calendar::CalendarCache;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    /// The working calendar (D1), read once a minute rather than once a request.
    pub calendar: CalendarCache,
    /// The organisation's identity provider, when OIDC_ISSUER and OIDC_CLIENT_ID are set.
    pub oidc: Option<Arc<Oidc>>,
}
