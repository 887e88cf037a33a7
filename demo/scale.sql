-- One batch of realistic volume on top of the demo (issue 12): 50 faggrupper, 2,000 people with
-- memberships, five years of ordinary meetings (I-IV a year) with full agendas, attendance and minutes for
-- the held ones, 10,000 change requests, 10,000 actions and 10,000 decisions. Set-based throughout.
-- Expects a temporary table scale_batch(b int) naming the batch (1, 2, ...), so slugs, emails and
-- references stay unique over batches.

CREATE TEMP TABLE scale_names AS
SELECT ARRAY['Anne','Mette','Hanne','Susanne','Lene','Maria','Marianne','Camilla','Louise','Charlotte',
             'Peter','Jens','Lars','Michael','Henrik','Thomas','Søren','Jan','Niels','Rasmus',
             'Kirsten','Tina','Pia','Karen','Birgitte','Anders','Morten','Jesper','Martin','Kasper'] AS first,
       ARRAY['Nielsen','Jensen','Hansen','Pedersen','Andersen','Christensen','Larsen','Sørensen','Rasmussen',
             'Jørgensen','Petersen','Madsen','Kristensen','Olsen','Thomsen','Christiansen','Poulsen','Johansen',
             'Møller','Mortensen','Knudsen','Jakobsen','Holm','Lund','Schmidt','Eriksen','Kjær','Dam'] AS last,
       ARRAY['Naturbeskyttelse','Grundvand','Kystzoner','Jordforurening','Vandløb','Skovdrift','Klimatilpasning',
             'Arealdata','Miljøtilsyn','Biodiversitet'] AS topic,
       ARRAY['Kontorchef','Specialkonsulent','Fuldmægtig','Chefkonsulent','Projektleder','Miljømedarbejder',
             'Teamleder','Biolog','Geolog','Planlægger'] AS title;

-- 50 groups, internal, under the DMP's faggruppe kind.
CREATE TEMP TABLE scale_groups AS
WITH ins AS (
    INSERT INTO groups (kind_id, slug, name, purpose, confidentiality)
    SELECT k.id, 'skala-' || b.b || '-' || g,
           'Faggruppe ' || n.topic[1 + (g - 1) % 10] || ' ' || b.b || '.' || g,
           'Faggruppen samler staten, regionerne og kommunerne om ' || lower(n.topic[1 + (g - 1) % 10]) || '.',
           'internal'
    FROM group_kinds k, scale_batch b, scale_names n, generate_series(1, 50) g
    WHERE k.code = 'faggruppe'
    RETURNING id
)
SELECT id, (row_number() OVER (ORDER BY id))::int AS g FROM ins;

-- 2,000 people spread over the organisations.
CREATE TEMP TABLE scale_orgs AS
SELECT id, party_id, (row_number() OVER (ORDER BY id))::int AS o FROM organisations WHERE party_id IS NOT NULL;

CREATE TEMP TABLE scale_people AS
WITH ins AS (
    INSERT INTO people (name, title, organisation_id, party_id, management_level, email, phone, competences)
    SELECT n.first[1 + (p * 7) % 30] || ' ' || n.last[1 + (p * 13) % 28],
           n.title[1 + p % 10], o.id, o.party_id, p % 9 = 0,
           lower(translate(n.first[1 + (p * 7) % 30], 'æøå', 'aoa')) || '.' || lower(translate(n.last[1 + (p * 13) % 28], 'æøå', 'aoa'))
               || '.' || b.b || '.' || p || '@skala.example',
           '+45 ' || lpad(((20000000 + p * 37 + b.b * 100000) % 100000000)::text, 8, '0'),
           n.topic[1 + p % 10] || ', ' || n.topic[1 + (p + 3) % 10]
    FROM scale_batch b, scale_names n, generate_series(1, 2000) p
    JOIN scale_orgs o ON o.o = 1 + p % (SELECT count(*) FROM scale_orgs)
    RETURNING id, party_id
)
SELECT id, party_id, (row_number() OVER (ORDER BY id))::int AS p FROM ins;

-- Everyone sits in one group (40 a group; the first of each is the chair), every fourth also as a
-- substitute in another group.
INSERT INTO memberships (group_id, person_id, role, party_id, status, nominated_on, approved_on, starts_on)
SELECT g.id, p.id,
       CASE WHEN p.p <= 50 THEN 'chair' ELSE 'member' END,
       p.party_id, 'active', current_date - 1900, current_date - 1880, current_date - 1850
FROM scale_people p JOIN scale_groups g ON g.g = 1 + (p.p - 1) % 50;
INSERT INTO memberships (group_id, person_id, role, party_id, status, nominated_on, approved_on, starts_on)
SELECT g.id, p.id, 'substitute', p.party_id, 'active', current_date - 1500, current_date - 1480, current_date - 1450
FROM scale_people p JOIN scale_groups g ON g.g = 1 + (p.p + 6) % 50
WHERE p.p % 4 = 0;

-- Five years of meetings I-IV (13:00-16:00 Copenhagen time): three years back, two ahead.
CREATE TEMP TABLE scale_meetings AS
WITH ins AS (
    INSERT INTO meetings (group_id, kind, title, starts_at, ends_at, format, location, cycle_number, status)
    SELECT g.id, 'ordinary', 'Faggruppemøde ' || (ARRAY['I','II','III','IV'])[q] || ' ' || y,
           ((make_date(y, 3 * q - 1, 10 + g.g % 15) + time '13:00') AT TIME ZONE 'Europe/Copenhagen'),
           ((make_date(y, 3 * q - 1, 10 + g.g % 15) + time '16:00') AT TIME ZONE 'Europe/Copenhagen'),
           (ARRAY['physical','online','hybrid'])[1 + (g.g + q) % 3],
           'Mødelokale ' || (1 + g.g % 12) || ', Miljøministeriet', q::smallint,
           CASE WHEN make_date(y, 3 * q - 1, 10 + g.g % 15) < current_date THEN 'held' ELSE 'planned' END
    FROM scale_groups g,
         generate_series(extract(year FROM current_date)::int - 3, extract(year FROM current_date)::int + 1) y,
         generate_series(1, 4) q
    RETURNING id, group_id, starts_at, status
)
SELECT * FROM ins;

-- Agendas: published for the held meetings, drafts for the planned ones.
CREATE TEMP TABLE scale_agendas AS
WITH ins AS (
    INSERT INTO agendas (meeting_id, status, sent_to_chair_at, approved_at, approved_by, published_at)
    SELECT m.id,
           CASE WHEN m.status = 'held' THEN 'published' ELSE 'draft' END,
           CASE WHEN m.status = 'held' THEN m.starts_at - interval '14 days' END,
           CASE WHEN m.status = 'held' THEN m.starts_at - interval '12 days' END,
           CASE WHEN m.status = 'held' THEN (SELECT ms.person_id FROM memberships ms
                                              WHERE ms.group_id = m.group_id AND ms.role = 'chair' AND ms.status = 'active') END,
           CASE WHEN m.status = 'held' THEN m.starts_at - interval '8 days' END
    FROM scale_meetings m
    RETURNING id, meeting_id
)
SELECT * FROM ins;

-- Ten items an agenda, two of them decisions with a responsible member.
INSERT INTO agenda_items (agenda_id, position, title, presenter, body, is_decision, responsible_id, planned_minutes)
SELECT a.id, i,
       (ARRAY['Velkomst og godkendelse af dagsorden','Opfølgning på handlinger','Status på løsninger i drift',
              'Ændringsønsker til beslutning','Roadmap for det kommende år','Budget og disponeringer',
              'Orientering fra parterne','Brugerinddragelse','Næste møde','Eventuelt'])[i],
       'Sekretariatet',
       CASE WHEN i IN (4, 6) THEN 'Faggruppen indstilles til at godkende forslaget.' ELSE '' END,
       i IN (4, 6),
       CASE WHEN i IN (4, 6) THEN (SELECT ms.person_id FROM memberships ms
                                   WHERE ms.group_id = m.group_id AND ms.role = 'chair' AND ms.status = 'active') END,
       (ARRAY[5, 15, 20, 30, 25, 15, 20, 20, 5, 5])[i]
FROM scale_agendas a JOIN scale_meetings m ON m.id = a.meeting_id, generate_series(1, 10) i;

-- Attendance at the held meetings: most attended, some absent, a few apologised.
INSERT INTO attendance (meeting_id, membership_id, status, apology_at, apology_late)
SELECT m.id, ms.id,
       CASE WHEN (m.id + ms.id) % 11 = 0 THEN 'apology' WHEN (m.id + ms.id) % 17 = 0 THEN 'absent' ELSE 'attended' END,
       CASE WHEN (m.id + ms.id) % 11 = 0 THEN m.starts_at - interval '9 days' END,
       false
FROM scale_meetings m JOIN memberships ms ON ms.group_id = m.group_id AND ms.status = 'active'
WHERE m.status = 'held';

-- Minutes for the held meetings: sent five days after, comments worked in after the window, approved at
-- the next meeting (R2-R4); one item holding the text.
INSERT INTO minutes (meeting_id, status, body, sent_at, worked_in_at, approved_at)
SELECT m.id, 'approved', '', m.starts_at + interval '5 days', m.starts_at + interval '15 days', m.starts_at + interval '90 days'
FROM scale_meetings m WHERE m.status = 'held';
INSERT INTO minutes_items (minutes_id, position, number, title, body)
SELECT mi.id, 1, '1', 'Referat',
       'Faggruppen drøftede punkterne på dagsordenen og traf de beslutninger, der fremgår af beslutningsregistret.'
FROM minutes mi JOIN scale_meetings m ON m.id = mi.meeting_id;

-- 10,000 change requests over the groups, in every status.
INSERT INTO change_requests (group_id, reference, title, business_need, value, beneficiaries, priority, status, submitted_by, created_at)
SELECT g.id, 'SK' || b.b || '-' || lpad(c::text, 5, '0'),
       (ARRAY['Nyt felt til','Bedre søgning i','Eksport af','Validering af','Kortvisning af','Historik for'])[1 + c % 6]
           || ' ' || lower(n.topic[1 + c % 10]),
       'Sagsbehandlerne mangler overblik.', 'Færre fejl og hurtigere sagsbehandling.', 'Kommuner og regioner',
       (ARRAY['high','medium','low'])[1 + c % 3],
       (ARRAY['idea','described','ready_for_decision','approved','rejected','in_development','delivered','evaluated'])[1 + c % 8],
       p.id, now() - (c % 1800) * interval '1 day'
FROM scale_batch b, scale_names n, generate_series(1, 10000) c
JOIN scale_groups g ON g.g = 1 + c % 50
JOIN scale_people p ON p.p = 1 + c % 2000;

-- 10,000 decisions at the held meetings and 10,000 actions, the recent ones still open.
CREATE TEMP TABLE scale_held AS
SELECT id, group_id, starts_at, (row_number() OVER (ORDER BY id))::int AS h FROM scale_meetings WHERE status = 'held';

INSERT INTO decisions (meeting_id, text, responsible_id, decided_on)
SELECT m.id, 'Faggruppen besluttede at ' || (ARRAY['godkende ændringsønsket','prioritere opgaven','udsætte sagen',
                                                    'bede sekretariatet om et oplæg','afsætte midler'])[1 + d % 5] || '.',
       (SELECT ms.person_id FROM memberships ms WHERE ms.group_id = m.group_id AND ms.role = 'chair' AND ms.status = 'active'),
       (m.starts_at AT TIME ZONE 'Europe/Copenhagen')::date
FROM generate_series(1, 10000) d
JOIN scale_held m ON m.h = 1 + d % (SELECT count(*) FROM scale_held);

INSERT INTO actions (group_id, meeting_id, title, owner_id, due_on, status, done_at)
SELECT m.group_id, m.id,
       (ARRAY['Udarbejde notat om','Indkalde til workshop om','Afklare økonomi for','Følge op på'])[1 + a % 4]
           || ' ' || lower(n.topic[1 + a % 10]),
       p.id, (m.starts_at AT TIME ZONE 'Europe/Copenhagen')::date + 30 + a % 60,
       CASE WHEN m.starts_at > now() - interval '120 days' THEN 'open' ELSE 'done' END,
       CASE WHEN m.starts_at > now() - interval '120 days' THEN NULL ELSE m.starts_at + interval '40 days' END
FROM scale_names n, generate_series(1, 10000) a
JOIN scale_held m ON m.h = 1 + a % (SELECT count(*) FROM scale_held)
JOIN scale_people p ON p.p = 1 + a % 2000;

DROP TABLE scale_names, scale_groups, scale_orgs, scale_people, scale_meetings, scale_agendas, scale_held;
