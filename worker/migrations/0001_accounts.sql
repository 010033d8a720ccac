-- Accounts: one system for all twelve products.
-- Times are unix milliseconds; IDs are time-sortable ULIDs (shared::ids).

CREATE TABLE auth_users (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,          -- lower-case, shared::auth::validation
  email         TEXT NOT NULL UNIQUE,          -- lower-case
  display_name  TEXT NOT NULL,
  password_hash TEXT NOT NULL,                 -- pbkdf2-sha256$iterations$salt$hash
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

-- Only the SHA-256 of a session token is stored; the token lives in the HttpOnly cookie.
CREATE TABLE auth_sessions (
  token_hash  TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX auth_sessions_by_user ON auth_sessions(user_id);

-- Only the SHA-256 of a key is stored; the key is shown once when it is created.
CREATE TABLE auth_api_keys (
  id            TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  label         TEXT NOT NULL,
  prefix        TEXT NOT NULL,
  key_hash      TEXT NOT NULL UNIQUE,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER
);
CREATE INDEX auth_api_keys_by_user ON auth_api_keys(user_id, created_at);

-- Failed sign-ins per throttle key (client, or client + account): shared::auth::throttle.
CREATE TABLE auth_login_failures (
  throttle_key     TEXT PRIMARY KEY,
  failures         INTEGER NOT NULL,
  last_failure_at  INTEGER NOT NULL
);
