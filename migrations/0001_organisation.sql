-- O1: parties and their organisations are data, not code. A DMP installation has staten, regionerne,
-- kommunerne and the secretariat; an OS2 installation has member organisations and vendors.
CREATE TYPE confidentiality AS ENUM ('public', 'internal', 'confidential');  -- O5

CREATE TABLE parties (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_-]{1,40}$'),
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    -- 'party' counts toward the per-party limit of M2, 'secretariat' toward its own limit.
    kind        text NOT NULL CHECK (kind IN ('party', 'secretariat', 'member_organisation', 'vendor')),
    sort_order  integer NOT NULL DEFAULT 0
);
-- There is one secretariat per installation.
CREATE UNIQUE INDEX parties_one_secretariat ON parties ((true)) WHERE kind = 'secretariat';

CREATE TABLE organisations (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    party_id  bigint NOT NULL REFERENCES parties (id),
    name      text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    UNIQUE (party_id, name)
);

-- M7, M8: the secretariat's register of persons.
CREATE TABLE people (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    title             text NOT NULL DEFAULT '',
    organisation_id   bigint REFERENCES organisations (id),
    party_id          bigint REFERENCES parties (id),
    management_level  boolean NOT NULL DEFAULT false,   -- M3
    email             text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    phone             text NOT NULL DEFAULT '',
    competences       text NOT NULL DEFAULT '',         -- M7, M8
    education         text NOT NULL DEFAULT '',         -- M8
    networks          text NOT NULL DEFAULT '',         -- M8
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX people_email_unique ON people (lower(email));

-- A person who can sign in. The global role; roles in a group come from memberships (M1).
CREATE TABLE accounts (
    person_id            bigint PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    password_hash        text NOT NULL,
    role                 text NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'secretariat', 'user')),
    active               boolean NOT NULL DEFAULT true,
    password_changed_at  timestamptz NOT NULL DEFAULT now(),
    last_login_at        timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now()
);

-- Sessions shared by every app instance (tower-sessions' PostgresStore, schema 'public', table 'sessions').
CREATE TABLE sessions (
    id           text PRIMARY KEY NOT NULL,
    data         bytea NOT NULL,
    expiry_date  timestamptz NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry_date);

-- Personal API tokens for integrations; only a SHA-256 of the secret is kept.
CREATE TABLE api_tokens (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id     bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    label         text NOT NULL CHECK (length(btrim(label)) BETWEEN 1 AND 100),
    token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    prefix        text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);

-- Failed and successful sign-ins, for rate limiting per account and per address across instances.
CREATE TABLE login_attempts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    email      text NOT NULL,
    address    text NOT NULL,
    succeeded  boolean NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (lower(email), at);
CREATE INDEX login_attempts_address ON login_attempts (address, at);

-- Every change made by a person: who, when, what, before/after.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    bigint REFERENCES people (id) ON DELETE SET NULL,
    actor_label text NOT NULL,        -- kept when the person is gone; 'system' or 'cli' for non-persons
    action      text NOT NULL,
    entity      text NOT NULL,
    entity_id   text,
    before      jsonb,
    after       jsonb,
    request_id  text
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_at ON audit_log (at DESC);

-- D1: extra closed days of this installation (1 May, an institution's own days).
CREATE TABLE closed_days (
    day     date PRIMARY KEY,
    reason  text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 200)
);
