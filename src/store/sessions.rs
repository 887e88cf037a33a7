//! The session store: tower-sessions-sqlx-store's `PostgresStore` on the `sessions` table (migration
//! 0001), with a `create` of one statement. Its own `create` is a transaction of four round trips (BEGIN,
//! an existence check, the insert, COMMIT), run at every sign-in and for every new visitor's session;
//! one insert that does nothing on a taken id does the same job. Loading, saving, deleting
//! and the expiry sweep stay the library's, so the rows are the ones it reads.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::PostgresStore;

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

#[async_trait]
impl SessionStore for Sessions {
    /// Inserts the record under a fresh id, drawing another on the (astronomically unlikely) taken one,
    /// never overwriting another session.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Encoded as the library encodes it (MessagePack of the whole record), so `load` reads it back.
        let expiry =
            DateTime::<Utc>::from_timestamp(record.expiry_date.unix_timestamp(), record.expiry_date.nanosecond())
                .ok_or_else(|| session_store::Error::Encode("session expiry out of range".into()))?;
        loop {
            let data = rmp_serde::to_vec(&*record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
            let inserted = sqlx::query!(
                "INSERT INTO sessions (id, data, expiry_date) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
                record.id.to_string(),
                data,
                expiry as _
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
        self.library.save(record).await
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        self.library.load(id).await
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
