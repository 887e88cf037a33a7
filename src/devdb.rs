//! The embedded default database: with no DATABASE_URL, a private PostgreSQL cluster under
//! `DATA_DIR/pg`, started from the system's binaries and reached over a unix socket in that folder.
//! A running cluster is reused, so a second instance with the same DATA_DIR shares it.
//!
//! Private means private: the cluster trusts whoever reaches its socket, so the socket folder and the
//! socket are open to the cluster's OS user only (mode 0700; root, which runs it as `postgres`, gets
//! through as root does everywhere), and it listens on no TCP port. Folders made by earlier versions,
//! which were open to every local user, are closed on the next start.

use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{Context, bail};

pub const DATABASE: &str = "samarbejdsrum";
/// Owns the schema and runs the migrations.
pub const OWNER_ROLE: &str = "samarbejdsrum_owner";
/// What the server signs in as: rows only; no superuser, no roles, no files, no schema changes.
pub const APP_ROLE: &str = "samarbejdsrum_app";

/// The socket folder's mode: its owner only.
pub const PRIVATE_MODE: u32 = 0o700;

/// What the caller wants of the cluster; tests trade durability for speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    Safe,
    FastForTests,
}

#[derive(Debug, Clone)]
pub struct Cluster {
    pub dir: PathBuf,
    bin: PathBuf,
}

impl Cluster {
    pub fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// The folder of the cluster's own PostgreSQL programs (pg_dump, pg_restore, psql).
    pub fn bin_dir(&self) -> &Path {
        &self.bin
    }

    /// The URL of a database in this cluster, over the socket folder, as the superuser.
    pub fn url(&self, database: &str) -> String {
        self.url_as("postgres", database)
    }

    /// The URL of a database in this cluster as `role`.
    pub fn url_as(&self, role: &str, database: &str) -> String {
        format!("postgres://{role}@localhost/{database}?host={}", self.dir.display())
    }

    /// Starts the cluster unless it runs already; creates it on first use.
    pub fn ensure_running(dir: &Path, durability: Durability) -> anyhow::Result<Cluster> {
        let bin = find_binaries()?;
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let dir = dir.canonicalize()?;
        let cluster = Cluster { dir, bin };
        if is_root() {
            cluster.hand_to_postgres_user()?;
        }
        cluster.close_to_others()?;
        if !cluster.data_dir().join("PG_VERSION").exists() {
            tracing::info!(dir = %cluster.data_dir().display(), "creating a private PostgreSQL cluster");
            cluster.run(
                "initdb",
                &[
                    "-D",
                    path_str(&cluster.data_dir())?,
                    "--auth-local=trust",
                    "--auth-host=reject",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ],
            )?;
        }
        if cluster.is_running()? {
            tracing::info!(dir = %cluster.dir.display(), "reusing the running private PostgreSQL cluster");
            return Ok(cluster);
        }
        let mut options = format!(
            "-k {} -c listen_addresses='' -c unix_socket_permissions=0700 -c max_connections=200",
            cluster.dir.display()
        );
        if durability == Durability::FastForTests {
            options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        let log = cluster.dir.join("postgresql.log");
        let started = cluster.run(
            "pg_ctl",
            &["-D", path_str(&cluster.data_dir())?, "-o", &options, "-l", path_str(&log)?, "-w", "-t", "60", "start"],
        );
        // Another instance may have started it between our check and our start.
        if started.is_err() && cluster.is_running()? {
            return Ok(cluster);
        }
        started.with_context(|| format!("PostgreSQL did not start; see {}", log.display()))?;
        Ok(cluster)
    }

    /// The cluster under `dir`, without starting it (for stopping it).
    pub fn existing(dir: &Path) -> anyhow::Result<Cluster> {
        let dir = dir.canonicalize().with_context(|| format!("no private cluster under {}", dir.display()))?;
        Ok(Cluster { dir, bin: find_binaries()? })
    }

    pub fn stop(&self) -> anyhow::Result<()> {
        if self.is_running()? {
            self.run("pg_ctl", &["-D", path_str(&self.data_dir())?, "-m", "fast", "-w", "stop"])?;
        }
        Ok(())
    }

    fn is_running(&self) -> anyhow::Result<bool> {
        let out = self.command("pg_ctl", &["-D", path_str(&self.data_dir())?, "status"])?;
        Ok(out.status.success())
    }

    /// PostgreSQL refuses to run as root: the folder goes to the `postgres` user, and every parent
    /// must let that user through.
    fn hand_to_postgres_user(&self) -> anyhow::Result<()> {
        let status = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&self.dir)
            .status()
            .context("chown failed; is there a `postgres` system user? (apt-get install -y postgresql)")?;
        if !status.success() {
            bail!("could not hand {} to the postgres user", self.dir.display());
        }
        for parent in self.dir.ancestors().skip(1) {
            let mode = std::fs::metadata(parent)?.permissions().mode();
            if mode & 0o001 == 0 {
                bail!(
                    "PostgreSQL runs as the `postgres` user and cannot reach {} ({} is not searchable by others); \
                     set DATA_DIR to a folder elsewhere, e.g. DATA_DIR=/var/lib/samarbejdsrum",
                    self.dir.display(),
                    parent.display()
                );
            }
        }
        Ok(())
    }

    /// The socket folder (with the socket, the data and the log) is the cluster user's alone.
    fn close_to_others(&self) -> anyhow::Result<()> {
        std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(PRIVATE_MODE)).with_context(|| {
            format!("cannot make {} private to its owner (is it another user's cluster?)", self.dir.display())
        })
    }

    fn run(&self, tool: &str, args: &[&str]) -> anyhow::Result<()> {
        let out = self.command(tool, args)?;
        if !out.status.success() {
            bail!("{tool} failed: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        }
        Ok(())
    }

    fn command(&self, tool: &str, args: &[&str]) -> anyhow::Result<Output> {
        let program = self.bin.join(tool);
        let out = if is_root() {
            Command::new("runuser").args(["-u", "postgres", "--"]).arg(&program).args(args).output()
        } else {
            Command::new(&program).args(args).output()
        };
        out.with_context(|| format!("cannot run {}", program.display()))
    }
}

/// initdb and pg_ctl from PATH, or the newest /usr/lib/postgresql/*/bin.
fn find_binaries() -> anyhow::Result<PathBuf> {
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            if dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() {
                return Ok(dir);
            }
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    match found.pop() {
        Some((_, bin)) => Ok(bin),
        None => bail!(
            "PostgreSQL is not installed, and no DATABASE_URL is set.\n\
             Install the server with:  sudo apt-get install -y postgresql\n\
             or point DATABASE_URL at an existing server."
        ),
    }
}

/// The effective uid, from /proc (saves a libc dependency for one number).
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(2) == Some("0")))
        .unwrap_or(false)
}

fn path_str(path: &Path) -> anyhow::Result<&str> {
    path.as_os_str().to_str().filter(|s| !s.contains(' ')).ok_or_else(|| {
        anyhow::anyhow!("the data folder path {:?} must be plain UTF-8 without spaces", path.as_os_str() as &OsStr)
    })
}

/// As the superuser, on the app's database: the two roles exist, and the database, its schema and every
/// object in it belong to [`OWNER_ROLE`] (installations from before the roles had everything owned by
/// the superuser). Idempotent; runs at every start.
pub const PREPARE_ROLES: &str = r#"
DO $$
DECLARE r record;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'samarbejdsrum_owner') THEN
        CREATE ROLE samarbejdsrum_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'samarbejdsrum_app') THEN
        CREATE ROLE samarbejdsrum_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
    END IF;
    EXECUTE format('ALTER DATABASE %I OWNER TO samarbejdsrum_owner', current_database());
    ALTER SCHEMA public OWNER TO samarbejdsrum_owner;
    FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
               AND c.relowner <> 'samarbejdsrum_owner'::regrole
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO samarbejdsrum_owner',
                       CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                      WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.name);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' AND p.proowner <> 'samarbejdsrum_owner'::regrole
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO samarbejdsrum_owner', r.name);
    END LOOP;
    FOR r IN SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd') AND t.typowner <> 'samarbejdsrum_owner'::regrole
    LOOP
        EXECUTE format('ALTER TYPE %s OWNER TO samarbejdsrum_owner', r.name);
    END LOOP;
END
$$"#;

/// As [`OWNER_ROLE`], after the migrations: the app role reads and writes rows of every table, uses the
/// sequences and calls the functions, and nothing more.
pub const GRANT_APP: &str = r#"
DO $$
BEGIN
    EXECUTE format('REVOKE CREATE, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO samarbejdsrum_app', current_database());
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    GRANT USAGE ON SCHEMA public TO samarbejdsrum_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO samarbejdsrum_app;
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO samarbejdsrum_app;
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO samarbejdsrum_app;
END
$$"#;
