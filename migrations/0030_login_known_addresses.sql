-- Nobody can lock a person out (NIST SP 800-63B-4 §3.2.2): an account remembers the addresses it signed
-- in from, and failures from any other address count against a separate, slower bucket of the account
-- (its own cap, growing delays, forgotten a day after its last failure) instead of the cap of 100, so
-- failures from new addresses cannot lock the owner out where they sign in.
CREATE TABLE login_known_addresses (
    email            text NOT NULL CHECK (email = lower(email)),
    address          text NOT NULL,
    last_success_at  timestamptz NOT NULL,
    PRIMARY KEY (email, address)
);
CREATE INDEX login_known_addresses_last_success ON login_known_addresses (last_success_at);

-- Two buckets per account: failures from known addresses (the cap of 100 consecutive) and from unknown
-- ones. The counts kept so far were toward the cap, so they stay in the known bucket; a row written
-- without saying which (as before this migration) means the same.
ALTER TABLE login_throttle_accounts ADD COLUMN known boolean NOT NULL DEFAULT true;
ALTER TABLE login_throttle_accounts DROP CONSTRAINT login_throttle_accounts_pkey;
ALTER TABLE login_throttle_accounts ADD PRIMARY KEY (email, known);

-- The rule of domain::login_throttle::next_attempt, as before plus the unknown-address bucket. The
-- limits come from the Rust constants as arguments; a test compares the two over a grid of counts.
DROP FUNCTION login_claim(text, text, timestamptz, integer, integer, integer, integer, integer, integer);
DROP FUNCTION login_allowed(integer, integer, timestamptz, integer, timestamptz, timestamptz,
                            integer, integer, integer, integer, integer, integer);

CREATE FUNCTION login_allowed(
    account_failures integer, pair_failures integer, pair_last_failure timestamptz,
    address_failures integer, address_oldest_failure timestamptz,
    known boolean, unknown_failures integer, unknown_last_failure timestamptz, at timestamptz,
    free_failures integer, base_delay_seconds integer, max_delay_seconds integer,
    account_cap integer, address_limit integer, address_window_minutes integer,
    unknown_free_failures integer, unknown_base_delay_seconds integer, unknown_max_delay_seconds integer,
    unknown_cap integer, unknown_expiry_hours integer)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT account_failures < account_cap
       AND (pair_failures < free_failures OR pair_last_failure IS NULL
            OR at >= pair_last_failure
                      + least(base_delay_seconds::bigint << least(pair_failures - free_failures, 20), max_delay_seconds)
                        * interval '1 second')
       AND (address_failures < address_limit
            OR at >= coalesce(address_oldest_failure, at) + make_interval(mins => address_window_minutes))
       AND (known OR unknown_last_failure IS NULL
            OR at >= unknown_last_failure + make_interval(hours => unknown_expiry_hours)
            OR (unknown_failures < unknown_cap
                AND (unknown_failures < unknown_free_failures
                     OR at >= unknown_last_failure
                               + least(unknown_base_delay_seconds::bigint
                                         << least(unknown_failures - unknown_free_failures, 20),
                                       unknown_max_delay_seconds)
                                 * interval '1 second')))
$$;

-- Claims a sign-in attempt for an email from an address at a time: under a lock per account and per
-- address, reads the counts (and whether the account signed in from this address within p_known_days),
-- records the attempt (throttled or not) and, when it is allowed, counts it as a failure in the bucket
-- of its kind until the password proves right. Returns the counts, whether the password may be checked
-- and, when it may, the account of that email (none for an unknown one).
CREATE FUNCTION login_claim(
    p_email text, p_address text, p_at timestamptz,
    p_free_failures integer, p_base_delay_seconds integer, p_max_delay_seconds integer,
    p_account_cap integer, p_address_limit integer, p_address_window_minutes integer,
    p_known_days integer, p_unknown_free_failures integer, p_unknown_base_delay_seconds integer,
    p_unknown_max_delay_seconds integer, p_unknown_cap integer, p_unknown_expiry_hours integer)
RETURNS TABLE (
    attempt_id bigint, allowed boolean,
    account_failures integer, pair_failures integer, pair_last_failure timestamptz,
    address_failures integer, address_oldest_failure timestamptz,
    known boolean, unknown_failures integer, unknown_last_failure timestamptz,
    person_id bigint, name text, email text, role text, active boolean,
    password_hash text, password_changed_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_email text := lower(p_email);
    v_since timestamptz := p_at - make_interval(mins => p_address_window_minutes);
    v_expired timestamptz := p_at - make_interval(hours => p_unknown_expiry_hours);
BEGIN
    -- Always the account first, then the address, so two claims never wait for each other in a circle.
    -- Each query below takes a fresh snapshot (the function is volatile), so it sees what the previous
    -- holder of the locks committed.
    PERFORM pg_advisory_xact_lock(hashtextextended('login-account:' || v_email, 0));
    PERFORM pg_advisory_xact_lock(hashtextextended('login-address:' || p_address, 0));

    known := EXISTS (SELECT 1 FROM login_known_addresses k
                      WHERE k.email = v_email AND k.address = p_address
                        AND k.last_success_at > p_at - make_interval(days => p_known_days));
    SELECT coalesce((SELECT t.consecutive_failures FROM login_throttle_accounts t
                      WHERE t.email = v_email AND t.known), 0)
      INTO account_failures;
    SELECT coalesce(t.consecutive_failures, 0), t.last_failure_at
      INTO unknown_failures, unknown_last_failure
      FROM (SELECT 1) AS one
      LEFT JOIN login_throttle_accounts t ON t.email = v_email AND NOT t.known;
    SELECT coalesce(p.failures, 0), p.last_failure_at
      INTO pair_failures, pair_last_failure
      FROM (SELECT 1) AS one
      LEFT JOIN login_throttle_pairs p ON p.email = v_email AND p.address = p_address;
    SELECT count(*)
      INTO address_failures
      FROM login_attempts a
     WHERE a.address = p_address AND NOT a.succeeded AND NOT a.throttled AND a.at > v_since;
    SELECT a.at
      INTO address_oldest_failure
      FROM login_attempts a
     WHERE a.address = p_address AND NOT a.succeeded AND NOT a.throttled AND a.at > v_since
     ORDER BY a.at DESC OFFSET p_address_limit - 1 LIMIT 1;

    allowed := login_allowed(account_failures, pair_failures, pair_last_failure,
                             address_failures, address_oldest_failure,
                             known, unknown_failures, unknown_last_failure, p_at,
                             p_free_failures, p_base_delay_seconds, p_max_delay_seconds,
                             p_account_cap, p_address_limit, p_address_window_minutes,
                             p_unknown_free_failures, p_unknown_base_delay_seconds, p_unknown_max_delay_seconds,
                             p_unknown_cap, p_unknown_expiry_hours);

    INSERT INTO login_attempts (at, email, address, succeeded, throttled)
    VALUES (p_at, v_email, p_address, false, NOT allowed)
    RETURNING id INTO attempt_id;

    IF allowed THEN
        INSERT INTO login_throttle_pairs AS p (email, address, failures, last_failure_at)
        VALUES (v_email, p_address, 1, p_at)
        ON CONFLICT (email, address) DO UPDATE SET failures = p.failures + 1, last_failure_at = p_at;
        -- An expired unknown bucket starts again from this failure.
        INSERT INTO login_throttle_accounts AS t (email, known, consecutive_failures, last_failure_at)
        VALUES (v_email, known, 1, p_at)
        ON CONFLICT (email, known) DO UPDATE
           SET consecutive_failures = CASE WHEN NOT t.known AND t.last_failure_at <= v_expired THEN 1
                                           ELSE t.consecutive_failures + 1 END,
               last_failure_at = p_at;

        SELECT a.person_id, pe.name, pe.email, a.role, a.active, a.password_hash, a.password_changed_at
          INTO person_id, name, email, role, active, password_hash, password_changed_at
          FROM accounts a JOIN people pe ON pe.id = a.person_id
         WHERE lower(pe.email) = v_email;
    END IF;
    RETURN NEXT;
END
$$;
