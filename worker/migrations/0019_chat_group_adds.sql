-- Chat: who may add a person to groups ('everyone' or 'contacts'). A refusal reads the same
-- whichever rule refused, so a block is never announced by it.
ALTER TABLE chat_settings ADD COLUMN group_adds TEXT NOT NULL DEFAULT 'everyone';
