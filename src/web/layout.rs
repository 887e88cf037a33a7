//! What the base layout needs on every page: title, navigation, the signed-in person, CSRF token.

use crate::domain::access::{GlobalRole, Viewer};

/// The main navigation's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Home,
    Groups,
    Meetings,
    ChangeRequests,
    Roadmap,
    Budget,
    People,
    Deadlines,
    Outbox,
    Admin,
    Profile,
    /// A page outside the sections (an error page): no section is marked as the current one.
    Elsewhere,
}

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

pub struct UserBadge {
    pub name: String,
    pub role_label: &'static str,
}

pub struct Layout {
    pub title: String,
    /// The charter's rule codes (T7, A3 ...) are the secretariat's working words: shown to the
    /// secretariat and administrators, left out for members, substitutes and chairs.
    pub rules: bool,
    pub user: Option<UserBadge>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
}

impl Layout {
    /// For pages shown to anyone (login, errors): no navigation, no person.
    pub fn bare(title: impl Into<String>) -> Layout {
        Layout { title: title.into(), rules: false, user: None, csrf: String::new(), nav: Vec::new() }
    }

    /// Login page: carries the CSRF token of the anonymous session.
    pub fn anonymous(title: impl Into<String>, csrf: String) -> Layout {
        Layout { csrf, ..Layout::bare(title) }
    }

    /// Sections the person may open; the server checks access again on each of them.
    pub fn for_person(name: &str, role: GlobalRole, csrf: String, current: Nav, title: impl Into<String>) -> Layout {
        let viewer = Viewer::Person { role };
        let sections = [
            (Nav::Home, "/", "Forside", true),
            (Nav::Groups, "/grupper", "Grupper", true),
            (Nav::Meetings, "/moeder", "Møder", true),
            (Nav::ChangeRequests, "/aendringsoensker", "Ændringsønsker", true),
            (Nav::Roadmap, "/roadmap", "Roadmap", true),
            (Nav::Budget, "/budget", "Budget", true),
            (Nav::People, "/personer", "Personer", viewer.can_see_people_register()),
            (Nav::Deadlines, "/frister", "Frister", viewer.is_secretariat()),
            (Nav::Outbox, "/udbakke", "Udbakke", viewer.is_secretariat()),
            (Nav::Admin, "/administration", "Administration", viewer.can_administer()),
        ];
        let nav = sections
            .into_iter()
            .filter(|(_, _, _, allowed)| *allowed)
            .map(|(nav, href, label, _)| NavItem { href, label, current: nav == current })
            .collect();
        Layout {
            title: title.into(),
            rules: viewer.is_secretariat(),
            user: Some(UserBadge { name: name.to_owned(), role_label: role.label() }),
            csrf,
            nav,
        }
    }
}
