-- Splits and discounts. A line may belong to a guest's seat, so a bill can be split by
-- seat; a payment records the seat or the items (units of lines) it paid for. Discounts
-- sit on a line or the whole order, as a percentage or an amount, with a reason, who
-- gave them and the manager who approved them over the venue's limit. Rules give them
-- automatically in a daily window of the venue's local time (a happy hour).

ALTER TABLE order_lines ADD COLUMN seat INTEGER CHECK (seat IS NULL OR seat BETWEEN 1 AND 30);
ALTER TABLE payments ADD COLUMN seat INTEGER CHECK (seat IS NULL OR seat BETWEEN 1 AND 30);
ALTER TABLE payments ADD COLUMN items_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(items_json));

CREATE TABLE discount_rules (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    category_id   TEXT NOT NULL REFERENCES categories (id),
    percent_bp    INTEGER NOT NULL CHECK (percent_bp BETWEEN 1 AND 10000),
    starts_minute INTEGER NOT NULL CHECK (starts_minute BETWEEN 0 AND 1439),
    ends_minute   INTEGER NOT NULL CHECK (ends_minute BETWEEN 0 AND 1439),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE discounts (
    id          TEXT PRIMARY KEY NOT NULL,
    order_id    TEXT NOT NULL REFERENCES orders (id),
    line_id     TEXT REFERENCES order_lines (id), -- NULL: the whole order
    kind        TEXT NOT NULL CHECK (kind IN ('percent', 'amount')),
    value       INTEGER NOT NULL CHECK (value > 0 AND (kind = 'amount' OR value <= 10000)),
    reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 120),
    rule_id     TEXT REFERENCES discount_rules (id),
    given_by    TEXT NOT NULL REFERENCES staff (id),
    approved_by TEXT REFERENCES staff (id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX discounts_by_order ON discounts (order_id);

-- Over this a discount needs a manager's PIN; the venue's clock for rules and business days.
ALTER TABLE venue ADD COLUMN discount_approval_above_minor INTEGER NOT NULL DEFAULT 1000
    CHECK (discount_approval_above_minor >= 0);
ALTER TABLE venue ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';

-- Managers retire void reasons rather than delete them.
ALTER TABLE void_reasons ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
