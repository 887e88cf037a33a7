//! What a published agenda keeps of the group's registers (A7 selected change requests, A8 dashboard):
//! stored as JSON with the agenda when it is published, and shown instead of the live registers from
//! then on, so every participant reads what was sent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CrView {
    pub reference: String,
    pub title: String,
    pub need: String,
    pub value: String,
    pub beneficiaries: String,
    pub status: String,
    pub purpose: String,
    pub for_decision: bool,
    /// A7: why it is not ready against last meeting's agreements; empty when it is ready.
    pub not_ready: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct InitiativeBlock {
    pub title: String,
    pub requests: Vec<CrView>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Dashboard {
    pub operational: Vec<(String, String)>,
    pub budget: Vec<(String, String)>,
    pub actions: Vec<(String, String, String, bool)>,
}

/// What a published agenda keeps (A7, A8): the registers as they stood when it went out. Fields added
/// later read as empty from older snapshots; a snapshot of a later version than this release knows, or
/// one that does not decode, is refused by `read` rather than shown as something else.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct AgendaSnapshot {
    /// The shape it was written in; snapshots from before versions were kept read as 1.
    #[serde(default = "first_version")]
    pub version: u32,
    pub change_requests: Vec<InitiativeBlock>,
    pub dashboard: Dashboard,
    /// When the snapshot was taken; none while the agenda shows the registers live.
    pub taken_at: Option<DateTime<Utc>>,
}

fn first_version() -> u32 {
    1
}

#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum SnapshotUnreadable {
    #[error("the agenda's snapshot is of version {0}, newer than this release reads ({max})", max = AgendaSnapshot::VERSION)]
    Newer(u32),
    #[error("the agenda's snapshot does not decode: {0}")]
    Malformed(String),
}

impl AgendaSnapshot {
    /// The version this release writes.
    pub const VERSION: u32 = 1;

    /// The snapshot as stored, or why it cannot be read.
    pub fn read(stored: serde_json::Value) -> Result<AgendaSnapshot, SnapshotUnreadable> {
        let snapshot: AgendaSnapshot =
            serde_json::from_value(stored).map_err(|e| SnapshotUnreadable::Malformed(e.to_string()))?;
        if snapshot.version > Self::VERSION {
            return Err(SnapshotUnreadable::Newer(snapshot.version));
        }
        Ok(snapshot)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_snapshot_reads_back_as_written_and_one_from_before_versions_as_version_1() {
        let written = AgendaSnapshot {
            version: AgendaSnapshot::VERSION,
            dashboard: Dashboard { budget: vec![("Forbrugt".into(), "1.000 kr.".into())], ..Dashboard::default() },
            ..AgendaSnapshot::default()
        };
        assert_eq!(AgendaSnapshot::read(serde_json::to_value(&written).unwrap()), Ok(written));
        let old = json!({ "change_requests": [], "dashboard": { "operational": [], "budget": [], "actions": [] } });
        assert_eq!(AgendaSnapshot::read(old).map(|s| s.version), Ok(1));
    }

    #[test]
    fn a_snapshot_that_cannot_be_read_is_refused_not_replaced() {
        assert!(matches!(
            AgendaSnapshot::read(json!({ "dashboard": { "budget": "ikke en liste" } })),
            Err(SnapshotUnreadable::Malformed(_))
        ));
        assert_eq!(AgendaSnapshot::read(json!({ "version": 2 })), Err(SnapshotUnreadable::Newer(2)));
    }
}
