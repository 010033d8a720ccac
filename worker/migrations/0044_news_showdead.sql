-- HN's "showdead": a reader who turns it on is shown dead items (killed by flags or by a
-- moderator, or a shadow-banned person's) marked [dead], where they can vouch for them.
ALTER TABLE news_people ADD COLUMN showdead INTEGER NOT NULL DEFAULT 0;
