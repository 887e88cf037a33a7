-- M5, T5: a membership counts from the day it begins (its approval, or its start when that is later) to
-- its end. A meeting's seats, its attendance sheet and its mail go to the memberships whose span holds
-- the meeting's local day (D2: Europe/Copenhagen), so a member approved today is not on last month's
-- sheet, and one who left gets no agenda of a meeting after they left.
CREATE FUNCTION meeting_day(starts_at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE AS $$ SELECT (starts_at AT TIME ZONE 'Europe/Copenhagen')::date $$;

CREATE FUNCTION membership_counts_on(approved_on date, starts_on date, ends_on date, day date) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(greatest(approved_on, starts_on), '-infinity'::date) <= day
       AND coalesce(ends_on, 'infinity'::date) >= day
$$;

-- The seats of a meeting: those whose attendance was recorded, the nominated (shown as waiting, M5),
-- and the memberships that count on the meeting's day.
CREATE OR REPLACE VIEW seat_rows AS
SELECT m.id AS meeting_id, ms.id AS membership_id, p.id AS person_id, p.name, ms.role, ms.party_id,
       pa.name AS party_name, pa.kind AS party_kind, ms.status AS membership_status, a.status, a.apology_at,
       coalesce(a.apology_late, false) AS apology_late, pa.sort_order AS party_order
FROM meetings m
JOIN memberships ms ON ms.group_id = m.group_id
JOIN people p ON p.id = ms.person_id
LEFT JOIN parties pa ON pa.id = ms.party_id
LEFT JOIN attendance a ON a.meeting_id = m.id AND a.membership_id = ms.id
WHERE a.status IS NOT NULL
   OR ms.status = 'nominated'
   OR membership_counts_on(ms.approved_on, ms.starts_on, ms.ends_on, meeting_day(m.starts_at));
