-- Portions left of a product the venue counts (tonight's special, the last slices of a
-- cake): taking a line counts it down, and at 0 the product is sold out. NULL: not
-- counted.
ALTER TABLE products ADD COLUMN stock_left INTEGER
    CHECK (stock_left IS NULL OR stock_left BETWEEN 0 AND 100000);
