-- Issue 12: indexes for the lists the pages read at realistic volume (thousands of meetings, tens of
-- thousands of change requests, actions and decisions). Each serves a statement named beside it.

-- The meeting page: requests and actions of one meeting, attendance by seat (decisions and comments: 0015).
CREATE INDEX agenda_item_requests_meeting ON agenda_item_requests (meeting_id, submitted_at);
CREATE INDEX actions_meeting ON actions (meeting_id);
CREATE INDEX attendance_membership ON attendance (membership_id);

-- The dashboard (A8): operational status of a group's solutions since a day; the budget's sums.
CREATE INDEX solutions_group ON solutions (group_id, name);
CREATE INDEX operational_status_solution ON operational_status (solution_id, reported_on);
CREATE INDEX budget_dispositions_budget ON budget_dispositions (budget_id);
CREATE INDEX budget_transfers_to ON budget_transfers (to_budget_id);
CREATE INDEX budget_transfers_from ON budget_transfers (from_budget_id);

-- The group page (store::group_page): follow-or-explain entries; members of a group by status.
CREATE INDEX follow_or_explain_group ON follow_or_explain (group_id, recorded_at);
CREATE INDEX memberships_group_status ON memberships (group_id, status);

-- The deadline scan and /frister: planned ordinary meetings in a window of time.
CREATE INDEX meetings_open_ordinary ON meetings (starts_at) WHERE kind = 'ordinary' AND status <> 'cancelled';

-- Registers at scale: change requests by roadmap initiative, decisions by change request.
CREATE INDEX change_requests_initiative ON change_requests (initiative_id);
CREATE INDEX decisions_change_request ON decisions (change_request_id);
