-- What each role may do beyond its fixed work, set by the managers: mark products sold
-- out (and count portions left), open the cash drawer by hand, and give discounts or void
-- sent items up to its own limit without a manager's PIN (NULL: the venue's limit).
-- Managers may do everything; their row is never stored. The rows start as the roles
-- worked before.
CREATE TABLE role_permissions (
    role                 TEXT PRIMARY KEY NOT NULL CHECK (role IN ('waiter', 'kitchen', 'cashier')),
    sells_out            INTEGER NOT NULL CHECK (sells_out IN (0, 1)),
    opens_drawer         INTEGER NOT NULL CHECK (opens_drawer IN (0, 1)),
    discount_limit_minor INTEGER CHECK (discount_limit_minor IS NULL OR discount_limit_minor BETWEEN 0 AND 100000000),
    void_limit_minor     INTEGER CHECK (void_limit_minor IS NULL OR void_limit_minor BETWEEN 0 AND 100000000)
);
INSERT INTO role_permissions (role, sells_out, opens_drawer) VALUES
    ('waiter', 0, 0), ('kitchen', 1, 0), ('cashier', 0, 0);
