-- Two tables' orders merged into one (`merge_orders`): the merged order is closed, its
-- lines, tickets and discounts moved to the other, and `merged_into` names that order,
-- so a phone's operations that still name the merged order land on it. It is closed with
-- cancelled_at set too, so reports leave it out as they do a cancelled order: what it had
-- is counted on the order it went into.
ALTER TABLE orders ADD COLUMN merged_into TEXT REFERENCES orders (id);
-- The snapshot names the merged orders of those still open (few rows: merges only).
CREATE INDEX orders_merged ON orders (merged_into) WHERE merged_into IS NOT NULL;
-- A merge points the aliases of the merged order at the order it went into.
CREATE INDEX order_aliases_by_order ON order_aliases (order_id);
