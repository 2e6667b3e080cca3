-- Sales reports (services/reports.rs) sum a business day up once it is over and keep it
-- here, so a year's report adds 365 rows instead of reading a million lines. A day is
-- kept with the clock it was summed under (the venue's time zone and end of day): after
-- either changes, the days are summed again.
CREATE TABLE report_days (
    day TEXT PRIMARY KEY NOT NULL,
    clock TEXT NOT NULL,
    from_ms INTEGER NOT NULL,
    to_ms INTEGER NOT NULL,
    totals_json TEXT NOT NULL,
    hours_json TEXT NOT NULL,
    products_json TEXT NOT NULL,
    waiters_json TEXT NOT NULL
) STRICT;
CREATE INDEX report_days_by_end ON report_days (to_ms);

-- Whatever lands in a day already summed (a clock that stepped back) makes it summed
-- again: the day's row goes. A write at the current time finds no row (no day kept ends
-- after it), so this costs the trade nothing. A migration that rebuilds one of these
-- tables must make its trigger again.
CREATE TRIGGER report_days_payment AFTER INSERT ON payments BEGIN
    DELETE FROM report_days WHERE to_ms > NEW.created_at AND from_ms <= NEW.created_at;
END;
CREATE TRIGGER report_days_refund AFTER INSERT ON refunds BEGIN
    DELETE FROM report_days WHERE to_ms > NEW.created_at AND from_ms <= NEW.created_at;
END;
CREATE TRIGGER report_days_close AFTER UPDATE OF closed_at, cancelled_at, written_off_minor ON orders
WHEN NEW.closed_at IS NOT NULL BEGIN
    DELETE FROM report_days WHERE to_ms > NEW.closed_at AND from_ms <= NEW.closed_at;
END;
CREATE TRIGGER report_days_void AFTER UPDATE OF voided_at ON order_lines
WHEN NEW.voided_at IS NOT NULL BEGIN
    DELETE FROM report_days WHERE to_ms > NEW.voided_at AND from_ms <= NEW.voided_at;
END;
