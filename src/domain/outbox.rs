//! A queued mail's status in the outbox: waiting, sent, given up on after its attempts, or withdrawn
//! (a reminder for a date its meeting no longer has).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum OutboxStatus {
    Queued,
    Sent,
    Failed,
    Withdrawn,
}

impl OutboxStatus {
    pub const ALL: [OutboxStatus; 4] = [Self::Queued, Self::Sent, Self::Failed, Self::Withdrawn];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Queued => "I kø",
            Self::Sent => "Sendt",
            Self::Failed => "Fejlet",
            Self::Withdrawn => "Trukket tilbage (mødet er flyttet eller aflyst)",
        }
    }

    /// The badge a status is shown with.
    pub fn badge(self) -> &'static str {
        match self {
            Self::Sent => "badge-ok",
            Self::Failed => "badge-danger",
            Self::Queued | Self::Withdrawn => "badge-muted",
        }
    }

    /// Only a mail that failed is sent again by hand; a queued one goes by itself, a sent or
    /// withdrawn one is done.
    pub fn may_resend(self) -> bool {
        self == Self::Failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_only_a_failed_mail_is_resent() {
        for s in OutboxStatus::ALL {
            assert_eq!(OutboxStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(OutboxStatus::parse("bounced"), None);
        assert!(OutboxStatus::Failed.may_resend());
        assert!(!OutboxStatus::Sent.may_resend() && !OutboxStatus::Queued.may_resend());
    }
}
