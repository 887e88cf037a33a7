//! Samarbejdsrum: the shared room of Danish public-sector working groups.
//! `Application::build` wires configuration, database, web server and background tasks; tests use
//! it with port 0 and a test clock.

pub mod app;
pub mod config;
pub mod db;
pub mod devdb;
pub mod documents;
pub mod domain;
pub mod jobs;
pub mod mail;
pub mod observability;
pub mod ops;
pub mod security;
pub mod state;
pub mod store;
pub mod text;
pub mod time_zone;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::domain::clock::Clock;
use crate::state::AppState;
use crate::store::sessions::Sessions;

pub use crate::web::routes::app;

pub struct Application {
    listener: TcpListener,
    state: AppState,
    sessions: Sessions,
    pub demo_loaded: bool,
}

impl Application {
    /// Connects (starting the private cluster when no DATABASE_URL is set), migrates, loads demo
    /// data into an empty database when asked, and binds the listener.
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Application> {
        let db::Opened { owner, app: pool } = db::open(&config, config.db_pool_size).await?;
        let demo_loaded = config.demo_data && store::demo::is_empty(&owner).await? && {
            store::demo::load(&owner).await.context("loading demo data failed")?;
            true
        };
        // Not closed: with DATABASE_URL the two are one pool. Dropped, the private cluster's owner pool ends.
        drop(owner);
        let sessions = session_store(pool.clone())?;
        let listener =
            TcpListener::bind(config.bind).await.with_context(|| format!("cannot listen on {}", config.bind))?;
        let mut config = config;
        if config.base_url.is_none() {
            // Port 0 picks a free port: links in mail and calendars must carry the real one.
            config.base_url = Some(format!("http://{}", listener.local_addr()?));
        }
        let oidc = match config.oidc() {
            Some(settings) => Some(Arc::new(
                security::oidc::Oidc::new(settings, clock.clone()).context("cannot set up OpenID Connect")?,
            )),
            None => None,
        };
        let kept = Arc::new(state::KeptPages::new(config.read_cache));
        let state = AppState { db: pool, config: Arc::new(config), clock, calendar: Default::default(), oidc, kept };
        Ok(Application { listener, state, sessions, demo_loaded })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` fires, then finishes the requests in flight and stops the tasks.
    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let housekeeping = tokio::spawn(jobs::housekeeping::run(
            self.state.clone(),
            self.sessions.clone(),
            Duration::from_secs(600),
            shutdown.clone(),
        ));
        let mut tasks = vec![housekeeping];
        let config = self.state.config.clone();
        // Tests drive the jobs' `run_once` with their own clock; a zero interval means "not here".
        if config.scan_interval_seconds > 0 {
            let every = Duration::from_secs(config.scan_interval_seconds);
            tasks.push(tokio::spawn(jobs::deadlines::run(self.state.clone(), every, shutdown.clone())));
        }
        match &config.smtp_url {
            Some(url) if config.send_interval_seconds > 0 => {
                let mailer =
                    mail::Mailer::from_url(url, &config.mail_from())?.replies_to(config.mail_reply_to.as_deref())?;
                let every = Duration::from_secs(config.send_interval_seconds);
                tasks.push(tokio::spawn(jobs::mailer::run(self.state.clone(), mailer, every, shutdown.clone())));
            }
            _ => tracing::info!("no SMTP_URL: mail stays in the outbox and is shown on /udbakke"),
        }
        tasks.push(observability::install(shutdown.clone()));
        if let Some(dir) = &config.backup_dir {
            let schedule =
                jobs::backups::Schedule { dir: dir.clone(), at: config.backup_at, keep: config.backup_keep as usize };
            tasks.push(tokio::spawn(jobs::backups::run(self.state.clone(), schedule, shutdown.clone())));
        }
        if let Some(bind) = config.metrics_bind {
            let listener =
                TcpListener::bind(bind).await.with_context(|| format!("cannot listen for metrics on {bind}"))?;
            let metrics = web::routes::metrics_app(self.state.clone());
            let stop = shutdown.clone();
            tasks.push(tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, metrics).with_graceful_shutdown(stop.cancelled_owned()).await {
                    tracing::warn!(error = %e, "the metrics listener stopped");
                }
            }));
        }
        let router = app(self.state, self.sessions);
        axum::serve(self.listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown.clone().cancelled_owned())
            .await?;
        shutdown.cancel();
        for task in tasks {
            let _ = task.await;
        }
        Ok(())
    }
}

/// Sessions in PostgreSQL, so every instance behind a load balancer shares them.
pub fn session_store(pool: sqlx::PgPool) -> anyhow::Result<Sessions> {
    Sessions::new(pool)
}

/// Fires on ctrl-c or SIGTERM.
pub async fn shutdown_signal(token: CancellationToken) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
    token.cancel();
}
