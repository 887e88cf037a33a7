//! The outbox sender: claims one due message at a time (`FOR UPDATE SKIP LOCKED` plus a lease), sends
//! it over SMTP and marks it sent as soon as the server accepted it; a failure is retried with
//! exponential backoff until it is given up and shown to the secretariat as failed. A crash between
//! claim and send loses nothing and holds back only the message in flight: its lease runs out within a
//! minute and it is claimed again, while other senders carry on with the rest.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::mail::{self, Mailer, Outgoing};
use crate::state::AppState;
use crate::store::outbox;

/// Seconds a claimed message is reserved for its sender: what one send can take (the SMTP transport
/// gives up after 20 s, `mail::smtp`) with room to spare, and no more, since a dead sender's message waits
/// this long.
pub const LEASE_SECS: i32 = 60;
/// Attempts before a mail is marked failed.
pub const MAX_ATTEMPTS: i32 = 8;

/// Backoff after the n-th failed attempt: 30 s, 1 min, 2 min ... capped at an hour.
pub fn retry_in_secs(attempts: i32) -> i64 {
    let exp = u32::try_from(attempts.clamp(1, 12) - 1).unwrap_or(0);
    (30_i64 * 2_i64.pow(exp)).min(3600)
}

pub async fn run(state: AppState, mailer: Mailer, every: Duration, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                // A reset request whose spawned step died with its process becomes a mail here.
                if let Err(err) = super::password_resets::run_once(&state).await {
                    tracing::warn!(error = %format!("{err:#}"), "password reset requests not processed");
                }
                if let Err(err) = run_once(&state, &mailer).await {
                    tracing::warn!(error = %format!("{err:#}"), "sending mail failed");
                }
            }
            _ = shutdown.cancelled() => break,
        }
    }
}

/// Sends what is due now, one message at a time; returns how many outbox rows went out.
pub async fn run_once(state: &AppState, mailer: &Mailer) -> anyhow::Result<usize> {
    let mut sent = 0;
    loop {
        let rows = outbox::claim_next(&state.db, state.clock.now(), LEASE_SECS).await?;
        let Some(first) = rows.first() else { break };
        if !first.digest {
            let (text, html) = mail::greeted(first.to_name.as_deref(), &first.body_text, first.body_html.as_deref());
            let outgoing = Outgoing {
                to: &first.to_address,
                subject: &first.subject,
                text: &text,
                html: html.as_deref(),
                ics: first.ics.as_deref(),
                message_key: Some(&first.idempotency_key),
            };
            sent += deliver(state, mailer, outgoing, &rows).await?;
            continue;
        }
        // D3: a digest is one mail per recipient with everything that waited for the digest hour.
        let parts: Vec<mail::DigestPart> =
            rows.iter().map(|m| mail::DigestPart { subject: &m.subject, text: &m.body_text }).collect();
        let digest = mail::digest(&parts)?;
        let (text, html) = mail::greeted(first.to_name.as_deref(), &digest.text, Some(&digest.html));
        let key = rows.iter().map(|m| m.idempotency_key.as_str()).collect::<Vec<_>>().join("+");
        let outgoing = Outgoing {
            to: &first.to_address,
            subject: &digest.subject,
            text: &text,
            html: html.as_deref(),
            ics: None,
            message_key: Some(&key),
        };
        sent += deliver(state, mailer, outgoing, &rows).await?;
    }
    outbox::record_job_run(&state.db, "mail_sender", state.clock.now(), serde_json::json!({ "sent": sent })).await?;
    Ok(sent)
}

/// Sends one message standing for `rows` and records the outcome on every row.
async fn deliver(
    state: &AppState,
    mailer: &Mailer,
    outgoing: Outgoing<'_>,
    rows: &[outbox::Claimed],
) -> anyhow::Result<usize> {
    match mailer.send(outgoing).await {
        Ok(()) => {
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            outbox::sent(&state.db, &ids, state.clock.now()).await?;
            Ok(rows.len())
        }
        Err(err) => {
            crate::observability::mail_failed();
            for row in rows {
                let give_up = row.attempts >= MAX_ATTEMPTS;
                tracing::warn!(mail = row.id, attempts = row.attempts, give_up, error = %format!("{err:#}"), "mail not sent");
                outbox::attempt_failed(
                    &state.db,
                    row.id,
                    &format!("{err:#}"),
                    state.clock.now(),
                    retry_in_secs(row.attempts),
                    give_up,
                )
                .await?;
            }
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::retry_in_secs;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(retry_in_secs(1), 30);
        assert_eq!(retry_in_secs(2), 60);
        assert_eq!(retry_in_secs(3), 120);
        assert_eq!(retry_in_secs(8), 3600);
        assert_eq!(retry_in_secs(50), 3600);
    }
}
