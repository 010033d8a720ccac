-- Cricket around the ball: each live match's chat (with mutes) and polls (one vote a person),
-- people following teams and players and the matches they watched (for their home's picks),
-- who plays in each match (so a followed player's live matches are found before they end),
-- a match's video stream (HLS files in R2), and a revision that only rises with each change.
ALTER TABLE cricket_matches ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TABLE cricket_chat (
  id          TEXT PRIMARY KEY,                -- a TimeId: sorts by time
  match_id    TEXT NOT NULL REFERENCES cricket_matches(id) ON DELETE CASCADE,
  user_id     TEXT NOT NULL REFERENCES auth_users(id),
  body        TEXT NOT NULL,
  sent_at     INTEGER NOT NULL,
  removed_by  TEXT REFERENCES auth_users(id)   -- a moderator or the author took it down
);
CREATE INDEX cricket_chat_by_match ON cricket_chat(match_id, id);

CREATE TABLE cricket_mutes (
  match_id  TEXT NOT NULL REFERENCES cricket_matches(id) ON DELETE CASCADE,
  user_id   TEXT NOT NULL REFERENCES auth_users(id),
  until     INTEGER NOT NULL,                  -- unix ms
  muted_by  TEXT NOT NULL REFERENCES auth_users(id),
  PRIMARY KEY (match_id, user_id)
);

CREATE TABLE cricket_polls (
  id          TEXT PRIMARY KEY,
  match_id    TEXT NOT NULL REFERENCES cricket_matches(id) ON DELETE CASCADE,
  question    TEXT NOT NULL,
  options     TEXT NOT NULL,                   -- JSON array of strings
  created_by  TEXT NOT NULL REFERENCES auth_users(id),
  created_at  INTEGER NOT NULL,
  closed_at   INTEGER
);
CREATE INDEX cricket_polls_by_match ON cricket_polls(match_id, id);

CREATE TABLE cricket_poll_votes (
  poll_id   TEXT NOT NULL REFERENCES cricket_polls(id) ON DELETE CASCADE,
  user_id   TEXT NOT NULL REFERENCES auth_users(id),
  option    INTEGER NOT NULL,
  voted_at  INTEGER NOT NULL,
  PRIMARY KEY (poll_id, user_id)               -- one vote a person
);

CREATE TABLE cricket_follows (
  user_id     TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('team', 'player')),
  target      TEXT NOT NULL,                   -- a team's name or a player's id
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, kind, target)
);

CREATE TABLE cricket_watches (
  user_id     TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  match_id    TEXT NOT NULL REFERENCES cricket_matches(id) ON DELETE CASCADE,
  watched_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, match_id)
);
CREATE INDEX cricket_watches_by_match ON cricket_watches(match_id);

CREATE TABLE cricket_match_players (
  match_id   TEXT NOT NULL REFERENCES cricket_matches(id) ON DELETE CASCADE,
  player_id  TEXT NOT NULL,
  name       TEXT NOT NULL,
  PRIMARY KEY (match_id, player_id)
);
CREATE INDEX cricket_match_players_by_player ON cricket_match_players(player_id);
INSERT INTO cricket_match_players (match_id, player_id, name)
  SELECT pm.match_id, pm.player_id, p.name FROM cricket_player_matches pm JOIN cricket_players p ON p.id = pm.player_id;

CREATE TABLE cricket_streams (
  match_id       TEXT PRIMARY KEY REFERENCES cricket_matches(id) ON DELETE CASCADE,
  playlist       TEXT NOT NULL,                -- a file of the stream, e.g. index.m3u8
  started_at     INTEGER NOT NULL,             -- unix ms of its first frame
  updated_at     INTEGER NOT NULL
);

CREATE TABLE cricket_stream_files (
  match_id      TEXT NOT NULL REFERENCES cricket_matches(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  size          INTEGER NOT NULL,
  duration      REAL,                          -- a playlist's seconds
  ended         INTEGER NOT NULL DEFAULT 0,    -- a playlist with #EXT-X-ENDLIST
  uploaded_at   INTEGER NOT NULL,
  PRIMARY KEY (match_id, name)
);
