-- Cricket (shared::cricket): matches in Cricsheet's format. A match's `info` and each innings
-- (its overs and deliveries) are kept as Cricsheet JSON, one row per innings so a long Test stays
-- well inside D1's row size; the derived summary (scores, result) is written beside them so lists
-- never score a match again.
CREATE TABLE cricket_matches (
  id           TEXT PRIMARY KEY,
  created_by   TEXT NOT NULL REFERENCES auth_users(id),
  status       TEXT NOT NULL CHECK (status IN ('upcoming', 'live', 'completed')),
  source       TEXT NOT NULL CHECK (source IN ('import', 'live')),
  match_type   TEXT NOT NULL,
  team_a       TEXT NOT NULL,
  team_b       TEXT NOT NULL,
  title        TEXT NOT NULL,
  event_name   TEXT,
  venue        TEXT,
  start_date   TEXT NOT NULL,                 -- YYYY-MM-DD
  scores       TEXT NOT NULL DEFAULT '[]',    -- JSON [InningsScore]
  result       TEXT NOT NULL DEFAULT '',
  meta         TEXT NOT NULL,                 -- JSON: Cricsheet's `meta`
  info         TEXT NOT NULL,                 -- JSON: Cricsheet's `info`
  fingerprint  TEXT UNIQUE,                   -- an imported match's canonical hash: imported once
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX cricket_matches_by_status ON cricket_matches(status, start_date DESC, id DESC);
CREATE INDEX cricket_matches_by_date ON cricket_matches(start_date DESC, id DESC);
CREATE INDEX cricket_matches_by_team_a ON cricket_matches(team_a, start_date DESC);
CREATE INDEX cricket_matches_by_team_b ON cricket_matches(team_b, start_date DESC);

CREATE TABLE cricket_innings (
  match_id  TEXT NOT NULL REFERENCES cricket_matches(id) ON DELETE CASCADE,
  number    INTEGER NOT NULL,                 -- from 1, in the order played
  body      TEXT NOT NULL,                    -- JSON: one Cricsheet innings
  PRIMARY KEY (match_id, number)
);

-- Players by id: Cricsheet's register id when the file gives one.
CREATE TABLE cricket_players (
  id    TEXT PRIMARY KEY,
  name  TEXT NOT NULL
);
CREATE INDEX cricket_players_by_name ON cricket_players(name);

-- Each player's part in each match (shared::cricket::career::PlayerMatch as JSON): careers are
-- the sum of a player's rows.
CREATE TABLE cricket_player_matches (
  player_id   TEXT NOT NULL REFERENCES cricket_players(id),
  match_id    TEXT NOT NULL REFERENCES cricket_matches(id) ON DELETE CASCADE,
  team        TEXT NOT NULL,
  format      TEXT NOT NULL,
  start_date  TEXT NOT NULL,
  line        TEXT NOT NULL,
  PRIMARY KEY (player_id, match_id)
);
CREATE INDEX cricket_player_matches_by_match ON cricket_player_matches(match_id);
