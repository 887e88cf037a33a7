//! Running an installation: backups that restore.

pub mod backup;
