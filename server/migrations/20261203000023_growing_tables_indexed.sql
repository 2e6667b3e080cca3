-- Indexes so that no query reads the whole of a table that grows with trade
-- (tests/query_plans.rs checks every query's plan).
-- Removing an unsent line makes SQLite look for discounts and void tickets that point at
-- it (the foreign keys).
CREATE INDEX discounts_by_line ON discounts (line_id);
CREATE INDEX void_ticket_lines_by_line ON void_ticket_lines (line_id);
-- The voids of a cash day (X and Z reports), and whether anything happened since the last Z.
CREATE INDEX order_lines_voided ON order_lines (voided_at) WHERE voided_at IS NOT NULL;
CREATE INDEX shifts_by_close ON shifts (closed_at);
-- The managers' print queue: the jobs still to print, and the last ones finished.
CREATE INDEX print_jobs_waiting ON print_jobs (created_at) WHERE status IN ('queued', 'sending');
CREATE INDEX print_jobs_finished ON print_jobs (created_at) WHERE status IN ('done', 'cancelled');
-- The managers' text messages: those not sent, and the last ones sent.
CREATE INDEX sms_outbox_by_status ON sms_outbox (status, created_at);
