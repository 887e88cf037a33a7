-- M6, T4: a substitute confirms that they take part in place of a member of their party who has sent an
-- apology. One substitute per absent member and meeting, and one absent member per substitute.
CREATE TABLE substitutions (
    meeting_id                bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    substitute_membership_id  bigint NOT NULL REFERENCES memberships (id),
    for_membership_id         bigint NOT NULL REFERENCES memberships (id),
    confirmed_at              timestamptz NOT NULL,
    PRIMARY KEY (meeting_id, substitute_membership_id),
    UNIQUE (meeting_id, for_membership_id),
    CHECK (substitute_membership_id <> for_membership_id)
);

-- The seats as before, and who stands in for whom.
CREATE OR REPLACE VIEW seat_rows AS
SELECT m.id AS meeting_id, ms.id AS membership_id, p.id AS person_id, p.name, ms.role, ms.party_id,
       pa.name AS party_name, pa.kind AS party_kind, ms.status AS membership_status, a.status, a.apology_at,
       coalesce(a.apology_late, false) AS apology_late, pa.sort_order AS party_order,
       (SELECT fp.name FROM substitutions su JOIN memberships fm ON fm.id = su.for_membership_id
          JOIN people fp ON fp.id = fm.person_id
         WHERE su.meeting_id = m.id AND su.substitute_membership_id = ms.id) AS stands_in_for,
       (SELECT sp.name FROM substitutions su JOIN memberships sm ON sm.id = su.substitute_membership_id
          JOIN people sp ON sp.id = sm.person_id
         WHERE su.meeting_id = m.id AND su.for_membership_id = ms.id) AS stood_in_by
FROM meetings m
JOIN memberships ms ON ms.group_id = m.group_id
JOIN people p ON p.id = ms.person_id
LEFT JOIN parties pa ON pa.id = ms.party_id
LEFT JOIN attendance a ON a.meeting_id = m.id AND a.membership_id = ms.id
WHERE a.status IS NOT NULL
   OR ms.status = 'nominated'
   OR membership_counts_on(ms.approved_on, ms.starts_on, ms.ends_on, meeting_day(m.starts_at));
