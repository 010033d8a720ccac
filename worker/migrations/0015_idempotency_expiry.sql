-- The platform's scheduled job forgets Idempotency-Key answers past their day (idempotency::forget_expired).
CREATE INDEX idx_idempotency_keys_created_at ON idempotency_keys (created_at);
