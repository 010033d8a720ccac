-- Idempotency-Key: the first response to a mutation, replayed to retries with the same key and
-- body (worker/src/idempotency.rs). `status` is NULL while the first request is running.
CREATE TABLE idempotency_keys (
  scope         TEXT NOT NULL,     -- who asked and where: "user:…|POST /api/links"
  key           TEXT NOT NULL,
  request_hash  TEXT NOT NULL,     -- SHA-256 of the body
  status        INTEGER,
  content_type  TEXT,
  body          TEXT,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
);
