-- Issue 10 item 3: a meeting can be moved, edited and cancelled. `sequence` is the iCalendar SEQUENCE
-- of its invitation (RFC 5546): it goes up with every change participants are told about, so their
-- calendars replace the old event (same UID) instead of adding a second one.
ALTER TABLE meetings
    ADD COLUMN sequence      integer NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    ADD COLUMN cancel_reason text NOT NULL DEFAULT '',
    ADD COLUMN cancelled_at  timestamptz,
    ADD COLUMN cancelled_by  bigint REFERENCES people (id) ON DELETE SET NULL,
    ADD COLUMN updated_at    timestamptz;

-- T1: the participants of a meeting across groups (joint, chairs', chairs with staff group and board),
-- fixed when it is planned: everyone in the groups / their chairs / chairs and the governance bodies.
CREATE TABLE meeting_participants (
    meeting_id bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    person_id  bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, person_id)
);

-- A reminder queued for a date a meeting no longer has (moved or cancelled) is withdrawn, not sent.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('queued', 'sent', 'failed', 'withdrawn'));
