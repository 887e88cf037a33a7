//! Sending email over SMTP with lettre. Everything else queues mail in the outbox; this is the one
//! place that talks to the mail server.

use anyhow::Context;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    reply_to: Option<Mailbox>,
}

/// RFC 3834: every mail here is sent by the system, not typed by a person, so out-of-office replies
/// and other auto-responders leave it alone.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

pub struct Outgoing<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: Option<&'a str>,
    /// A meeting invitation as an .ics attachment.
    pub ics: Option<&'a str>,
    /// The outbox key: the Message-ID is derived from it, so a resend after a crash is recognisable.
    pub message_key: Option<&'a str>,
}

impl Mailer {
    /// `smtp://host:port` (plain, or STARTTLS with `?tls=required`), `smtps://user:pass@host:465`.
    pub fn from_url(url: &str, from: &str) -> anyhow::Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("SMTP_URL is not a valid SMTP URL")?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from.parse().context("MAIL_FROM is not a valid address")?;
        Ok(Mailer { transport, from, reply_to: None })
    }

    /// Replies go to `reply_to` (the secretariat's mailbox, MAIL_REPLY_TO) rather than the sender.
    pub fn replies_to(self, reply_to: Option<&str>) -> anyhow::Result<Mailer> {
        let reply_to = reply_to.map(|r| r.parse().context("MAIL_REPLY_TO is not a valid address")).transpose()?;
        Ok(Mailer { reply_to, ..self })
    }

    pub async fn send(&self, mail: Outgoing<'_>) -> anyhow::Result<()> {
        let to: Mailbox = mail.to.parse().with_context(|| format!("invalid recipient {}", mail.to))?;
        let to_address = to.email.to_string();
        let message_id = mail.message_key.map(|key| {
            let digest: String = crate::security::tokens::sha256(key).iter().map(|b| format!("{b:02x}")).collect();
            format!("<{digest}@samarbejdsrum>")
        });
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject)
            .message_id(message_id)
            .header(AutoSubmitted);
        if let Some(reply_to) = &self.reply_to {
            builder = builder.reply_to(reply_to.clone());
        }
        let text = || SinglePart::builder().header(ContentType::TEXT_PLAIN).body(mail.text.to_owned());
        let message = match (mail.html, mail.ics) {
            (None, None) => builder.header(ContentType::TEXT_PLAIN).body(mail.text.to_owned())?,
            (Some(html), None) => {
                builder.multipart(MultiPart::alternative_plain_html(mail.text.to_owned(), html.to_owned()))?
            }
            (html, Some(ics)) => {
                // iMIP (RFC 6047): the invitation is an inline text/calendar part beside the text and
                // HTML, its Content-Type repeating the calendar's METHOD, and the recipient is the
                // ATTENDEE (RFC 5546), so calendars offer to add, update or remove the one event.
                let method = ics
                    .lines()
                    .find_map(|l| l.strip_prefix("METHOD:"))
                    .map(str::trim)
                    .filter(|m| m.chars().all(|c| c.is_ascii_uppercase()))
                    .unwrap_or("PUBLISH");
                let ics = match method {
                    "REQUEST" | "CANCEL" => crate::domain::ical::with_attendee(ics, &to_address),
                    _ => ics.to_owned(),
                };
                let calendar = ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))?;
                let invitation = SinglePart::builder().header(calendar).body(ics);
                let mut body = MultiPart::alternative().singlepart(text());
                if let Some(html) = html {
                    body = body.singlepart(SinglePart::html(html.to_owned()));
                }
                builder.multipart(body.singlepart(invitation))?
            }
        };
        self.transport.send(message).await.context("the SMTP server refused the mail")?;
        Ok(())
    }
}
