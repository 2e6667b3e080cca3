-- Cash rounding at the till. Where the venue rounds cash (to 0.05, say), a cash payment of
-- the rounded amount settles the bill: the payment keeps the rounding it settled (-2 when
-- 12.33 was paid as 12.35), so the bill adds up to the cent and reports show the rounding.

ALTER TABLE payments ADD COLUMN rounding_minor INTEGER NOT NULL DEFAULT 0
    CHECK (rounding_minor BETWEEN -50 AND 50);
