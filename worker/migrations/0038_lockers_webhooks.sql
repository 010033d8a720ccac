-- Lockers' webhooks (shared::lockers::webhook): endpoints a person registers to hear of every
-- event of the parcels they send or receive. Each keeps its place in `lockers_events` (`cursor`,
-- the last event's rowid it has taken), so events reach it in order, at least once, however
-- often the Cron Trigger runs; `lease_until` keeps two runs from sending the same batch, and
-- `last_run_at` takes the endpoints in turns when more are due than a run serves.
CREATE TABLE lockers_webhooks (
  id               TEXT PRIMARY KEY,
  owner_id         TEXT NOT NULL REFERENCES auth_users(id),
  url              TEXT NOT NULL,
  secret           TEXT NOT NULL,               -- signs deliveries; shown to nobody after
  cursor           INTEGER NOT NULL,            -- lockers_events.rowid delivered through
  failures         INTEGER NOT NULL DEFAULT 0,  -- failed attempts in a row
  last_error       TEXT,
  next_attempt_at  INTEGER NOT NULL DEFAULT 0,
  lease_until      INTEGER NOT NULL DEFAULT 0,
  last_run_at      INTEGER NOT NULL DEFAULT 0,
  active           INTEGER NOT NULL DEFAULT 1,    -- 0: switched off after failing too long
  created_at       INTEGER NOT NULL
);
CREATE INDEX lockers_webhooks_by_owner ON lockers_webhooks(owner_id, created_at);
CREATE INDEX lockers_webhooks_due ON lockers_webhooks(active, next_attempt_at, last_run_at);

-- What the clock's backstop looks for every minute (parcels and holds past their deadline), and
-- a typed code among a location's parcels (the unique index covers the waiting ones only).
CREATE INDEX lockers_packages_due ON lockers_packages(status, pickup_by);
CREATE INDEX lockers_packages_by_code ON lockers_packages(location_id, code_hash);
