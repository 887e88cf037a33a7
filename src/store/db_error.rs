//! What a database error means for the person who caused it. Input is parsed and bounded at the edge;
//! this is the last line behind it, so that a value the schema refuses is a 4xx that names the field,
//! and a database that is away is a 503, never a 500 (the schema's CHECKs and keys stay the guard).

/// A database error that is not the application's fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbProblem {
    /// The database cannot be reached or is shutting down: try again later.
    Unavailable,
    /// The request carried a value the schema refuses; `field` is the column when the error names one.
    BadInput { field: Option<&'static str>, message: &'static str },
}

/// Classifies `e`, or `None` for a real fault (a bug, or a conflict the caller should have handled).
pub fn classify(e: &sqlx::Error) -> Option<DbProblem> {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
            Some(DbProblem::Unavailable)
        }
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            let message = match code.as_ref() {
                // Connection lost, server shutting down or starting, out of connections or resources.
                c if c.starts_with("08") || c.starts_with("53") || c.starts_with("57P") || c == "3D000" => {
                    return Some(DbProblem::Unavailable);
                }
                "22021" | "22P05" => "Teksten indeholder et tegn, der ikke kan gemmes (fx et NUL-tegn).",
                "22001" => "Teksten er for lang.",
                "22003" => "Tallet er uden for det tilladte interval.",
                "22007" | "22008" => "Datoen eller tidspunktet er uden for det tilladte interval.",
                "22P02" => "Værdien har ikke det rigtige format.",
                "23503" => "Den valgte værdi findes ikke (fx en organisation, part, gruppe eller person).",
                "23514" | "23502" => "Værdien overholder ikke reglerne for feltet.",
                _ => return None,
            };
            let field = db.constraint().and_then(field_of_constraint);
            Some(DbProblem::BadInput { field, message })
        }
        _ => None,
    }
}

/// PostgreSQL names a foreign key or check `<table>_<column>_fkey` / `<table>_<column>_check`; the
/// column is the form's field name in this code base.
fn field_of_constraint(constraint: &str) -> Option<&'static str> {
    let stem = constraint.strip_suffix("_fkey").or_else(|| constraint.strip_suffix("_check"))?;
    const TABLES: [&str; 18] = [
        "agenda_item_requests_",
        "agenda_items_",
        "agendas_",
        "memberships_",
        "meetings_",
        "people_",
        "organisations_",
        "groups_",
        "buyout_agreements_",
        "documents_",
        "change_requests_",
        "roadmap_initiatives_",
        "actions_",
        "parties_",
        "attendance_",
        "annual_topics_",
        "follow_or_explain_",
        "charters_",
    ];
    let column = TABLES.iter().find_map(|t| stem.strip_prefix(t))?;
    FIELD_LABELS.iter().find(|(name, _)| *name == column).map(|(name, _)| *name)
}

/// The columns a person fills in or picks, with their Danish names for messages.
const FIELD_LABELS: [(&str, &str); 15] = [
    ("organisation_id", "Organisation"),
    ("party_id", "Part"),
    ("group_id", "Gruppe"),
    ("kind_id", "Gruppetype"),
    ("person_id", "Person"),
    ("responsible_id", "Ansvarlig"),
    ("parent_id", "Overordnet punkt"),
    ("meeting_id", "Møde"),
    ("owner_id", "Ansvarlig"),
    ("initiative_id", "Roadmap-initiativ"),
    ("title", "Titel"),
    ("name", "Navn"),
    ("hours", "Timer"),
    ("email", "E-mail"),
    ("planned_minutes", "Minutter"),
];

/// The Danish name of a column for an error message; the column itself where none is known.
pub fn field_label(field: &str) -> &str {
    FIELD_LABELS.iter().find(|(name, _)| *name == field).map(|(_, label)| *label).unwrap_or(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constraint_name_gives_the_column_it_guards() {
        assert_eq!(field_of_constraint("people_organisation_id_fkey"), Some("organisation_id"));
        assert_eq!(field_of_constraint("agenda_items_parent_id_fkey"), Some("parent_id"));
        assert_eq!(field_of_constraint("agenda_item_requests_title_check"), Some("title"));
        assert_eq!(field_label("parent_id"), "Overordnet punkt");
        assert_eq!(field_of_constraint("memberships_one_chair"), None);
        assert_eq!(field_of_constraint("unknown_table_x_fkey"), None);
    }

    #[test]
    fn a_closed_pool_is_unavailable_not_a_fault() {
        assert_eq!(classify(&sqlx::Error::PoolTimedOut), Some(DbProblem::Unavailable));
        assert_eq!(classify(&sqlx::Error::RowNotFound), None);
    }
}
