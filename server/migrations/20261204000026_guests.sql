-- How many guests sit at a table, asked when the waiter opens it (it may be skipped):
-- the floor shows it and the bill splits evenly among them by default.
ALTER TABLE orders ADD COLUMN guests INTEGER CHECK (guests IS NULL OR guests BETWEEN 1 AND 99);
