-- Chat: Web Push subscriptions, one per browser (its push endpoint), each a person's device.
-- A push for a message goes to every subscription of a member with no live socket; the push
-- service answering 404 or 410 removes it. p256dh and auth are the browser's keys (base64url)
-- the payload is encrypted for (RFC 8291).
CREATE TABLE chat_push_subscriptions (
  endpoint    TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  device_id   TEXT,
  p256dh      TEXT NOT NULL,
  auth        TEXT NOT NULL,
  expires_at  INTEGER,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX chat_push_subscriptions_by_user ON chat_push_subscriptions(user_id);
