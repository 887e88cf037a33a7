-- Issue 12: lists that must not grow with the register.
-- The add-member form's first 100 people by name (store::group_page), read from the index, not a sort
-- of the whole register.
CREATE INDEX people_name ON people (name);
-- The start page's minutes out for comments or being worked in (store::start_page), without reading
-- every approved minutes of every year.
CREATE INDEX minutes_in_progress ON minutes (sent_at) WHERE status IN ('sent', 'worked_in');
