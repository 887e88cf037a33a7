-- A second factor for password sign-in: a TOTP secret per account, confirmed by a first right code,
-- with the last time step used (a code works once), and single-use recovery codes kept as hashes.
CREATE TABLE second_factors (
    person_id       bigint PRIMARY KEY REFERENCES accounts (person_id) ON DELETE CASCADE,
    secret          text NOT NULL CHECK (length(secret) BETWEEN 16 AND 128),
    confirmed_at    timestamptz,
    last_used_step  bigint,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE recovery_codes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id   bigint NOT NULL REFERENCES accounts (person_id) ON DELETE CASCADE,
    code_hash   bytea NOT NULL,
    used_at     timestamptz,
    UNIQUE (person_id, code_hash)
);

-- Off until an administrator turns it on: an upgrade locks no one out of a running installation.
ALTER TABLE sign_in_settings ADD COLUMN second_factor_for_staff boolean NOT NULL DEFAULT false;
