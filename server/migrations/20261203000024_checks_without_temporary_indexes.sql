-- CHECKs that list more than two values, on the tables that grow with every order.
--
-- SQLite checks `x IN ('a', 'b', 'c')` by building a temporary index of the listed values,
-- for every row inserted and every update of the column: it opens a b-tree with its own
-- page cache, zeroes a page, inserts the values, looks the row's value up and frees it
-- all. A whole order wrote about eight such rows (its lines, their send, the payment, the
-- print job), and that work was about a tenth of the server's instructions per order
-- (callgrind). Two values or fewer are compared directly, and so is a chain of `=` joined
-- by OR, which accepts exactly the same values: these tables are rebuilt with the same
-- columns, rows and indexes and their CHECKs written that way. SQLite cannot change a
-- CHECK in place; migrations run with foreign keys off (`db::migrate`), so the order
-- lines' discounts and void tickets keep pointing at the rebuilt table by name.

CREATE TABLE order_lines_rebuilt (
    id               TEXT PRIMARY KEY NOT NULL,
    order_id         TEXT NOT NULL REFERENCES orders (id),
    product_id       TEXT NOT NULL REFERENCES products (id),
    product_name     TEXT NOT NULL,
    station_id       TEXT NOT NULL REFERENCES stations (id),
    quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
    options_json     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(options_json)),
    note             TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 280),
    course           INTEGER NOT NULL DEFAULT 1 CHECK (course BETWEEN 1 AND 9),
    status           TEXT NOT NULL DEFAULT 'new'
                     CHECK (status = 'new' OR status = 'sent' OR status = 'preparing'
                            OR status = 'ready' OR status = 'served' OR status = 'void'),
    ticket_id        TEXT REFERENCES tickets (id),
    added_by         TEXT NOT NULL REFERENCES staff (id),
    created_at       INTEGER NOT NULL,
    ready_at         INTEGER,
    tax_rate_bp      INTEGER NOT NULL DEFAULT 1000 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    void_reason      TEXT CHECK (void_reason IS NULL OR length(void_reason) <= 200),
    voided_by        TEXT REFERENCES staff (id),
    void_approved_by TEXT REFERENCES staff (id),
    voided_at        INTEGER,
    seat             INTEGER CHECK (seat IS NULL OR seat BETWEEN 1 AND 30),
    kitchen_name     TEXT
);
INSERT INTO order_lines_rebuilt (id, order_id, product_id, product_name, station_id,
                                 quantity, unit_price_minor, options_json, note, course,
                                 status, ticket_id, added_by, created_at, ready_at,
                                 tax_rate_bp, void_reason, voided_by, void_approved_by,
                                 voided_at, seat, kitchen_name)
    SELECT id, order_id, product_id, product_name, station_id, quantity, unit_price_minor,
           options_json, note, course, status, ticket_id, added_by, created_at,
           ready_at, tax_rate_bp, void_reason, voided_by, void_approved_by, voided_at,
           seat, kitchen_name FROM order_lines;
DROP TABLE order_lines;
ALTER TABLE order_lines_rebuilt RENAME TO order_lines;
CREATE INDEX order_lines_by_order ON order_lines (order_id);
CREATE INDEX order_lines_by_ticket ON order_lines (ticket_id);
CREATE INDEX order_lines_voided ON order_lines (voided_at) WHERE voided_at IS NOT NULL;

CREATE TABLE payments_rebuilt (
    id             TEXT PRIMARY KEY NOT NULL,
    order_id       TEXT NOT NULL REFERENCES orders (id),
    method         TEXT NOT NULL
                   CHECK (method = 'cash' OR method = 'card' OR method = 'voucher' OR method = 'house'),
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0), -- toward the bill
    tip_minor      INTEGER NOT NULL DEFAULT 0 CHECK (tip_minor >= 0),
    tendered_minor INTEGER CHECK (tendered_minor IS NULL OR tendered_minor >= amount_minor + tip_minor),
    change_minor   INTEGER NOT NULL DEFAULT 0 CHECK (change_minor >= 0),
    reference      TEXT CHECK (reference IS NULL OR length(reference) <= 64),
    taken_by       TEXT NOT NULL REFERENCES staff (id),
    created_at     INTEGER NOT NULL,
    seat           INTEGER CHECK (seat IS NULL OR seat BETWEEN 1 AND 30),
    items_json     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(items_json)),
    rounding_minor INTEGER NOT NULL DEFAULT 0 CHECK (rounding_minor BETWEEN -50 AND 50)
);
INSERT INTO payments_rebuilt (id, order_id, method, amount_minor, tip_minor, tendered_minor,
                              change_minor, reference, taken_by, created_at, seat,
                              items_json, rounding_minor)
    SELECT id, order_id, method, amount_minor, tip_minor, tendered_minor, change_minor, reference,
           taken_by, created_at, seat, items_json, rounding_minor FROM payments;
DROP TABLE payments;
ALTER TABLE payments_rebuilt RENAME TO payments;
CREATE INDEX payments_by_order ON payments (order_id);
CREATE INDEX payments_by_time ON payments (created_at);

CREATE TABLE refunds_rebuilt (
    id           TEXT PRIMARY KEY NOT NULL,
    order_id     TEXT NOT NULL REFERENCES orders (id),
    method       TEXT NOT NULL
                 CHECK (method = 'cash' OR method = 'card' OR method = 'voucher' OR method = 'house'),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    reason       TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 120),
    line_ids     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(line_ids)),
    refunded_by  TEXT NOT NULL REFERENCES staff (id),
    approved_by  TEXT NOT NULL REFERENCES staff (id),
    created_at   INTEGER NOT NULL
);
INSERT INTO refunds_rebuilt (id, order_id, method, amount_minor, reason, line_ids,
                             refunded_by, approved_by, created_at)
    SELECT id, order_id, method, amount_minor, reason, line_ids, refunded_by, approved_by,
           created_at FROM refunds;
DROP TABLE refunds;
ALTER TABLE refunds_rebuilt RENAME TO refunds;
CREATE INDEX refunds_by_order ON refunds (order_id);
CREATE INDEX refunds_by_time ON refunds (created_at);

CREATE TABLE print_jobs_rebuilt (
    id              TEXT PRIMARY KEY NOT NULL,
    printer_id      TEXT NOT NULL REFERENCES printers (id),
    kind            TEXT NOT NULL CHECK (kind = 'kitchen_ticket' OR kind = 'drawer_pulse'
                                         OR kind = 'bill' OR kind = 'report'),
    ticket_id       TEXT REFERENCES tickets (id),
    order_id        TEXT REFERENCES orders (id),
    report_json     TEXT CHECK (report_json IS NULL OR json_valid(report_json)),
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status = 'queued' OR status = 'sending' OR status = 'done'
                           OR status = 'cancelled'),
    reprint         INTEGER NOT NULL DEFAULT 0 CHECK (reprint IN (0, 1)),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    done_at         INTEGER
);
INSERT INTO print_jobs_rebuilt (id, printer_id, kind, ticket_id, order_id, report_json,
                                status, reprint, attempts, last_error, created_at,
                                next_attempt_at, done_at)
    SELECT id, printer_id, kind, ticket_id, order_id, report_json, status, reprint, attempts,
           last_error, created_at, next_attempt_at, done_at FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_rebuilt RENAME TO print_jobs;
CREATE INDEX print_jobs_finished ON print_jobs (created_at) WHERE status IN ('done', 'cancelled');
CREATE INDEX print_jobs_queue ON print_jobs (printer_id, status, created_at);
CREATE INDEX print_jobs_waiting ON print_jobs (created_at) WHERE status IN ('queued', 'sending');

CREATE TABLE sms_outbox_rebuilt (
    id               TEXT PRIMARY KEY NOT NULL,
    order_id         TEXT NOT NULL REFERENCES orders (id),
    event            TEXT NOT NULL CHECK (event IN ('ready')),
    to_phone         TEXT NOT NULL,
    body             TEXT NOT NULL,
    -- queued → sending → sent | failed. One found in `sending` at start-up may have gone
    -- out: it becomes failed ("check before resending") rather than risk a second text.
    status           TEXT NOT NULL DEFAULT 'queued'
                     CHECK (status = 'queued' OR status = 'sending' OR status = 'sent'
                            OR status = 'failed'),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    provider_id      TEXT, -- the provider's message id (Twilio's sid)
    created_at       INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    sent_at          INTEGER,
    UNIQUE (order_id, event)
);
INSERT INTO sms_outbox_rebuilt (id, order_id, event, to_phone, body, status, attempts,
                                last_error, provider_id, created_at, next_attempt_at,
                                sent_at)
    SELECT id, order_id, event, to_phone, body, status, attempts, last_error, provider_id,
           created_at, next_attempt_at, sent_at FROM sms_outbox;
DROP TABLE sms_outbox;
ALTER TABLE sms_outbox_rebuilt RENAME TO sms_outbox;
CREATE INDEX sms_outbox_by_status ON sms_outbox (status, created_at);
CREATE INDEX sms_outbox_queue ON sms_outbox (status, next_attempt_at);
