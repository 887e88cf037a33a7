//! The account as sign-in and every session check read it: its own module, so that the sign-in
//! throttle (`login_attempts`, which reads it with the attempt) and the account commands (`accounts`,
//! which lift the throttle on a new password) need not import each other.

use chrono::{DateTime, Utc};

use crate::domain::access::{GlobalRole, GroupRole};

#[derive(Clone)]
pub struct Account {
    pub person_id: i64,
    pub name: String,
    pub email: String,
    pub role: GlobalRole,
    pub active: bool,
    pub password_hash: String,
    pub password_changed_at: DateTime<Utc>,
    /// An administrator who may sign in with a password when password sign-in is off.
    pub break_glass: bool,
    /// The person's foremost role in a group (chair before secretariat, member, substitute), for the
    /// badge that says who they are here.
    pub group_role: Option<GroupRole>,
}

// The hash stays out of logs.
impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("person_id", &self.person_id)
            .field("email", &self.email)
            .field("role", &self.role)
            .field("active", &self.active)
            .field("password_hash", &"[redacted]")
            .finish()
    }
}
