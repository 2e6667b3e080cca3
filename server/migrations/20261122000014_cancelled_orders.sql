-- An order cancelled with nothing sent and nothing paid (a table opened by mistake) is
-- closed with cancelled_at set: its table is free, and reports leave it out.
ALTER TABLE orders ADD COLUMN cancelled_at INTEGER;
