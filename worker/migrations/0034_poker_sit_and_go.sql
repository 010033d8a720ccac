-- Sit-and-go tournaments (shared::poker::sit_and_go). A table is `cash` or `sng`; a sit-and-go's
-- `status` goes registering → running (when its last seat is taken, `started_at`) → finished
-- (when one player holds every chip). Cash tables are `open`.
ALTER TABLE poker_tables ADD COLUMN format TEXT NOT NULL DEFAULT 'cash' CHECK (format IN ('cash', 'sng'));
ALTER TABLE poker_tables ADD COLUMN status TEXT NOT NULL DEFAULT 'open'
  CHECK (status IN ('open', 'registering', 'running', 'finished'));
ALTER TABLE poker_tables ADD COLUMN started_at INTEGER;

-- Each player's entry: paid from the wallet when they register (their seat at a sit-and-go holds
-- tournament chips, worth nothing outside it), given back if they unregister before the start
-- (the row goes), and kept with their place and prize once they are out. The prize goes to the
-- wallet in the transaction that places them, so wallets + cash seats + every sit-and-go's
-- entries less its prizes paid always add up.
CREATE TABLE poker_entries (
  table_id       TEXT NOT NULL REFERENCES poker_tables(id) ON DELETE CASCADE,
  user_id        TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  entry          INTEGER NOT NULL CHECK (entry > 0),
  place          INTEGER,
  prize          INTEGER NOT NULL DEFAULT 0 CHECK (prize >= 0),
  registered_at  INTEGER NOT NULL,
  placed_at      INTEGER,
  PRIMARY KEY (table_id, user_id)
);
CREATE INDEX poker_entries_by_user ON poker_entries(user_id, place);
