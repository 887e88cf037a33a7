//! The installation's extra closed days (D1), which complete the working-day calendar.

use sqlx::PgPool;

use crate::domain::calendar::WorkingCalendar;

pub async fn working_calendar(pool: &PgPool) -> sqlx::Result<WorkingCalendar> {
    let days = sqlx::query_scalar!(r#"SELECT day AS "day: chrono::NaiveDate" FROM closed_days ORDER BY day"#)
        .fetch_all(pool)
        .await?;
    Ok(WorkingCalendar::new(days))
}
