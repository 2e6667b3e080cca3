-- Bills on the receipt printer.
--
-- `print_jobs.kind` gains 'bill' (a bill names its order, not a ticket); SQLite cannot
-- change a CHECK in place, so the table is rebuilt, every row kept (migrations run with
-- foreign keys off; see db.rs). A printer that `prints_bills` gets the bills; one that
-- `supports_qr` gets the order number as a QR code on them. The receipt printer is the
-- one with the cash drawer until a manager says otherwise.

CREATE TABLE print_jobs_rebuilt (
    id              TEXT PRIMARY KEY NOT NULL,
    printer_id      TEXT NOT NULL REFERENCES printers (id),
    kind            TEXT NOT NULL CHECK (kind IN ('kitchen_ticket', 'drawer_pulse', 'bill')),
    ticket_id       TEXT REFERENCES tickets (id),
    order_id        TEXT REFERENCES orders (id),
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'sending', 'done', 'cancelled')),
    reprint         INTEGER NOT NULL DEFAULT 0 CHECK (reprint IN (0, 1)),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    done_at         INTEGER
);
INSERT INTO print_jobs_rebuilt (id, printer_id, kind, ticket_id, status, reprint, attempts, last_error,
                                created_at, next_attempt_at, done_at)
    SELECT id, printer_id, kind, ticket_id, status, reprint, attempts, last_error,
           created_at, next_attempt_at, done_at FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_rebuilt RENAME TO print_jobs;
CREATE INDEX print_jobs_queue ON print_jobs (printer_id, status, created_at);

ALTER TABLE printers ADD COLUMN prints_bills INTEGER NOT NULL DEFAULT 0 CHECK (prints_bills IN (0, 1));
ALTER TABLE printers ADD COLUMN supports_qr INTEGER NOT NULL DEFAULT 1 CHECK (supports_qr IN (0, 1));
UPDATE printers SET prints_bills = has_drawer;
