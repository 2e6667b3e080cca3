-- The journal export reads the Z reports that ended in a business day's period
-- (services/journal.rs).
CREATE INDEX z_reports_by_end ON z_reports (to_ms);
