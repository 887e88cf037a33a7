-- Single-use links to choose a password (issue 10): an invitation for a new account (valid 72 hours) or
-- a reset asked for on the login page. Only a SHA-256 of the secret in the link is stored.
CREATE TABLE account_links (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    purpose         text NOT NULL CHECK (purpose IN ('invitation', 'reset')),
    secret_hash     bytea NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
    requested_from  text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz,
    CHECK (expires_at > created_at)
);
CREATE INDEX account_links_person ON account_links (person_id, created_at);
CREATE INDEX account_links_address ON account_links (requested_from, created_at);
