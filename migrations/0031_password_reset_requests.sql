-- "Glemt adgangskode?" costs the same whether or not the address has an account: the form only records
-- the request (limited per client, whatever the address), and a background step looks up the account,
-- applies the per-address limit and issues the link. A request stays here until that step has done it,
-- so a crash between answering and mailing loses nothing.
CREATE TABLE password_reset_requests (
    id              bigserial PRIMARY KEY,
    email           text NOT NULL CHECK (email = lower(email)),
    requested_from  text NOT NULL,
    created_at      timestamptz NOT NULL,
    processed_at    timestamptz
);
CREATE INDEX password_reset_requests_client ON password_reset_requests (requested_from, created_at);
CREATE INDEX password_reset_requests_email ON password_reset_requests (email);
CREATE INDEX password_reset_requests_pending ON password_reset_requests (id) WHERE processed_at IS NULL;

-- Records a request from a client unless it made p_limit requests within p_window already. Under a lock
-- per client, so parallel requests cannot all slip under the limit (each query in the function takes a
-- fresh snapshot). Returns whether it was recorded and, when not, when the oldest counted request
-- leaves the window (the client may ask again then).
CREATE FUNCTION password_reset_request(
    p_email text, p_from text, p_at timestamptz, p_limit integer, p_window_minutes integer)
RETURNS TABLE (accepted boolean, retry_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    v_oldest timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('password-reset-client:' || p_from, 0));
    SELECT r.created_at INTO v_oldest
      FROM password_reset_requests r
     WHERE r.requested_from = p_from AND r.created_at > p_at - make_interval(mins => p_window_minutes)
     ORDER BY r.created_at DESC OFFSET p_limit - 1 LIMIT 1;
    accepted := v_oldest IS NULL;
    IF accepted THEN
        INSERT INTO password_reset_requests (email, requested_from, created_at) VALUES (lower(p_email), p_from, p_at);
    ELSE
        retry_at := v_oldest + make_interval(mins => p_window_minutes);
    END IF;
    RETURN NEXT;
END
$$;
