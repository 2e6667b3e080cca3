-- Payments. A payment is made on a phone (its id is client-made, UUID v7, so a replayed
-- operation is recognised) and counts toward the order's bill; a tip rides on it for the
-- waiter who took it. Cash records what was handed over and the change given.
-- An order closes only when its bill is paid.

CREATE TABLE payments (
    id             TEXT PRIMARY KEY NOT NULL,
    order_id       TEXT NOT NULL REFERENCES orders (id),
    method         TEXT NOT NULL CHECK (method IN ('cash', 'card', 'voucher', 'house')),
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0), -- toward the bill
    tip_minor      INTEGER NOT NULL DEFAULT 0 CHECK (tip_minor >= 0),
    tendered_minor INTEGER CHECK (tendered_minor IS NULL OR tendered_minor >= amount_minor + tip_minor),
    change_minor   INTEGER NOT NULL DEFAULT 0 CHECK (change_minor >= 0),
    reference      TEXT CHECK (reference IS NULL OR length(reference) <= 64),
    taken_by       TEXT NOT NULL REFERENCES staff (id),
    created_at     INTEGER NOT NULL
);
CREATE INDEX payments_by_order ON payments (order_id);
