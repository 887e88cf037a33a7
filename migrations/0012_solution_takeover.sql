-- O4: the date a group took over a solution as it went into production (none while nobody has).
ALTER TABLE solutions ADD COLUMN taken_over_on date;
