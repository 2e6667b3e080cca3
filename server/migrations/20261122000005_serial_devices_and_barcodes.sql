-- Serial devices and product barcodes.
--
-- A serial device is a customer pole display (2x20 characters) or a barcode scanner on a
-- serial port; serial receipt printers and their cash drawers are `printers` whose
-- connection is a device path (with `baud`). A product's barcode lets a scan find it.

CREATE TABLE serial_devices (
    id     TEXT PRIMARY KEY NOT NULL,
    name   TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
    kind   TEXT NOT NULL CHECK (kind IN ('pole_display', 'scanner')),
    -- e.g. /dev/ttyUSB0 or /dev/serial/by-id/usb-…
    port   TEXT NOT NULL CHECK (length(port) BETWEEN 1 AND 200),
    baud   INTEGER NOT NULL DEFAULT 9600 CHECK (baud IN (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

ALTER TABLE products ADD COLUMN barcode TEXT CHECK (barcode IS NULL OR length(barcode) BETWEEN 4 AND 32);
CREATE UNIQUE INDEX products_by_barcode ON products (barcode) WHERE barcode IS NOT NULL;
