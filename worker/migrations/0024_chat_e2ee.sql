-- Chat: end-to-end encryption. Each device publishes its public keys (the private halves stay
-- in its browser); a conversation may be encrypted, and then the server keeps envelopes only.
CREATE TABLE chat_device_keys (
  user_id            TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  device_id          TEXT NOT NULL,
  identity_key       TEXT NOT NULL,
  signing_key        TEXT NOT NULL,
  pre_key_id         INTEGER NOT NULL,
  pre_key            TEXT NOT NULL,
  pre_key_signature  TEXT NOT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  PRIMARY KEY (user_id, device_id)
);

ALTER TABLE chat_conversations ADD COLUMN encrypted INTEGER NOT NULL DEFAULT 0;
