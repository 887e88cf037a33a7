-- R5, C1: a decision in the minutes can name the change request it decides and how; approving the
-- minutes moves the request, and the status step keeps the decision it came from.
ALTER TABLE minutes_entries
    ADD COLUMN change_request_id bigint REFERENCES change_requests (id),
    ADD CONSTRAINT minutes_entries_request_decided
        CHECK (change_request_id IS NULL OR (kind = 'decision' AND outcome IN ('approved', 'rejected', 'postponed')));
CREATE INDEX minutes_entries_request ON minutes_entries (change_request_id) WHERE change_request_id IS NOT NULL;

ALTER TABLE change_request_status_changes
    ADD COLUMN decision_id bigint UNIQUE REFERENCES decisions (id) ON DELETE SET NULL;

-- R3, R4: a member, substitute or the chair answers "Ingen bemærkninger" to sent minutes; when everyone
-- has commented or answered so, the secretariat may close the window early.
CREATE TABLE minutes_no_remarks (
    minutes_id   bigint NOT NULL REFERENCES minutes (id) ON DELETE CASCADE,
    person_id    bigint NOT NULL REFERENCES people (id),
    answered_at  timestamptz NOT NULL,
    PRIMARY KEY (minutes_id, person_id)
);

