//! Danish labels for the codes stored in the database.

pub fn change_request_status(status: &str) -> &'static str {
    match status {
        "idea" => "Idé",
        "described" => "Beskrevet",
        "ready_for_decision" => "Klar til beslutning",
        "approved" => "Godkendt",
        "rejected" => "Afvist",
        "in_development" => "I udvikling",
        "delivered" => "Leveret",
        "evaluated" => "Evalueret",
        _ => "Ukendt",
    }
}

pub fn priority(priority: &str) -> &'static str {
    match priority {
        "high" => "Høj",
        "medium" => "Middel",
        "low" => "Lav",
        _ => "",
    }
}

pub fn initiative_status(status: &str) -> &'static str {
    match status {
        "planned" => "Planlagt",
        "in_progress" => "I gang",
        "done" => "Gennemført",
        "paused" => "Sat på pause",
        "dropped" => "Opgivet",
        _ => "",
    }
}

/// A8: the kinds of operational status line.
pub fn operational_kind(kind: &str) -> &'static str {
    match kind {
        "errors" => "Fejl",
        "support" => "Support",
        "release" => "Release",
        "incident" => "Hændelse for brugerne",
        _ => "",
    }
}

pub fn outbox_status(status: &str) -> &'static str {
    match status {
        "queued" => "I kø",
        "sent" => "Sendt",
        "failed" => "Fejlet",
        "withdrawn" => "Trukket tilbage (mødet er flyttet eller aflyst)",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_change_request_status_has_a_danish_label_c1() {
        for s in [
            "idea",
            "described",
            "ready_for_decision",
            "approved",
            "rejected",
            "in_development",
            "delivered",
            "evaluated",
        ] {
            assert_ne!(change_request_status(s), "Ukendt", "{s}");
        }
    }
}
