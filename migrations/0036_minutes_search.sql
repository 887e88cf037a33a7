-- Search finds minutes by each item's text and by the parties' summary, not only the free text.
DROP INDEX IF EXISTS minutes_fts;
CREATE INDEX minutes_fts ON minutes USING gin (to_tsvector('danish', body || ' ' || party_summary));
CREATE INDEX minutes_items_fts ON minutes_items USING gin (to_tsvector('danish', title || ' ' || body));
