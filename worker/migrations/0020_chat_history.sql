-- Chat: where each member's history starts. A member reads the messages after the seq that was
-- the conversation's last when they joined (a newcomer to a group does not read what was said
-- before them, as in WhatsApp and Signal). Members from before this column start at 0.
ALTER TABLE chat_members ADD COLUMN joined_seq INTEGER NOT NULL DEFAULT 0;
