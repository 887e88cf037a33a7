-- One definition of a meeting's seats as the pages show them: the group's live members, and ended ones
-- whose attendance was recorded, with what is known of their attendance (T4, T5, M6) and the key the
-- pages list them by. attendance::for_meeting, the meeting page and the minutes page read it (the last
-- two inside their one page statement), so the three cannot drift apart.
CREATE VIEW seat_rows AS
SELECT m.id AS meeting_id, ms.id AS membership_id, p.id AS person_id, p.name, ms.role, ms.party_id,
       pa.name AS party_name, pa.kind AS party_kind, ms.status AS membership_status, a.status, a.apology_at,
       coalesce(a.apology_late, false) AS apology_late, pa.sort_order AS party_order
FROM meetings m
JOIN memberships ms ON ms.group_id = m.group_id
JOIN people p ON p.id = ms.person_id
LEFT JOIN parties pa ON pa.id = ms.party_id
LEFT JOIN attendance a ON a.meeting_id = m.id AND a.membership_id = ms.id
WHERE ms.status <> 'ended' OR a.status IS NOT NULL;
