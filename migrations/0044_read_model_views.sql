-- Read models shared by the register queries and the page statements, so each is written once: a
-- budget's position (B1-B3: the budget, transfers in and out, disposed and spent), the change requests
-- selected for a meeting's agenda (A7), the open actions (C4) and the solutions' operational lines (A8)
-- of a group. The meeting page's statement reads them inside its JSON as the registers' own queries do.

CREATE VIEW budget_positions AS
SELECT b.id, b.group_id, g.slug AS group_slug, g.name AS group_name, b.year, b.amount, b.set_by, b.set_on,
       coalesce((SELECT sum(t.amount) FROM budget_transfers t WHERE t.to_budget_id = b.id), 0) AS transfers_in,
       coalesce((SELECT sum(t.amount) FROM budget_transfers t WHERE t.from_budget_id = b.id), 0) AS transfers_out,
       coalesce((SELECT sum(d.amount) FROM budget_dispositions d WHERE d.budget_id = b.id), 0) AS disposed,
       coalesce((SELECT sum(d.spent) FROM budget_dispositions d WHERE d.budget_id = b.id), 0) AS spent
FROM budgets b JOIN groups g ON g.id = b.group_id;

CREATE VIEW agenda_change_request_rows AS
SELECT s.meeting_id, c.id, c.reference, c.title, c.business_need, c.value, c.beneficiaries, c.status, c.priority,
       r.title AS initiative, c.not_ready_note, s.purpose,
       r.start_year AS initiative_start_year, r.position AS initiative_position
FROM agenda_change_requests s
JOIN change_requests c ON c.id = s.change_request_id
LEFT JOIN roadmap_initiatives r ON r.id = c.initiative_id;

CREATE VIEW open_action_rows AS
SELECT a.group_id, a.title, p.name AS owner, a.due_on
FROM actions a JOIN people p ON p.id = a.owner_id
WHERE a.status = 'open';

CREATE VIEW operational_lines AS
SELECT s.group_id, s.name AS solution, o.kind, o.reported_on, o.summary, o.count
FROM operational_status o JOIN solutions s ON s.id = o.solution_id;
