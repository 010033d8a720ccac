-- Lockers, continued (shared::lockers): returns by drop-off code, opening hours, and the paid
-- extension of a pickup window.
--
-- A return is a parcel like any other (`kind = 'return'`, `return_of` the parcel it sends back),
-- with three statuses of its own: `reserved` (a compartment held for it, its sender has a drop-off
-- code), `dropped_off` (in the compartment, waiting for a courier) and `lapsed` (not dropped off
-- in time; the compartment is free again). SQLite cannot change a CHECK constraint, so the table
-- is built again with them and its rows copied, and `lockers_events` (which points at it) with it:
-- the new events point at the new parcels before either is renamed, so no key ever dangles.
PRAGMA defer_foreign_keys = true;

CREATE TABLE lockers_packages_next (
  id            TEXT PRIMARY KEY,
  kind          TEXT NOT NULL DEFAULT 'delivery' CHECK (kind IN ('delivery', 'return')),
  return_of     TEXT,                          -- a return: the parcel it sends back
  sender_id     TEXT NOT NULL REFERENCES auth_users(id),
  recipient_id  TEXT NOT NULL REFERENCES auth_users(id),
  location_id   TEXT NOT NULL REFERENCES lockers_locations(id),
  size          TEXT NOT NULL CHECK (size IN ('S', 'M', 'L')),
  length_mm     INTEGER NOT NULL,
  width_mm      INTEGER NOT NULL,
  height_mm     INTEGER NOT NULL,
  weight_g      INTEGER NOT NULL,
  reference     TEXT,
  status        TEXT NOT NULL CHECK (status IN ('created', 'in_transit', 'in_locker', 'picked_up', 'expired',
                                                'returned', 'cancelled', 'reserved', 'dropped_off', 'lapsed')),
  bank_id       TEXT REFERENCES lockers_banks(id),
  door          INTEGER,
  code_nonce    INTEGER,                       -- which derived code (shared::lockers::code::derive_code)
  code_hash     TEXT,
  pickup_by     INTEGER,                       -- exclusive, Unix ms: pickup (delivery) or drop-off (return)
  extended_by   TEXT,                          -- the Pay order of its one extension, once applied
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
INSERT INTO lockers_packages_next (id, sender_id, recipient_id, location_id, size, length_mm, width_mm, height_mm,
    weight_g, reference, status, bank_id, door, code_nonce, code_hash, pickup_by, created_at, updated_at)
  SELECT id, sender_id, recipient_id, location_id, size, length_mm, width_mm, height_mm,
    weight_g, reference, status, bank_id, door, code_nonce, code_hash, pickup_by, created_at, updated_at
  FROM lockers_packages;

CREATE TABLE lockers_events_next (
  package_id  TEXT NOT NULL REFERENCES lockers_packages_next(id),
  at          INTEGER NOT NULL,
  status      TEXT NOT NULL,
  actor_id    TEXT REFERENCES auth_users(id),
  detail      TEXT
);
INSERT INTO lockers_events_next (package_id, at, status, actor_id, detail)
  SELECT package_id, at, status, actor_id, detail FROM lockers_events ORDER BY rowid;
DROP TABLE lockers_events;
DROP TABLE lockers_packages;
ALTER TABLE lockers_packages_next RENAME TO lockers_packages;
ALTER TABLE lockers_events_next RENAME TO lockers_events;
CREATE INDEX lockers_events_by_package ON lockers_events(package_id, at);

CREATE INDEX lockers_packages_by_recipient ON lockers_packages(recipient_id, created_at);
CREATE INDEX lockers_packages_by_sender ON lockers_packages(sender_id, created_at);
CREATE INDEX lockers_packages_waiting ON lockers_packages(bank_id, status, pickup_by);
CREATE INDEX lockers_packages_returns ON lockers_packages(return_of) WHERE return_of IS NOT NULL;
CREATE INDEX lockers_packages_at ON lockers_packages(location_id, updated_at);
-- A code is keyed and unique by location now (shared::lockers::code), all its banks together, so
-- that a code typed at a location's kiosk names one door: among the parcels behind its doors and
-- the drop-off codes it holds doors for. (Parcels deposited before this migration were keyed by
-- bank: in a local state of `make dev` their codes no longer open; open them from the app.)
CREATE UNIQUE INDEX lockers_packages_code ON lockers_packages(location_id, code_hash)
  WHERE status IN ('in_locker', 'expired', 'reserved', 'dropped_off');

-- Opening hours: a JSON array of {"days", "opens", "closes"} (shared::lockers::hours); NULL: 24/7.
ALTER TABLE lockers_locations ADD COLUMN hours TEXT;

-- An extension is its Pay order, for the lockers' own merchant (below). The row is written with
-- the order; the transaction in which Pay captures the order's payment moves the parcel's window
-- from `pickup_by_before` to `pickup_by_after`, only if it still ends at `pickup_by_before`
-- and the parcel still waits, and stamps `applied_at` (or `refused_at`: it came too late, and
-- the payment is refunded in full right after, `refund_id`).
CREATE TABLE lockers_extensions (
  order_id          TEXT PRIMARY KEY,
  package_id        TEXT NOT NULL REFERENCES lockers_packages(id),
  user_id           TEXT NOT NULL REFERENCES auth_users(id),
  amount            INTEGER NOT NULL,
  pickup_by_before  INTEGER NOT NULL,
  pickup_by_after   INTEGER NOT NULL,
  payment_id        TEXT,
  created_at        INTEGER NOT NULL,
  applied_at        INTEGER,
  refused_at        INTEGER,
  refund_id         TEXT                   -- refused: the Pay refund that gave the money back
);
CREATE INDEX lockers_extensions_by_package ON lockers_extensions(package_id, created_at);

-- Lockers is Pay's merchant for extensions: a system account nobody can sign in as, with one key
-- (its id is shared::lockers::window::LOCKERS_MERCHANT_ID).
INSERT INTO auth_users (id, username, email, display_name, password_hash, created_at, updated_at)
VALUES ('01M8MZ2A00000000000LOCKERS', 'dozen-lockers', 'lockers-house@dozen.invalid', 'Dozen Lockers',
        'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 0, 0);
INSERT INTO pay_keys (key_id, merchant_id, created_at) VALUES ('rzp_test_LockersHouse01', '01M8MZ2A00000000000LOCKERS', 0);
