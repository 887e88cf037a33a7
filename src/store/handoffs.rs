//! Who is told when a step hands work to someone, and the queuing of that mail inside the step's own
//! transaction: the group's secretariat (A1, A3, R3, M5, C2), its chair (A1), or the board (C2). Each
//! mail goes through the outbox once per event and person, by the receiver's notification settings,
//! and never to the person who took the step.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::outbox::{self, NewMail};
use crate::domain::notifications::MailKind;
use crate::mail::Mail;

/// A person a mail goes to.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub person_id: i64,
    pub name: String,
    pub email: String,
}

/// Who a hand-off goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum To {
    /// The group's own secretariat members, or the secretariat staff when it has none (or no group).
    Secretariat { group_id: Option<i64> },
    /// The group's chair (A1).
    Chair { group_id: i64 },
    /// The active members of the board (C2).
    Board,
    /// One person (M6: the absent member whose substitute takes part).
    Person { person_id: i64 },
}

/// A mail that hands work over, with the setting kind it is governed by (`domain::notifications`).
pub struct Handoff {
    pub kind: MailKind,
    pub to: To,
    pub mail: Mail,
}

pub async fn recipients(conn: &mut PgConnection, to: To) -> sqlx::Result<Vec<Recipient>> {
    match to {
        To::Secretariat { group_id } => {
            let own = sqlx::query_as!(
                Recipient,
                "SELECT p.id AS person_id, p.name, p.email FROM memberships ms JOIN people p ON p.id = ms.person_id
                 WHERE ms.group_id = $1 AND ms.status = 'active' AND ms.role = 'secretariat' ORDER BY p.name",
                group_id
            )
            .fetch_all(&mut *conn)
            .await?;
            if !own.is_empty() {
                return Ok(own);
            }
            sqlx::query_as!(
                Recipient,
                "SELECT p.id AS person_id, p.name, p.email FROM accounts a JOIN people p ON p.id = a.person_id
                 WHERE a.role = 'secretariat' AND a.active ORDER BY p.name"
            )
            .fetch_all(conn)
            .await
        }
        To::Chair { group_id } => {
            sqlx::query_as!(
                Recipient,
                "SELECT p.id AS person_id, p.name, p.email FROM memberships ms JOIN people p ON p.id = ms.person_id
                 WHERE ms.group_id = $1 AND ms.status = 'active' AND ms.role = 'chair' ORDER BY p.name",
                group_id
            )
            .fetch_all(conn)
            .await
        }
        To::Person { person_id } => {
            sqlx::query_as!(Recipient, "SELECT id AS person_id, name, email FROM people WHERE id = $1", person_id)
                .fetch_all(conn)
                .await
        }
        To::Board => {
            sqlx::query_as!(
                Recipient,
                "SELECT DISTINCT p.id AS person_id, p.name, p.email FROM memberships ms
                 JOIN people p ON p.id = ms.person_id
                 JOIN groups g ON g.id = ms.group_id JOIN group_kinds k ON k.id = g.kind_id
                 WHERE k.code = 'bestyrelse' AND g.status = 'active' AND ms.status = 'active'
                   AND ms.role IN ('chair', 'member') ORDER BY p.name"
            )
            .fetch_all(conn)
            .await
        }
    }
}

/// Queues the hand-off for each of its recipients but `actor` (who knows what they just did). `event`
/// names the step that caused it, so a repeated request queues nothing twice. Returns how many were
/// queued (a receiver who switched the kind off gets none).
pub async fn send(
    conn: &mut PgConnection,
    handoff: &Handoff,
    event: &str,
    actor: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<usize> {
    let mut queued = 0;
    for r in recipients(&mut *conn, handoff.to).await? {
        if Some(r.person_id) == actor {
            continue;
        }
        let key = format!("{}:{event}:{}", handoff.kind.as_str(), r.person_id);
        let mail = NewMail {
            idempotency_key: &key,
            kind: handoff.kind,
            to_person_id: Some(r.person_id),
            to_address: &r.email,
            subject: &handoff.mail.subject,
            body_text: &handoff.mail.text,
            body_html: Some(&handoff.mail.html),
            ics: handoff.mail.ics.as_deref(),
            queued_at: now,
        };
        if outbox::enqueue(&mut *conn, mail).await? {
            queued += 1;
        }
    }
    Ok(queued)
}
