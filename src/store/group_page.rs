//! Everything the group page shows besides the group itself, read in one statement (a page
//! issues at most five statements, the session's included). Each part is the query of its own store
//! function (memberships::of_group, groups::solutions, charters::versions ...) aggregated to JSON.

use std::sync::Arc;

use sqlx::PgPool;
use sqlx::types::Json;

use super::charters::Charter;
use super::groups::{self, Explanation, Group, GroupKey, Solution, StaffMeeting};
use super::memberships::{Member, OnboardingProgress};
use super::people::PartyRow;
use super::read_cache::{Kept, ReadChecks, Stamp};
use crate::domain::access::GroupScope;
use crate::domain::composition::KindRules;

/// A person as the add-member form offers them.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct PersonChoice {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub organisation: Option<String>,
}

/// How many people the add-member form lists at most; a register of thousands is searched instead
/// (the page stays the same size whatever the register holds).
pub const PEOPLE_LISTED: usize = 100;

/// Which people the add-member form offers: those whose name or e-mail contains `find` (all when
/// empty), the one already `chosen` in a form shown again first, at most `PEOPLE_LISTED` + 1 (the one
/// more tells the page there are more).
#[derive(Debug, Clone, Default)]
pub struct PeopleWanted {
    pub find: String,
    pub chosen: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct GroupPageData {
    pub members: Vec<Member>,
    pub solutions: Vec<Solution>,
    pub charters: Vec<Charter>,
    pub explanations: Vec<Explanation>,
    pub onboarding: Vec<OnboardingProgress>,
    pub rules: KindRules,
    pub responsibilities: String,
    /// Only for the secretariat (`with_choices`): the add-member and approval forms' choices.
    pub people: Vec<PersonChoice>,
    pub parties: Vec<PartyRow>,
    pub staff_meetings: Vec<StaffMeeting>,
}

/// The group page's kept copy, without a search among people: the group and its parts.
#[derive(Debug, Clone)]
pub struct GroupPageCopy {
    pub group: Group,
    pub data: GroupPageData,
}

/// A kept group page: the group and whether the reader is the secretariat (who also gets the forms'
/// choices of people, parties and staff-group meetings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GroupPageKey {
    pub group: i64,
    pub with_choices: bool,
}

/// Whose answer a kept `GroupStamp` is: the group as the address names it and the reader.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GroupReader {
    pub slug: String,
    pub scope: GroupScope,
}

/// What a view of a group page learns in its small statement: the group and its read versions.
#[derive(Debug, Clone, Copy)]
pub struct GroupStamp {
    pub id: i64,
    pub group: i64,
    pub reference: i64,
    pub any: i64,
}

/// The group page's data for a view: the read rule (O5, M5) and the read versions in one small
/// statement (or its answer kept while the 'any' version read with the session is unchanged,
/// `read_cache::ReadChecks`), then the kept copy while the group and the reference data are unchanged
/// (for the secretariat, whose approval form lists the staff group's meetings: while nothing has
/// changed). None when there is no such group or the reader may not see it. `with_choices`: the reader
/// is the secretariat. (The rule's first two tests are written out in front of `group_readable`, as in
/// `read_cache::meeting_stamp`.)
pub async fn view(
    pool: &PgPool,
    kept: &Kept<GroupPageKey, GroupPageCopy>,
    checks: &ReadChecks<GroupReader, GroupStamp>,
    slug: &str,
    scope: GroupScope,
    with_choices: bool,
    read_version: Option<i64>,
) -> sqlx::Result<Option<Arc<GroupPageCopy>>> {
    let asking = GroupReader { slug: slug.to_owned(), scope };
    let Some(now) = checks
        .get_or_read(asking, read_version, || async {
            let row = sqlx::query!(
                r#"SELECT g.id,
                          coalesce((SELECT v.version FROM read_versions v WHERE v.scope = 'group' AND v.id = g.id), 0) AS "group!",
                          (SELECT v.version FROM read_versions v WHERE v.scope = 'reference' AND v.id = 0) AS "reference!",
                          (SELECT v.version FROM read_versions v WHERE v.scope = 'any' AND v.id = 0) AS "any!"
                   FROM groups g
                   WHERE g.slug = $1
                     AND ($2 OR g.confidentiality <= $3 OR group_readable(g.id, g.confidentiality, $2, $3, $4))"#,
                slug,
                scope.every_group,
                scope.open_up_to as _,
                scope.reader
            )
            .fetch_optional(pool)
            .await?;
            Ok::<_, sqlx::Error>(
                row.map(|r| (r.any, GroupStamp { id: r.id, group: r.group, reference: r.reference, any: r.any })),
            )
        })
        .await?
    else {
        return Ok(None);
    };
    let key = GroupPageKey { group: now.id, with_choices };
    // The secretariat's copy also lists the staff group's meetings (M5's approval form): it is kept
    // until anything changes, the members' until their group or the reference data does.
    let stamp = Stamp([now.group, now.reference, if with_choices { now.any } else { 0 }]);
    kept.get_or_load(key, stamp, || async move {
        let Some(group) = groups::readable(pool, GroupKey::Id(now.id), scope).await? else { return Ok(None) };
        let Some(data) = load(pool, now.id, with_choices, &PeopleWanted::default()).await? else { return Ok(None) };
        Ok(Some(GroupPageCopy { group, data }))
    })
    .await
}

/// The group page's parts read from the database (the caller has checked the reader may see the group).
pub async fn load(
    pool: &PgPool,
    group_id: i64,
    with_choices: bool,
    people: &PeopleWanted,
) -> sqlx::Result<Option<GroupPageData>> {
    let pattern = format!("%{}%", like_escaped(people.find.trim()));
    let row = sqlx::query!(
        r#"SELECT k.max_members, k.max_per_party, k.max_secretariat, k.chair_management_level, k.chair_from_party,
                  k.requires_staff_approval, k.expects_substitutes, k.responsibilities,
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT r.* FROM member_rows r WHERE r.group_id = g.id AND r.status <> 'ended'
                ORDER BY r.party_order NULLS LAST, r.party_name, r.role_order, r.name
             ) x) AS "members!: Json<Vec<Member>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT s.id, s.name, s.description, s.in_operation FROM solutions s WHERE s.group_id = g.id ORDER BY s.name
             ) x) AS "solutions!: Json<Vec<Solution>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT c.id, c.version, c.body, c.status, c.approved_by, c.approved_on, c.created_at
                FROM charters c WHERE c.group_id = g.id ORDER BY c.version DESC
             ) x) AS "charters!: Json<Vec<Charter>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT f.requirement, f.explanation, f.recorded_at
                FROM follow_or_explain f WHERE f.group_id = g.id ORDER BY f.recorded_at DESC
             ) x) AS "explanations!: Json<Vec<Explanation>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT s.membership_id, s.step, s.done_on
                FROM onboarding_steps s JOIN memberships m ON m.id = s.membership_id
                WHERE m.group_id = g.id AND m.status <> 'ended'
                ORDER BY s.membership_id, array_position(ARRAY['intro_package', 'website_updated', 'meetings_booked', 'room_access', 'staff_group_approval', 'board_informed'], s.step)
             ) x) AS "onboarding!: Json<Vec<OnboardingProgress>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                (SELECT p.id, p.name, p.email, o.name AS organisation
                 FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id
                 WHERE $2 AND p.id = $4)
                UNION ALL
                (SELECT p.id, p.name, p.email, o.name AS organisation
                 FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id
                 WHERE $2 AND ($3 = '%%' OR p.name ILIKE $3 OR p.email ILIKE $3) AND p.id IS DISTINCT FROM $4
                 ORDER BY p.name LIMIT $5)
             ) x) AS "people!: Json<Vec<PersonChoice>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT pa.id, pa.code, pa.name, pa.kind, false AS retired FROM parties pa
                WHERE $2 AND pa.retired_at IS NULL ORDER BY pa.sort_order, pa.name
             ) x) AS "parties!: Json<Vec<PartyRow>>",
             (SELECT coalesce(json_agg(x), '[]') FROM (
                -- Per staff group from its own meetings (meetings_group_start), not a walk back through
                -- every group's meetings looking for the staff group's.
                SELECT m.id, m.starts_at
                FROM groups sg JOIN group_kinds sk ON sk.id = sg.kind_id
                CROSS JOIN LATERAL (
                  SELECT m.id, m.starts_at FROM meetings m
                  WHERE m.group_id = sg.id AND m.kind IN ('ordinary', 'staff_group') AND m.status <> 'cancelled'
                  ORDER BY m.starts_at DESC LIMIT 12
                ) m
                WHERE $2 AND sk.code = 'stabsgruppe'
                ORDER BY m.starts_at DESC LIMIT 12
             ) x) AS "staff_meetings!: Json<Vec<StaffMeeting>>"
           FROM groups g JOIN group_kinds k ON k.id = g.kind_id
           WHERE g.id = $1"#,
        group_id,
        with_choices,
        pattern,
        people.chosen,
        PEOPLE_LISTED as i64 + 1
    )
    .fetch_optional(pool)
    .await?;
    let limit = |v: Option<i32>| v.and_then(|n| u32::try_from(n).ok());
    Ok(row.map(|r| GroupPageData {
        members: r.members.0,
        solutions: r.solutions.0,
        charters: r.charters.0,
        explanations: r.explanations.0,
        onboarding: r.onboarding.0,
        rules: KindRules {
            max_members: limit(r.max_members),
            max_per_party: limit(r.max_per_party),
            max_secretariat: limit(r.max_secretariat),
            chair_management_level: r.chair_management_level,
            chair_from_party: r.chair_from_party,
            requires_staff_approval: r.requires_staff_approval,
            expects_substitutes: r.expects_substitutes,
        },
        responsibilities: r.responsibilities,
        people: r.people.0,
        parties: r.parties.0,
        staff_meetings: r.staff_meetings.0,
    }))
}

/// `text` as a literal inside a LIKE pattern.
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::like_escaped;

    #[test]
    fn search_text_is_taken_literally() {
        assert_eq!(like_escaped("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
