//! All SQL lives here, one file per aggregate. Functions take a pool or a transaction and return
//! plain types; callers never see SQL.

pub mod account_links;
pub mod account_row;
pub mod accounts;
pub mod actions;
pub mod agendas;
pub mod api_tokens;
pub mod attendance;
pub mod audit;
pub mod backups;
pub mod budgets;
pub mod calendar;
pub mod change_requests;
pub mod charters;
pub mod closed_days;
pub mod db_error;
pub mod demo;
pub mod documents;
pub mod email_changes;
pub mod error;
pub mod group_page;
pub mod groups;
pub mod handoffs;
pub mod login_attempts;
pub mod meeting_page;
pub mod meetings;
pub mod memberships;
pub mod minutes;
pub mod minutes_page;
pub mod notifications;
pub mod operations_metrics;
pub mod outbox;
pub mod password_resets;
pub mod people;
pub mod personal_data;
pub mod read_cache;
pub mod registers;
pub mod reminders;
pub mod roadmap;
pub mod search;
pub mod second_factors;
pub mod sessions;
pub mod sign_in;
pub mod solutions;
pub mod start_page;

pub use error::{Error, Result};
