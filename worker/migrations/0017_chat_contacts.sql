-- Chat: contacts and privacy settings. One row per pair of people, a_id < b_id (by user id);
-- the bond and each side's block (shared::chat::contacts). `version` makes each change a
-- compare-and-set, so two people acting on the same pair at once never lose one of the changes.
CREATE TABLE chat_contacts (
  a_id        TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  b_id        TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  bond        TEXT NOT NULL,          -- none | requested_a | requested_b | contacts
  a_blocks    INTEGER NOT NULL DEFAULT 0,
  b_blocks    INTEGER NOT NULL DEFAULT 0,
  version     INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (a_id, b_id),
  CHECK (a_id < b_id)
);
CREATE INDEX chat_contacts_by_b ON chat_contacts(b_id);

CREATE TABLE chat_settings (
  user_id              TEXT PRIMARY KEY REFERENCES auth_users(id) ON DELETE CASCADE,
  shows_last_seen      INTEGER NOT NULL DEFAULT 1,
  sends_read_receipts  INTEGER NOT NULL DEFAULT 1
);
