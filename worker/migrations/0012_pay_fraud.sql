-- Pay fraud rules (shared::pay::fraud): velocity per card fingerprint, email and client address
-- within a merchant, and the review queue of payments held for breaking them.

ALTER TABLE pay_payments ADD COLUMN client_ip TEXT;
CREATE INDEX pay_payments_by_fingerprint ON pay_payments (merchant_id, card_fingerprint, created_at);
CREATE INDEX pay_payments_by_email ON pay_payments (merchant_id, email, created_at);
CREATE INDEX pay_payments_by_client_ip ON pay_payments (merchant_id, client_ip, created_at);

CREATE TABLE pay_reviews (
  payment_id   TEXT PRIMARY KEY REFERENCES pay_payments(id),
  merchant_id  TEXT NOT NULL,
  flags        TEXT NOT NULL,                          -- JSON: [shared::pay::fraud::Flag]
  status       TEXT NOT NULL,                          -- pending | approved | rejected
  created_at   INTEGER NOT NULL,
  decided_at   INTEGER
);
CREATE INDEX pay_reviews_by_merchant ON pay_reviews (merchant_id, status, created_at DESC);
