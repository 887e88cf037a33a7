-- Issue 12: the deadline scan reads the meetings of the few days whose dated deadlines can be due,
-- plus every meeting whose reminders hang on a sending instead: an agenda with the chair (A1) and
-- minutes out for comments (R3, R4). These find those few among all agendas and minutes.
CREATE INDEX agendas_with_chair ON agendas (meeting_id) WHERE status = 'sent_to_chair';
CREATE INDEX minutes_out_for_comments ON minutes (meeting_id) WHERE status = 'sent';
