-- Taxes. Each product has a tax rate (basis points: 1000 = 10 %), frozen onto every order
-- line with its price. The venue says whether menu prices include tax (Europe) or exclude
-- it (US), where tax is rounded, and the cash rounding step (5 = 0.05; 1 = none).

ALTER TABLE products ADD COLUMN tax_rate_bp INTEGER NOT NULL DEFAULT 1000
    CHECK (tax_rate_bp BETWEEN 0 AND 10000);
ALTER TABLE order_lines ADD COLUMN tax_rate_bp INTEGER NOT NULL DEFAULT 1000
    CHECK (tax_rate_bp BETWEEN 0 AND 10000);
ALTER TABLE venue ADD COLUMN tax_mode TEXT NOT NULL DEFAULT 'inclusive'
    CHECK (tax_mode IN ('inclusive', 'exclusive'));
ALTER TABLE venue ADD COLUMN tax_rounding TEXT NOT NULL DEFAULT 'per_bill'
    CHECK (tax_rounding IN ('per_bill', 'per_line'));
ALTER TABLE venue ADD COLUMN cash_rounding_minor INTEGER NOT NULL DEFAULT 1
    CHECK (cash_rounding_minor IN (1, 5, 10, 50, 100));
