-- Poker: the lobby's tables and each person's chips. A table's rules (stakes, buy-ins, seats, the
-- action clock) are shared::poker::table::TableRules as JSON; `stake` (the big blind, or Stud's big
-- bet) and `game` are columns for the lobby's filters. `players`, `hands` and `pots_total` are
-- kept as players sit and hands are played.
-- A host's account is not deleted from under its tables (no cascade): a table goes only once its
-- seats are cashed out. `currency` is what its chips are: `play` (real money through Pay later).
CREATE TABLE poker_tables (
  id          TEXT PRIMARY KEY,
  host_id     TEXT NOT NULL REFERENCES auth_users(id),
  currency    TEXT NOT NULL DEFAULT 'play',
  name        TEXT NOT NULL,
  game        TEXT NOT NULL,
  stake       INTEGER NOT NULL,
  seats       INTEGER NOT NULL,
  private     INTEGER NOT NULL DEFAULT 0,
  invite_url  TEXT,                          -- a private table's short link (made through Links)
  rules       TEXT NOT NULL,
  players     INTEGER NOT NULL DEFAULT 0,
  hands       INTEGER NOT NULL DEFAULT 0,
  pots_total  INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL
);
CREATE INDEX poker_tables_lobby ON poker_tables(private, game, stake);
CREATE INDEX poker_tables_by_host ON poker_tables(host_id);

-- Play chips off the tables, topped up once a day (shared::poker::wallet).
CREATE TABLE poker_wallets (
  user_id       TEXT PRIMARY KEY REFERENCES auth_users(id) ON DELETE CASCADE,
  play_chips    INTEGER NOT NULL DEFAULT 0,
  topped_up_at  INTEGER
);

-- Who sits where, with the chips they have at the table. A buy-in (chips from the wallet to a
-- seat) and a cash-out (back) are each one transaction, so wallets and seats always add up.
CREATE TABLE poker_seats (
  id         TEXT PRIMARY KEY,
  table_id   TEXT NOT NULL REFERENCES poker_tables(id) ON DELETE CASCADE,
  user_id    TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  seat       INTEGER NOT NULL,
  chips      INTEGER NOT NULL,
  joined_at  INTEGER NOT NULL,
  UNIQUE (table_id, seat),
  UNIQUE (table_id, user_id)
);
