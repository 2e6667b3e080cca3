-- Security on the venue's Wi-Fi: PIN look-up, idle sessions, failed sign-ins audited.

-- The HMAC-SHA256 of a PIN under a key kept in <data>/secrets (never in this file), so a
-- sign-in finds its staff member with one indexed read and then checks one argon2 hash,
-- instead of hashing the PIN once per staff member. Unique among active staff: two people
-- never share a PIN. NULL for PINs set before this migration, filled at the next sign-in.
ALTER TABLE staff ADD COLUMN pin_lookup TEXT;
CREATE UNIQUE INDEX staff_pin_lookup ON staff (pin_lookup)
    WHERE pin_lookup IS NOT NULL AND active = 1;

-- A session unused for the idle time ends; the server deletes ended sessions.
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- A failed sign-in belongs to no staff member: audit_log.staff_id becomes nullable. SQLite
-- cannot change a column, so the table is copied (every row kept, same seq) and its
-- append-only triggers made again.
CREATE TABLE audit_log_new (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    staff_id    TEXT REFERENCES staff (id),
    approved_by TEXT REFERENCES staff (id),
    action      TEXT NOT NULL,
    order_id    TEXT REFERENCES orders (id),
    detail      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
);
INSERT INTO audit_log_new (seq, at, staff_id, approved_by, action, order_id, detail)
    SELECT seq, at, staff_id, approved_by, action, order_id, detail FROM audit_log;
DROP TRIGGER audit_log_no_update;
DROP TRIGGER audit_log_no_delete;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE INDEX audit_log_by_action ON audit_log (action, at);
