-- Offline operations. `ops` remembers every operation a device sent, by its client-made
-- id, with the result it got, so a replay is answered the same way and changes nothing.
-- `order_aliases` lets two phones that opened the same table offline, under different
-- order ids, both add to the one order the server kept. `closed_by` names who closed an
-- order, for the waiter whose late lines are refused.

CREATE TABLE ops (
    op_id       TEXT PRIMARY KEY NOT NULL,
    staff_id    TEXT NOT NULL REFERENCES staff (id),
    action      TEXT NOT NULL, -- the op's type, e.g. add_lines
    status      TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
    result      TEXT NOT NULL CHECK (json_valid(result)), -- the OpResult first answered
    received_at INTEGER NOT NULL
);

CREATE TABLE order_aliases (
    alias_id TEXT PRIMARY KEY NOT NULL,
    order_id TEXT NOT NULL REFERENCES orders (id)
);

ALTER TABLE orders ADD COLUMN closed_by TEXT REFERENCES staff (id);
