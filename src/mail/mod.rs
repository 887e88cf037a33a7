//! Every outgoing message, one function each: a text and an HTML template under templates/mail/
//! (the HTML part escapes whatever people typed), rendered into what the outbox stores. Handlers,
//! the store and jobs decide who gets a message and when; its words live here. `smtp` sends.

mod smtp;

use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::calendar::local_date;
use crate::domain::ical;
use crate::domain::reminder_plan::What;
use crate::domain::reminders::Phase;
use crate::text;

pub use smtp::{Mailer, Outgoing};

/// One message as the outbox keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// A meeting invitation, attached as an .ics file.
    pub ics: Option<String>,
}

/// Where templates/mail/base.html greets the recipient and signs off: filled by `greeted` (when the
/// mail goes out to one person) and `Mail::signed` (when it is written).
const GREETING: &str = "<!--greeting-->";
const SIGNATURE: &str = "<!--signature-->";

/// Who signs a message: the group's secretariat for what concerns a group's work (agendas, minutes,
/// meetings, deadlines), Samarbejdsrum itself for accounts, sign-in and notices to the secretariat.
#[derive(Debug, Clone, Copy)]
pub enum Sender<'a> {
    Secretariat { group: &'a str },
    Samarbejdsrum,
}

impl Mail {
    /// The sign-off under the text and HTML parts.
    fn signed(mut self, by: Sender<'_>) -> Mail {
        let who = match by {
            Sender::Secretariat { group } => format!("Sekretariatet for {group}"),
            Sender::Samarbejdsrum => "Samarbejdsrum".to_owned(),
        };
        self.text = format!("{}\n\nVenlig hilsen\n{who}\n", self.text.trim_end());
        self.html = self.html.replacen(SIGNATURE, &format!("<p>Venlig hilsen<br>{}</p>", text::escape_html(&who)), 1);
        self
    }
}

/// A message as one person receives it: greeted by name ("Kære Ida"), or "Hej" where the address
/// belongs to no known person. The mail sender applies it, so a digest is greeted once.
pub fn greeted(name: Option<&str>, text: &str, html: Option<&str>) -> (String, Option<String>) {
    let greeting = match name.map(str::trim) {
        Some(name) if !name.is_empty() => format!("Kære {name}"),
        _ => "Hej".to_owned(),
    };
    let html = html.map(|h| h.replacen(GREETING, &format!("<p>{}</p>", text::escape_html(&greeting)), 1));
    (format!("{greeting}\n\n{text}"), html)
}

/// The HTML part of a message: the same fields as its text part, rendered by another template.
macro_rules! html_part {
    ($html:ident, $text:ident, $path:tt) => {
        #[derive(Template)]
        #[template(path = $path)]
        struct $html<'a>(&'a $text<'a>);

        impl<'a> std::ops::Deref for $html<'a> {
            type Target = $text<'a>;
            fn deref(&self) -> &Self::Target {
                self.0
            }
        }
    };
}

#[derive(Template)]
#[template(path = "mail/reminder.txt")]
struct ReminderText<'a> {
    message: &'a str,
    group: &'a str,
    meeting_when: &'a str,
    due: &'a str,
    /// The rule's code, for the secretariat's own deadlines only: members and the chair get the words.
    rule: Option<&'a str>,
    link: &'a str,
}
html_part!(ReminderHtml, ReminderText, "mail/reminder.html");

/// What a deadline reminder is about; the same for every recipient.
pub struct Reminder<'a> {
    pub what: What,
    pub phase: Phase,
    pub due: NaiveDate,
    pub group: &'a str,
    pub meeting_starts_at: DateTime<Utc>,
    /// A yearly duty's title as the group placed it on the årshjul.
    pub duty_title: Option<&'a str>,
    pub link: &'a str,
}

/// D3: a deadline reminder (A1-A3, R2; Y2, Y3, B3 for yearly duties) to one person.
pub fn reminder(r: &Reminder<'_>) -> askama::Result<Mail> {
    let due = text::date(r.due);
    let title = match (r.what, r.duty_title) {
        (What::YearlyDuty(_), Some(title)) => title,
        (What::AgendaApproval { .. }, _) => "Dagsorden til godkendelse",
        (what, _) => what.deadline().label(),
    };
    let message = match (r.what, r.phase) {
        (What::AgendaItems, _) => {
            "Har du et punkt til dagsordenen, så send det skriftligt i Samarbejdsrum senest på fristen.".to_owned()
        }
        (What::AgendaToChair, Phase::Soon) => {
            "Udkastet til dagsorden skal snart sendes til forpersonen til kommentering.".to_owned()
        }
        (What::AgendaToChair, Phase::Late) => {
            "Udkastet til dagsorden er ikke sendt til forpersonen, og fristen er overskredet.".to_owned()
        }
        (What::AgendaApproval { sent_on }, _) => format!(
            "Sekretariatet sendte dagsordenen til dig {}. Kommentér eller godkend den senest {due}, så den kan udsendes rettidigt.",
            text::date(sent_on)
        ),
        (What::AgendaPublished, Phase::Soon) => {
            "Dagsordenen skal snart godkendes af forpersonen og udsendes til deltagerne.".to_owned()
        }
        (What::AgendaPublished, Phase::Late) => "Dagsordenen er ikke udsendt, og fristen er overskredet.".to_owned(),
        (What::Minutes, Phase::Soon) => "Referatet skal sendes og offentliggøres senest på fristen.".to_owned(),
        (What::Minutes, Phase::Late) => "Referatet er ikke sendt, og fristen er overskredet.".to_owned(),
        (What::MinutesComments, _) => {
            "Fristen for bemærkninger til referatet udløber snart. Skriv dine bemærkninger i Samarbejdsrum senest på fristen."
                .to_owned()
        }
        (What::MinutesWorkIn, Phase::Soon) => {
            "Fristen for bemærkninger er udløbet. Bemærkningerne skal behandles og indarbejdes, så referatet kan godkendes."
                .to_owned()
        }
        (What::MinutesWorkIn, Phase::Late) => {
            "Bemærkningerne til referatet er ikke indarbejdet, og fristen er overskredet.".to_owned()
        }
        (What::YearlyDuty(_), _) => format!("Årshjulets faste opgave skal forberedes til mødet: {title}."),
    };
    let prefix = if r.phase == Phase::Late { "Overskredet: " } else { "Påmindelse: " };
    let meeting_day = text::short_date(local_date(r.meeting_starts_at));
    let body = ReminderText {
        message: &message,
        group: r.group,
        meeting_when: &text::datetime(r.meeting_starts_at),
        due: &due,
        rule: r.what.for_secretariat().then(|| r.what.deadline().rule()),
        link: r.link,
    };
    Ok(Mail {
        subject: format!("{prefix}{title} senest {due} – {}, møde {meeting_day}", r.group),
        html: ReminderHtml(&body).render()?,
        text: body.render()?,
        ics: None,
    }
    .signed(Sender::Secretariat { group: r.group }))
}

/// One line of a published agenda.
pub struct AgendaLine<'a> {
    pub sub_item: bool,
    /// A4: "1", "1.2".
    pub number: String,
    /// A4: "13:00–13:15" when the item has a time.
    pub clock: String,
    pub title: &'a str,
    pub presenter: &'a str,
    pub is_decision: bool,
}

/// The published agenda; `kind` and `place` are the meeting's labels as the pages show them.
pub struct AgendaPublished<'a> {
    pub group: &'a str,
    pub starts_at: DateTime<Utc>,
    pub kind: &'a str,
    pub place: &'a str,
    pub items: Vec<AgendaLine<'a>>,
    /// T7: the attachments by name, each with its download link.
    pub attachments: Vec<(String, String)>,
    pub link: &'a str,
    /// The meeting for the participants' calendars, and when the invitation is made.
    pub event: &'a ical::Event,
    /// The address invitations come from (the calendar's ORGANIZER): the secretariat's mailbox.
    pub organizer: &'a str,
    pub now: DateTime<Utc>,
}

#[derive(Template)]
#[template(path = "mail/agenda_published.txt")]
struct AgendaText<'a> {
    a: &'a AgendaPublished<'a>,
    when: &'a str,
}
html_part!(AgendaHtml, AgendaText, "mail/agenda_published.html");

/// A2: the agenda to each participant when it is published, with the meeting as an invitation.
pub fn agenda_published(a: &AgendaPublished<'_>) -> askama::Result<Mail> {
    let body = AgendaText { a, when: &text::datetime(a.starts_at) };
    Ok(Mail {
        subject: format!("Dagsorden: {}, møde {}", a.group, text::short_date(local_date(a.starts_at))),
        html: AgendaHtml(&body).render()?,
        text: body.render()?,
        ics: Some(ical::invitation(ical::Method::Request, a.event, a.organizer, a.now)),
    }
    .signed(Sender::Secretariat { group: a.group }))
}

/// A meeting changed or cancelled after its agenda went out.
pub struct MeetingChanged<'a> {
    pub group: &'a str,
    /// When it was, before the change.
    pub was: DateTime<Utc>,
    pub kind: &'a str,
    pub place: &'a str,
    pub cancelled: bool,
    pub reason: &'a str,
    /// What changed: what, as it was, as it is now ("Tidspunkt", "onsdag …", "torsdag …").
    pub changes: &'a [(&'static str, String, String)],
    pub link: &'a str,
    /// The meeting as it is now, with its raised SEQUENCE (cancelled when `cancelled`).
    pub event: &'a ical::Event,
    /// The address invitations come from (the calendar's ORGANIZER).
    pub organizer: &'a str,
    pub now: DateTime<Utc>,
}

#[derive(Template)]
#[template(path = "mail/meeting_changed.txt")]
struct ChangedText<'a> {
    c: &'a MeetingChanged<'a>,
    when: &'a str,
    was: &'a str,
    moved: bool,
}
html_part!(ChangedHtml, ChangedText, "mail/meeting_changed.html");

/// To each participant who got the agenda: the meeting's new time and place with an updated
/// invitation (METHOD:REQUEST, same UID, higher SEQUENCE), or its cancellation (METHOD:CANCEL).
pub fn meeting_changed(c: &MeetingChanged<'_>) -> askama::Result<Mail> {
    let when = text::datetime(c.event.starts_at);
    let was = text::datetime(c.was);
    let body = ChangedText { c, when: &when, was: &was, moved: c.was != c.event.starts_at };
    let (subject, method) = if c.cancelled {
        (format!("Aflyst: {}s møde {}", c.group, text::short_date(local_date(c.was))), ical::Method::Cancel)
    } else {
        (
            format!("Ændret: {}s møde {}", c.group, text::short_date(local_date(c.event.starts_at))),
            ical::Method::Request,
        )
    };
    Ok(Mail {
        subject,
        html: ChangedHtml(&body).render()?,
        text: body.render()?,
        ics: Some(ical::invitation(method, c.event, c.organizer, c.now)),
    }
    .signed(Sender::Secretariat { group: c.group }))
}

#[derive(Template)]
#[template(path = "mail/apology_substitute.txt")]
struct ApologyText<'a> {
    member: &'a str,
    party: &'a str,
    group: &'a str,
    when: &'a str,
    note: &'a str,
    link: &'a str,
}
html_part!(ApologyHtml, ApologyText, "mail/apology_substitute.html");

/// T4, M6: a member's apology, to the substitutes of the member's party, with the member's note and
/// where to confirm standing in.
pub fn apology_to_substitute(
    member: &str,
    party: &str,
    group: &str,
    starts_at: DateTime<Utc>,
    note: &str,
    link: &str,
) -> askama::Result<Mail> {
    let body = ApologyText { member, party, group, when: &text::datetime(starts_at), note: note.trim(), link };
    Ok(Mail {
        subject: format!("Afbud: {member} til {group}s møde {}", text::short_date(local_date(starts_at))),
        html: ApologyHtml(&body).render()?,
        text: body.render()?,
        ics: None,
    }
    .signed(Sender::Secretariat { group }))
}

#[derive(Template)]
#[template(path = "mail/chair_feedback.txt")]
struct ChairFeedbackText<'a> {
    chair: &'a str,
    group: &'a str,
    when: &'a str,
    approved: bool,
    comment: &'a str,
    link: &'a str,
}
html_part!(ChairFeedbackHtml, ChairFeedbackText, "mail/chair_feedback.html");

/// A1: the chair has commented on the draft agenda (`comment`) or approved it (`None`); to the secretariat.
pub fn chair_feedback(
    chair: &str,
    group: &str,
    starts_at: DateTime<Utc>,
    comment: Option<&str>,
    link: &str,
) -> askama::Result<Mail> {
    let when = text::datetime(starts_at);
    let body = ChairFeedbackText {
        chair,
        group,
        when: &when,
        approved: comment.is_none(),
        comment: comment.unwrap_or_default(),
        link,
    };
    let what = if comment.is_some() { "Kommentar til dagsorden" } else { "Dagsorden godkendt" };
    Ok(Mail {
        subject: format!("{what}: {group}, møde {}", text::short_date(local_date(starts_at))),
        html: ChairFeedbackHtml(&body).render()?,
        text: body.render()?,
        ics: None,
    }
    .signed(Sender::Samarbejdsrum))
}

/// One queued message inside a digest.
pub struct DigestPart<'a> {
    pub subject: &'a str,
    pub text: &'a str,
}

#[derive(Template)]
#[template(path = "mail/digest.txt")]
struct DigestText<'a> {
    parts: &'a [DigestPart<'a>],
}
html_part!(DigestHtml, DigestText, "mail/digest.html");

/// D3: everything that waited for a person's digest hour, in one mail.
pub fn digest(parts: &[DigestPart<'_>]) -> askama::Result<Mail> {
    let body = DigestText { parts };
    Ok(Mail {
        subject: match parts.len() {
            1 => "Samarbejdsrum: 1 besked".to_owned(),
            n => format!("Samarbejdsrum: {n} beskeder"),
        },
        html: DigestHtml(&body).render()?,
        text: body.render()?,
        ics: None,
    })
}

#[derive(Template)]
#[template(path = "mail/test_mail.txt")]
struct TestText<'a> {
    base_url: &'a str,
}
html_part!(TestHtml, TestText, "mail/test_mail.html");

/// `samarbejdsrum send-test-mail`: proves the mail set-up works.
pub fn test_mail(base_url: &str) -> askama::Result<Mail> {
    let body = TestText { base_url };
    Ok(Mail {
        subject: "Testmail fra Samarbejdsrum".to_owned(),
        html: TestHtml(&body).render()?,
        text: body.render()?,
        ics: None,
    }
    .signed(Sender::Samarbejdsrum))
}

#[derive(Template)]
#[template(path = "mail/account_link.txt")]
struct AccountLinkText<'a> {
    invitation: bool,
    link: &'a str,
    expires: &'a str,
}
html_part!(AccountLinkHtml, AccountLinkText, "mail/account_link.html");

/// An invitation to a new account, or a reset link asked for on the login page: the link
/// works once, until `expires`.
pub fn account_link(invitation: bool, link: &str, expires: DateTime<Utc>) -> askama::Result<Mail> {
    let expires = text::datetime(expires);
    let body = AccountLinkText { invitation, link, expires: &expires };
    let subject = if invitation { "Invitation til Samarbejdsrum" } else { "Ny adgangskode til Samarbejdsrum" };
    Ok(Mail { subject: subject.to_owned(), html: AccountLinkHtml(&body).render()?, text: body.render()?, ics: None }
        .signed(Sender::Samarbejdsrum))
}

#[derive(Template)]
#[template(path = "mail/email_change_confirm.txt")]
struct EmailChangeConfirmText<'a> {
    requested_by: &'a str,
    old_email: &'a str,
    new_email: &'a str,
    link: &'a str,
    expires: &'a str,
}
html_part!(EmailChangeConfirmHtml, EmailChangeConfirmText, "mail/email_change_confirm.html");

#[derive(Template)]
#[template(path = "mail/email_change_notice.txt")]
struct EmailChangeNoticeText<'a> {
    requested_by: &'a str,
    old_email: &'a str,
    new_email: &'a str,
    link: &'a str,
    objection_until: &'a str,
}
html_part!(EmailChangeNoticeHtml, EmailChangeNoticeText, "mail/email_change_notice.html");

/// Who asked to change a sign-in address, from what to what: the two mails it causes.
pub struct EmailChange<'a> {
    pub name: &'a str,
    pub requested_by: &'a str,
    pub old_email: &'a str,
    pub new_email: &'a str,
}

/// To the new address: confirm it by `expires`, or nothing happens.
pub fn email_change_confirm(change: &EmailChange<'_>, link: &str, expires: DateTime<Utc>) -> askama::Result<Mail> {
    let expires = text::datetime(expires);
    let body = EmailChangeConfirmText {
        requested_by: change.requested_by,
        old_email: change.old_email,
        new_email: change.new_email,
        link,
        expires: &expires,
    };
    Ok(Mail {
        subject: "Bekræft din nye e-mailadresse i Samarbejdsrum".to_owned(),
        html: EmailChangeConfirmHtml(&body).render()?,
        text: body.render()?,
        ics: None,
    }
    .signed(Sender::Samarbejdsrum))
}

/// To the old address: what is about to change, and how to object by `until`.
pub fn email_change_notice(change: &EmailChange<'_>, link: &str, until: DateTime<Utc>) -> askama::Result<Mail> {
    let until = text::datetime(until);
    let body = EmailChangeNoticeText {
        requested_by: change.requested_by,
        old_email: change.old_email,
        new_email: change.new_email,
        link,
        objection_until: &until,
    };
    Ok(Mail {
        subject: "Din e-mailadresse i Samarbejdsrum ændres".to_owned(),
        html: EmailChangeNoticeHtml(&body).render()?,
        text: body.render()?,
        ics: None,
    }
    .signed(Sender::Samarbejdsrum))
}

#[derive(Template)]
#[template(path = "mail/handoff.txt")]
struct HandoffText<'a> {
    title: &'a str,
    happened: &'a str,
    quote: &'a str,
    todo: &'a str,
    by: &'a str,
    link: &'a str,
    link_text: &'a str,
}
html_part!(HandoffHtml, HandoffText, "mail/handoff.html");

/// A step that hands work to someone: what happened, what they are to do, by when, and where.
pub struct Handoff<'a> {
    pub subject: String,
    pub happened: String,
    /// The words of the person who handed over (a request, a comment), shown as a quote; may be empty.
    pub quote: &'a str,
    pub todo: &'a str,
    pub by: Option<NaiveDate>,
    pub link: &'a str,
    pub link_text: &'a str,
}

pub fn handoff(h: &Handoff<'_>) -> askama::Result<Mail> {
    let by = h.by.map(text::date).unwrap_or_default();
    let body = HandoffText {
        title: &h.subject,
        happened: &h.happened,
        quote: h.quote,
        todo: h.todo,
        by: &by,
        link: h.link,
        link_text: h.link_text,
    };
    Ok(Mail { subject: h.subject.clone(), html: HandoffHtml(&body).render()?, text: body.render()?, ics: None }
        .signed(Sender::Samarbejdsrum))
}

#[cfg(test)]
mod tests;

#[derive(Template)]
#[template(path = "mail/minutes.txt")]
struct MinutesText<'a> {
    message: &'a str,
    group: &'a str,
    when: &'a str,
    /// R1: the decisions and actions, one line each.
    points: &'a [String],
    link: &'a str,
}
html_part!(MinutesHtml, MinutesText, "mail/minutes.html");

/// R2, R3: the minutes are sent for comments, with the last day for comments.
pub fn minutes_sent(
    group: &str,
    starts_at: DateTime<Utc>,
    comments_by: NaiveDate,
    points: &[String],
    link: &str,
) -> askama::Result<Mail> {
    let message = format!(
        "Referatet er sendt til bemærkninger. Skriv dine bemærkninger til referatets punkter i Samarbejdsrum senest {}, \
         eller svar «Ingen bemærkninger».",
        text::date(comments_by)
    );
    let body = MinutesText { message: &message, group, when: &text::datetime(starts_at), points, link };
    Ok(Mail {
        subject: format!("Referat til bemærkninger: {group}, møde {}", text::short_date(local_date(starts_at))),
        html: MinutesHtml(&body).render()?,
        text: body.render()?,
        ics: None,
    }
    .signed(Sender::Secretariat { group }))
}

/// R4: the minutes are approved and published; a corrected version says so.
pub fn minutes_approved(group: &str, starts_at: DateTime<Utc>, version: i32, link: &str) -> askama::Result<Mail> {
    let message = if version > 1 {
        format!("Referatet er rettet og godkendt som version {version}.")
    } else {
        "Referatet er godkendt og offentliggjort.".to_owned()
    };
    let body = MinutesText { message: &message, group, when: &text::datetime(starts_at), points: &[], link };
    Ok(Mail {
        subject: format!("Referat godkendt: {group}, møde {}", text::short_date(local_date(starts_at))),
        html: MinutesHtml(&body).render()?,
        text: body.render()?,
        ics: None,
    }
    .signed(Sender::Secretariat { group }))
}

#[derive(Template)]
#[template(path = "mail/action_reminder.txt")]
struct ActionText<'a> {
    message: &'a str,
    group: &'a str,
    title: &'a str,
    due: &'a str,
    link: &'a str,
}
html_part!(ActionHtml, ActionText, "mail/action_reminder.html");

/// C4: an action's owner is reminded before the due date and once it has passed.
pub fn action_reminder(group: &str, title: &str, due: NaiveDate, phase: Phase, link: &str) -> askama::Result<Mail> {
    let due_text = text::date(due);
    let message = match phase {
        Phase::Soon => "Du er ansvarlig for en aktion, der snart skal være udført.",
        Phase::Late => {
            "Du er ansvarlig for en aktion, hvis frist er overskredet. Luk den, når den er udført eller droppet."
        }
    };
    let body = ActionText { message, group, title, due: &due_text, link };
    let prefix = if phase == Phase::Late { "Overskredet: " } else { "Påmindelse: " };
    Ok(Mail {
        subject: format!("{prefix}aktion senest {due_text} – {group}"),
        html: ActionHtml(&body).render()?,
        text: body.render()?,
        ics: None,
    }
    .signed(Sender::Secretariat { group }))
}
