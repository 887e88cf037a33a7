-- The person a session is signed in as, beside the library's encoded record, so that the one statement
-- that loads a session also reads its account and the read version raised by every change
-- (store::sessions). NULL for a visitor not signed in, and for sessions saved before this column: those
-- read their account in a statement of its own until they are saved again.
ALTER TABLE sessions ADD COLUMN person_id bigint;
