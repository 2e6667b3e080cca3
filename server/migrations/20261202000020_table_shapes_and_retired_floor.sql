-- A table's shape on the plan (square, round, or long across more cells), and tables and
-- rooms taken off the floor: never deleted, since orders name them, but no longer shown
-- or opened. A retired table's label is free for a new one.
ALTER TABLE dining_tables ADD COLUMN shape TEXT NOT NULL DEFAULT 'square'
    CHECK (shape IN ('square', 'round', 'long'));
UPDATE dining_tables SET shape = 'long' WHERE grid_w > 1 OR grid_h > 1;
ALTER TABLE dining_tables ADD COLUMN retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));
ALTER TABLE rooms ADD COLUMN retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));
