-- Issue 10 items 4 and 5: the approving bodies of charters (O3), the chair's comments as a thread (A1),
-- and the erasure of a person who has left (GDPR).

-- O3: the installation's bodies that may approve a charter. Reference data of the product: every
-- installation has them (DMP's board and staff group, and a group approving its own charter, S2).
CREATE TABLE approving_bodies (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_-]{1,40}$'),
    name        text NOT NULL UNIQUE CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    sort_order  integer NOT NULL DEFAULT 0
);
INSERT INTO approving_bodies (code, name, sort_order) VALUES
    ('bestyrelse', 'Bestyrelsen', 1),
    ('stabsgruppe', 'Stabsgruppen', 2),
    ('gruppen', 'Gruppen selv (første møde, S2)', 3)
ON CONFLICT (code) DO NOTHING;

-- O3: the body a kind's charters must be approved by; NULL lets the secretariat choose any body.
-- DMP: "Changing it needs board approval".
ALTER TABLE group_kinds ADD COLUMN charter_body_id bigint REFERENCES approving_bodies (id);
UPDATE group_kinds SET charter_body_id = (SELECT id FROM approving_bodies WHERE code = 'bestyrelse')
 WHERE family IN ('dmp', 'governance');

ALTER TABLE charters ADD COLUMN approving_body_id bigint REFERENCES approving_bodies (id);
UPDATE charters c SET approving_body_id = b.id
  FROM approving_bodies b
 WHERE c.status <> 'draft'
   AND b.code = CASE WHEN c.approved_by = 'Bestyrelsen' THEN 'bestyrelse'
                     WHEN c.approved_by = 'Stabsgruppen' THEN 'stabsgruppe'
                     ELSE 'gruppen' END;
-- O3: a version is in force only with its approving body and date (new and changed rows).
ALTER TABLE charters ADD CONSTRAINT charters_approved_by_a_body
    CHECK (status = 'draft' OR (approving_body_id IS NOT NULL AND approved_on IS NOT NULL)) NOT VALID;

-- A1: the chair's comments on a draft agenda, kept as a thread (the single agendas.chair_comment
-- field was overwritten by each comment; it is no longer written).
CREATE TABLE agenda_chair_comments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agenda_id   bigint NOT NULL REFERENCES agendas (id) ON DELETE CASCADE,
    author_id   bigint REFERENCES people (id),
    body        text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 10000),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agenda_chair_comments_agenda ON agenda_chair_comments (agenda_id, created_at);
INSERT INTO agenda_chair_comments (agenda_id, body, created_at)
SELECT id, chair_comment, updated_at FROM agendas WHERE btrim(chair_comment) <> '';
UPDATE agendas SET chair_comment = '' WHERE chair_comment <> '';

-- GDPR: a person who has left and was erased keeps their row (so minutes, decisions and attendance
-- stay whole) under a neutral name; when it happened is recorded here and in the audit log.
ALTER TABLE people ADD COLUMN erased_at timestamptz;

-- GDPR: replaces every whole-word occurrence of a personal value (a name, an address, a phone number)
-- in every text and jsonb column of the public schema. Free text (minutes, mails in the outbox, audit
-- snapshots) may mention a person anywhere, and tables added later are covered without a list.
-- Matching ignores case; in jsonb columns the JSON-escaped forms of both values are used.
CREATE FUNCTION scrub_personal_text(old text, replacement text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    col record;
    n bigint := 0;
    changed bigint;
    json_old text := substr(to_jsonb(old)::text, 2, length(to_jsonb(old)::text) - 2);
    json_replacement text := substr(to_jsonb(replacement)::text, 2, length(to_jsonb(replacement)::text) - 2);
    word_pattern text;
    json_word_pattern text;
BEGIN
    IF length(btrim(old)) = 0 THEN
        RETURN 0;
    END IF;
    -- A value counts where it stands alone: not inside a longer word, name or address; a Danish genitive
    -- s is kept after the replacement.
    word_pattern := '(?<![[:alnum:]_.@+-])' || regexp_replace(old, '([][(){}.*+?^$|\\-])', '\\\1', 'g') || '(s?)(?![[:alnum:]_@])';
    -- In JSON text a value may follow an escape such as \n (a line break in a snapshot of minutes).
    json_word_pattern := '(?:(?<=\\[nrtbf])|(?<![[:alnum:]_.@+-]))' || regexp_replace(json_old, '([][(){}.*+?^$|\\-])', '\\\1', 'g') || '(s?)(?![[:alnum:]_@])';
    replacement := replace(replacement, '\', '\\') || '\1';
    json_replacement := replace(json_replacement, '\', '\\') || '\1';
    FOR col IN
        SELECT c.table_name, c.column_name, c.data_type
          FROM information_schema.columns c
          JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
           AND c.data_type IN ('text', 'character varying', 'jsonb')
           AND c.is_generated = 'NEVER'
    LOOP
        IF col.data_type = 'jsonb' THEN
            EXECUTE format('UPDATE public.%I SET %I = regexp_replace(%I::text, $1, $2, ''gi'')::jsonb WHERE %I::text ~* $1',
                           col.table_name, col.column_name, col.column_name, col.column_name)
              USING json_word_pattern, json_replacement;
        ELSE
            EXECUTE format('UPDATE public.%I SET %I = regexp_replace(%I, $1, $2, ''gi'') WHERE %I ~* $1',
                           col.table_name, col.column_name, col.column_name, col.column_name)
              USING word_pattern, replacement;
        END IF;
        GET DIAGNOSTICS changed = ROW_COUNT;
        n := n + changed;
    END LOOP;
    RETURN n;
END
$$;
