//! Background tasks that run beside the web server and stop with it.

pub mod backups;
pub mod deadlines;
pub mod housekeeping;
pub mod mailer;
pub mod password_resets;
