-- Printers and the durable print queue. A send writes its print jobs in the same
-- transaction as its tickets; the printer workers take them from here, so a printer that
-- is off, jammed or unplugged never fails or slows an order, and nothing is forgotten
-- across restarts.

CREATE TABLE printers (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    -- `tcp://host:port` (raw port 9100) or a serial device path
    connection TEXT NOT NULL,
    baud       INTEGER,
    columns    INTEGER NOT NULL DEFAULT 48 CHECK (columns IN (32, 48)), -- 58 mm or 80 mm paper
    code_page  TEXT NOT NULL DEFAULT 'CP858' CHECK (code_page IN ('CP437', 'CP737', 'CP858', 'CP866', 'CP1252')),
    has_drawer INTEGER NOT NULL DEFAULT 0 CHECK (has_drawer IN (0, 1)),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

-- Which printers print each station's tickets.
CREATE TABLE printer_stations (
    printer_id TEXT NOT NULL REFERENCES printers (id),
    station_id TEXT NOT NULL REFERENCES stations (id),
    PRIMARY KEY (printer_id, station_id)
);

CREATE TABLE print_jobs (
    id              TEXT PRIMARY KEY NOT NULL,
    printer_id      TEXT NOT NULL REFERENCES printers (id),
    kind            TEXT NOT NULL CHECK (kind IN ('kitchen_ticket', 'drawer_pulse')),
    ticket_id       TEXT REFERENCES tickets (id),
    -- queued → sending → done; back to queued with a later next_attempt_at on failure.
    -- A job found in `sending` at start-up was interrupted and prints again as a REPRINT.
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'sending', 'done', 'cancelled')),
    reprint         INTEGER NOT NULL DEFAULT 0 CHECK (reprint IN (0, 1)),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    done_at         INTEGER
);
CREATE INDEX print_jobs_queue ON print_jobs (printer_id, status, created_at);
