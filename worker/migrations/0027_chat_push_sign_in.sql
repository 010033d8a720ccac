-- Chat: a push subscription lasts as long as the sign-in that made it (the browser's session,
-- or a program's API key). Pushes go only to subscriptions whose sign-in still holds, so a
-- person who signs out of a shared browser stops getting notifications there, and whoever signs
-- in next does not see theirs. Rows from before this migration have neither and stay live.
ALTER TABLE chat_push_subscriptions ADD COLUMN session_hash TEXT;
ALTER TABLE chat_push_subscriptions ADD COLUMN api_key_id TEXT;
