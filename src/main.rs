//! The `samarbejdsrum` command: serve (default), migrate, demo-data, create-user, create-token,
//! send-test-mail, stop-db.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use tokio_util::sync::CancellationToken;

use samarbejdsrum::config::Config;
use samarbejdsrum::domain::access::GlobalRole;
use samarbejdsrum::domain::clock::SystemClock;
use samarbejdsrum::domain::email::Email;
use samarbejdsrum::domain::notifications::MailKind;
use samarbejdsrum::mail::{Mailer, Outgoing};
use samarbejdsrum::ops::backup;
use samarbejdsrum::security::{password, password_policy};
use samarbejdsrum::store::{accounts, api_tokens, audit::Actor, demo, outbox};
use samarbejdsrum::{Application, db, devdb};

/// A page view allocates and frees a few thousand small strings and vectors (rows, views, the HTML);
/// mimalloc does that with less work than glibc's allocator (BENCHMARKS.md, "Kept pages").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "samarbejdsrum", version, about = "The shared room of Danish public-sector working groups")]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server and background tasks (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Load the demo data into an empty database; with --scale N, add N batches of realistic volume
    /// (50 groups, 2,000 people, five years of meetings, 30,000 register entries each) on top.
    DemoData {
        #[arg(long)]
        scale: Option<u32>,
    },
    /// Create a person with an account, or reset an existing account's password and role.
    /// The password is read from stdin when it is not a terminal, otherwise prompted for.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, secretariat or user
        #[arg(long, default_value = "user")]
        role: String,
    },
    /// Create a personal API token for a person and print it once.
    CreateToken {
        #[arg(long)]
        email: String,
        #[arg(long)]
        label: String,
    },
    /// Send a test mail through SMTP_URL (or queue it in the outbox when no SMTP_URL is set).
    SendTestMail {
        #[arg(long)]
        to: String,
    },
    /// Stop the private PostgreSQL cluster under DATA_DIR/pg.
    StopDb,
    /// Write a consistent backup of the whole database (pg_dump, custom format) with its SHA-256
    /// beside it, named by the time and the schema version.
    Backup {
        /// The folder to write it to (default: DATA_DIR/backups).
        #[arg(long)]
        to: Option<PathBuf>,
    },
    /// Restore a backup into an empty database (its checksum checked first), then migrate it to
    /// this version's schema. The restore is one transaction: a failure leaves the database as it was.
    Restore {
        file: PathBuf,
        /// Drop everything the database holds now (it says how much) and restore over it.
        #[arg(long)]
        replace: bool,
    },
}

fn main() -> anyhow::Result<()> {
    bound_allocator();
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    init_tracing();
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(run(cli))
}

/// Keeps the server's memory near what it uses (RSS under load <= 100 MB). glibc raises its
/// mmap threshold each time a large block is freed, so after the first sign-in the 19 MiB of every
/// argon2id check came from a per-thread heap and stayed there: with the blocking threads each holding
/// an arena, a burst of sign-ins left hundreds of MB resident. A fixed threshold returns large blocks to
/// the system when they are freed, and two arenas bound the rest.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn bound_allocator() {
    // SAFETY: mallopt only tunes the allocator; it is called first thing in main, before any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn bound_allocator() {}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if std::env::var("LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            connect(&config).await?;
            println!("Databasen er opdateret.");
            Ok(())
        }
        Command::DemoData { scale } => {
            let pool = connect(&config).await?;
            let empty = demo::is_empty(&pool).await?;
            if !empty && scale.is_none() {
                bail!("the database already holds groups; demo data is only loaded into an empty database");
            }
            if empty {
                demo::load(&pool).await?;
                println!("Demodata er indlæst.");
            }
            if let Some(batches) = scale {
                let started = std::time::Instant::now();
                let held = demo::load_scale(&pool, batches).await?;
                println!(
                    "{batches} skala-portioner tilføjet på {:.1} s (nu {held} i alt).",
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(())
        }
        Command::CreateUser { email, name, role } => {
            let email = Email::parse(&email).map_err(|m| anyhow::anyhow!(m))?;
            let role = GlobalRole::parse(&role).context("--role must be admin, secretariat or user")?;
            let secret = read_password()?;
            if let Some(msg) = password_policy::policy_error(&secret, email.as_str(), &name) {
                bail!(msg);
            }
            let pool = connect(&config).await?;
            let hash = password::hash(secret).await?;
            let new = accounts::NewAccount { email: email.as_str(), name: name.trim(), role, password_hash: &hash };
            let id = accounts::upsert(&pool, &Actor::cli(), new).await?;
            println!("Bruger {email} (person {id}) har rollen {}.", role.label());
            Ok(())
        }
        Command::CreateToken { email, label } => {
            let pool = connect(&config).await?;
            let account = accounts::by_email(&pool, &email).await?.context("no account with that email")?;
            let token = api_tokens::create(&pool, &Actor::cli(), account.person_id, label.trim()).await?;
            eprintln!("API-nøgle til {} — den vises kun denne ene gang:", account.email);
            println!("{token}");
            Ok(())
        }
        Command::SendTestMail { to } => send_test_mail(&config, &to).await,
        Command::Backup { to } => {
            let dir = to.unwrap_or_else(|| config.data_dir.join("backups"));
            let target = backup::Target::of(&config)?;
            let written = backup::backup(&target, &dir, chrono::Utc::now()).await?;
            println!(
                "Backup skrevet: {} ({} bytes, SHA-256 {})",
                written.path.display(),
                written.bytes,
                written.sha256
            );
            Ok(())
        }
        Command::Restore { file, replace } => {
            let target = backup::Target::of(&config)?;
            let replaced = backup::restore(&target, &file, replace).await?;
            if replaced.tables > 0 {
                println!(
                    "Erstattet: {} grupper, {} møder og {} personer.",
                    replaced.groups, replaced.meetings, replaced.people
                );
            }
            connect(&config).await?;
            println!("Backup genskabt fra {} og opdateret til denne versions skema.", file.display());
            Ok(())
        }
        Command::StopDb => {
            let cluster = devdb::Cluster::ensure_running(&config.data_dir.join("pg"), devdb::Durability::Safe)?;
            cluster.stop()?;
            println!("Den private PostgreSQL-klynge er stoppet.");
            Ok(())
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let embedded = config.database_url.is_none();
    let base_url = config.base_url();
    let app = Application::build(config, Arc::new(SystemClock)).await?;
    println!();
    println!("  Samarbejdsrum kører på {base_url}");
    if embedded {
        println!("  Database: privat PostgreSQL-klynge under DATA_DIR/pg (stop den med `samarbejdsrum stop-db`)");
    }
    if demo::login_works(&app.state().db).await? {
        println!("  Demo-login: {} / {}", demo::DEMO_LOGINS[0].0, demo::DEMO_PASSWORD);
        println!("  (også {} og {})", demo::DEMO_LOGINS[1].0, demo::DEMO_LOGINS[2].0);
    }
    println!();
    let shutdown = CancellationToken::new();
    tokio::spawn(samarbejdsrum::shutdown_signal(shutdown.clone()));
    app.run_until_stopped(shutdown).await
}

/// The migrated database for a command: as the schema's owner, since `demo-data` writes reference rows.
async fn connect(config: &Config) -> anyhow::Result<sqlx::PgPool> {
    Ok(db::open(config, 4).await?.owner)
}

/// From stdin when piped (for scripts), otherwise prompted twice without echo; never from argv.
fn read_password() -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        let mut input = String::new();
        std::io::stdin().read_to_string(&mut input)?;
        return Ok(input.lines().next().unwrap_or_default().to_owned());
    }
    let first = rpassword::prompt_password("Adgangskode: ")?;
    let second = rpassword::prompt_password("Gentag adgangskode: ")?;
    if first != second {
        bail!("the two passwords differ");
    }
    Ok(first)
}

async fn send_test_mail(config: &Config, to: &str) -> anyhow::Result<()> {
    let to = Email::parse(to).map_err(|m| anyhow::anyhow!(m))?;
    let mail = samarbejdsrum::mail::test_mail(&config.base_url())?;
    match &config.smtp_url {
        Some(url) => {
            let mailer = Mailer::from_url(url, &config.mail_from())?.replies_to(config.mail_reply_to.as_deref())?;
            mailer
                .send(Outgoing {
                    to: to.as_str(),
                    subject: &mail.subject,
                    text: &mail.text,
                    html: Some(&mail.html),
                    ics: None,
                    message_key: None,
                })
                .await?;
            println!("Testmailen er sendt til {to}.");
        }
        None => {
            let pool = connect(config).await?;
            let key = format!("test-mail:{}:{}", to, uuid::Uuid::new_v4());
            let mut conn = pool.acquire().await?;
            let row = outbox::NewMail {
                idempotency_key: &key,
                kind: MailKind::Test,
                to_person_id: None,
                to_address: to.as_str(),
                subject: &mail.subject,
                body_text: &mail.text,
                body_html: Some(&mail.html),
                ics: None,
                queued_at: chrono::Utc::now(),
            };
            outbox::enqueue(&mut conn, row).await?;
            println!("SMTP_URL er ikke sat: testmailen ligger i udbakken og kan ses på siden Udbakke (/udbakke).");
        }
    }
    Ok(())
}
