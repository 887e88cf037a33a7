-- One definition of a membership as the pages show it: the person, their organisation and party, and
-- the keys the pages list members by (party order, then role, then name). memberships::of_group, the
-- group page and the meeting page read it (each of the last two inside its one page statement), so the
-- three cannot drift apart.
CREATE VIEW member_rows AS
SELECT m.id AS membership_id, m.group_id, p.id AS person_id, p.name, p.title, p.email, p.phone, p.competences,
       o.name AS organisation, p.management_level, m.role, m.party_id, pa.name AS party_name,
       pa.kind AS party_kind, m.status, m.nominated_on, m.approved_on, m.starts_on, m.ends_on,
       pa.sort_order AS party_order,
       array_position(ARRAY['chair','member','coordinator','secretariat','vendor','substitute'], m.role) AS role_order
FROM memberships m
JOIN people p ON p.id = m.person_id
LEFT JOIN organisations o ON o.id = p.organisation_id
LEFT JOIN parties pa ON pa.id = m.party_id;
