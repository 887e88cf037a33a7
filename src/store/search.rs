//! Full-text search with PostgreSQL's Danish configuration, so word forms match
//! (ændringsønsker finds ændringsønsket). The read rules apply in SQL, branch by branch: a group's data
//! only through `group_readable(...)` (O5, M5), an agenda only as `agenda_workflow::can_read` allows
//! (A1, A2), minutes (their items and the parties' summary too) only as R3 and O5 allow: a draft to the
//! secretariat, sent minutes to the group's active members, approved minutes to whoever may read the group.
//!
//! Each source is one `UNION ALL` branch returning the same columns; to add a source, add a branch
//! whose `to_tsvector('danish', ...)` expression matches a GIN index (migrations 0018, 0036). The snippet comes
//! from `ts_headline` with private-use characters U+E000/U+E001 around the hits (removed from the text
//! first), so the page escapes the text and only then marks the hits.

use sqlx::PgPool;

use crate::domain::access::GroupScope;

/// What kind of thing a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum HitKind {
    ChangeRequest,
    AgendaItem,
    Minutes,
    Decision,
    Action,
    Person,
}

impl HitKind {
    pub const ALL: [HitKind; 6] =
        [Self::ChangeRequest, Self::AgendaItem, Self::Minutes, Self::Decision, Self::Action, Self::Person];

    pub fn label(self) -> &'static str {
        match self {
            Self::ChangeRequest => "Ændringsønsker",
            Self::AgendaItem => "Dagsordener",
            Self::Minutes => "Referater",
            Self::Decision => "Beslutninger",
            Self::Action => "Aktioner",
            Self::Person => "Personer",
        }
    }
}

/// The marks around a hit in a snippet.
pub const MARK_START: char = '\u{E000}';
pub const MARK_END: char = '\u{E001}';

#[derive(Debug, Clone)]
pub struct Hit {
    pub kind: HitKind,
    pub title: String,
    pub group_name: Option<String>,
    pub snippet: String,
    pub link: String,
}

/// Up to 20 hits per kind, best first, of what the reader may see. `people_register` is M8's rule: the
/// secretariat finds every person, others the members of groups they may read.
pub async fn search(pool: &PgPool, query: &str, scope: GroupScope, people_register: bool) -> sqlx::Result<Vec<Hit>> {
    sqlx::query_as!(
        Hit,
        r#"WITH q AS (SELECT websearch_to_tsquery('danish', $1) AS query,
                             format('StartSel=%s, StopSel=%s, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "',
                                    chr(57344), chr(57345)) AS opts,
                             chr(57344) || chr(57345) AS marks)
           SELECT kind AS "kind!: HitKind", title AS "title!", group_name, snippet AS "snippet!", link AS "link!"
           FROM (
             (SELECT 'change_request' AS kind, c.reference || ' ' || c.title AS title, g.name AS group_name,
                     ts_headline('danish', translate(c.title || ' · ' || c.business_need || ' · ' || c.value, q.marks, ''),
                                 q.query, q.opts) AS snippet,
                     '/aendringsoensker/' || c.id AS link,
                     ts_rank(to_tsvector('danish', c.reference || ' ' || c.title || ' ' || c.business_need || ' ' || c.value || ' ' || c.beneficiaries), q.query) AS rank
              FROM change_requests c JOIN groups g ON g.id = c.group_id, q
              WHERE to_tsvector('danish', c.reference || ' ' || c.title || ' ' || c.business_need || ' ' || c.value || ' ' || c.beneficiaries) @@ q.query
                AND group_readable(g.id, g.confidentiality, $2, $3, $4)
              ORDER BY rank DESC LIMIT 20)
             UNION ALL
             (SELECT 'agenda_item', i.title, g.name,
                     ts_headline('danish', translate(i.title || ' · ' || i.body, q.marks, ''), q.query, q.opts),
                     '/moeder/' || m.id || '#dagsorden',
                     ts_rank(to_tsvector('danish', i.title || ' ' || i.body), q.query)
              FROM agenda_items i JOIN agendas a ON a.id = i.agenda_id JOIN meetings m ON m.id = a.meeting_id
                   JOIN groups g ON g.id = m.group_id, q
              WHERE to_tsvector('danish', i.title || ' ' || i.body) @@ q.query
                AND group_readable(g.id, greatest(g.confidentiality, i.confidentiality), $2, $3, $4)
                AND ($2 OR EXISTS (SELECT 1 FROM memberships ms
                                   WHERE ms.group_id = g.id AND ms.person_id = $4 AND ms.status = 'active'
                                     AND (a.status = 'published' OR ms.role = 'secretariat'
                                          OR (ms.role = 'chair' AND a.status <> 'draft'))))
              ORDER BY 6 DESC LIMIT 20)
             UNION ALL
             (SELECT 'minutes', coalesce(nullif(m.title, ''), 'Referat') || ' ' || to_char(m.starts_at AT TIME ZONE 'Europe/Copenhagen', 'DD.MM.YYYY'),
                     g.name, ts_headline('danish', translate(r.body || ' · ' || r.party_summary, q.marks, ''), q.query, q.opts),
                     '/moeder/' || m.id || '/referat', ts_rank(to_tsvector('danish', r.body || ' ' || r.party_summary), q.query)
              FROM minutes r JOIN meetings m ON m.id = r.meeting_id JOIN groups g ON g.id = m.group_id, q
              WHERE to_tsvector('danish', r.body || ' ' || r.party_summary) @@ q.query
                AND group_readable(g.id, g.confidentiality, $2, $3, $4)
                AND ($2 OR r.status = 'approved'
                     OR (r.status <> 'draft' AND EXISTS (SELECT 1 FROM memberships ms
                                   WHERE ms.group_id = g.id AND ms.person_id = $4 AND ms.status = 'active')))
              ORDER BY 6 DESC LIMIT 20)
             UNION ALL
             (SELECT 'minutes', 'Referat ' || to_char(m.starts_at AT TIME ZONE 'Europe/Copenhagen', 'DD.MM.YYYY') || ', punkt ' || i.number || ': ' || i.title,
                     g.name, ts_headline('danish', translate(i.title || ' · ' || i.body, q.marks, ''), q.query, q.opts),
                     '/moeder/' || m.id || '/referat#punkt-' || i.id, ts_rank(to_tsvector('danish', i.title || ' ' || i.body), q.query)
              FROM minutes_items i JOIN minutes r ON r.id = i.minutes_id JOIN meetings m ON m.id = r.meeting_id
                   JOIN groups g ON g.id = m.group_id, q
              WHERE to_tsvector('danish', i.title || ' ' || i.body) @@ q.query
                AND group_readable(g.id, g.confidentiality, $2, $3, $4)
                AND ($2 OR r.status = 'approved'
                     OR (r.status <> 'draft' AND EXISTS (SELECT 1 FROM memberships ms
                                   WHERE ms.group_id = g.id AND ms.person_id = $4 AND ms.status = 'active')))
              ORDER BY 6 DESC LIMIT 20)
             UNION ALL
             (SELECT 'decision', 'Beslutning ' || to_char(d.decided_on, 'DD.MM.YYYY'), g.name,
                     ts_headline('danish', translate(d.text, q.marks, ''), q.query, q.opts),
                     '/moeder/' || m.id, ts_rank(to_tsvector('danish', d.text), q.query)
              FROM decisions d JOIN meetings m ON m.id = d.meeting_id JOIN groups g ON g.id = m.group_id, q
              WHERE to_tsvector('danish', d.text) @@ q.query AND group_readable(g.id, g.confidentiality, $2, $3, $4)
              ORDER BY 6 DESC LIMIT 20)
             UNION ALL
             (SELECT 'action', x.title, g.name,
                     ts_headline('danish', translate(x.title, q.marks, ''), q.query, q.opts),
                     '/grupper/' || g.slug, ts_rank(to_tsvector('danish', x.title), q.query)
              FROM actions x JOIN groups g ON g.id = x.group_id, q
              WHERE to_tsvector('danish', x.title) @@ q.query AND group_readable(g.id, g.confidentiality, $2, $3, $4)
              ORDER BY 6 DESC LIMIT 20)
             UNION ALL
             (SELECT 'person', p.name, NULL,
                     ts_headline('danish', translate(p.name || ' · ' || p.title || ' · ' || p.competences, q.marks, ''), q.query, q.opts),
                     CASE WHEN $5 THEN '/personer/' || p.id ELSE '/medlemmer' END,
                     ts_rank(to_tsvector('danish', p.name || ' ' || p.title || ' ' || p.competences), q.query)
              FROM people p, q
              WHERE to_tsvector('danish', p.name || ' ' || p.title || ' ' || p.competences) @@ q.query
                AND ($5 OR EXISTS (SELECT 1 FROM memberships ms JOIN groups g ON g.id = ms.group_id
                                   WHERE ms.person_id = p.id AND ms.status = 'active'
                                     AND group_readable(g.id, g.confidentiality, $2, $3, $4)))
              ORDER BY 6 DESC LIMIT 20)
           ) hits"#,
        query,
        scope.every_group,
        scope.open_up_to as _,
        scope.reader,
        people_register
    )
    .fetch_all(pool)
    .await
}
