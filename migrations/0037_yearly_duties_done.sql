-- Y2, Y3, B3: the secretariat records a yearly duty as done, by whom, and for the data-responsibility
-- agreement (Y2) the day the updated agreement went to the board.
ALTER TABLE annual_topics
    ADD COLUMN done_by           bigint REFERENCES people (id),
    ADD COLUMN sent_to_board_on  date,
    ADD CONSTRAINT annual_topics_sent_after_done
        CHECK (sent_to_board_on IS NULL OR (done_on IS NOT NULL AND sent_to_board_on >= done_on));
