-- /v0/updates.json reads the latest votes: by time, without scanning them all.
CREATE INDEX news_votes_by_time ON news_votes(voted_at DESC);
