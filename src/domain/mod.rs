//! Pure rules of DOMAIN.md, no I/O. Each rule cites its id and has its unit tests beside it.

pub mod access;
pub mod agenda_template;
pub mod agenda_workflow;
pub mod annual_cycle;
pub mod attachments;
pub mod budget;
pub mod calendar;
pub mod change_requests;
pub mod clock;
pub mod composition;
pub mod deadlines;
pub mod document_codes;
pub mod email;
pub mod ical;
pub mod input;
pub mod login_throttle;
pub mod meeting_codes;
pub mod minutes;
pub mod notifications;
pub mod refusal;
pub mod reminder_plan;
pub mod reminders;
pub mod roadmap;
pub mod text_diff;
