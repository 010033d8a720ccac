-- Links: the URL shortener. Times are unix milliseconds.

-- One row per short link. `domain` is '' for the main host or a registered custom short domain;
-- a code is unique within its domain, and D1 is the source of truth for that (KV only caches).
CREATE TABLE links (
  id             TEXT PRIMARY KEY,                 -- time-sortable; lists page by it
  domain         TEXT NOT NULL DEFAULT '',
  code           TEXT NOT NULL,
  url            TEXT NOT NULL,
  user_id        TEXT REFERENCES auth_users(id) ON DELETE CASCADE,  -- NULL: made anonymously
  is_alias       INTEGER NOT NULL DEFAULT 0,       -- chosen by the user, not generated
  redirect_type  INTEGER NOT NULL DEFAULT 302,
  password_hash  TEXT,                             -- pbkdf2-sha256$…, NULL when not protected
  expires_at     INTEGER,
  tags           TEXT NOT NULL DEFAULT '[]',       -- JSON array of lower-case strings
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  UNIQUE (domain, code)
);
CREATE INDEX links_by_owner ON links(user_id, id);
CREATE INDEX links_by_owner_url ON links(user_id, url);

-- One row per redirect, written after the response (never delaying it). No IP is stored:
-- `visitor` is a salted hash whose salt changes every day.
CREATE TABLE links_clicks (
  link_id        TEXT NOT NULL REFERENCES links(id) ON DELETE CASCADE,
  clicked_at     INTEGER NOT NULL,
  referrer_host  TEXT NOT NULL,                    -- '' when direct
  country        TEXT NOT NULL,                    -- ISO code from Cloudflare, 'unknown' locally
  device         TEXT NOT NULL,
  browser        TEXT NOT NULL,
  os             TEXT NOT NULL,
  visitor        TEXT NOT NULL,
  is_bot         INTEGER NOT NULL
);
CREATE INDEX links_clicks_by_link ON links_clicks(link_id, clicked_at);
