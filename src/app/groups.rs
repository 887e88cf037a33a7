//! Founding a group (O2): its kind, names, purpose and confidentiality. Nobody waits on it yet: its
//! members are appointed next, and each appointment tells whom it concerns (`app::memberships`).

use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::groups::{self, GroupInput};

/// A new group; `Taken` when its short name is in use, `Unknown` for a kind that is not there.
pub async fn create(state: &AppState, actor: &Actor, input: &GroupInput) -> super::Result<i64> {
    Ok(groups::create(&state.db, actor, input).await?)
}
