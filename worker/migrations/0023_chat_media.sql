-- Chat: files shared in conversations. The bytes are in R2 (MEDIA, key chat/<conversation>/<id>,
-- a thumbnail at the same key + ".thumbnail"); this row says what they are, as their content
-- showed (shared::chat::media), and whose conversation they belong to.
CREATE TABLE chat_media (
  id               TEXT PRIMARY KEY,
  conversation_id  TEXT NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
  uploader_id      TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  kind             TEXT NOT NULL CHECK (kind IN ('image', 'video', 'audio', 'file')),
  content_type     TEXT NOT NULL,
  name             TEXT NOT NULL,
  size             INTEGER NOT NULL,
  width            INTEGER,
  height           INTEGER,
  thumbnail_type   TEXT,
  created_at       INTEGER NOT NULL,
  seq              INTEGER            -- the message that carries it, once sent
);
CREATE INDEX chat_media_by_message ON chat_media(conversation_id, seq);
