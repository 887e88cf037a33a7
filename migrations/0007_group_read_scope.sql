-- O5, M5: the one read predicate that every list, overview and API query applies to a group's data.
-- Its parameters come from domain::access::GroupScope, which decides them for the reader:
--   every_group  the reader serves every group (the secretariat);
--   open_up_to   the most confidential level readable without being a member;
--   reader       the person, whose *active* memberships open the rest (nominated is not yet a member, M5).
CREATE FUNCTION group_readable(group_id bigint, level confidentiality, every_group boolean,
                               open_up_to confidentiality, reader bigint)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT every_group
        OR level <= open_up_to
        OR EXISTS (SELECT 1 FROM memberships m
                   WHERE m.group_id = $1 AND m.person_id = reader AND m.status = 'active')
$$;
