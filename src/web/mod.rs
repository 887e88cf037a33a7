//! The HTTP side: every URL is listed in `routes.rs`; one file per area holds its handlers.

pub mod admin;
pub mod annual_wheel;
pub mod api;
pub mod auth;
pub mod calendar_feed;
pub mod charters;
pub mod csrf;
pub mod deadlines_overview;
pub mod directory;
pub mod error;
pub mod forms;
pub mod groups;
pub mod health;
pub mod home;
pub mod input_guard;
pub mod labels;
pub mod layout;
pub mod login;
pub mod meetings;
pub mod middleware;
pub mod overviews;
pub mod people;
pub mod profile;
pub mod routes;
