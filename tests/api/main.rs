//! Integration tests: the real app on a random port against a real PostgreSQL (a fresh database per
//! test, copied from a migrated template with the demo data), real SMTP, and headless Chromium.

mod helpers;
mod smtp;

mod access;
mod api_tokens;
mod browser;
mod cli;
mod credentials;
mod forms;
mod groups;
mod login;
mod login_throttle;
mod mail;
mod meetings;
mod membership_api;
mod operations;
mod private_cluster;
mod sessions;
