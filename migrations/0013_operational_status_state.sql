-- A8: an operational status entry has a state: still open, or resolved.
ALTER TABLE operational_status
    ADD COLUMN status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    ADD COLUMN recorded_by bigint REFERENCES people (id);
