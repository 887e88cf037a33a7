//! Settings from the environment (and an optional `.env`), with defaults that run locally.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

/// Every setting the app reads. `--help` documents each; each can also be set in the environment.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// PostgreSQL connection URL. When unset, a private cluster is started under DATA_DIR/pg.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Address the HTTP server listens on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: SocketAddr,

    /// Public base URL used in links in emails and calendar feeds (default: http://BIND).
    #[arg(long, env = "BASE_URL", global = true)]
    pub base_url: Option<String>,

    /// SMTP server, e.g. smtp://localhost:25, smtps://user:pass@host:465 or smtp://host:587?tls=required.
    /// When unset, mail stays in the outbox and is shown to the secretariat.
    #[arg(long, env = "SMTP_URL", global = true)]
    pub smtp_url: Option<String>,

    /// Sender address of outgoing mail (default: Samarbejdsrum <noreply@…> at BASE_URL's domain).
    #[arg(long, env = "MAIL_FROM", global = true)]
    pub mail_from: Option<String>,

    /// Where replies to the mails go: the secretariat's shared mailbox (Reply-To); unset, replies go to
    /// the sender.
    #[arg(long, env = "MAIL_REPLY_TO", global = true)]
    pub mail_reply_to: Option<String>,

    /// Folder for local state: the private PostgreSQL cluster (DATA_DIR/pg).
    #[arg(long, env = "DATA_DIR", default_value = "./var", global = true)]
    pub data_dir: PathBuf,

    /// Folder with the stylesheets and other static files.
    #[arg(long, env = "STATIC_DIR", global = true)]
    pub static_dir: Option<PathBuf>,

    /// Minutes without a request after which a session ends.
    #[arg(long, env = "SESSION_IDLE_MINUTES", default_value_t = 120, global = true)]
    pub session_idle_minutes: u32,

    /// Hours after sign-in after which a session ends, however active.
    #[arg(long, env = "SESSION_MAX_HOURS", default_value_t = 12, global = true)]
    pub session_max_hours: u32,

    /// Mark the session cookie Secure (set when served over HTTPS).
    #[arg(long, env = "SECURE_COOKIES", default_value_t = false, global = true)]
    pub secure_cookies: bool,

    /// Connections to PostgreSQL the server keeps open. A few per core serve best: with more, the
    /// database's processes and the server's tasks spend the cores switching between each other
    /// (measured on two cores: 8 is faster than 20 under load).
    #[arg(long, env = "DB_POOL_SIZE", default_value_t = 8, value_parser = clap::value_parser!(u32).range(2..=200), global = true)]
    pub db_pool_size: u32,

    /// Take the client address from X-Forwarded-For (only behind a trusted load balancer).
    #[arg(long, env = "TRUST_FORWARDED_FOR", default_value_t = false, global = true)]
    pub trust_forwarded_for: bool,

    /// Working days before a meeting by which the draft agenda must go to the chair (A1).
    #[arg(long, env = "AGENDA_TO_CHAIR_WORKING_DAYS", default_value_t = 7, global = true)]
    pub agenda_to_chair_working_days: u32,

    /// Working days before a deadline from which it shows as "due soon" and reminders go out (D3).
    #[arg(long, env = "DUE_SOON_WORKING_DAYS", default_value_t = 2, global = true)]
    pub due_soon_working_days: u32,

    /// Seconds between deadline scans (D3); a scan also runs at start-up.
    #[arg(long, env = "SCAN_INTERVAL_SECONDS", default_value_t = 300, global = true)]
    pub scan_interval_seconds: u64,

    /// Seconds between runs of the mail sender when SMTP_URL is set.
    #[arg(long, env = "SEND_INTERVAL_SECONDS", default_value_t = 10, global = true)]
    pub send_interval_seconds: u64,

    /// Largest attachment accepted, in megabytes (T7).
    #[arg(long, env = "MAX_ATTACHMENT_MB", default_value_t = 20, global = true)]
    pub max_attachment_mb: u32,

    /// Process a "Glemt adgangskode?" request in a task spawned as soon as it is recorded (the periodic
    /// jobs pick up whatever is left). Not a setting: off only where a test counts the form's own statements.
    #[arg(skip = true)]
    pub reset_requests_at_once: bool,

    /// Folder for the nightly backups; unset, the server takes none (`samarbejdsrum backup` still works).
    #[arg(long, env = "BACKUP_DIR", global = true)]
    pub backup_dir: Option<PathBuf>,

    /// Local time (Europe/Copenhagen) after which the day's backup is taken, HH:MM.
    #[arg(long, env = "BACKUP_AT", default_value = "02:30", value_parser = parse_clock, global = true)]
    pub backup_at: chrono::NaiveTime,

    /// How many nightly backups to keep; older ones are removed with their checksums.
    #[arg(long, env = "BACKUP_KEEP", default_value_t = 14, value_parser = clap::value_parser!(u32).range(1..=3650), global = true)]
    pub backup_keep: u32,

    /// Serve the operator's metrics (Prometheus text format) at /metrics on this address, e.g.
    /// 127.0.0.1:9464, apart from the app's own listener. Unset: no such listener.
    #[arg(long, env = "METRICS_BIND", global = true)]
    pub metrics_bind: Option<SocketAddr>,

    /// Serve the metrics at the app's own /metrics to requests with `Authorization: Bearer <token>`.
    /// Unset: /metrics on the app's listener is not found.
    #[arg(long, env = "METRICS_TOKEN", global = true, hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// The organisation's OpenID Connect provider (its issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0).
    /// When set with OIDC_CLIENT_ID, the login page offers "Log ind med OIDC_LABEL"; the provider must
    /// allow the redirect URI BASE_URL/login/oidc/callback and, for signing out, BASE_URL/login.
    #[arg(long, env = "OIDC_ISSUER", global = true)]
    pub oidc_issuer: Option<String>,

    /// This installation's client id at the OpenID Connect provider.
    #[arg(long, env = "OIDC_CLIENT_ID", global = true)]
    pub oidc_client_id: Option<String>,

    /// The client secret at the OpenID Connect provider (unset for a public client; PKCE is used either way).
    #[arg(long, env = "OIDC_CLIENT_SECRET", global = true, hide_env_values = true)]
    pub oidc_client_secret: Option<String>,

    /// Scopes asked of the OpenID Connect provider, separated by spaces.
    #[arg(long, env = "OIDC_SCOPES", default_value = "openid email profile", global = true)]
    pub oidc_scopes: String,

    /// Take the provider's e-mail claim as verified when it sends no `email_verified` (Microsoft
    /// Entra ID does not; its e-mail addresses belong to the organisation's own tenant). An explicit
    /// `email_verified: false` is refused all the same.
    #[arg(long, env = "OIDC_EMAIL_VERIFIED_BY_PROVIDER", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub oidc_email_verified_by_provider: bool,

    /// The provider's name on the login button: "Log ind med <OIDC_LABEL>".
    #[arg(long, env = "OIDC_LABEL", default_value = "din organisations login", global = true)]
    pub oidc_label: String,

    /// Keep the main pages' data in memory between views, checked against the database's read versions
    /// at every view (on by default; off reads every view from the database, as a reference to compare).
    #[arg(long, env = "READ_CACHE", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub read_cache: bool,

    /// Load demo data on the first start of an empty database.
    #[arg(long, env = "DEMO_DATA", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub demo_data: bool,
}

fn parse_clock(s: &str) -> Result<chrono::NaiveTime, String> {
    chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| format!("{s:?} is not a time of day as HH:MM"))
}

impl Config {
    pub fn base_url(&self) -> String {
        match &self.base_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.bind),
        }
    }

    /// The installation's own domain, from BASE_URL: the default sender's and the calendar UIDs'
    /// (two installations never share one). A bare IP address or localhost gives `samarbejdsrum.local`.
    pub fn domain(&self) -> String {
        let url = self.base_url();
        let host = url.split("://").nth(1).unwrap_or(&url);
        let host = host.split(['/', '?', '#']).next().unwrap_or(host);
        let host = host.rsplit('@').next().unwrap_or(host);
        let host = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(v6),
            None => host.split(':').next().unwrap_or(host),
        };
        if host.is_empty() || host == "localhost" || host.parse::<std::net::IpAddr>().is_ok() {
            "samarbejdsrum.local".to_owned()
        } else {
            host.to_ascii_lowercase()
        }
    }

    /// The sender of outgoing mail: MAIL_FROM, or "Samarbejdsrum <noreply@domain>".
    pub fn mail_from(&self) -> String {
        self.mail_from.clone().unwrap_or_else(|| format!("Samarbejdsrum <noreply@{}>", self.domain()))
    }

    /// The address calendar invitations come from (their ORGANIZER): the secretariat's mailbox
    /// (MAIL_REPLY_TO) when set, else the sender's.
    pub fn organizer(&self) -> String {
        let mailbox = self.mail_reply_to.clone().unwrap_or_else(|| self.mail_from());
        match (mailbox.find('<'), mailbox.rfind('>')) {
            (Some(start), Some(end)) if start < end => mailbox[start + 1..end].trim().to_owned(),
            _ => mailbox.trim().to_owned(),
        }
    }

    /// Served over HTTPS (BASE_URL says so, or SECURE_COOKIES is set behind a TLS proxy): the session
    /// cookie is then `Secure` with the `__Host-` prefix, and HSTS is sent.
    pub fn serves_https(&self) -> bool {
        self.secure_cookies || self.base_url().starts_with("https://")
    }

    /// `__Host-` binds the cookie to this host and path `/` over HTTPS only; plain HTTP (local use) cannot
    /// carry such a cookie, so it keeps the plain name there.
    pub fn session_cookie_name(&self) -> &'static str {
        if self.serves_https() { "__Host-samarbejdsrum_session" } else { "samarbejdsrum_session" }
    }

    pub fn static_dir(&self) -> PathBuf {
        self.static_dir.clone().unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("static"))
    }

    /// The charter's deadlines (A2, A3, R2-R4) with this installation's settings.
    pub fn deadline_settings(&self) -> crate::domain::deadlines::DeadlineSettings {
        crate::domain::deadlines::DeadlineSettings {
            agenda_to_chair_wd: self.agenda_to_chair_working_days,
            due_soon_wd: self.due_soon_working_days,
            ..Default::default()
        }
    }

    pub fn session_idle(&self) -> Duration {
        Duration::from_secs(u64::from(self.session_idle_minutes) * 60)
    }

    /// The OpenID Connect provider's settings, when an issuer and a client id are both given.
    pub fn oidc(&self) -> Option<crate::security::oidc::OidcSettings> {
        let issuer = self.oidc_issuer.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        let client_id = self.oidc_client_id.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        Some(crate::security::oidc::OidcSettings {
            issuer: issuer.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: self.oidc_client_secret.clone().filter(|s| !s.is_empty()),
            scopes: self.oidc_scopes.split_whitespace().map(str::to_owned).collect(),
            label: self.oidc_label.trim().to_owned(),
            email_verified_by_provider: self.oidc_email_verified_by_provider,
            redirect_uri: format!("{}/login/oidc/callback", self.base_url()),
        })
    }

    pub fn session_max(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.session_max_hours))
    }

    /// Settings for tests and tools: defaults, a given database, no mail server.
    pub fn for_tests(database_url: String) -> Self {
        Config {
            database_url: Some(database_url),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            base_url: None,
            smtp_url: None,
            mail_from: None,
            mail_reply_to: None,
            data_dir: PathBuf::from("./var"),
            static_dir: None,
            session_idle_minutes: 120,
            session_max_hours: 12,
            secure_cookies: false,
            db_pool_size: 8,
            trust_forwarded_for: false,
            agenda_to_chair_working_days: 7,
            due_soon_working_days: 2,
            max_attachment_mb: 20,
            scan_interval_seconds: 0,
            send_interval_seconds: 0,
            reset_requests_at_once: true,
            read_cache: true,
            demo_data: false,
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_client_secret: None,
            oidc_scopes: "openid email profile".into(),
            oidc_label: "din organisations login".into(),
            oidc_email_verified_by_provider: false,
            metrics_bind: None,
            metrics_token: None,
            backup_dir: None,
            backup_at: chrono::NaiveTime::from_hms_opt(2, 30, 0).unwrap_or_default(),
            backup_keep: 14,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_base(url: Option<&str>) -> Config {
        Config { base_url: url.map(str::to_owned), ..Config::for_tests("postgres://unused".into()) }
    }

    #[test]
    fn the_installations_domain_comes_from_base_url() {
        assert_eq!(with_base(Some("https://samarbejde.miljoeportal.dk/")).domain(), "samarbejde.miljoeportal.dk");
        assert_eq!(with_base(Some("https://Moeder.OS2.dk:8443/app")).domain(), "moeder.os2.dk");
        assert_eq!(with_base(Some("http://127.0.0.1:8080")).domain(), "samarbejdsrum.local");
        assert_eq!(with_base(Some("http://[::1]:8080")).domain(), "samarbejdsrum.local");
        assert_eq!(with_base(None).domain(), "samarbejdsrum.local");
        let config = with_base(Some("https://samarbejde.miljoeportal.dk"));
        assert_eq!(config.mail_from(), "Samarbejdsrum <noreply@samarbejde.miljoeportal.dk>");
        assert_eq!(Config { mail_from: Some("x@y.dk".into()), ..config }.mail_from(), "x@y.dk");
    }
}
