-- Schema v1: staff and sessions, the menu, the floor, orders with their lines and kitchen
-- tickets, and the append-only event log. Ids are hyphenated UUID text (v7 where clients
-- create them), except stations, whose id is the slug in their screen's URL. Money is
-- integer minor units; time is UTC milliseconds since the Unix epoch.

CREATE TABLE venue (
    id       INTEGER PRIMARY KEY CHECK (id = 1), -- one venue per database
    name     TEXT NOT NULL,
    currency TEXT NOT NULL CHECK (length(currency) = 3)
);

CREATE TABLE staff (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('waiter', 'kitchen', 'cashier', 'manager')),
    pin_hash   TEXT NOT NULL, -- argon2id PHC string
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL
);

-- Only the SHA-256 of a session token is kept, so a copied database file logs nobody in.
CREATE TABLE sessions (
    token_sha256 TEXT PRIMARY KEY NOT NULL,
    staff_id     TEXT NOT NULL REFERENCES staff (id),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_by_staff ON sessions (staff_id);

CREATE TABLE stations (
    id              TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z0-9-]*' AND length(id) BETWEEN 1 AND 32),
    name            TEXT NOT NULL,
    sort_order      INTEGER NOT NULL DEFAULT 0,
    warn_after_secs INTEGER NOT NULL DEFAULT 420 CHECK (warn_after_secs > 0),
    late_after_secs INTEGER NOT NULL DEFAULT 900 CHECK (late_after_secs >= warn_after_secs)
);

CREATE TABLE categories (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    colour     TEXT NOT NULL DEFAULT '#888888',
    sort_order INTEGER NOT NULL DEFAULT 0
);

-- Products are never deleted (`retired` hides them), so an order line's product_id
-- always resolves.
CREATE TABLE products (
    id          TEXT PRIMARY KEY NOT NULL,
    category_id TEXT NOT NULL REFERENCES categories (id),
    station_id  TEXT NOT NULL REFERENCES stations (id),
    name        TEXT NOT NULL,
    price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
    available   INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1)),
    retired     INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    sort_order  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE option_groups (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('addon', 'removable', 'choice')),
    sort_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE options (
    id                TEXT PRIMARY KEY NOT NULL,
    group_id          TEXT NOT NULL REFERENCES option_groups (id),
    name              TEXT NOT NULL,
    price_delta_minor INTEGER NOT NULL DEFAULT 0,
    sort_order        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE product_option_groups (
    product_id TEXT NOT NULL REFERENCES products (id),
    group_id   TEXT NOT NULL REFERENCES option_groups (id),
    sort_order INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, group_id)
);

CREATE TABLE rooms (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE dining_tables (
    id      TEXT PRIMARY KEY NOT NULL,
    room_id TEXT NOT NULL REFERENCES rooms (id),
    label   TEXT NOT NULL,
    seats   INTEGER NOT NULL DEFAULT 4 CHECK (seats > 0),
    grid_x  INTEGER NOT NULL DEFAULT 0,
    grid_y  INTEGER NOT NULL DEFAULT 0,
    grid_w  INTEGER NOT NULL DEFAULT 1 CHECK (grid_w > 0),
    grid_h  INTEGER NOT NULL DEFAULT 1 CHECK (grid_h > 0)
);

CREATE TABLE orders (
    id           TEXT PRIMARY KEY NOT NULL,
    number       INTEGER NOT NULL UNIQUE,
    table_id     TEXT NOT NULL REFERENCES dining_tables (id),
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_by    TEXT NOT NULL REFERENCES staff (id),
    opened_at    INTEGER NOT NULL,
    closed_at    INTEGER
);
-- Several waiters may share a table, but a table has at most one open order.
CREATE UNIQUE INDEX one_open_order_per_table ON orders (table_id) WHERE status = 'open';

CREATE TABLE order_waiters (
    order_id TEXT NOT NULL REFERENCES orders (id),
    staff_id TEXT NOT NULL REFERENCES staff (id),
    PRIMARY KEY (order_id, staff_id)
);

-- One ticket per station per send, holding only lines not sent before.
CREATE TABLE tickets (
    id         TEXT PRIMARY KEY NOT NULL,
    order_id   TEXT NOT NULL REFERENCES orders (id),
    station_id TEXT NOT NULL REFERENCES stations (id),
    sent_by    TEXT NOT NULL REFERENCES staff (id),
    created_at INTEGER NOT NULL,
    bumped_at  INTEGER
);
CREATE INDEX tickets_by_station ON tickets (station_id, bumped_at, created_at);

-- Name, price and options are snapshots taken when the line was added.
CREATE TABLE order_lines (
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
                     CHECK (status IN ('new', 'sent', 'preparing', 'ready', 'served', 'void')),
    ticket_id        TEXT REFERENCES tickets (id),
    added_by         TEXT NOT NULL REFERENCES staff (id),
    created_at       INTEGER NOT NULL,
    ready_at         INTEGER
);
CREATE INDEX order_lines_by_order ON order_lines (order_id);
CREATE INDEX order_lines_by_ticket ON order_lines (ticket_id);

-- Append-only: AUTOINCREMENT never reuses a sequence number, and the triggers refuse edits.
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    staff_id   TEXT REFERENCES staff (id),
    order_id   TEXT,
    table_id   TEXT,
    stations   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(stations)), -- JSON array of station ids
    payload    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    created_at INTEGER NOT NULL
);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;
