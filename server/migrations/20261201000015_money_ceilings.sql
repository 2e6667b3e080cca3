-- Money ceilings. The venue keeps the most a single amount may be (a payment, a tip, cash
-- handed over, a float or a count; 1.00 to 10,000,000.00, by default 100,000.00: see
-- app::domain::money) and the tip above which a manager's PIN is needed (NULL: above the
-- bill's total).
ALTER TABLE venue ADD COLUMN max_amount_minor INTEGER NOT NULL DEFAULT 10000000
    CHECK (max_amount_minor BETWEEN 100 AND 1000000000);
ALTER TABLE venue ADD COLUMN tip_approval_above_minor INTEGER
    CHECK (tip_approval_above_minor IS NULL OR tip_approval_above_minor BETWEEN 0 AND 1000000000);

-- Before the ceilings a phone could record a tip (or cash handed over) no guest ever gave,
-- such as 9223372036854775807, and no sum over it adds up. Each such payment is written to
-- the audit log as it was, then the impossible amounts are set to nothing, so the day's
-- reports add up again. What the payment paid of the bill was always checked and stays.
INSERT INTO audit_log (at, staff_id, action, order_id, detail)
SELECT CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL, 'cap_impossible_amount', order_id,
       json_object('payment_id', id, 'tip_minor', tip_minor, 'tendered_minor', tendered_minor,
                   'change_minor', change_minor)
FROM payments
WHERE tip_minor > 1000000000 OR tendered_minor > 1000000000 OR change_minor > 1000000000;
UPDATE payments SET tip_minor = 0 WHERE tip_minor > 1000000000;
UPDATE payments SET tendered_minor = NULL, change_minor = 0
WHERE tendered_minor > 1000000000 OR change_minor > 1000000000;
