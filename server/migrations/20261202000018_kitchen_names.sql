-- A product's short name for the kitchen ("Marg" for "Pizza Margherita"), printed and
-- shown on the station screens instead of the menu name. A line keeps the one it was
-- taken with, like its name and price, so a ticket never changes under a cook.
ALTER TABLE products ADD COLUMN kitchen_name TEXT
    CHECK (kitchen_name IS NULL OR length(kitchen_name) BETWEEN 1 AND 24);
ALTER TABLE order_lines ADD COLUMN kitchen_name TEXT;
