-- T1-T7: meetings. A joint meeting of all groups or a chairs' meeting belongs to no single group.
CREATE TABLE meetings (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id     bigint REFERENCES groups (id),
    kind         text NOT NULL CHECK (kind IN ('ordinary', 'working', 'joint', 'chairs', 'chairs_board', 'staff_group', 'board')),
    title        text NOT NULL DEFAULT '',
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    format       text NOT NULL CHECK (format IN ('physical', 'online', 'hybrid')),     -- T3
    location     text NOT NULL DEFAULT '',
    online_link  text NOT NULL DEFAULT '',
    cycle_number smallint CHECK (cycle_number BETWEEN 1 AND 4),                        -- Y1: meeting I-IV
    status       text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    CHECK (kind IN ('joint', 'chairs', 'chairs_board') OR group_id IS NOT NULL)
);
CREATE INDEX meetings_group_start ON meetings (group_id, starts_at);
CREATE INDEX meetings_start ON meetings (starts_at);

ALTER TABLE memberships
    ADD CONSTRAINT memberships_approved_at_meeting_fk FOREIGN KEY (approved_at_meeting_id) REFERENCES meetings (id);

-- T6: room and catering checklist for physical meetings.
CREATE TABLE meeting_checklist (
    meeting_id  bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    item        text NOT NULL CHECK (item IN ('room', 'catering', 'equipment', 'directions')),
    done        boolean NOT NULL DEFAULT false,
    note        text NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, item)
);

-- T2, T4, T5, M5, M6: the attendance sheet. Only approved members are ever registered (enforced in the domain).
CREATE TABLE attendance (
    meeting_id     bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    membership_id  bigint NOT NULL REFERENCES memberships (id),
    status         text NOT NULL CHECK (status IN ('invited', 'attended', 'absent', 'apology')),
    apology_at     timestamptz,
    apology_late   boolean NOT NULL DEFAULT false,       -- T4: under 7 days before
    apology_note   text NOT NULL DEFAULT '',
    substitute_membership_id bigint REFERENCES memberships (id),  -- M6: who attends instead
    recorded_by    bigint REFERENCES people (id),
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meeting_id, membership_id),
    CHECK (status <> 'apology' OR apology_at IS NOT NULL)
);

-- Y1: the årshjul. Topics i-iv each placed once a year; groups may add their own.
CREATE TABLE annual_topics (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id     bigint NOT NULL REFERENCES groups (id),
    year         integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    code         text NOT NULL CHECK (code IN ('charter_review', 'party_processes', 'user_input', 'roadmap_planning',
                                               'data_agreement', 'metadata_review', 'budget_decision', 'custom')),
    title        text NOT NULL,
    meeting_id   bigint REFERENCES meetings (id) ON DELETE SET NULL,
    done_on      date
);
CREATE UNIQUE INDEX annual_topics_once_a_year ON annual_topics (group_id, year, code) WHERE code <> 'custom';

-- A1, A2: one agenda per meeting with its approval workflow.
CREATE TABLE agendas (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id       bigint NOT NULL UNIQUE REFERENCES meetings (id) ON DELETE CASCADE,
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent_to_chair', 'approved', 'published')),
    sent_to_chair_at timestamptz,
    chair_comment    text NOT NULL DEFAULT '',
    approved_at      timestamptz,
    approved_by      bigint REFERENCES people (id),
    published_at     timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (status IN ('draft') OR sent_to_chair_at IS NOT NULL),
    CHECK (status NOT IN ('approved', 'published') OR (approved_at IS NOT NULL AND approved_by IS NOT NULL)),
    CHECK (status <> 'published' OR published_at IS NOT NULL)
);

-- A4-A6: items, two levels deep (1, 1.1 ...), each with its presenter ("v/").
CREATE TABLE agenda_items (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agenda_id       bigint NOT NULL REFERENCES agendas (id) ON DELETE CASCADE,
    parent_id       bigint REFERENCES agenda_items (id) ON DELETE CASCADE,
    position        integer NOT NULL CHECK (position >= 0),
    title           text NOT NULL CHECK (length(btrim(title)) > 0),
    presenter       text NOT NULL DEFAULT '',
    body            text NOT NULL DEFAULT '',
    is_decision     boolean NOT NULL DEFAULT false,                    -- A5
    responsible_id  bigint REFERENCES people (id),                     -- A5
    is_planning     boolean NOT NULL DEFAULT false,                    -- A6
    planned_minutes integer CHECK (planned_minutes > 0),               -- A4: the chair may give times
    confidentiality confidentiality NOT NULL DEFAULT 'internal',
    CHECK (NOT is_decision OR responsible_id IS NOT NULL)
);
CREATE INDEX agenda_items_agenda ON agenda_items (agenda_id, parent_id, position);

-- A3: a member's written request for an agenda item.
CREATE TABLE agenda_item_requests (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id       bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    requested_by     bigint NOT NULL REFERENCES people (id),
    title            text NOT NULL CHECK (length(btrim(title)) > 0),
    description      text NOT NULL DEFAULT '',
    wanted_decision  text NOT NULL DEFAULT '',
    submitted_at     timestamptz NOT NULL DEFAULT now(),
    late             boolean NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined')),
    decided_by       bigint REFERENCES people (id),
    decided_at       timestamptz,
    decision_reason  text NOT NULL DEFAULT '',
    agenda_item_id   bigint REFERENCES agenda_items (id) ON DELETE SET NULL,
    CHECK (status = 'pending' OR (decided_by IS NOT NULL AND decided_at IS NOT NULL)),
    CHECK (status <> 'declined' OR length(btrim(decision_reason)) > 0)
);

-- T7: attachments live with their meeting (or the group's room), stored in the database.
CREATE TABLE documents (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id        bigint REFERENCES groups (id),
    meeting_id      bigint REFERENCES meetings (id) ON DELETE CASCADE,
    agenda_item_id  bigint REFERENCES agenda_items (id) ON DELETE SET NULL,
    request_id      bigint REFERENCES agenda_item_requests (id) ON DELETE CASCADE,
    filename        text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    content_type    text NOT NULL,
    size_bytes      bigint NOT NULL CHECK (size_bytes >= 0 AND size_bytes <= 26214400),
    sha256          bytea NOT NULL,
    content         bytea NOT NULL,
    confidentiality confidentiality NOT NULL DEFAULT 'internal',
    uploaded_by     bigint REFERENCES people (id),
    uploaded_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (group_id IS NOT NULL OR meeting_id IS NOT NULL)
);
CREATE INDEX documents_meeting ON documents (meeting_id);

-- Secret, revocable calendar subscription feeds per person.
CREATE TABLE calendar_feeds (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id   bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    secret_hash bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
