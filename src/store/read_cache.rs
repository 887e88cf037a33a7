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
    capacity: usize,
    enabled: bool,
}

impl<K: Eq + Hash + Clone, V> Kept<K, V> {
    pub fn new(page: &'static str, capacity: usize, enabled: bool) -> Self {
        Kept { page, entries: Mutex::new(HashMap::new()), capacity, enabled }
    }

    /// The copy kept under `key` if it was read under `stamp`.
    pub fn get(&self, key: &K, stamp: Stamp) -> Option<Arc<V>> {
        let hit = if self.enabled {
            let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            entries.get(key).filter(|(kept, _)| *kept == stamp).map(|(_, value)| value.clone())
        } else {
            None
        };
        let outcome = if hit.is_some() { "hit" } else { "miss" };
        metrics::counter!("samarbejdsrum_read_cache_total", "page" => self.page, "outcome" => outcome).increment(1);
        hit
    }

    /// Keeps a copy read under `stamp`. A full set gives up an arbitrary copy: the pages read most are
    /// read again at once, and a page read once an hour loses little by being read from the database.
    pub fn put(&self, key: K, stamp: Stamp, value: Arc<V>) {
        if !self.enabled {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
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
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The version raised by every change, for pages that read across groups.
pub async fn any_version(pool: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"SELECT version AS "version!" FROM read_versions WHERE scope = 'any' AND id = 0"#)
        .fetch_one(pool)
        .await
}

/// What a view of a meeting's pages learns in its one small statement.
pub struct MeetingStamp {
    pub group_id: Option<i64>,
    /// A7: the reader is the secretariat of the meeting's group (of all groups, or a member of its own).
    pub chooses: bool,
    /// The meeting's group (or the meeting across groups) and the reference data.
    pub stamp: Stamp,
}

/// The meeting's read versions, when the reader may see the meeting (O5 through its group, M5; T1 for a
/// meeting across groups). `secretariat`: the secretariat of all groups.
///
/// `group_readable` is the rule; the two tests in front of it are its own first two, written out so
/// that the common readers (the secretariat, anyone signed in on an internal group) do not pay for a
/// call of the SQL function, which PostgreSQL cannot inline because of its subquery (measured with
/// pgbench: 0.09 ms a statement with the call, 0.05 ms without).
pub async fn meeting_stamp(
    pool: &PgPool,
    id: i64,
    scope: GroupScope,
    secretariat: bool,
) -> sqlx::Result<Option<MeetingStamp>> {
    let row = sqlx::query!(
        r#"SELECT m.group_id,
                  m.group_id IS NOT NULL AND ($4 OR EXISTS (
                  SELECT 1 FROM memberships s WHERE s.group_id = m.group_id AND s.person_id = $3
                  AND s.status = 'active' AND s.role = 'secretariat')) AS "chooses!",
                  coalesce((SELECT v.version FROM read_versions v
                            WHERE v.scope = CASE WHEN m.group_id IS NULL THEN 'meeting' ELSE 'group' END
                              AND v.id = coalesce(m.group_id, m.id)), 0) AS "part!",
                  (SELECT v.version FROM read_versions v WHERE v.scope = 'reference' AND v.id = 0) AS "reference!"
           FROM meetings m
           WHERE m.id = $1
             AND (CASE WHEN m.group_id IS NULL THEN meeting_invited(m.id, $2, $3)
                       ELSE (SELECT $2 OR g.confidentiality <= $5 OR group_readable(g.id, g.confidentiality, $2, $5, $3)
                             FROM groups g WHERE g.id = m.group_id) END)"#,
        id,
        scope.every_group,
        scope.reader,
        secretariat,
        scope.open_up_to as _,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| MeetingStamp { group_id: r.group_id, chooses: r.chooses, stamp: Stamp([r.part, r.reference, 0]) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_used_only_under_the_versions_it_was_read_at() {
        let kept: Kept<i64, String> = Kept::new("test", 4, true);
        kept.put(1, Stamp([3, 1, 0]), Arc::new("v3".into()));
        assert_eq!(kept.get(&1, Stamp([3, 1, 0])).as_deref().map(String::as_str), Some("v3"));
        assert!(kept.get(&1, Stamp([4, 1, 0])).is_none(), "a newer group version misses");
        assert!(kept.get(&1, Stamp([3, 2, 0])).is_none(), "a newer reference version misses");
        assert!(kept.get(&2, Stamp([3, 1, 0])).is_none(), "another key misses");
    }

    #[test]
    fn a_late_reader_does_not_replace_a_newer_copy() {
        let kept: Kept<i64, String> = Kept::new("test", 4, true);
        kept.put(1, Stamp([5, 1, 0]), Arc::new("v5".into()));
        kept.put(1, Stamp([4, 1, 0]), Arc::new("v4".into()));
        assert_eq!(kept.get(&1, Stamp([5, 1, 0])).as_deref().map(String::as_str), Some("v5"));
        kept.put(1, Stamp([6, 1, 0]), Arc::new("v6".into()));
        assert_eq!(kept.get(&1, Stamp([6, 1, 0])).as_deref().map(String::as_str), Some("v6"));
    }

    #[test]
    fn the_set_stays_within_its_capacity() {
        let kept: Kept<i64, i64> = Kept::new("test", 3, true);
        for k in 0..10 {
            kept.put(k, Stamp::default(), Arc::new(k));
            assert!(kept.len() <= 3);
        }
        assert!(kept.get(&9, Stamp::default()).is_some(), "the copy just kept is there");
    }

    #[test]
    fn a_disabled_set_keeps_nothing() {
        let kept: Kept<i64, i64> = Kept::new("test", 3, false);
        kept.put(1, Stamp::default(), Arc::new(1));
        assert!(kept.get(&1, Stamp::default()).is_none());
        assert!(kept.is_empty());
    }
}
