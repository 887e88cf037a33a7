-- O1: parties and organisations are edited and retired from the browser. A retired one stays wherever it
-- is referenced (people, memberships, history) but is no new choice: the schema refuses a new reference.
ALTER TABLE parties ADD COLUMN retired_at timestamptz;
ALTER TABLE organisations ADD COLUMN retired_at timestamptz;

-- Two parties of the same name would be indistinguishable in every choice list.
CREATE UNIQUE INDEX parties_name_unique ON parties (lower(btrim(name)));

-- A new or changed reference to a retired party or organisation is refused; an unchanged one is kept.
CREATE FUNCTION refuse_retired_reference() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'people' THEN
        IF NEW.organisation_id IS NOT NULL
           AND (TG_OP = 'INSERT' OR NEW.organisation_id IS DISTINCT FROM OLD.organisation_id)
           AND EXISTS (SELECT 1 FROM organisations o JOIN parties p ON p.id = o.party_id
                       WHERE o.id = NEW.organisation_id AND (o.retired_at IS NOT NULL OR p.retired_at IS NOT NULL)) THEN
            RAISE EXCEPTION 'organisation % is retired', NEW.organisation_id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'people_organisation_active';
        END IF;
    ELSIF TG_TABLE_NAME = 'organisations' THEN
        IF (TG_OP = 'INSERT' OR NEW.party_id IS DISTINCT FROM OLD.party_id)
           AND EXISTS (SELECT 1 FROM parties p WHERE p.id = NEW.party_id AND p.retired_at IS NOT NULL) THEN
            RAISE EXCEPTION 'party % is retired', NEW.party_id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'organisations_party_active';
        END IF;
    ELSIF TG_TABLE_NAME = 'memberships' THEN
        IF NEW.party_id IS NOT NULL
           AND (TG_OP = 'INSERT' OR NEW.party_id IS DISTINCT FROM OLD.party_id)
           AND EXISTS (SELECT 1 FROM parties p WHERE p.id = NEW.party_id AND p.retired_at IS NOT NULL) THEN
            RAISE EXCEPTION 'party % is retired', NEW.party_id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'memberships_party_active';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER people_organisation_active BEFORE INSERT OR UPDATE OF organisation_id ON people
    FOR EACH ROW EXECUTE FUNCTION refuse_retired_reference();
CREATE TRIGGER organisations_party_active BEFORE INSERT OR UPDATE OF party_id ON organisations
    FOR EACH ROW EXECUTE FUNCTION refuse_retired_reference();
CREATE TRIGGER memberships_party_active BEFORE INSERT OR UPDATE OF party_id ON memberships
    FOR EACH ROW EXECUTE FUNCTION refuse_retired_reference();

-- T1: a meeting across groups (joint, chairs', chairs with staff group and board) is read by those
-- invited to it (its fixed participants) and by the secretariat that runs it, nobody else.
CREATE FUNCTION meeting_invited(meeting_id bigint, every_group boolean, reader bigint)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT every_group
        OR EXISTS (SELECT 1 FROM meeting_participants mp WHERE mp.meeting_id = $1 AND mp.person_id = reader)
$$;

-- Meetings across groups planned before their participants were fixed (demo data loaded before then)
-- would now be hidden from everyone but the secretariat: invite them as planning one does today.
INSERT INTO meeting_participants (meeting_id, person_id)
SELECT DISTINCT mt.id, ms.person_id
FROM meetings mt
JOIN memberships ms ON ms.status = 'active'
JOIN groups g ON g.id = ms.group_id AND g.status = 'active'
JOIN group_kinds k ON k.id = g.kind_id
WHERE mt.group_id IS NULL
  AND NOT EXISTS (SELECT 1 FROM meeting_participants mp WHERE mp.meeting_id = mt.id)
  AND ((k.family <> 'governance' AND (mt.kind = 'joint' OR ms.role = 'chair'))
       OR (mt.kind = 'chairs_board' AND k.code IN ('stabsgruppe', 'bestyrelse')));
