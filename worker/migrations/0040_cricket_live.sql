-- Cricket scored live: each match's log of events (shared::cricket::live::Event as JSON) in order,
-- written by its Durable Object one at a time; undo deletes the last. The people its creator
-- invited to score with them.
CREATE TABLE cricket_events (
  match_id    TEXT NOT NULL REFERENCES cricket_matches(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,                -- from 1
  body        TEXT NOT NULL,
  created_by  TEXT NOT NULL REFERENCES auth_users(id),
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (match_id, seq)
);

CREATE TABLE cricket_scorers (
  match_id  TEXT NOT NULL REFERENCES cricket_matches(id) ON DELETE CASCADE,
  user_id   TEXT NOT NULL REFERENCES auth_users(id),
  added_at  INTEGER NOT NULL,
  PRIMARY KEY (match_id, user_id)
);
