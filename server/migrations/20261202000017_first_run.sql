-- The first run: a venue set up by its owner, not seeded by the demo. The owner gives the
-- country (for its presets, and later phone numbers) and the tax rates the venue sells at,
-- the usual one first, which new products are offered.
ALTER TABLE venue ADD COLUMN country TEXT CHECK (country IS NULL OR length(country) = 2);
ALTER TABLE venue ADD COLUMN tax_rates_json TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(tax_rates_json) AND json_type(tax_rates_json) = 'array');
-- A venue from before: the rates its products use, the most used first.
UPDATE venue SET tax_rates_json = (
    SELECT json_group_array(rate) FROM (
        SELECT tax_rate_bp AS rate FROM products GROUP BY tax_rate_bp ORDER BY count(*) DESC, rate
    )
);
