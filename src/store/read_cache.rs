//! Pages' data kept in memory between views, each copy under the read versions it was read at
//! (migration 0042: a counter per group, per meeting across groups, for the reference data and for
//! everything, raised in the same transaction as any change). A view reads the versions in one small
//! statement, together with the read rule that decides whether the reader may see the page at all, and
//! uses the kept copy while the versions are unchanged: the database works per change, not per view.
//!
//! A copy is kept per page and reader class, never per person: the key says which class (for example
//! whether the reader chooses the agenda's change requests, A7), and everything a class may not see is
//! left out of the copy by the statement that read it, as before. What one person alone may see (their
//! apology, their role) is worked out from the copy by the page, per view.
//!
//! Each instance keeps its own copies; the versions live in the database, so a change made through
//! another instance behind the same load balancer is seen at the next view.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use sqlx::PgPool;

use crate::domain::access::GroupScope;

/// The read versions a copy was read under. Pages that read fewer than three parts leave the rest 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Stamp(pub [i64; 3]);

/// The kept copies of one page, at most `capacity` of them.
pub struct Kept<K, V> {
    page: &'static str,
    entries: Mutex<HashMap<K, (Stamp, Arc<V>)>>,
    /// One turn per key being read: when an agenda goes out and the whole group opens it at once,
    /// the first view reads it and the others wait for that copy instead of each reading it again.
    loading: Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
    capacity: usize,
    enabled: bool,
}

impl<K: Eq + Hash + Clone, V> Kept<K, V> {
    pub fn new(page: &'static str, capacity: usize, enabled: bool) -> Self {
        Kept { page, entries: Mutex::new(HashMap::new()), loading: Mutex::new(HashMap::new()), capacity, enabled }
    }

    /// The copy kept under `key` if it was read under `stamp`; otherwise `load` reads it (once for all
    /// the views that ask at the same time) and it is kept. `load` answers None when there is nothing
    /// to show (the page does not exist or the reader may not see it); nothing is kept then.
    pub async fn get_or_load<E, F, Fut>(&self, key: K, stamp: Stamp, load: F) -> Result<Option<Arc<V>>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<V>, E>>,
    {
        if !self.enabled {
            return Ok(load().await?.map(Arc::new));
        }
        if let Some(hit) = self.lookup(&key, stamp) {
            self.count("hit");
            return Ok(Some(hit));
        }
        let turn = lock(&self.loading).entry(key.clone()).or_default().clone();
        let loaded = {
            let _turn = turn.lock().await;
            match self.lookup(&key, stamp) {
                // Read by the view that had the turn before this one.
                Some(hit) => {
                    self.count("waited");
                    Ok(Some(hit))
                }
                None => {
                    self.count("miss");
                    match load().await {
                        Ok(Some(value)) => {
                            let value = Arc::new(value);
                            self.put(key.clone(), stamp, value.clone());
                            Ok(Some(value))
                        }
                        other => other.map(|_| None),
                    }
                }
            }
        };
        let mut loading = lock(&self.loading);
        // Only the map and this view hold the turn: nobody waits for it any more.
        if Arc::strong_count(&turn) <= 2 {
            loading.remove(&key);
        }
        loaded
    }

    fn lookup(&self, key: &K, stamp: Stamp) -> Option<Arc<V>> {
        lock(&self.entries).get(key).filter(|(kept, _)| *kept == stamp).map(|(_, value)| value.clone())
    }

    fn count(&self, outcome: &'static str) {
        metrics::counter!("samarbejdsrum_read_cache_total", "page" => self.page, "outcome" => outcome).increment(1);
    }

    /// Keeps a copy read under `stamp`. A full set gives up an arbitrary copy: the pages read most are
    /// read again at once, and a page read once an hour loses little by being read from the database.
    fn put(&self, key: K, stamp: Stamp, value: Arc<V>) {
        let mut entries = lock(&self.entries);
        if entries.len() >= self.capacity
            && !entries.contains_key(&key)
            && let Some(victim) = entries.keys().next().cloned()
        {
            entries.remove(&victim);
        }
        // A copy read under older versions than the one kept (a slow reader finishing late) is not kept.
        if entries.get(&key).is_some_and(|(kept, _)| kept.0.iter().zip(stamp.0).any(|(k, s)| *k > s)) {
            return;
        }
        entries.insert(key, (stamp, value));
    }

    pub fn len(&self) -> usize {
        lock(&self.entries).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What a reader's small statement answered (the read rule and the page's versions), kept per reader and
/// page under the version raised by every change ('any') that the statement saw. The read rule and the
/// versions read only rows whose changes raise 'any', so while the reader's session statement sees the
/// same 'any' (`web::auth::CurrentUser::read_version`), the answer is still true and the view needs no
/// statement beyond the session's. Keyed per person (the scope names them): never shared between readers.
pub struct ReadChecks<K, V> {
    entries: Mutex<HashMap<K, (i64, V)>>,
    capacity: usize,
    enabled: bool,
}

impl<K: Eq + Hash + Clone, V: Clone> ReadChecks<K, V> {
    pub fn new(capacity: usize, enabled: bool) -> Self {
        ReadChecks { entries: Mutex::new(HashMap::new()), capacity, enabled }
    }

    /// The answer kept for `key` under `seen` (the 'any' version the view read with its session), or
    /// `read`'s: the answer and the 'any' version its statement saw, or None (no such page, or the reader
    /// may not see it; not kept, so the next view asks again).
    pub async fn get_or_read<E, F, Fut>(&self, key: K, seen: Option<i64>, read: F) -> Result<Option<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<(i64, V)>, E>>,
    {
        if self.enabled
            && let Some(seen) = seen
            && let Some((_, answer)) = lock(&self.entries).get(&key).filter(|(at, _)| *at == seen)
        {
            return Ok(Some(answer.clone()));
        }
        let Some((at, answer)) = read().await? else { return Ok(None) };
        if self.enabled {
            let mut entries = lock(&self.entries);
            if entries.len() >= self.capacity
                && !entries.contains_key(&key)
                && let Some(victim) = entries.keys().next().cloned()
            {
                entries.remove(&victim);
            }
            // An answer read before the one kept (a slow view finishing late) is not kept.
            if entries.get(&key).is_none_or(|(kept, _)| *kept <= at) {
                entries.insert(key, (at, answer.clone()));
            }
        }
        Ok(Some(answer))
    }
}

/// The version raised by every change, for pages that read across groups: the one the view read with
/// its session, or read now.
pub async fn any_version(pool: &PgPool, seen: Option<i64>) -> sqlx::Result<i64> {
    if let Some(seen) = seen {
        return Ok(seen);
    }
    sqlx::query_scalar!(r#"SELECT version AS "version!" FROM read_versions WHERE scope = 'any' AND id = 0"#)
        .fetch_one(pool)
        .await
}

/// A poisoned lock only means a view panicked while holding it; the map itself is still whole.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What a view of a meeting's pages learns in its one small statement.
#[derive(Debug, Clone, Copy)]
pub struct MeetingStamp {
    pub group_id: Option<i64>,
    /// A7: the reader is the secretariat of the meeting's group (of all groups, or a member of its own).
    pub chooses: bool,
    /// The meeting's group (or the meeting across groups) and the reference data.
    pub stamp: Stamp,
}

/// Whose answer a kept `MeetingStamp` is: the meeting and the reader as the read rules see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MeetingReader {
    pub meeting: i64,
    pub scope: GroupScope,
    /// The secretariat of all groups.
    pub secretariat: bool,
}

/// The meeting's read versions, when the reader may see the meeting (O5 through its group, M5; T1 for a
/// meeting across groups). `secretariat`: the secretariat of all groups. `seen`: the 'any' version read
/// with the session; while it is unchanged, the answer kept in `checks` is used without a statement.
///
/// `group_readable` is the rule; the two tests in front of it are its own first two, written out so
/// that the common readers (the secretariat, anyone signed in on an internal group) do not pay for a
/// call of the SQL function, which PostgreSQL cannot inline because of its subquery (measured with
/// pgbench: 0.09 ms a statement with the call, 0.05 ms without). Whether the reader is the secretariat of
/// all groups is joined in Rust, not passed in: a parameter that lets the planner drop a subquery makes
/// each call's own plan look cheaper than the shared one, and PostgreSQL then plans the statement
/// again at every view (measured with track_planning: 0.12 ms of planning a view).
pub async fn meeting_stamp(
    pool: &PgPool,
    checks: &ReadChecks<MeetingReader, MeetingStamp>,
    reader: MeetingReader,
    seen: Option<i64>,
) -> sqlx::Result<Option<MeetingStamp>> {
    let MeetingReader { meeting: id, scope, secretariat } = reader;
    checks
        .get_or_read(reader, seen, || async move {
            let row = sqlx::query!(
                r#"SELECT m.group_id,
                          EXISTS (SELECT 1 FROM memberships s WHERE s.group_id = m.group_id AND s.person_id = $3
                                  AND s.status = 'active' AND s.role = 'secretariat') AS "group_secretariat!",
                          coalesce((SELECT v.version FROM read_versions v
                                    WHERE v.scope = CASE WHEN m.group_id IS NULL THEN 'meeting' ELSE 'group' END
                                      AND v.id = coalesce(m.group_id, m.id)), 0) AS "part!",
                          (SELECT v.version FROM read_versions v WHERE v.scope = 'reference' AND v.id = 0) AS "reference!",
                          (SELECT v.version FROM read_versions v WHERE v.scope = 'any' AND v.id = 0) AS "any!"
                   FROM meetings m
                   WHERE m.id = $1
                     AND (CASE WHEN m.group_id IS NULL THEN meeting_invited(m.id, $2, $3)
                               ELSE (SELECT $2 OR g.confidentiality <= $4 OR group_readable(g.id, g.confidentiality, $2, $4, $3)
                                     FROM groups g WHERE g.id = m.group_id) END)"#,
                id,
                scope.every_group,
                scope.reader,
                scope.open_up_to as _,
            )
            .fetch_optional(pool)
            .await?;
            Ok(row.map(|r| {
                let stamp = MeetingStamp {
                    group_id: r.group_id,
                    chooses: r.group_id.is_some() && (secretariat || r.group_secretariat),
                    stamp: Stamp([r.part, r.reference, 0]),
                };
                (r.any, stamp)
            }))
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read(kept: &Kept<i64, String>, key: i64, stamp: Stamp, value: &str) -> Option<String> {
        let value = value.to_owned();
        let got: Result<_, ()> = kept.get_or_load(key, stamp, || async move { Ok(Some(value)) }).await;
        got.unwrap().map(|v| (*v).clone())
    }

    #[tokio::test]
    async fn a_copy_is_used_only_under_the_versions_it_was_read_at() {
        let kept: Kept<i64, String> = Kept::new("test", 4, true);
        assert_eq!(read(&kept, 1, Stamp([3, 1, 0]), "v3").await.as_deref(), Some("v3"));
        assert_eq!(read(&kept, 1, Stamp([3, 1, 0]), "again").await.as_deref(), Some("v3"), "kept");
        assert_eq!(read(&kept, 1, Stamp([4, 1, 0]), "v4").await.as_deref(), Some("v4"), "a newer group version");
        assert_eq!(read(&kept, 1, Stamp([4, 2, 0]), "r2").await.as_deref(), Some("r2"), "newer reference data");
        assert_eq!(read(&kept, 2, Stamp([4, 2, 0]), "other").await.as_deref(), Some("other"), "another key");
    }

    #[tokio::test]
    async fn a_late_reader_does_not_replace_a_newer_copy() {
        let kept: Kept<i64, String> = Kept::new("test", 4, true);
        read(&kept, 1, Stamp([5, 1, 0]), "v5").await;
        assert_eq!(read(&kept, 1, Stamp([4, 1, 0]), "v4").await.as_deref(), Some("v4"), "the late reader sees its own");
        assert_eq!(read(&kept, 1, Stamp([5, 1, 0]), "x").await.as_deref(), Some("v5"), "v5 stays kept");
    }

    #[tokio::test]
    async fn nothing_is_kept_for_a_page_that_is_not_there() {
        let kept: Kept<i64, String> = Kept::new("test", 4, true);
        let none: Result<_, ()> = kept.get_or_load(1, Stamp::default(), || async { Ok(None) }).await;
        assert!(none.unwrap().is_none());
        assert!(kept.is_empty());
    }

    #[tokio::test]
    async fn views_that_ask_at_once_read_the_page_once() {
        let kept: Arc<Kept<i64, String>> = Arc::new(Kept::new("test", 4, true));
        let reads = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let views: Vec<_> = (0..16)
            .map(|_| {
                let (kept, reads) = (kept.clone(), reads.clone());
                tokio::spawn(async move {
                    let got: Result<_, ()> = kept
                        .get_or_load(7, Stamp([1, 1, 0]), || async move {
                            reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                            Ok(Some("page".to_owned()))
                        })
                        .await;
                    got.unwrap().map(|v| (*v).clone())
                })
            })
            .collect();
        for view in views {
            assert_eq!(view.await.unwrap().as_deref(), Some("page"));
        }
        assert_eq!(reads.load(std::sync::atomic::Ordering::SeqCst), 1, "one read for sixteen views");
        assert!(lock(&kept.loading).is_empty(), "no turn is left behind");
    }

    #[tokio::test]
    async fn the_set_stays_within_its_capacity() {
        let kept: Kept<i64, String> = Kept::new("test", 3, true);
        for k in 0..10 {
            read(&kept, k, Stamp::default(), "x").await;
            assert!(kept.len() <= 3);
        }
        assert_eq!(read(&kept, 9, Stamp::default(), "y").await.as_deref(), Some("x"), "the copy just kept is there");
    }

    #[tokio::test]
    async fn a_disabled_set_keeps_nothing() {
        let kept: Kept<i64, String> = Kept::new("test", 3, false);
        read(&kept, 1, Stamp::default(), "a").await;
        assert_eq!(read(&kept, 1, Stamp::default(), "b").await.as_deref(), Some("b"));
        assert!(kept.is_empty());
    }

    /// A check that reads `answer` at 'any' version `at` (None: the reader may not see it).
    async fn check(
        checks: &ReadChecks<i64, &'static str>,
        seen: Option<i64>,
        at: i64,
        answer: Option<&'static str>,
    ) -> Option<&'static str> {
        let got: Result<_, ()> = checks.get_or_read(1, seen, || async move { Ok(answer.map(|a| (at, a))) }).await;
        got.unwrap()
    }

    #[tokio::test]
    async fn a_readers_answer_is_used_only_while_the_session_saw_the_same_any_version() {
        let checks: ReadChecks<i64, &'static str> = ReadChecks::new(8, true);
        assert_eq!(check(&checks, Some(7), 7, Some("at 7")).await, Some("at 7"));
        assert_eq!(check(&checks, Some(7), 7, Some("asked again")).await, Some("at 7"), "kept under 7");
        assert_eq!(check(&checks, Some(8), 8, Some("at 8")).await, Some("at 8"), "anything changed: asked again");
        assert_eq!(check(&checks, None, 8, Some("no version")).await, Some("no version"), "no version read: asked");
        assert_eq!(check(&checks, Some(6), 7, Some("late")).await, Some("late"), "an older view gets its own answer");
        assert_eq!(check(&checks, Some(8), 8, Some("x")).await, Some("no version"), "the newest answer stays kept");
    }

    #[tokio::test]
    async fn a_refusal_is_not_kept_and_a_disabled_set_keeps_nothing() {
        let checks: ReadChecks<i64, &'static str> = ReadChecks::new(8, true);
        assert_eq!(check(&checks, Some(3), 3, None).await, None);
        assert_eq!(check(&checks, Some(3), 3, Some("now readable")).await, Some("now readable"), "asked again");
        let off: ReadChecks<i64, &'static str> = ReadChecks::new(8, false);
        check(&off, Some(3), 3, Some("a")).await;
        assert_eq!(check(&off, Some(3), 3, Some("b")).await, Some("b"));
    }
}
