//! A person's notification preferences (D3).

use serde_json::json;
use sqlx::PgPool;

use super::audit::{self, Actor, Change};
use crate::domain::audit_codes::{AuditAction, AuditEntity};
use crate::domain::notifications::{MailKind, Mode, Roles};

/// The group roles a person holds anywhere, for the kinds of mail they can receive (the global role is
/// the caller's to add).
pub async fn roles(pool: &PgPool, person_id: i64) -> sqlx::Result<Roles> {
    let r = sqlx::query!(
        r#"SELECT coalesce(bool_or(ms.role IN ('member', 'substitute', 'chair')), false) AS "participant!",
                  coalesce(bool_or(ms.role = 'chair'), false) AS "chair!",
                  coalesce(bool_or(ms.role = 'secretariat'), false) AS "secretariat!",
                  coalesce(bool_or(k.code = 'bestyrelse' AND ms.role IN ('chair', 'member')), false) AS "board!"
           FROM memberships ms JOIN groups g ON g.id = ms.group_id JOIN group_kinds k ON k.id = g.kind_id
           WHERE ms.person_id = $1 AND ms.status = 'active'"#,
        person_id
    )
    .fetch_one(pool)
    .await?;
    Ok(Roles {
        participant: r.participant,
        chair: r.chair,
        secretariat: r.secretariat,
        board: r.board,
        administrator: false,
    })
}

pub async fn modes(pool: &PgPool, person_id: i64) -> sqlx::Result<Vec<(String, String)>> {
    let rows = sqlx::query!("SELECT kind, mode FROM notification_settings WHERE person_id = $1", person_id)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| (r.kind, r.mode)).collect())
}

/// Saves every choice at once; unchanged choices are written again, which is harmless.
pub async fn save(pool: &PgPool, actor: &Actor, person_id: i64, choices: &[(MailKind, Mode)]) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    for (kind, mode) in choices {
        sqlx::query!(
            "INSERT INTO notification_settings (person_id, kind, mode) VALUES ($1, $2, $3)
             ON CONFLICT (person_id, kind) DO UPDATE SET mode = EXCLUDED.mode",
            person_id,
            kind.as_str(),
            mode.as_str()
        )
        .execute(&mut *tx)
        .await?;
    }
    let after =
        json!(choices.iter().map(|(k, m)| json!({ "kind": k.as_str(), "mode": m.as_str() })).collect::<Vec<_>>());
    audit::record(
        &mut tx,
        actor,
        Change::of(AuditAction::NotificationSettings, AuditEntity::Person, person_id).after(after),
    )
    .await?;
    tx.commit().await
}
