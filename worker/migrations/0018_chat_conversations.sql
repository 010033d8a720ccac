-- Chat: conversations and who is in them. The messages themselves live in each conversation's
-- Durable Object (to come); D1 keeps what lists and checks need: membership, roles, each
-- member's delivered and read marks, and the last seq for unread counts.
CREATE TABLE chat_conversations (
  id                TEXT PRIMARY KEY,
  kind              TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
  title             TEXT NOT NULL DEFAULT '',
  pair_key          TEXT UNIQUE,        -- direct: the two user ids, sorted (one per pair); NULL for groups
  created_by        TEXT NOT NULL,
  created_at        INTEGER NOT NULL,
  last_seq          INTEGER NOT NULL DEFAULT 0,
  last_activity_at  INTEGER NOT NULL
);

CREATE TABLE chat_members (
  conversation_id  TEXT NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
  user_id          TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  role             TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  joined_at        INTEGER NOT NULL,
  delivered_seq    INTEGER NOT NULL DEFAULT 0,
  read_seq         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX chat_members_by_user ON chat_members(user_id);
