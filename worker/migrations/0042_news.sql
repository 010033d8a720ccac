-- News (a Hacker-News-style community). Stories and comments are one table of items with HN's
-- integer ids (so `/v0/item/{id}.json` reads the same id the site shows); points, descendants,
-- flags and vouches are kept on the item, each changed in the same batch as the row that
-- justifies it (a vote, a comment, a flag).
CREATE TABLE news_items (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  kind              TEXT NOT NULL CHECK (kind IN ('story', 'comment')),
  story_kind        TEXT CHECK (story_kind IN ('link', 'ask', 'show')),  -- stories only
  author_id         TEXT NOT NULL REFERENCES auth_users(id),
  story_id          INTEGER REFERENCES news_items(id),                  -- comments: their story
  parent_id         INTEGER REFERENCES news_items(id),                  -- comments: what they answer
  title             TEXT,
  url               TEXT,
  url_key           TEXT,                                               -- shared::news::submission
  site              TEXT,
  text              TEXT NOT NULL DEFAULT '',
  points            INTEGER NOT NULL DEFAULT 1,                         -- the author's own point
  descendants       INTEGER NOT NULL DEFAULT 0,
  flags             INTEGER NOT NULL DEFAULT 0,
  vouches           INTEGER NOT NULL DEFAULT 0,
  killed            INTEGER NOT NULL DEFAULT 0,                         -- by a moderator
  dead              INTEGER NOT NULL DEFAULT 0,                         -- shared::news::moderation::Standing
  deleted           INTEGER NOT NULL DEFAULT 0,
  moderator_factor  REAL,
  created_at        INTEGER NOT NULL,                                   -- unix ms
  edited_at         INTEGER
);
CREATE INDEX news_items_stories ON news_items(created_at DESC) WHERE kind = 'story';
CREATE INDEX news_items_by_story ON news_items(story_id, id) WHERE kind = 'comment';
CREATE INDEX news_items_by_author ON news_items(author_id, id DESC);
CREATE INDEX news_items_by_url ON news_items(url_key, created_at) WHERE url_key IS NOT NULL;

-- One vote per person per item: the primary key keeps it under concurrent clicks.
CREATE TABLE news_votes (
  item_id    INTEGER NOT NULL REFERENCES news_items(id),
  user_id    TEXT NOT NULL REFERENCES auth_users(id),
  direction  INTEGER NOT NULL CHECK (direction IN (1, -1)),
  voted_at   INTEGER NOT NULL,
  PRIMARY KEY (item_id, user_id)
);
CREATE INDEX news_votes_by_user ON news_votes(user_id, voted_at DESC);

CREATE TABLE news_flags (
  item_id     INTEGER NOT NULL REFERENCES news_items(id),
  user_id     TEXT NOT NULL REFERENCES auth_users(id),
  reason      TEXT NOT NULL,
  flagged_at  INTEGER NOT NULL,
  PRIMARY KEY (item_id, user_id)
);

CREATE TABLE news_vouches (
  item_id      INTEGER NOT NULL REFERENCES news_items(id),
  user_id      TEXT NOT NULL REFERENCES auth_users(id),
  vouched_at   INTEGER NOT NULL,
  PRIMARY KEY (item_id, user_id)
);

CREATE TABLE news_favorites (
  user_id   TEXT NOT NULL REFERENCES auth_users(id),
  item_id   INTEGER NOT NULL REFERENCES news_items(id),
  saved_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, item_id)
);

-- A person's News profile: karma from votes on their items, their about text, and the
-- moderators' standing orders (a ban refuses new posts; a shadow ban makes them dead at birth).
CREATE TABLE news_people (
  user_id        TEXT PRIMARY KEY REFERENCES auth_users(id),
  karma          INTEGER NOT NULL DEFAULT 0,
  about          TEXT NOT NULL DEFAULT '',
  banned         INTEGER NOT NULL DEFAULT 0,
  shadow_banned  INTEGER NOT NULL DEFAULT 0
);

-- The public moderation log: every moderator action with its reason.
CREATE TABLE news_moderation_log (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  at            INTEGER NOT NULL,
  moderator_id  TEXT NOT NULL REFERENCES auth_users(id),
  action        TEXT NOT NULL,
  item_id       INTEGER REFERENCES news_items(id),
  user_id       TEXT REFERENCES auth_users(id),
  reason        TEXT NOT NULL,
  detail        TEXT NOT NULL DEFAULT ''
);

-- When someone last read a story's thread: their next visit highlights what is newer.
CREATE TABLE news_visits (
  user_id   TEXT NOT NULL REFERENCES auth_users(id),
  story_id  INTEGER NOT NULL REFERENCES news_items(id),
  seen_at   INTEGER NOT NULL,
  PRIMARY KEY (user_id, story_id)
);
