-- Chat: message search (D1 FTS5) across a person's conversations that are not end-to-end
-- encrypted. chat_messages_text holds each message's text as the room last had it; chat_search
-- indexes it (external content, kept in step by the triggers below). Deleted messages leave.
CREATE TABLE chat_messages_text (
  id               INTEGER PRIMARY KEY,
  conversation_id  TEXT NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
  seq              INTEGER NOT NULL,
  sender           TEXT NOT NULL,
  sent_at          INTEGER NOT NULL,
  body             TEXT NOT NULL,
  UNIQUE (conversation_id, seq)
);

CREATE VIRTUAL TABLE chat_search USING fts5(
  body,
  content = 'chat_messages_text',
  content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER chat_messages_text_ai AFTER INSERT ON chat_messages_text BEGIN
  INSERT INTO chat_search (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER chat_messages_text_ad AFTER DELETE ON chat_messages_text BEGIN
  INSERT INTO chat_search (chat_search, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER chat_messages_text_au AFTER UPDATE OF body ON chat_messages_text BEGIN
  INSERT INTO chat_search (chat_search, rowid, body) VALUES ('delete', old.id, old.body);
  INSERT INTO chat_search (rowid, body) VALUES (new.id, new.body);
END;
