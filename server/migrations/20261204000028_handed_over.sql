-- A table handed to another waiter (`hand_over`, at the end of a shift): who looks after
-- it now. Null while whoever opened it does; opened_by stays who opened it.
ALTER TABLE orders ADD COLUMN handed_to TEXT REFERENCES staff (id);
