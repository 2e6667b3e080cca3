-- Voids. A sent line is voided with a reason (from the manager's list, plus free text);
-- above the venue's threshold, or once the kitchen has made it, a manager approves with
-- their PIN. The station gets a VOID ticket: a ticket of kind 'void' listing the line.
-- Every change to money is written to the audit log: who, when, what, before and after,
-- approved by whom.

CREATE TABLE void_reasons (
    id         TEXT PRIMARY KEY NOT NULL,
    label      TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 60),
    sort_order INTEGER NOT NULL DEFAULT 0
);
INSERT INTO void_reasons (id, label, sort_order) VALUES
    ('changed-mind', 'Guest changed their mind', 1),
    ('wrong-entry', 'Entered by mistake', 2),
    ('kitchen-error', 'Kitchen error', 3),
    ('unavailable', 'Item not available', 4),
    ('complaint', 'Quality complaint', 5);

ALTER TABLE venue ADD COLUMN void_approval_above_minor INTEGER NOT NULL DEFAULT 1000
    CHECK (void_approval_above_minor >= 0);

ALTER TABLE order_lines ADD COLUMN void_reason TEXT CHECK (void_reason IS NULL OR length(void_reason) <= 200);
ALTER TABLE order_lines ADD COLUMN voided_by TEXT REFERENCES staff (id);
ALTER TABLE order_lines ADD COLUMN void_approved_by TEXT REFERENCES staff (id);
ALTER TABLE order_lines ADD COLUMN voided_at INTEGER;

ALTER TABLE tickets ADD COLUMN kind TEXT NOT NULL DEFAULT 'order' CHECK (kind IN ('order', 'void'));
-- The lines a VOID ticket takes back (an order ticket's lines point at it instead).
CREATE TABLE void_ticket_lines (
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    line_id   TEXT NOT NULL REFERENCES order_lines (id),
    PRIMARY KEY (ticket_id, line_id)
);

-- Append-only, like the event log.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    staff_id    TEXT NOT NULL REFERENCES staff (id),
    approved_by TEXT REFERENCES staff (id),
    action      TEXT NOT NULL,
    order_id    TEXT REFERENCES orders (id),
    detail      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
