-- The cash day. A shift opens with a cash float and closes with a cash count (by
-- denomination or a total) against the cash the system expects. Managers refund closed
-- orders (whole or some lines, to the original method or cash, with a reason) and write
-- off what a guest cannot pay. X reports are read at any time; a Z report ends the
-- business day: numbered, and immutable once taken. Reports print on the receipt
-- printer, so print jobs gain the kind 'report' and carry the report they print (the
-- table is rebuilt to change its CHECK, every row kept).

ALTER TABLE venue ADD COLUMN business_day_ends_minute INTEGER NOT NULL DEFAULT 240
    CHECK (business_day_ends_minute BETWEEN 0 AND 1439);

ALTER TABLE orders ADD COLUMN written_off_minor INTEGER NOT NULL DEFAULT 0 CHECK (written_off_minor >= 0);
ALTER TABLE orders ADD COLUMN write_off_reason TEXT CHECK (write_off_reason IS NULL OR length(write_off_reason) <= 120);
ALTER TABLE orders ADD COLUMN write_off_by TEXT REFERENCES staff (id);

CREATE TABLE refunds (
    id           TEXT PRIMARY KEY NOT NULL,
    order_id     TEXT NOT NULL REFERENCES orders (id),
    method       TEXT NOT NULL CHECK (method IN ('cash', 'card', 'voucher', 'house')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    reason       TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 120),
    line_ids     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(line_ids)),
    refunded_by  TEXT NOT NULL REFERENCES staff (id),
    approved_by  TEXT NOT NULL REFERENCES staff (id),
    created_at   INTEGER NOT NULL
);
CREATE INDEX refunds_by_order ON refunds (order_id);
CREATE INDEX refunds_by_time ON refunds (created_at);
CREATE INDEX payments_by_time ON payments (created_at);
CREATE INDEX orders_by_close ON orders (closed_at);

CREATE TABLE shifts (
    id             TEXT PRIMARY KEY NOT NULL,
    opened_by      TEXT NOT NULL REFERENCES staff (id),
    opened_at      INTEGER NOT NULL,
    float_minor    INTEGER NOT NULL CHECK (float_minor >= 0),
    closed_by      TEXT REFERENCES staff (id),
    closed_at      INTEGER,
    expected_minor INTEGER,
    counted_minor  INTEGER CHECK (counted_minor IS NULL OR counted_minor >= 0),
    count_json     TEXT CHECK (count_json IS NULL OR json_valid(count_json))
);
-- One drawer, one open shift.
CREATE UNIQUE INDEX shifts_one_open ON shifts ((closed_at IS NULL)) WHERE closed_at IS NULL;

CREATE TABLE z_reports (
    number       INTEGER PRIMARY KEY AUTOINCREMENT,
    business_day TEXT NOT NULL,
    from_ms      INTEGER NOT NULL,
    to_ms        INTEGER NOT NULL,
    taken_by     TEXT NOT NULL REFERENCES staff (id),
    report_json  TEXT NOT NULL CHECK (json_valid(report_json))
);
CREATE TRIGGER z_reports_no_update BEFORE UPDATE ON z_reports
BEGIN
    SELECT RAISE(ABORT, 'a Z report is immutable once taken');
END;
CREATE TRIGGER z_reports_no_delete BEFORE DELETE ON z_reports
BEGIN
    SELECT RAISE(ABORT, 'a Z report is immutable once taken');
END;

CREATE TABLE print_jobs_rebuilt (
    id              TEXT PRIMARY KEY NOT NULL,
    printer_id      TEXT NOT NULL REFERENCES printers (id),
    kind            TEXT NOT NULL CHECK (kind IN ('kitchen_ticket', 'drawer_pulse', 'bill', 'report')),
    ticket_id       TEXT REFERENCES tickets (id),
    order_id        TEXT REFERENCES orders (id),
    report_json     TEXT CHECK (report_json IS NULL OR json_valid(report_json)),
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'sending', 'done', 'cancelled')),
    reprint         INTEGER NOT NULL DEFAULT 0 CHECK (reprint IN (0, 1)),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    done_at         INTEGER
);
INSERT INTO print_jobs_rebuilt (id, printer_id, kind, ticket_id, order_id, status, reprint, attempts,
                                last_error, created_at, next_attempt_at, done_at)
    SELECT id, printer_id, kind, ticket_id, order_id, status, reprint, attempts,
           last_error, created_at, next_attempt_at, done_at FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_rebuilt RENAME TO print_jobs;
CREATE INDEX print_jobs_queue ON print_jobs (printer_id, status, created_at);
