-- Courses: drinks are course 0 (they never wait), then starters 1, mains 2, desserts 3,
-- or numbered courses up to 9. A category says which course its products go in by
-- default; an order may hold its courses from `held_from` on until they are fired.
--
-- SQLite cannot change a CHECK in place, so the order lines are rebuilt as in migration
-- 24, with the same columns, rows and indexes, and course 0 allowed.

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
    course           INTEGER NOT NULL DEFAULT 1 CHECK (course BETWEEN 0 AND 9),
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

ALTER TABLE categories ADD COLUMN course INTEGER NOT NULL DEFAULT 1 CHECK (course BETWEEN 0 AND 9);
ALTER TABLE orders ADD COLUMN held_from INTEGER CHECK (held_from IS NULL OR held_from BETWEEN 1 AND 9);
