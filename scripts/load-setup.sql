-- The people and meetings of the load run (scripts/load.py; issue 12), on top of `demo-data --scale 1`,
-- in one transaction. Run with psql -v users=N. Prints one line per simulated user:
-- email|membership id|planned meeting id|held meeting id.
--
-- What the scale data lacks, and what this adds:
-- * accounts: scale people have none. The first :users active ordinary members of the scale groups, ten
--   per group (so ceil(N/10) groups), get a user account with the demo member's password hash, so the
--   demo password signs them in through the real form.
-- * T4: the scale data's planned meetings have draft agendas. Each chosen group's next planned meeting
--   (starting more than a day from now, so an apology is still allowed) gets its agenda published the
--   way the workflow leaves it (sent to the chair, approved by the group's chair, published: A1, A2).
-- * R3: every held scale meeting's minutes are approved. Each chosen group's latest held meeting gets
--   its minutes back to "sent" now, by the secretariat, so the comment window (5 working days) is open.
-- Nothing else changes; the app does the rest (apologies, comments) over HTTP.

BEGIN;

CREATE TEMP TABLE load_users AS
SELECT membership_id, person_id, group_id FROM (
    SELECT ms.id AS membership_id, ms.person_id, ms.group_id,
           row_number() OVER (PARTITION BY ms.group_id ORDER BY ms.id) AS r
    FROM memberships ms JOIN groups g ON g.id = ms.group_id
    WHERE g.slug LIKE 'skala-1-%' AND ms.status = 'active' AND ms.role = 'member'
) m
WHERE r <= 10
ORDER BY group_id, r
LIMIT :users;

INSERT INTO accounts (person_id, password_hash, role)
SELECT u.person_id, demo.password_hash, 'user'
FROM load_users u,
     (SELECT a.password_hash FROM accounts a JOIN people p ON p.id = a.person_id
      WHERE p.email = 'medlem.natur@aarhus.example') demo;

CREATE TEMP TABLE load_meetings AS
SELECT g.group_id,
       (SELECT m.id FROM meetings m WHERE m.group_id = g.group_id AND m.status = 'planned'
          AND m.starts_at > now() + interval '1 day' ORDER BY m.starts_at LIMIT 1) AS planned_id,
       (SELECT m.id FROM meetings m JOIN minutes mi ON mi.meeting_id = m.id
         WHERE m.group_id = g.group_id AND m.status = 'held' ORDER BY m.starts_at DESC LIMIT 1) AS held_id,
       (SELECT ms.person_id FROM memberships ms WHERE ms.group_id = g.group_id AND ms.role = 'chair'
          AND ms.status = 'active' LIMIT 1) AS chair_id
FROM (SELECT DISTINCT group_id FROM load_users) g;

UPDATE agendas a
SET status = 'published', sent_to_chair_at = now() - interval '3 days', approved_at = now() - interval '2 days',
    approved_by = lm.chair_id, published_at = now() - interval '1 day', updated_at = now()
FROM load_meetings lm WHERE a.meeting_id = lm.planned_id;

UPDATE minutes mi
SET status = 'sent', sent_at = now(), sent_by = (SELECT id FROM people WHERE email = 'sekretariat@dmp.example'),
    worked_in_at = NULL, worked_in_by = NULL, approved_at = NULL, approved_by = NULL, updated_at = now()
FROM load_meetings lm WHERE mi.meeting_id = lm.held_id;

-- Every user needs both meetings; a group without them stops the run here rather than mid-load.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM load_meetings WHERE planned_id IS NULL OR held_id IS NULL OR chair_id IS NULL) THEN
        RAISE EXCEPTION 'a load group lacks a planned meeting, a held meeting with minutes, or a chair';
    END IF;
END $$;

COMMIT;

SELECT p.email, u.membership_id, lm.planned_id, lm.held_id
FROM load_users u JOIN people p ON p.id = u.person_id JOIN load_meetings lm ON lm.group_id = u.group_id
ORDER BY u.group_id, u.membership_id;
