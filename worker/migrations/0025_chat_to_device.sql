-- Chat: the to-device inbox of encrypted conversations. What one device seals for another outside
-- the conversation's log (a sender key handed over) waits here for the device it is sealed for,
-- read in id order and forgotten once that device acknowledges it, its device is forgotten, or
-- after 30 days (shared::chat::e2ee::to_device).
CREATE TABLE chat_to_device (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: devices acknowledge "up to" an id
  recipient_id      TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  recipient_device  TEXT NOT NULL,
  sender_id         TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  sender_device     TEXT NOT NULL,
  conversation_id   TEXT NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
  body              TEXT NOT NULL,
  created_at        INTEGER NOT NULL
);
CREATE INDEX chat_to_device_inbox ON chat_to_device(recipient_id, recipient_device, id);
CREATE INDEX chat_to_device_by_age ON chat_to_device(created_at);
