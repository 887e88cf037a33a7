//! Connecting to PostgreSQL (the configured server or the embedded default) and migrating it.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};

use crate::config::Config;
use crate::devdb::{self, Cluster, Durability};

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The database, migrated: `owner` changes the schema and loads data, `app` serves requests.
pub struct Opened {
    pub owner: PgPool,
    pub app: PgPool,
}

/// Connects to DATABASE_URL, or to the private cluster under DATA_DIR/pg (started if needed), and
/// migrates. With DATABASE_URL both pools are the one the operator configured. In the private cluster
/// the schema belongs to a role of its own, which runs the migrations, and the server signs in as a role
/// that may only read and write rows: not the superuser, which could read the server's files.
pub async fn open(config: &Config, max_connections: u32) -> anyhow::Result<Opened> {
    if let Some(url) = &config.database_url {
        let pool = connect(url, max_connections).await?;
        migrate(&pool).await?;
        return Ok(Opened { owner: pool.clone(), app: pool });
    }
    let cluster = Cluster::ensure_running(&config.data_dir.join("pg"), Durability::Safe)?;
    let superuser = connect(&cluster.url(devdb::DATABASE), 1).await?;
    sqlx::raw_sql(devdb::PREPARE_ROLES).execute(&superuser).await.context("preparing the database roles")?;
    superuser.close().await;
    let owner = connect(&cluster.url_as(devdb::OWNER_ROLE, devdb::DATABASE), 2).await?;
    migrate(&owner).await?;
    sqlx::raw_sql(devdb::GRANT_APP).execute(&owner).await.context("granting the server's role")?;
    let app = connect(&cluster.url_as(devdb::APP_ROLE, devdb::DATABASE), max_connections).await?;
    Ok(Opened { owner, app })
}

/// Connects, creating the database first when the server has none of that name.
pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    let options = PgConnectOptions::from_str(url)
        .context("DATABASE_URL is not a valid PostgreSQL URL")?
        .log_statements(tracing::log::LevelFilter::Trace)
        .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
    create_database_if_missing(&options).await?;
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        // No ping before every statement: it was a round trip to PostgreSQL per view on top of the one
        // statement a kept page needs (measured: a third of the server's and PostgreSQL's work on the
        // meeting page). A connection broken meanwhile (PostgreSQL restarted) fails its next statement,
        // which answers 503 ("prøv igen") and is dropped from the pool, so the next request gets a good one;
        // idle connections are closed after a few minutes anyway.
        .test_before_acquire(false)
        .idle_timeout(Duration::from_secs(300))
        .connect_with(options)
        .await
        .context("cannot connect to PostgreSQL")
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await.context("migrating the database failed")
}

async fn create_database_if_missing(options: &PgConnectOptions) -> anyhow::Result<()> {
    let Some(name) = options.get_database().map(str::to_owned) else {
        return Ok(());
    };
    let maintenance = options.clone().database("postgres");
    let Ok(mut conn) = maintenance.connect().await else {
        // No access to the maintenance database: assume the target exists; connecting will say if not.
        return Ok(());
    };
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(&name)
        .fetch_one(&mut conn)
        .await?;
    if !exists {
        let quoted = name.replace('"', "\"\"");
        let created = sqlx::query(&format!("CREATE DATABASE \"{quoted}\"")).execute(&mut conn).await;
        // Two instances starting together may race to create it; the loser finds it there.
        if let Err(e) = created {
            let code = e.as_database_error().and_then(|d| d.code()).map(|c| c.into_owned());
            if !matches!(code.as_deref(), Some("42P04" | "23505")) {
                return Err(e).context("cannot create the database");
            }
        }
        tracing::info!(database = %name, "created database");
    }
    Ok(())
}
