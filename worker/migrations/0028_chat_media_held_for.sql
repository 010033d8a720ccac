-- Chat: which message (its client id; the uploader is its sender) a send held a file for, and
-- when. Two attempts at one message (a retry racing its first try) both carry the file, and
-- the scheduled job can tell, by asking the room, whether a file whose send never settled (the
-- request ended between the room and D1) went out with its message.
ALTER TABLE chat_media ADD COLUMN held_for TEXT;
ALTER TABLE chat_media ADD COLUMN held_at INTEGER;
