-- Chat: each person's presence as their hub (one Durable Object per person, holding their
-- devices' sockets) last worked it out from heartbeats; read when a device connects, to show it
-- its contacts' presence. last_seen: when they were last active (unix ms).
CREATE TABLE chat_presence (
  user_id     TEXT PRIMARY KEY REFERENCES auth_users(id) ON DELETE CASCADE,
  status      TEXT NOT NULL CHECK (status IN ('online', 'away', 'offline')),
  last_seen   INTEGER,
  updated_at  INTEGER NOT NULL
);
