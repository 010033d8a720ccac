-- Poker: every hand a table's Durable Object plays, written when it ends in the same D1
-- transaction as each seat's chips after it (shared::poker::play::Finished).
-- `phh` is the hand history PokerKit replays; `ended` is the result as the table sent it
-- (shared::poker::wire::HandEnded: moves, shown cards, the revealed seed and entropy).
CREATE TABLE poker_hands (
  id          TEXT PRIMARY KEY,
  table_id    TEXT NOT NULL REFERENCES poker_tables(id) ON DELETE CASCADE,
  number      INTEGER NOT NULL,
  game        TEXT NOT NULL,
  pot         INTEGER NOT NULL,
  phh         TEXT NOT NULL,
  ended       TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  ended_at    INTEGER NOT NULL,
  UNIQUE (table_id, number)
);

-- Each player's part in a hand: the figures of their statistics (shared::poker::stats, one
-- hand's counts) so that a player's stats are sums, and their chips over time a running total.
-- A person's account going deletes their rows; the hand itself stays for the others.
CREATE TABLE poker_hand_players (
  hand_id            TEXT NOT NULL REFERENCES poker_hands(id) ON DELETE CASCADE,
  user_id            TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  seat               INTEGER NOT NULL,
  starting           INTEGER NOT NULL,
  finishing          INTEGER NOT NULL,
  vpip               INTEGER NOT NULL,
  pfr                INTEGER NOT NULL,
  three_bet          INTEGER NOT NULL,
  three_bet_chances  INTEGER NOT NULL,
  saw_second_street  INTEGER NOT NULL,
  went_to_showdown   INTEGER NOT NULL,
  won_at_showdown    INTEGER NOT NULL,
  ended_at           INTEGER NOT NULL,
  PRIMARY KEY (hand_id, user_id)
);
CREATE INDEX poker_hand_players_by_user ON poker_hand_players(user_id, ended_at);

-- The last hand written for a table: a write retried after it landed counts once.
ALTER TABLE poker_tables ADD COLUMN last_hand INTEGER NOT NULL DEFAULT 0;
