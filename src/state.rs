//! What every request handler and background task shares.

use std::sync::Arc;

use sqlx::PgPool;

use crate::config::Config;
use crate::domain::clock::Clock;
use crate::domain::deadlines::DeadlineStatus;
use crate::security::oidc::Oidc;
use crate::store::calendar::CalendarCache;
use crate::store::group_page::{GroupPageCopy, GroupPageKey};
use crate::store::group_page::{GroupReader, GroupStamp};
use crate::store::meeting_page::{MeetingKey, MeetingPageData};
use crate::store::meetings::DeadlineSteps;
use crate::store::minutes_page::MinutesPageCopy;
use crate::store::read_cache::{Kept, MeetingReader, MeetingStamp, ReadChecks};
use crate::store::start_page::{StartPageCopy, StartPageKey};

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    /// The working calendar (D1), read once a minute rather than once a request.
    pub calendar: CalendarCache,
    /// The organisation's identity provider, when OIDC_ISSUER and OIDC_CLIENT_ID are set.
    pub oidc: Option<Arc<Oidc>>,
    /// The main pages' data kept between views under their read versions (`store::read_cache`).
    pub kept: Arc<KeptPages>,
}

/// One set of kept copies per page, each bounded (about 60 kB a meeting page at the largest groups).
pub struct KeptPages {
    pub meeting_pages: Kept<MeetingKey, MeetingPageData>,
    pub minutes_pages: Kept<i64, MinutesPageCopy>,
    pub group_pages: Kept<GroupPageKey, GroupPageCopy>,
    pub start_pages: Kept<StartPageKey, StartPageCopy>,
    /// The read rule's answer and the versions per reader of a meeting (meeting and minutes pages).
    pub meeting_readers: ReadChecks<MeetingReader, MeetingStamp>,
    /// The same per reader of a group page.
    pub group_readers: ReadChecks<GroupReader, GroupStamp>,
    /// /frister: every group's coming and recent meetings with their deadline states, the urgent first.
    pub deadline_overview: Kept<(), Vec<(DeadlineSteps, Vec<DeadlineStatus>)>>,
    /// The public directory's JSON by page number (the body and whether another page follows).
    pub public_groups: Kept<u32, (axum::body::Bytes, bool)>,
}

impl KeptPages {
    pub fn new(enabled: bool) -> Self {
        KeptPages {
            meeting_pages: Kept::new("meeting", 256, enabled),
            minutes_pages: Kept::new("minutes", 256, enabled),
            group_pages: Kept::new("group", 128, enabled),
            start_pages: Kept::new("start", 1024, enabled),
            meeting_readers: ReadChecks::new(8192, enabled),
            group_readers: ReadChecks::new(4096, enabled),
            deadline_overview: Kept::new("deadlines", 1, enabled),
            public_groups: Kept::new("public_groups", 64, enabled),
        }
    }
}
