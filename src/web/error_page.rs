//! Error pages (403, 404, a refusal) keep the menu and the signed-in person, so someone who meets one
//! can go on from where they are instead of starting over from the front page.
//!
//! `AppError` cannot see the request, so it renders a bare page and carries what it said
//! (`ErrorPageParts`) on the response. This middleware gives the request an empty slot that sign-in
//! (`auth::signed_in_user`) fills once it has found the person; when the answer is an error page and
//! the slot holds someone, the page is drawn again in their layout. No statement is added: the person
//! was read by the handler already.

use std::sync::{Arc, OnceLock};

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tower_sessions::Session;

use super::auth::{self, CurrentUser};
use super::error::ErrorPageParts;
use super::layout::{Layout, Nav};

/// The signed-in person of this request, once sign-in has found them.
#[derive(Clone, Default)]
pub struct SignedInSlot(Arc<OnceLock<CurrentUser>>);

impl SignedInSlot {
    pub fn fill(&self, user: &CurrentUser) {
        let _ = self.0.set(user.clone());
    }
}

pub async fn with_menu(mut request: Request, next: Next) -> Response {
    let slot = SignedInSlot::default();
    request.extensions_mut().insert(slot.clone());
    let session = request.extensions().get::<Session>().cloned();
    let mut response = next.run(request).await;
    let Some(parts) = response.extensions_mut().remove::<ErrorPageParts>() else {
        return response;
    };
    let (Some(user), Some(session)) = (slot.0.get(), session) else {
        return response;
    };
    let Ok(csrf) = auth::csrf_token(&session).await else {
        return response;
    };
    let mut with_menu = parts.render(Layout::for_user(user, csrf, Nav::Elsewhere, parts.heading));
    // What the logging middleware reads (an internal error's report) stays on the answer.
    std::mem::swap(with_menu.extensions_mut(), response.extensions_mut());
    with_menu
}

/// An address no route knows. Reading the person (when signed in) lets the 404 keep their menu.
pub async fn not_found(_user: Option<CurrentUser>) -> super::error::AppError {
    super::error::AppError::NotFound
}
