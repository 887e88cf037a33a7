-- A4: items of the standard agenda that show the registers by themselves: 1.4 the group's open
-- actions (as of publishing), 3.1 the annual-cycle topics placed on the meeting.
ALTER TABLE agenda_items
    ADD COLUMN fills text CHECK (fills IN ('open_actions', 'annual_topics'));
