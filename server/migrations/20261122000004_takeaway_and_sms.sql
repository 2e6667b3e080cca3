-- Takeaway orders and the SMS outbox.
--
-- A takeaway order has no table, so `orders.table_id` becomes nullable. SQLite cannot
-- drop a NOT NULL in place; the table is rebuilt the documented way (create, copy, drop,
-- rename), which needs foreign keys off: `db::Db::open` runs migrations so and checks
-- every foreign key afterwards. Every row is kept as it was.

CREATE TABLE orders_rebuilt (
    id           TEXT PRIMARY KEY NOT NULL,
    number       INTEGER NOT NULL UNIQUE,
    table_id     TEXT REFERENCES dining_tables (id), -- NULL for takeaway
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_by    TEXT NOT NULL REFERENCES staff (id),
    opened_at    INTEGER NOT NULL,
    closed_at    INTEGER,
    closed_by    TEXT REFERENCES staff (id)
);
INSERT INTO orders_rebuilt (id, number, table_id, status, opened_by, opened_at, closed_at, closed_by)
    SELECT id, number, table_id, status, opened_by, opened_at, closed_at, closed_by FROM orders;
DROP TABLE orders;
ALTER TABLE orders_rebuilt RENAME TO orders;
CREATE UNIQUE INDEX one_open_order_per_table ON orders (table_id) WHERE status = 'open';

-- The customer of a takeaway order (one row per order without a table).
CREATE TABLE takeaways (
    order_id      TEXT PRIMARY KEY NOT NULL REFERENCES orders (id),
    customer_name TEXT NOT NULL CHECK (length(customer_name) BETWEEN 1 AND 60),
    phone         TEXT CHECK (phone GLOB '+[1-9]*' AND length(phone) BETWEEN 8 AND 16), -- E.164
    sms_consent   INTEGER NOT NULL DEFAULT 0 CHECK (sms_consent IN (0, 1)),
    language      TEXT NOT NULL DEFAULT 'en' CHECK (length(language) = 2),
    ready_at      INTEGER, -- when it was first all ready
    CHECK (sms_consent = 0 OR phone IS NOT NULL)
);

-- The venue's SMS provider (Twilio-compatible); one row, absent until the manager sets it.
CREATE TABLE sms_provider (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    base_url    TEXT NOT NULL,
    account_sid TEXT NOT NULL,
    auth_token  TEXT NOT NULL,
    sender      TEXT NOT NULL,
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1))
);

-- The manager's message texts per language. Placeholders: {name}, {number}, {venue}.
CREATE TABLE sms_templates (
    language TEXT PRIMARY KEY NOT NULL CHECK (length(language) = 2),
    body     TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 320)
);
INSERT INTO sms_templates (language, body) VALUES
    ('en', 'Hi {name}, your order {number} at {venue} is ready for pickup'),
    ('it', 'Ciao {name}, il tuo ordine {number} da {venue} è pronto da ritirare'),
    ('de', 'Hallo {name}, deine Bestellung {number} bei {venue} ist abholbereit'),
    ('es', 'Hola {name}, tu pedido {number} en {venue} está listo para recoger'),
    ('fr', 'Bonjour {name}, votre commande {number} chez {venue} est prête à emporter');

-- Messages to send, written in the same transaction as the change that calls for them.
-- UNIQUE (order_id, event): at most one message per order and event.
CREATE TABLE sms_outbox (
    id               TEXT PRIMARY KEY NOT NULL,
    order_id         TEXT NOT NULL REFERENCES orders (id),
    event            TEXT NOT NULL CHECK (event IN ('ready')),
    to_phone         TEXT NOT NULL,
    body             TEXT NOT NULL,
    -- queued → sending → sent | failed. One found in `sending` at start-up may have gone
    -- out: it becomes failed ("check before resending") rather than risk a second text.
    status           TEXT NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    provider_id      TEXT, -- the provider's message id (Twilio's sid)
    created_at       INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    sent_at          INTEGER,
    UNIQUE (order_id, event)
);
CREATE INDEX sms_outbox_queue ON sms_outbox (status, next_attempt_at);
