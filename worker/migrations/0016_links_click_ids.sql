-- Clicks now reach links_clicks through a queue, which delivers at least once: each click
-- carries the id the redirect gave it, and a redelivered click is ignored (INSERT OR IGNORE).
-- Clicks written directly (the demo's history) have none.
ALTER TABLE links_clicks ADD COLUMN click_id TEXT;
CREATE UNIQUE INDEX links_clicks_by_click_id ON links_clicks(click_id) WHERE click_id IS NOT NULL;
