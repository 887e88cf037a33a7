-- A change of the e-mail a person signs in with takes effect only when the new address confirms it, and
-- the old address is told and may object: within the objection window an objection undoes the change (or
-- stops it while it waits). Both links are single-use secrets stored hashed, as account_links are.
CREATE TABLE email_changes (
    id               bigserial PRIMARY KEY,
    person_id        bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    old_email        text NOT NULL,
    new_email        text NOT NULL CHECK (new_email = lower(new_email) AND new_email <> lower(old_email)),
    confirm_hash     bytea NOT NULL UNIQUE,
    objection_hash   bytea NOT NULL UNIQUE,
    requested_by     bigint REFERENCES people (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL CHECK (expires_at > created_at),
    objection_until  timestamptz NOT NULL CHECK (objection_until >= expires_at),
    confirmed_at     timestamptz,
    withdrawn_at     timestamptz,
    CHECK (confirmed_at IS NULL OR withdrawn_at IS NULL OR withdrawn_at >= confirmed_at)
);
-- One change waits per person at a time; a newer request withdraws the older one.
CREATE UNIQUE INDEX email_changes_one_open ON email_changes (person_id)
    WHERE confirmed_at IS NULL AND withdrawn_at IS NULL;
