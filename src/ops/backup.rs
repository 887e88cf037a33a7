//! Backup and restore of the whole database, for the private cluster and for any DATABASE_URL.
//!
//! A backup is one `pg_dump` custom-format file (consistent: pg_dump reads one snapshot), named by
//! its time and the schema version it holds, with a `.sha256` beside it in `sha256sum`'s format.
//! A restore checks the checksum first, refuses a database that holds data unless told to replace
//! it, and then runs as one transaction: the schema is dropped and the dump's SQL applied inside a
//! single `psql --single-transaction`, so a failure anywhere leaves the database as it was. The
//! restored schema is then migrated to this version's, as at every start.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use crate::config::Config;
use crate::db;
use crate::devdb::{self, Cluster, Durability};
use crate::security::tokens;

/// Where the database is and which PostgreSQL programs speak its version.
pub struct Target {
    pub url: String,
    bin: PathBuf,
}

impl Target {
    /// DATABASE_URL, or the private cluster under DATA_DIR/pg (started if needed) as the schema's owner.
    pub fn of(config: &Config) -> anyhow::Result<Target> {
        match &config.database_url {
            Some(url) => Ok(Target { url: url.clone(), bin: client_programs(None)? }),
            None => {
                let cluster = Cluster::ensure_running(&config.data_dir.join("pg"), Durability::Safe)?;
                let url = cluster.url_as(devdb::OWNER_ROLE, devdb::DATABASE);
                Ok(Target { url, bin: client_programs(Some(cluster.bin_dir()))? })
            }
        }
    }

    fn program(&self, name: &str) -> Command {
        let mut command = Command::new(self.bin.join(name));
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        command
    }
}

/// A folder holding pg_dump, pg_restore and psql: the cluster's own, else the newest PostgreSQL
/// installed (a newer pg_dump reads an older server), else the first on PATH.
fn client_programs(cluster: Option<&Path>) -> anyhow::Result<PathBuf> {
    let complete = |dir: &Path| ["pg_dump", "pg_restore", "psql"].iter().all(|p| dir.join(p).is_file());
    if let Some(dir) = cluster.filter(|d| complete(d)) {
        return Ok(dir.to_path_buf());
    }
    let mut installed: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse::<u32>().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| complete(bin))
        .collect();
    installed.sort();
    if let Some((_, bin)) = installed.pop() {
        return Ok(bin);
    }
    std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).find(|d| complete(d)))
        .context("pg_dump, pg_restore and psql are not installed (Debian: apt-get install postgresql-client)")
}

/// A backup written: where, how large, its checksum.
#[derive(Debug)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
}

/// The newest migration applied: the schema version a dump holds.
pub async fn schema_version(pool: &PgPool) -> anyhow::Result<i64> {
    let version: Option<i64> =
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success").fetch_one(pool).await?;
    Ok(version.unwrap_or(0))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_of_file(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(hex(&tokens::sha256_bytes(&bytes)))
}

/// Writes a backup of `target` into `dir`.
pub async fn backup(target: &Target, dir: &Path, now: DateTime<Utc>) -> anyhow::Result<Written> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let pool = db::connect(&target.url, 1).await?;
    let version = schema_version(&pool).await?;
    pool.close().await;
    let name = format!("samarbejdsrum-{}-schema-{version:04}.dump", now.format("%Y%m%d-%H%M%S"));
    let path = dir.join(&name);
    let partial = dir.join(format!(".{name}.partial"));
    let out = target
        .program("pg_dump")
        .args(["--format=custom", "--no-password", "--file"])
        .arg(&partial)
        .arg("--dbname")
        .arg(&target.url)
        .output()
        .await
        .context("cannot run pg_dump")?;
    if !out.status.success() {
        let _ = std::fs::remove_file(&partial);
        bail!("pg_dump failed: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    // Only a whole dump gets the final name: a crash leaves a ".partial" and no backup that lies.
    std::fs::rename(&partial, &path)?;
    let sha256 = sha256_of_file(&path)?;
    std::fs::write(checksum_path(&path), format!("{sha256}  {name}\n"))?;
    let bytes = std::fs::metadata(&path)?.len();
    Ok(Written { path, bytes, sha256 })
}

fn checksum_path(dump: &Path) -> PathBuf {
    let mut name = dump.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".sha256");
    dump.with_file_name(name)
}

/// What a database holds, to say what a restore with --replace would drop.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Holds {
    pub tables: i64,
    pub groups: i64,
    pub meetings: i64,
    pub people: i64,
}

pub async fn holds(pool: &PgPool) -> anyhow::Result<Holds> {
    let tables: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetch_one(pool).await?;
    if tables == 0 {
        return Ok(Holds::default());
    }
    let count = |table: &'static str| {
        let pool = pool.clone();
        async move {
            let exists: bool = sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
                .bind(format!("public.{table}"))
                .fetch_one(&pool)
                .await?;
            if !exists {
                return Ok::<i64, anyhow::Error>(0);
            }
            Ok(sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(&pool).await?)
        }
    };
    Ok(Holds {
        tables,
        groups: count("groups").await?,
        meetings: count("meetings").await?,
        people: count("people").await?,
    })
}

/// Restores `dump` into `target`: refused when the checksum does not match, or when the database
/// holds tables and `replace` is false. Returns what was replaced.
pub async fn restore(target: &Target, dump: &Path, replace: bool) -> anyhow::Result<Holds> {
    let recorded = std::fs::read_to_string(checksum_path(dump))
        .with_context(|| format!("{} has no checksum file beside it", dump.display()))?;
    let expected = recorded.split_whitespace().next().unwrap_or_default().to_lowercase();
    if sha256_of_file(dump)? != expected {
        bail!("{} does not match its checksum: the file is damaged or not the one backed up", dump.display());
    }
    let pool = db::connect(&target.url, 1).await?;
    let before = holds(&pool).await?;
    pool.close().await;
    if before.tables > 0 && !replace {
        bail!(
            "the database is not empty ({} groups, {} meetings, {} people); restore into an empty database, \
             or give --replace to drop all of it",
            before.groups,
            before.meetings,
            before.people
        );
    }
    // The dump as SQL, without owners and grants (the roles may differ here); the grants of the
    // private cluster's server role are given again at the next start.
    let sql = target
        .program("pg_restore")
        .args(["--no-owner", "--no-privileges", "--file=-"])
        .arg(dump)
        .output()
        .await
        .context("cannot run pg_restore")?;
    if !sql.status.success() {
        bail!("pg_restore could not read the dump: {}", String::from_utf8_lossy(&sql.stderr).trim());
    }
    let mut psql = target
        .program("psql")
        .args(["--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1", "--dbname"])
        .arg(&target.url)
        .stdin(Stdio::piped())
        .spawn()
        .context("cannot run psql")?;
    let mut input = psql.stdin.take().context("psql's input")?;
    let writing = async move {
        input.write_all(b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n").await?;
        input.write_all(&sql.stdout).await?;
        input.shutdown().await
    };
    let (written, out) = tokio::join!(writing, psql.wait_with_output());
    let out = out.context("psql did not finish")?;
    if !out.status.success() || written.is_err() {
        bail!("the restore failed and was rolled back: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(before)
}

/// The backups in `dir`, newest first: (path, size).
pub fn list(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut found: Vec<(PathBuf, u64)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("samarbejdsrum-") && name.ends_with(".dump")
        })
        .map(|e| (e.path(), e.metadata().map(|m| m.len()).unwrap_or(0)))
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0));
    found
}

/// Keeps the newest `keep` backups in `dir` and removes the others with their checksums.
pub fn prune(dir: &Path, keep: usize) -> std::io::Result<usize> {
    let mut removed = 0;
    for (path, _) in list(dir).into_iter().skip(keep) {
        std::fs::remove_file(&path)?;
        let _ = std::fs::remove_file(checksum_path(&path));
        removed += 1;
    }
    Ok(removed)
}
