-- R1-R4: one minutes per meeting, sent, commented, worked in, approved.
CREATE TABLE minutes (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id     bigint NOT NULL UNIQUE REFERENCES meetings (id) ON DELETE CASCADE,
    status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'approved')),
    body           text NOT NULL DEFAULT '',
    party_summary  text NOT NULL DEFAULT '',      -- R1: short summary of the parties' status, if the chair wishes
    sent_at        timestamptz,
    approved_at    timestamptz,
    approved_by    bigint REFERENCES people (id),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (status = 'draft' OR sent_at IS NOT NULL),
    CHECK (status <> 'approved' OR approved_at IS NOT NULL)
);

CREATE TABLE minutes_comments (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    minutes_id       bigint NOT NULL REFERENCES minutes (id) ON DELETE CASCADE,
    person_id        bigint NOT NULL REFERENCES people (id),
    body             text NOT NULL CHECK (length(btrim(body)) > 0),
    received_at      timestamptz NOT NULL DEFAULT now(),
    late             boolean NOT NULL DEFAULT false,          -- R3
    incorporated_at  timestamptz                               -- R4
);

-- C3: the roadmap: initiatives for next year and 3-4 years ahead.
CREATE TABLE roadmap_initiatives (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id     bigint NOT NULL REFERENCES groups (id),
    title        text NOT NULL CHECK (length(btrim(title)) > 0),
    description  text NOT NULL DEFAULT '',
    start_year   integer NOT NULL CHECK (start_year BETWEEN 2000 AND 2200),
    end_year     integer NOT NULL CHECK (end_year BETWEEN 2000 AND 2200),
    status       text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'paused', 'dropped')),
    position     integer NOT NULL DEFAULT 0,
    CHECK (end_year >= start_year)
);

-- C1, C2: change requests with their value and life cycle.
CREATE TABLE change_requests (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id         bigint NOT NULL REFERENCES groups (id),
    solution_id      bigint REFERENCES solutions (id),
    initiative_id    bigint REFERENCES roadmap_initiatives (id),
    reference        text NOT NULL UNIQUE,
    title            text NOT NULL CHECK (length(btrim(title)) > 0),
    business_need    text NOT NULL DEFAULT '',      -- what is the point
    value            text NOT NULL DEFAULT '',      -- what good does it do
    beneficiaries    text NOT NULL DEFAULT '',      -- and for whom
    priority         text NOT NULL DEFAULT 'medium' CHECK (priority IN ('high', 'medium', 'low')),
    status           text NOT NULL DEFAULT 'idea' CHECK (status IN ('idea', 'described', 'ready_for_decision',
                          'approved', 'rejected', 'in_development', 'delivered', 'evaluated')),
    vendor_estimate  text NOT NULL DEFAULT '',
    cost             numeric(14, 2) CHECK (cost >= 0),
    learning         text NOT NULL DEFAULT '',      -- feedback after delivery
    not_ready_note   text NOT NULL DEFAULT '',      -- A7: not ready against last meeting's agreements
    submitted_by     bigint REFERENCES people (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_requests_group ON change_requests (group_id, status);

CREATE TABLE change_request_escalations (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    change_request_id  bigint NOT NULL REFERENCES change_requests (id) ON DELETE CASCADE,
    reason             text NOT NULL CHECK (length(btrim(reason)) > 0),
    escalated_by       bigint REFERENCES people (id),
    escalated_at       timestamptz NOT NULL DEFAULT now(),
    board_outcome      text NOT NULL DEFAULT ''
);

-- R5: decisions in the minutes become register entries.
CREATE TABLE decisions (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id         bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    agenda_item_id     bigint REFERENCES agenda_items (id) ON DELETE SET NULL,
    change_request_id  bigint REFERENCES change_requests (id),
    text               text NOT NULL CHECK (length(btrim(text)) > 0),
    responsible_id     bigint REFERENCES people (id),
    decided_on         date NOT NULL
);

-- C4: the action list.
CREATE TABLE actions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id     bigint NOT NULL REFERENCES groups (id),
    meeting_id   bigint REFERENCES meetings (id) ON DELETE SET NULL,
    title        text NOT NULL CHECK (length(btrim(title)) > 0),
    owner_id     bigint NOT NULL REFERENCES people (id),
    due_on       date NOT NULL,
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    done_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (status <> 'done' OR done_at IS NOT NULL)
);
CREATE INDEX actions_group_status ON actions (group_id, status, due_on);

-- A8: operational status of the solutions (errors, support, releases, incidents).
CREATE TABLE operational_status (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    solution_id  bigint NOT NULL REFERENCES solutions (id),
    kind         text NOT NULL CHECK (kind IN ('errors', 'support', 'release', 'incident')),
    reported_on  date NOT NULL,
    summary      text NOT NULL CHECK (length(btrim(summary)) > 0),
    count        integer CHECK (count >= 0)
);
