-- A7: the change requests the secretariat puts on a meeting's agenda, for decision or for discussion,
-- instead of every request in a few statuses.
CREATE TABLE agenda_change_requests (
    meeting_id        bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    change_request_id bigint NOT NULL REFERENCES change_requests (id) ON DELETE CASCADE,
    purpose           text NOT NULL CHECK (purpose IN ('decision', 'discussion')),
    selected_by       bigint REFERENCES people (id),
    selected_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meeting_id, change_request_id)
);
CREATE INDEX agenda_change_requests_request ON agenda_change_requests (change_request_id);

-- A7, A8: what the agenda showed when it was published (the selected change requests by initiative and the
-- dashboard with the open actions), written in the publish transaction, so an old agenda shows what it
-- showed then.
ALTER TABLE agendas ADD COLUMN snapshot jsonb;

-- Search (issue 9 item 8): full-text search with the Danish configuration. Expression indexes; the queries
-- in store/search.rs use exactly these expressions.
CREATE INDEX change_requests_fts ON change_requests USING gin (
    to_tsvector('danish', reference || ' ' || title || ' ' || business_need || ' ' || value || ' ' || beneficiaries));
CREATE INDEX agenda_items_fts ON agenda_items USING gin (to_tsvector('danish', title || ' ' || body));
CREATE INDEX minutes_fts ON minutes USING gin (to_tsvector('danish', body));
CREATE INDEX decisions_fts ON decisions USING gin (to_tsvector('danish', text));
CREATE INDEX actions_fts ON actions USING gin (to_tsvector('danish', title));
CREATE INDEX people_fts ON people USING gin (to_tsvector('danish', name || ' ' || title || ' ' || competences));
