-- Fixed-window request counters for every product's rate limits (shared::rate_limit).
-- One row per bucket ("links-create:ip:203.0.113.7"); a new window resets the count.
CREATE TABLE rate_limits (
  bucket        TEXT PRIMARY KEY,
  window_start  INTEGER NOT NULL,
  count         INTEGER NOT NULL
);
