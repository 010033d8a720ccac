-- Lockers (shared::lockers): locations, their banks of compartments, and parcels with their life.
-- A compartment holds at most one parcel (`package_id` UNIQUE), and a bank's object
-- (worker/src/lockers/bank.rs, one per bank) allocates and frees them one request at a time with
-- guarded writes. A parcel's code is never stored: only its keyed hash (`code_hash`), unique
-- among the parcels in one bank's compartments.
CREATE TABLE lockers_locations (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  address     TEXT NOT NULL,
  lat         REAL NOT NULL,
  lng         REAL NOT NULL,
  timezone    TEXT NOT NULL,                 -- IANA: pickup windows end with its days
  created_by  TEXT NOT NULL REFERENCES auth_users(id),
  created_at  INTEGER NOT NULL
);

CREATE TABLE lockers_banks (
  id           TEXT PRIMARY KEY,
  location_id  TEXT NOT NULL REFERENCES lockers_locations(id),
  name         TEXT NOT NULL,
  position     INTEGER NOT NULL,             -- its place among the location's banks, from 1
  created_at   INTEGER NOT NULL
);
CREATE INDEX lockers_banks_by_location ON lockers_banks(location_id, position);

CREATE TABLE lockers_compartments (
  bank_id     TEXT NOT NULL REFERENCES lockers_banks(id),
  door        INTEGER NOT NULL,
  size        TEXT NOT NULL CHECK (size IN ('S', 'M', 'L')),
  in_service  INTEGER NOT NULL DEFAULT 1,
  package_id  TEXT UNIQUE,
  PRIMARY KEY (bank_id, door)
);

CREATE TABLE lockers_packages (
  id            TEXT PRIMARY KEY,
  sender_id     TEXT NOT NULL REFERENCES auth_users(id),
  recipient_id  TEXT NOT NULL REFERENCES auth_users(id),
  location_id   TEXT NOT NULL REFERENCES lockers_locations(id),
  size          TEXT NOT NULL CHECK (size IN ('S', 'M', 'L')),
  length_mm     INTEGER NOT NULL,
  width_mm      INTEGER NOT NULL,
  height_mm     INTEGER NOT NULL,
  weight_g      INTEGER NOT NULL,
  reference     TEXT,
  status        TEXT NOT NULL CHECK (status IN ('created', 'in_transit', 'in_locker', 'picked_up', 'expired', 'returned', 'cancelled')),
  bank_id       TEXT REFERENCES lockers_banks(id),
  door          INTEGER,
  code_nonce    INTEGER,                       -- which derived code (shared::lockers::code::derive_code)
  code_hash     TEXT,
  pickup_by     INTEGER,                       -- exclusive, Unix ms
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX lockers_packages_by_recipient ON lockers_packages(recipient_id, created_at);
CREATE INDEX lockers_packages_by_sender ON lockers_packages(sender_id, created_at);
CREATE INDEX lockers_packages_waiting ON lockers_packages(bank_id, status, pickup_by);
-- Unique among the parcels in a bank's compartments (an expired one is still behind its door).
CREATE UNIQUE INDEX lockers_packages_code ON lockers_packages(bank_id, code_hash) WHERE status IN ('in_locker', 'expired');

-- Every change of a parcel's status, with who made it (NULL: the clock).
CREATE TABLE lockers_events (
  package_id  TEXT NOT NULL REFERENCES lockers_packages(id),
  at          INTEGER NOT NULL,
  status      TEXT NOT NULL,
  actor_id    TEXT REFERENCES auth_users(id),
  detail      TEXT
);
CREATE INDEX lockers_events_by_package ON lockers_events(package_id, at);
