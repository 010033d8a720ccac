-- Who was seen at which table from where: the address Cloudflare saw and a hash of the browser's
-- User-Agent, written when a socket opens and when someone sits down. Two accounts at one table
-- from one address are a collusion signal (worker/src/poker/admin.rs).
CREATE TABLE poker_sightings (
  table_id   TEXT NOT NULL REFERENCES poker_tables(id) ON DELETE CASCADE,
  user_id    TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  address    TEXT NOT NULL,
  browser    TEXT NOT NULL,                    -- SHA-256 of the User-Agent, 16 hex digits
  first_at   INTEGER NOT NULL,
  last_at    INTEGER NOT NULL,
  PRIMARY KEY (table_id, user_id, address, browser)
);
CREATE INDEX poker_sightings_by_address ON poker_sightings(address, table_id);
