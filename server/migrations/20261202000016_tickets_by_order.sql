-- A change to an order's lines (a send, a void, a takeaway marked ready) reads that
-- order's tickets to carry them in its live event, so station screens apply it as a
-- delta; without this index each read scanned the station's whole day of tickets.
CREATE INDEX tickets_by_order ON tickets (order_id, station_id);
