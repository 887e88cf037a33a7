-- Sign-in throttling (issue 11, NIST SP 800-63B-4 §3.2.2): consecutive failures per account and address
-- (growing delays) and per account from every address (the cap of 100), keyed by the lower-cased email as
-- typed, so unknown addresses are throttled alike and the answers do not tell which accounts exist.
CREATE TABLE login_throttle_pairs (
    email            text NOT NULL CHECK (email = lower(email)),
    address          text NOT NULL,
    failures         integer NOT NULL CHECK (failures >= 0),
    last_failure_at  timestamptz NOT NULL,
    PRIMARY KEY (email, address)
);
CREATE INDEX login_throttle_pairs_last_failure ON login_throttle_pairs (last_failure_at);

CREATE TABLE login_throttle_accounts (
    email                 text PRIMARY KEY CHECK (email = lower(email)),
    consecutive_failures  integer NOT NULL CHECK (consecutive_failures >= 0),
    last_failure_at       timestamptz NOT NULL
);

-- An attempt refused by the throttle is recorded too, but its password was never checked.
ALTER TABLE login_attempts ADD COLUMN throttled boolean NOT NULL DEFAULT false;
