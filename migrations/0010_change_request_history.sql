-- C1: every status step of a change request, who took it, when, and an optional note. The pair
-- (from, to) must be a forward step of the workflow; a new request starts as an idea.
CREATE TABLE change_request_status_changes (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    change_request_id  bigint NOT NULL REFERENCES change_requests (id) ON DELETE CASCADE,
    from_status        text,
    to_status          text NOT NULL,
    note               text NOT NULL DEFAULT '',
    changed_by         bigint REFERENCES people (id),
    changed_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((from_status IS NULL AND to_status = 'idea')
        OR (from_status, to_status) IN (('idea', 'described'), ('described', 'ready_for_decision'),
                                        ('ready_for_decision', 'approved'), ('ready_for_decision', 'rejected'),
                                        ('approved', 'in_development'), ('in_development', 'delivered'),
                                        ('delivered', 'evaluated')))
);
CREATE INDEX change_request_status_changes_request ON change_request_status_changes (change_request_id, changed_at);

-- C2: when the board's outcome of an escalation was recorded, and by whom; an escalation without one is open.
ALTER TABLE change_request_escalations
    ADD COLUMN outcome_recorded_at timestamptz,
    ADD COLUMN outcome_recorded_by bigint REFERENCES people (id);
