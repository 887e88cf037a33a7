//! Integration tests: the real app on a random port against a real PostgreSQL (a fresh database per
//! test, copied from a migrated template with the demo data), real SMTP, and headless Chromium.

mod helpers;
mod page_checks;
mod smtp;

mod access;
mod account_links;
mod account_takeover;
mod administration;
mod agenda_registers;
mod api_tokens;
mod authorisation_matrix;
mod bare_installation;
mod browser;
mod budgets;
mod change_requests;
mod cli;
mod confidential;
mod credentials;
mod forms;
mod fuzz;
mod groups;
mod handoffs;
mod hardening;
mod layout;
mod login;
mod login_throttle;
mod mail;
mod meeting_changes;
mod meetings;
mod meetings_across_groups;
mod membership_api;
mod minutes;
mod openapi;
mod operations;
mod paging;
mod personal_data;
mod private_cluster;
mod reference_data;
mod registers_api;
mod roadmap;
mod robustness;
mod rules;
mod sessions;
mod solutions;
mod statement_budget;
