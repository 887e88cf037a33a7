-- Read versions: a counter per part of the data a page reads, raised in the same transaction as any
-- change to it, so a page kept in memory can be checked with one small read (issue 25) instead of being
-- read again. What the pages read falls into:
--   ('group', id)      everything of one group: the group, its members, meetings, agendas, items,
--                      requests, attendance, minutes, attachments, registers and budgets;
--   ('meeting', id)    a meeting across groups (no group_id): its agenda, participants and the rest;
--   ('reference', 0)   what every page may name: people, parties, organisations, group kinds,
--                      approving bodies and closed days;
--   ('any', 0)         raised with each of the above, for pages that read across groups.
-- A counter is raised once per transaction and part, at commit (a deferred constraint trigger), so the
-- row lock is taken after the transaction's own locks and held only while it commits: two writers
-- cannot deadlock on it, and a bulk load costs one raise per part, not one per row.
-- Why this is safe for a reader: a reader that sees version v (committed) and then reads the data sees
-- every change up to v. Its copy is at least as new as v, so keeping it under v never shows a stale page.
CREATE TABLE read_versions (
    scope   text   NOT NULL CHECK (scope IN ('group', 'meeting', 'reference', 'any')),
    id      bigint NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (scope, id)
);

INSERT INTO read_versions (scope, id) VALUES ('reference', 0), ('any', 0);

-- Raises one part once in this transaction (a transaction-local setting remembers what was raised).
CREATE FUNCTION read_version_raise(part_scope text, part_id bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    seen text := coalesce(current_setting('samarbejdsrum.raised', true), '');
    key  text := '|' || part_scope || ':' || part_id || '|';
BEGIN
    IF position(key IN seen) > 0 THEN
        RETURN;
    END IF;
    PERFORM set_config('samarbejdsrum.raised', seen || key, true);
    IF part_scope <> 'any' THEN
        PERFORM read_version_raise('any', 0);
    END IF;
    INSERT INTO read_versions AS v (scope, id) VALUES (part_scope, part_id)
    ON CONFLICT (scope, id) DO UPDATE SET version = v.version + 1;
END $$;

-- The part a row of a meeting belongs to: its group's, or the meeting's own when it is across groups.
-- A meeting deleted in this transaction is raised as itself; its group is raised by its own row.
CREATE FUNCTION read_version_raise_meeting(meeting bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    owner bigint;
BEGIN
    SELECT group_id INTO owner FROM meetings WHERE id = meeting;
    IF owner IS NULL THEN
        PERFORM read_version_raise('meeting', meeting);
    ELSE
        PERFORM read_version_raise('group', owner);
    END IF;
END $$;

-- Raises the parts a changed row belongs to. Each trigger argument is 'column:link': the column of the
-- row that leads to the part, and what it names ('group', 'meeting', 'agenda', 'minutes', 'minutes_item',
-- 'change_request', 'budget', 'solution', 'membership'), or 'reference' or 'any' alone. A link whose row is gone
-- (deleted in the same transaction) raises nothing: the parent's own row raised its part.
CREATE FUNCTION read_version_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    arg    text;
    col    text;
    link   text;
    rowset jsonb[];
    r      jsonb;
    val    bigint;
    hop    bigint;
BEGIN
    rowset := CASE TG_OP WHEN 'INSERT' THEN ARRAY[to_jsonb(NEW)]
                         WHEN 'DELETE' THEN ARRAY[to_jsonb(OLD)]
                         ELSE ARRAY[to_jsonb(OLD), to_jsonb(NEW)] END;
    FOREACH arg IN ARRAY TG_ARGV LOOP
        IF arg IN ('reference', 'any') THEN
            PERFORM read_version_raise(arg, 0);
            CONTINUE;
        END IF;
        col := split_part(arg, ':', 1);
        link := split_part(arg, ':', 2);
        FOREACH r IN ARRAY rowset LOOP
            val := (r ->> col)::bigint;
            CONTINUE WHEN val IS NULL;
            CASE link
                WHEN 'group' THEN
                    PERFORM read_version_raise('group', val);
                WHEN 'meeting' THEN
                    PERFORM read_version_raise_meeting(val);
                WHEN 'agenda' THEN
                    SELECT meeting_id INTO hop FROM agendas WHERE id = val;
                    IF FOUND THEN PERFORM read_version_raise_meeting(hop); END IF;
                WHEN 'minutes' THEN
                    SELECT meeting_id INTO hop FROM minutes WHERE id = val;
                    IF FOUND THEN PERFORM read_version_raise_meeting(hop); END IF;
                WHEN 'minutes_item' THEN
                    SELECT mi.meeting_id INTO hop FROM minutes_items i JOIN minutes mi ON mi.id = i.minutes_id WHERE i.id = val;
                    IF FOUND THEN PERFORM read_version_raise_meeting(hop); END IF;
                WHEN 'change_request' THEN
                    SELECT group_id INTO hop FROM change_requests WHERE id = val;
                    IF FOUND THEN PERFORM read_version_raise('group', hop); END IF;
                WHEN 'budget' THEN
                    SELECT group_id INTO hop FROM budgets WHERE id = val;
                    IF FOUND THEN PERFORM read_version_raise('group', hop); END IF;
                WHEN 'solution' THEN
                    SELECT group_id INTO hop FROM solutions WHERE id = val;
                    IF FOUND THEN PERFORM read_version_raise('group', hop); END IF;
                WHEN 'membership' THEN
                    SELECT group_id INTO hop FROM memberships WHERE id = val;
                    IF FOUND THEN PERFORM read_version_raise('group', hop); END IF;
            END CASE;
        END LOOP;
    END LOOP;
    RETURN NULL;
END $$;

-- One deferred trigger per table a page reads; the arguments say where each row leads.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('groups',                         ARRAY['id:group', 'reports_to_id:group']),
        ('memberships',                    ARRAY['group_id:group']),
        ('meetings',                       ARRAY['group_id:group', 'id:meeting']),
        ('agendas',                        ARRAY['meeting_id:meeting']),
        ('agenda_items',                   ARRAY['agenda_id:agenda']),
        ('agenda_chair_comments',          ARRAY['agenda_id:agenda']),
        ('agenda_change_requests',         ARRAY['meeting_id:meeting']),
        ('agenda_item_requests',           ARRAY['meeting_id:meeting']),
        ('annual_topics',                  ARRAY['group_id:group', 'meeting_id:meeting']),
        ('attendance',                     ARRAY['meeting_id:meeting']),
        ('substitutions',                  ARRAY['meeting_id:meeting']),
        ('meeting_checklist',              ARRAY['meeting_id:meeting']),
        ('meeting_participants',           ARRAY['meeting_id:meeting']),
        ('documents',                      ARRAY['group_id:group', 'meeting_id:meeting']),
        ('decisions',                      ARRAY['meeting_id:meeting', 'change_request_id:change_request']),
        ('actions',                        ARRAY['group_id:group', 'meeting_id:meeting']),
        ('minutes',                        ARRAY['meeting_id:meeting']),
        ('minutes_items',                  ARRAY['minutes_id:minutes']),
        ('minutes_entries',                ARRAY['minutes_item_id:minutes_item']),
        ('minutes_comments',               ARRAY['minutes_id:minutes']),
        ('minutes_no_remarks',             ARRAY['minutes_id:minutes']),
        ('minutes_versions',               ARRAY['minutes_id:minutes']),
        ('change_requests',                ARRAY['group_id:group']),
        ('change_request_status_changes',  ARRAY['change_request_id:change_request']),
        ('change_request_escalations',     ARRAY['change_request_id:change_request']),
        ('roadmap_initiatives',            ARRAY['group_id:group']),
        ('solutions',                      ARRAY['group_id:group']),
        ('operational_status',             ARRAY['solution_id:solution']),
        ('budgets',                        ARRAY['group_id:group']),
        ('budget_dispositions',            ARRAY['budget_id:budget']),
        ('budget_transfers',               ARRAY['from_budget_id:budget', 'to_budget_id:budget']),
        ('charters',                       ARRAY['group_id:group']),
        ('follow_or_explain',              ARRAY['group_id:group']),
        ('buyout_agreements',              ARRAY['group_id:group']),
        ('onboarding_steps',               ARRAY['membership_id:membership']),
        ('people',                         ARRAY['reference']),
        ('parties',                        ARRAY['reference']),
        ('organisations',                  ARRAY['reference']),
        ('group_kinds',                    ARRAY['reference']),
        ('approving_bodies',               ARRAY['reference']),
        ('closed_days',                    ARRAY['reference'])
    ) AS x(tab, args) LOOP
        EXECUTE format(
            'CREATE CONSTRAINT TRIGGER read_version AFTER INSERT OR UPDATE OR DELETE ON %I
                 DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION read_version_changed(%s)',
            t.tab, (SELECT string_agg(quote_literal(a), ', ') FROM unnest(t.args) a));
    END LOOP;
END $$;

-- The start page counts the mails the sender gave up on (for the secretariat staff): a mail that fails,
-- or a failed one sent again or cleared away, raises 'any'; the thousands of ordinary sends do not.
CREATE CONSTRAINT TRIGGER read_version_failed_mail AFTER UPDATE ON outbox
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN ((OLD.status = 'failed') <> (NEW.status = 'failed'))
    EXECUTE FUNCTION read_version_changed('any');
CREATE CONSTRAINT TRIGGER read_version_failed_mail_gone AFTER DELETE ON outbox
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.status = 'failed')
    EXECUTE FUNCTION read_version_changed('any');
CREATE CONSTRAINT TRIGGER read_version_failed_mail_new AFTER INSERT ON outbox
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW.status = 'failed')
    EXECUTE FUNCTION read_version_changed('any');
