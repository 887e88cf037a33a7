//! Danish labels for the codes stored in the database that have no typed code yet. Change-request status
//! and priority, initiative status and the operational kinds are enums with their own `label()`.
