//! The session store on the `sessions` table (migration 0001), in the rows tower-sessions-sqlx-store
//! writes (a MessagePack of the whole record), plus the person the session is signed in as (0043).
//!
//! Loading a session is the first statement of every view, so it does more than the library's: the same
//! statement reads the session's account (active, password stamp, name, role) and the read version raised
//! by every change (`read_cache`). A signed-in view then needs no statement of its own to check the
//! account, and a kept page knows from that version alone that nothing changed. The account
//! rides in the loaded record under `ACCOUNT`, a key the store writes on load and strips on every save,
//! so it is never stored and always as fresh as the view. The password hash is not read.
//!
//! `create` is one insert that does nothing on a taken id (the library's is a transaction of four round
//! trips); the expiry sweep stays the library's.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::PostgresStore;

use super::account_row::Account;
use crate::domain::access::{GlobalRole, GroupRole};

/// The session key holding the signed-in person's id (written by `web::auth::sign_in`).
pub const PERSON: &str = "uid";
/// The key under which a loaded record carries its account, read in the same statement. Never stored.
pub const ACCOUNT: &str = "_account";

/// A signed-in session's account as the session's own statement read it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionAccount {
    /// The person the session was saved for; the account below is theirs (None: no account any more).
    pub person_id: i64,
    pub account: Option<AccountNow>,
    /// The read version raised by every change ('any', migration 0042), in the same snapshot.
    pub read_version: i64,
}

/// What a view needs of the account: enough to check it (active, the password stamp) and to name them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountNow {
    pub name: String,
    pub email: String,
    pub role: GlobalRole,
    pub active: bool,
    /// `password_changed_at` in microseconds: a password change ends every other session.
    pub password_stamp: i64,
    pub group_role: Option<GroupRole>,
}

impl AccountNow {
    pub fn of(account: &Account) -> AccountNow {
        AccountNow {
            name: account.name.clone(),
            email: account.email.clone(),
            role: account.role,
            active: account.active,
            password_stamp: account.password_changed_at.timestamp_micros(),
            group_role: account.group_role,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Sessions {
    pool: PgPool,
    library: PostgresStore,
}

impl Sessions {
    pub fn new(pool: PgPool) -> anyhow::Result<Sessions> {
        let library = PostgresStore::new(pool.clone())
            .with_schema_name("public")
            .and_then(|s| s.with_table_name("sessions"))
            .map_err(|e| anyhow::anyhow!(e))?;
        Ok(Sessions { pool, library })
    }
}

fn backend(e: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

/// The record as stored: without the account the load added, and the person it is signed in as.
fn stored(record: &Record) -> session_store::Result<(Vec<u8>, Option<i64>, DateTime<Utc>)> {
    let person = record.data.get(PERSON).and_then(serde_json::Value::as_i64);
    let data = if record.data.contains_key(ACCOUNT) {
        let mut bare = record.clone();
        bare.data.remove(ACCOUNT);
        rmp_serde::to_vec(&bare)
    } else {
        rmp_serde::to_vec(record)
    }
    .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let expiry = DateTime::<Utc>::from_timestamp(record.expiry_date.unix_timestamp(), record.expiry_date.nanosecond())
        .ok_or_else(|| session_store::Error::Encode("session expiry out of range".into()))?;
    Ok((data, person, expiry))
}

#[async_trait]
impl SessionStore for Sessions {
    /// Inserts the record under a fresh id, drawing another on the (astronomically unlikely) taken one,
    /// never overwriting another session.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let (data, person, expiry) = stored(record)?;
            let inserted = sqlx::query!(
                "INSERT INTO sessions (id, data, expiry_date, person_id) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (id) DO NOTHING",
                record.id.to_string(),
                data,
                expiry as _,
                person
            )
            .execute(&self.pool)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let (data, person, expiry) = stored(record)?;
        sqlx::query!(
            "INSERT INTO sessions (id, data, expiry_date, person_id) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date,
                                            person_id = excluded.person_id",
            record.id.to_string(),
            data,
            expiry as _,
            person
        )
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    /// The session, and for a signed-in one its account and the read version, in one statement.
    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(row) = sqlx::query!(
            r#"SELECT s.data, s.person_id,
                      a.person_id IS NOT NULL AS "has_account!", p.name AS "name?", p.email AS "email?",
                      a.role AS "role?: GlobalRole", a.active AS "active?",
                      a.password_changed_at AS "password_changed_at?: DateTime<Utc>",
                      (SELECT ms.role FROM memberships ms WHERE ms.person_id = a.person_id AND ms.status = 'active'
                       ORDER BY array_position(ARRAY['chair', 'secretariat', 'member', 'substitute', 'coordinator', 'vendor'], ms.role)
                       LIMIT 1) AS "group_role?: GroupRole",
                      (SELECT v.version FROM read_versions v WHERE v.scope = 'any' AND v.id = 0) AS "read_version!"
               FROM sessions s
               LEFT JOIN accounts a ON a.person_id = s.person_id
               LEFT JOIN people p ON p.id = a.person_id
               WHERE s.id = $1 AND s.expiry_date > $2"#,
            id.to_string(),
            Utc::now() as _
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?
        else {
            return Ok(None);
        };
        let mut record: Record =
            rmp_serde::from_slice(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        if let Some(person_id) = row.person_id {
            let account = match (row.has_account, row.name, row.email, row.role, row.active, row.password_changed_at) {
                (true, Some(name), Some(email), Some(role), Some(active), Some(changed)) => Some(AccountNow {
                    name,
                    email,
                    role,
                    active,
                    password_stamp: changed.timestamp_micros(),
                    group_role: row.group_role,
                }),
                _ => None,
            };
            let with = SessionAccount { person_id, account, read_version: row.read_version };
            let value = serde_json::to_value(with).map_err(|e| session_store::Error::Encode(e.to_string()))?;
            record.data.insert(ACCOUNT.to_owned(), value);
        }
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.library.delete(id).await
    }
}

#[async_trait]
impl ExpiredDeletion for Sessions {
    async fn delete_expired(&self) -> session_store::Result<()> {
        self.library.delete_expired().await
    }
}
