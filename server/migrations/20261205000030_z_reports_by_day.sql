-- The journal export reads a business day's Z reports (services/journal.rs).
CREATE INDEX z_reports_by_day ON z_reports (business_day);
