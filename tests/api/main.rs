//! Integration tests: the real app on a random port against a real PostgreSQL (a fresh database per
//! test, copied from a migrated template with the demo data), real SMTP, and headless Chromium.

mod helpers;
mod page_checks;
mod smtp;

mod access;
mod api_tokens;
mod authorisation_matrix;
mod browser;
mod cli;
mod confidential;
mod forms;
mod fuzz;
mod groups;
mod login;
mod mail;
mod meetings;
mod membership_api;
mod openapi;
mod operations;
mod robustness;
mod sessions;
