-- B1: the board sets each group's budget per year; nothing carries over (a budget belongs to one year).
CREATE TABLE budgets (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id     bigint NOT NULL REFERENCES groups (id),
    year         integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    amount       numeric(14, 2) NOT NULL CHECK (amount >= 0),
    set_by       text NOT NULL DEFAULT 'Bestyrelsen',
    set_on       date NOT NULL,
    UNIQUE (group_id, year)
);

-- B3: what the budget is disposed for, and what has been spent.
CREATE TABLE budget_dispositions (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    budget_id          bigint NOT NULL REFERENCES budgets (id),
    change_request_id  bigint REFERENCES change_requests (id),
    initiative_id      bigint REFERENCES roadmap_initiatives (id),
    description        text NOT NULL CHECK (length(btrim(description)) > 0),
    amount             numeric(14, 2) NOT NULL CHECK (amount >= 0),
    spent              numeric(14, 2) NOT NULL DEFAULT 0 CHECK (spent >= 0),
    disposed_on        date NOT NULL
);

-- B2: within a year, undisposed funds move between groups.
CREATE TABLE budget_transfers (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    from_budget_id  bigint NOT NULL REFERENCES budgets (id),
    to_budget_id    bigint NOT NULL REFERENCES budgets (id),
    amount          numeric(14, 2) NOT NULL CHECK (amount > 0),
    reason          text NOT NULL DEFAULT '',
    made_by         bigint REFERENCES people (id),
    made_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (from_budget_id <> to_budget_id)
);

-- Every email is a row here, written in the same transaction as its cause; the idempotency key
-- (kind + subject + deadline + recipient) makes a reminder queue at most once.
CREATE TABLE outbox (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key  text NOT NULL UNIQUE,
    kind             text NOT NULL,
    to_person_id     bigint REFERENCES people (id) ON DELETE SET NULL,
    to_address       text NOT NULL,
    subject          text NOT NULL,
    body_text        text NOT NULL,
    body_html        text,
    ics              text,
    status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    CHECK (status <> 'sent' OR sent_at IS NOT NULL)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'queued';

-- D3: per-person notification preferences.
CREATE TABLE notification_settings (
    person_id  bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    mode       text NOT NULL CHECK (mode IN ('immediate', 'digest', 'off')),
    PRIMARY KEY (person_id, kind)
);

-- Background job bookkeeping (last deadline scan, ...).
CREATE TABLE job_runs (
    name      text PRIMARY KEY,
    last_run  timestamptz NOT NULL,
    detail    jsonb NOT NULL DEFAULT '{}'
);
