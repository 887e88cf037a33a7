-- Issue 12: sign-in within 5 statements. The throttle's claim (issue 11) took two advisory locks, read
-- the counts, recorded the attempt and bumped the failure counters in a transaction of eight round trips,
-- then read the account in a ninth. login_claim does all of it in one call; the locks are transaction
-- locks, so they are held until that one statement commits.

-- The rule of domain::login_throttle::next_attempt, here so the decision is taken under the locks. The
-- limits come from the Rust constants as arguments; a test compares the two over a grid of counts.
CREATE FUNCTION login_allowed(
    account_failures integer, pair_failures integer, pair_last_failure timestamptz,
    address_failures integer, address_oldest_failure timestamptz, at timestamptz,
    free_failures integer, base_delay_seconds integer, max_delay_seconds integer,
    account_cap integer, address_limit integer, address_window_minutes integer)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT account_failures < account_cap
       AND (pair_failures < free_failures OR pair_last_failure IS NULL
            OR at >= pair_last_failure
                      + least(base_delay_seconds::bigint << least(pair_failures - free_failures, 20), max_delay_seconds)
                        * interval '1 second')
       AND (address_failures < address_limit
            OR at >= coalesce(address_oldest_failure, at) + make_interval(mins => address_window_minutes))
$$;

-- Claims a sign-in attempt for an email from an address at a time: under a lock per account and per
-- address, reads the counts, records the attempt (throttled or not) and, when it is allowed, counts it as
-- a failure until the password proves right. Returns the counts, whether the password may be checked and,
-- when it may, the account of that email (none for an unknown one).
CREATE FUNCTION login_claim(
    p_email text, p_address text, p_at timestamptz,
    p_free_failures integer, p_base_delay_seconds integer, p_max_delay_seconds integer,
    p_account_cap integer, p_address_limit integer, p_address_window_minutes integer)
RETURNS TABLE (
    attempt_id bigint, allowed boolean,
    account_failures integer, pair_failures integer, pair_last_failure timestamptz,
    address_failures integer, address_oldest_failure timestamptz,
    person_id bigint, name text, email text, role text, active boolean,
    password_hash text, password_changed_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_email text := lower(p_email);
    v_since timestamptz := p_at - make_interval(mins => p_address_window_minutes);
BEGIN
    -- Always the account first, then the address, so two claims never wait for each other in a circle.
    -- Each query below takes a fresh snapshot (the function is volatile), so it sees what the previous
    -- holder of the locks committed.
    PERFORM pg_advisory_xact_lock(hashtextextended('login-account:' || v_email, 0));
    PERFORM pg_advisory_xact_lock(hashtextextended('login-address:' || p_address, 0));

    SELECT coalesce((SELECT t.consecutive_failures FROM login_throttle_accounts t WHERE t.email = v_email), 0)
      INTO account_failures;
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
                             address_failures, address_oldest_failure, p_at,
                             p_free_failures, p_base_delay_seconds, p_max_delay_seconds,
                             p_account_cap, p_address_limit, p_address_window_minutes);

    INSERT INTO login_attempts (at, email, address, succeeded, throttled)
    VALUES (p_at, v_email, p_address, false, NOT allowed)
    RETURNING id INTO attempt_id;

    IF allowed THEN
        INSERT INTO login_throttle_pairs AS p (email, address, failures, last_failure_at)
        VALUES (v_email, p_address, 1, p_at)
        ON CONFLICT (email, address) DO UPDATE SET failures = p.failures + 1, last_failure_at = p_at;
        INSERT INTO login_throttle_accounts AS t (email, consecutive_failures, last_failure_at)
        VALUES (v_email, 1, p_at)
        ON CONFLICT (email) DO UPDATE SET consecutive_failures = t.consecutive_failures + 1, last_failure_at = p_at;

        SELECT a.person_id, pe.name, pe.email, a.role, a.active, a.password_hash, a.password_changed_at
          INTO person_id, name, email, role, active, password_hash, password_changed_at
          FROM accounts a JOIN people pe ON pe.id = a.person_id
         WHERE lower(pe.email) = v_email;
    END IF;
    RETURN NEXT;
END
$$;
