//! The ids of the aggregates, each its own type: a function that takes a meeting and one of its
//! agenda items cannot be handed them the wrong way round. They read from a URL's path or a JSON body
//! as the bare number (`serde(transparent)`) and are stored as the column's bigint (`sqlx(transparent)`).
//!
//! An agenda and one of its items handed over the wrong way round does not compile:
//!
//! ```compile_fail
//! use samarbejdsrum::domain::ids::{AgendaId, AgendaItemId};
//! async fn swapped(pool: &sqlx::PgPool, actor: &samarbejdsrum::store::audit::Actor) {
//!     let (agenda, item) = (AgendaId(1), AgendaItemId(2));
//!     let _ = samarbejdsrum::store::agendas::delete_item(pool, actor, item, agenda).await;
//! }
//! ```
//!
//! while the right order does:
//!
//! ```
//! use samarbejdsrum::domain::ids::{AgendaId, AgendaItemId};
//! async fn in_order(pool: &sqlx::PgPool, actor: &samarbejdsrum::store::audit::Actor) {
//!     let (agenda, item) = (AgendaId(1), AgendaItemId(2));
//!     let _ = samarbejdsrum::store::agendas::delete_item(pool, actor, agenda, item).await;
//! }
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type)]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        /// The audit line names the row it changed by its bare id.
        impl From<$name> for Option<i64> {
            fn from(id: $name) -> Self {
                Some(id.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

ids! {
    /// A working group (O2).
    GroupId;
    /// A meeting, of a group or across the groups (T1).
    MeetingId;
    /// A person, with or without an account.
    PersonId;
    /// A person's seat in a group (M1-M6).
    MembershipId;
    /// A meeting's agenda (A1-A8).
    AgendaId;
    /// An item on an agenda (A4).
    AgendaItemId;
    /// A member's written request for an agenda item (A3).
    ItemRequestId;
    /// A meeting's minutes (R1-R5).
    MinutesId;
    /// An item of the minutes (R1).
    MinutesItemId;
    /// A decision, action or agreement in the minutes (R1, C4).
    MinutesEntryId;
    /// A comment on the minutes (R3, R4).
    MinutesCommentId;
    /// A change request (C1).
    ChangeRequestId;
    /// An escalation of a change request to the board (C2).
    EscalationId;
    /// A disposition of a group's budget (B2, B3).
    DispositionId;
    /// An attachment of a meeting (A6).
    DocumentId;
    /// An annual-cycle topic placed on a meeting (Y1-Y3).
    TopicId;
    /// A personal API token.
    TokenId;
    /// A personal calendar feed.
    FeedId;
}
