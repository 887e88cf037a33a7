-- R1-R5, C4: minutes written per agenda item with structured entries, the workflow steps with who
-- and when, comments per item with their handling, versions after approval, and the registers'
-- links back to the minutes item an entry came from.

-- The workflow: draft -> sent (comment window, R3) -> worked_in (R4) -> approved (published, read-only).
ALTER TABLE minutes DROP CONSTRAINT minutes_status_check;
ALTER TABLE minutes ADD CONSTRAINT minutes_status_check
    CHECK (status IN ('draft', 'sent', 'worked_in', 'approved'));
ALTER TABLE minutes
    ADD COLUMN sent_by       bigint REFERENCES people (id),
    ADD COLUMN worked_in_at  timestamptz,
    ADD COLUMN worked_in_by  bigint REFERENCES people (id),
    ADD COLUMN version       integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    ADD COLUMN correction    text NOT NULL DEFAULT '';   -- why the current version corrects an approved one
UPDATE minutes SET worked_in_at = approved_at WHERE status = 'approved' AND worked_in_at IS NULL;
ALTER TABLE minutes ADD CONSTRAINT minutes_worked_in_stamped
    CHECK (status NOT IN ('worked_in', 'approved') OR worked_in_at IS NOT NULL);

-- R1: one item per agenda item of the published agenda, plus extra items (agenda_item_id NULL).
CREATE TABLE minutes_items (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    minutes_id        bigint NOT NULL REFERENCES minutes (id) ON DELETE CASCADE,
    agenda_item_id    bigint REFERENCES agenda_items (id) ON DELETE SET NULL,
    position          integer NOT NULL,
    number            text NOT NULL DEFAULT '',
    title             text NOT NULL CHECK (length(btrim(title)) > 0),
    is_decision_item  boolean NOT NULL DEFAULT false,
    body              text NOT NULL DEFAULT '',
    UNIQUE (minutes_id, agenda_item_id)
);
CREATE INDEX minutes_items_minutes ON minutes_items (minutes_id, position);

-- R1: the structured entries beside an item's text.
CREATE TABLE minutes_entries (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    minutes_item_id  bigint NOT NULL REFERENCES minutes_items (id) ON DELETE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('decision', 'action', 'agreement')),
    text             text NOT NULL CHECK (length(btrim(text)) > 0),
    outcome          text CHECK (outcome IN ('approved', 'rejected', 'postponed', 'noted')),
    owner_id         bigint REFERENCES people (id),
    due_on           date,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'action' OR (owner_id IS NOT NULL AND due_on IS NOT NULL)),
    CHECK (kind = 'action' OR (owner_id IS NULL AND due_on IS NULL)),
    CHECK (kind = 'decision' OR outcome IS NULL)
);
CREATE INDEX minutes_entries_item ON minutes_entries (minutes_item_id, id);

-- R3, R4: a comment belongs to an item; the secretariat incorporates or answers it, with a reply.
ALTER TABLE minutes_comments
    ADD COLUMN minutes_item_id  bigint REFERENCES minutes_items (id) ON DELETE CASCADE,
    ADD COLUMN resolution       text CHECK (resolution IN ('incorporated', 'answered')),
    ADD COLUMN reply            text NOT NULL DEFAULT '',
    ADD COLUMN resolved_at      timestamptz,
    ADD COLUMN resolved_by      bigint REFERENCES people (id);
UPDATE minutes_comments SET resolution = 'incorporated', resolved_at = incorporated_at
WHERE incorporated_at IS NOT NULL;
ALTER TABLE minutes_comments ADD CONSTRAINT minutes_comments_resolved
    CHECK ((resolution IS NULL) = (resolved_at IS NULL));
CREATE INDEX minutes_comments_minutes ON minutes_comments (minutes_id, received_at);

-- Approved versions, kept readable when a correction makes a new one.
CREATE TABLE minutes_versions (
    minutes_id   bigint NOT NULL REFERENCES minutes (id) ON DELETE CASCADE,
    version      integer NOT NULL,
    approved_at  timestamptz NOT NULL,
    approved_by  bigint REFERENCES people (id),
    correction   text NOT NULL DEFAULT '',
    content      jsonb NOT NULL,
    PRIMARY KEY (minutes_id, version)
);

-- R5: register entries link back to the minutes item and entry they came from.
ALTER TABLE decisions
    ADD COLUMN minutes_item_id   bigint REFERENCES minutes_items (id) ON DELETE SET NULL,
    ADD COLUMN minutes_entry_id  bigint UNIQUE REFERENCES minutes_entries (id) ON DELETE SET NULL,
    ADD COLUMN outcome           text CHECK (outcome IN ('approved', 'rejected', 'postponed', 'noted'));
CREATE INDEX decisions_meeting ON decisions (meeting_id, decided_on);

-- C4: actions from the minutes; closed by the owner or the secretariat with a note.
ALTER TABLE actions
    ADD COLUMN minutes_item_id   bigint REFERENCES minutes_items (id) ON DELETE SET NULL,
    ADD COLUMN minutes_entry_id  bigint UNIQUE REFERENCES minutes_entries (id) ON DELETE SET NULL,
    ADD COLUMN note              text NOT NULL DEFAULT '',
    ADD COLUMN closed_by         bigint REFERENCES people (id);
