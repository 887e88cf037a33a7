-- O2, S1: group kinds are data; each carries its rule set (which of M2-M6 apply) and its charter template.
CREATE TABLE group_kinds (
    id                        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code                      text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_-]{1,40}$'),
    name                      text NOT NULL,
    family                    text NOT NULL CHECK (family IN ('dmp', 'os2', 'governance')),
    max_members               integer CHECK (max_members > 0),              -- M2: 11
    max_per_party             integer CHECK (max_per_party > 0),            -- M2: 3
    max_secretariat           integer CHECK (max_secretariat >= 0),         -- M2: 2
    chair_management_level    boolean NOT NULL DEFAULT false,               -- M3
    chair_from_party          boolean NOT NULL DEFAULT false,               -- M4
    requires_staff_approval   boolean NOT NULL DEFAULT false,               -- M5
    expects_substitutes       boolean NOT NULL DEFAULT false,               -- M6
    charter_template          text NOT NULL DEFAULT '',                     -- S2
    responsibilities          text NOT NULL DEFAULT ''                      -- S1, S2
);

CREATE TABLE groups (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind_id          bigint NOT NULL REFERENCES group_kinds (id),
    slug             text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{1,60}$'),
    name             text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    purpose          text NOT NULL DEFAULT '',
    status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    confidentiality  confidentiality NOT NULL DEFAULT 'internal',   -- O5
    -- O5: groups report to the board via the staff group.
    reports_to_id    bigint REFERENCES groups (id),
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- O3, S2: versioned charter; a version is a draft until the approving body and date are recorded.
CREATE TABLE charters (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id      bigint NOT NULL REFERENCES groups (id),
    version       integer NOT NULL CHECK (version > 0),
    body          text NOT NULL,
    status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'superseded')),
    approved_by   text,
    approved_on   date,
    created_by    bigint REFERENCES people (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (group_id, version),
    CHECK (status = 'draft' OR (approved_by IS NOT NULL AND approved_on IS NOT NULL))
);
CREATE UNIQUE INDEX charters_one_in_force ON charters (group_id) WHERE status = 'approved';

-- S3: follow-or-explain.
CREATE TABLE follow_or_explain (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id     bigint NOT NULL REFERENCES groups (id),
    requirement  text NOT NULL CHECK (length(btrim(requirement)) > 0),
    explanation  text NOT NULL CHECK (length(btrim(explanation)) > 0),
    recorded_by  bigint REFERENCES people (id),
    recorded_at  timestamptz NOT NULL DEFAULT now()
);

-- O4: solutions in operation that a faggruppe is responsible for.
CREATE TABLE solutions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL UNIQUE,
    description  text NOT NULL DEFAULT '',
    group_id     bigint REFERENCES groups (id),
    in_operation boolean NOT NULL DEFAULT true
);

-- M1-M6: who sits where, in which role, for which party, and in which approval state.
CREATE TABLE memberships (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id                bigint NOT NULL REFERENCES groups (id),
    person_id               bigint NOT NULL REFERENCES people (id),
    role                    text NOT NULL CHECK (role IN ('chair', 'member', 'substitute', 'secretariat', 'coordinator', 'vendor')),
    party_id                bigint REFERENCES parties (id),
    status                  text NOT NULL CHECK (status IN ('nominated', 'active', 'ended')),
    nominated_on            date,
    approved_on             date,                          -- M5: the staff group's approval
    approved_at_meeting_id  bigint,                        -- FK added with meetings
    starts_on               date,
    ends_on                 date,
    created_at              timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on),
    CHECK (status <> 'ended' OR ends_on IS NOT NULL),
    -- M4: the chair represents a party, never the secretariat (enforced on party kind in the domain).
    CHECK (role <> 'chair' OR party_id IS NOT NULL)
);
-- One chair per group (M3, M4); a person holds one live membership per group.
CREATE UNIQUE INDEX memberships_one_chair ON memberships (group_id) WHERE role = 'chair' AND status = 'active';
CREATE UNIQUE INDEX memberships_one_live_per_person ON memberships (group_id, person_id) WHERE status <> 'ended';
CREATE INDEX memberships_person ON memberships (person_id);

-- M9: onboarding checklist of a new member.
CREATE TABLE onboarding_steps (
    membership_id  bigint NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
    step           text NOT NULL CHECK (step IN ('intro_package', 'website_updated', 'meetings_booked',
                                                 'room_access', 'staff_group_approval', 'board_informed')),
    done_on        date,
    done_by        bigint REFERENCES people (id),
    PRIMARY KEY (membership_id, step)
);

-- M10: buy-out agreements (frikøb) for special tasks.
CREATE TABLE buyout_agreements (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id    bigint NOT NULL REFERENCES people (id),
    group_id     bigint REFERENCES groups (id),
    description  text NOT NULL CHECK (length(btrim(description)) > 0),
    hours        numeric(8, 1) CHECK (hours >= 0),
    starts_on    date NOT NULL,
    ends_on      date,
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
