-- Pay: the Razorpay-compatible gateway (worker/src/pay, rules in shared::pay).
-- Times are unix milliseconds (the API shows seconds); amounts are integer minor units.
-- Every row belongs to one merchant (a Dozen user); every query filters by merchant_id.

-- Key secrets are derived from key ids under PAY_SECRET (shared::pay::keys): never stored.
CREATE TABLE pay_keys (
  key_id       TEXT PRIMARY KEY,                       -- rzp_test_…
  merchant_id  TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);
CREATE INDEX pay_keys_by_merchant ON pay_keys (merchant_id, created_at);

CREATE TABLE pay_orders (
  id                      TEXT PRIMARY KEY,            -- order_…
  merchant_id             TEXT NOT NULL,
  key_id                  TEXT NOT NULL,               -- signs this order's payments
  amount                  INTEGER NOT NULL,
  amount_paid             INTEGER NOT NULL DEFAULT 0,
  currency                TEXT NOT NULL,
  receipt                 TEXT,
  status                  TEXT NOT NULL,               -- created | attempted | paid
  attempts                INTEGER NOT NULL DEFAULT 0,
  notes                   TEXT NOT NULL DEFAULT '{}',
  auto_capture            INTEGER NOT NULL,
  capture_window_minutes  INTEGER NOT NULL,
  partial_payment         INTEGER NOT NULL DEFAULT 0,
  created_at              INTEGER NOT NULL
);
CREATE INDEX pay_orders_by_merchant ON pay_orders (merchant_id, created_at DESC, id DESC);

-- Cards keep only what Razorpay shows (last4, network, type, name) and an HMAC fingerprint
-- for velocity rules: never the number, never the CVV.
CREATE TABLE pay_payments (
  id                 TEXT PRIMARY KEY,                 -- pay_…
  merchant_id        TEXT NOT NULL,
  order_id           TEXT NOT NULL REFERENCES pay_orders(id),
  amount             INTEGER NOT NULL,
  currency           TEXT NOT NULL,
  status             TEXT NOT NULL,                    -- created | authorized | captured | refunded | failed
  method             TEXT NOT NULL,                    -- card | upi | netbanking | wallet
  amount_refunded    INTEGER NOT NULL DEFAULT 0,
  description        TEXT,
  card_id            TEXT,
  card_name          TEXT,
  card_last4         TEXT,
  card_network       TEXT,
  card_type          TEXT,
  card_fingerprint   TEXT,
  bank               TEXT,
  wallet             TEXT,
  vpa                TEXT,
  email              TEXT,
  contact            TEXT,
  notes              TEXT NOT NULL DEFAULT '{}',
  fee                INTEGER,
  tax                INTEGER,
  error_code         TEXT,
  error_description  TEXT,
  error_source       TEXT,
  error_step         TEXT,
  error_reason       TEXT,
  acquirer_data      TEXT NOT NULL DEFAULT '{}',
  otp_attempts       INTEGER NOT NULL DEFAULT 0,
  auto_capture       INTEGER NOT NULL,
  capture_deadline   INTEGER,                          -- authorized and uncaptured after this: released
  created_at         INTEGER NOT NULL,
  authorized_at      INTEGER,
  captured_at        INTEGER
);
CREATE INDEX pay_payments_by_merchant ON pay_payments (merchant_id, created_at DESC, id DESC);
CREATE INDEX pay_payments_by_order ON pay_payments (order_id, created_at);
CREATE INDEX pay_payments_to_release ON pay_payments (status, capture_deadline);

CREATE TABLE pay_refunds (
  id               TEXT PRIMARY KEY,                   -- rfnd_…
  merchant_id      TEXT NOT NULL,
  payment_id       TEXT NOT NULL REFERENCES pay_payments(id),
  amount           INTEGER NOT NULL,
  currency         TEXT NOT NULL,
  status           TEXT NOT NULL,                      -- pending | processed | failed
  notes            TEXT NOT NULL DEFAULT '{}',
  receipt          TEXT,
  speed_requested  TEXT NOT NULL,
  speed_processed  TEXT,
  arn              TEXT,
  created_at       INTEGER NOT NULL,
  processed_at     INTEGER
);
CREATE INDEX pay_refunds_by_merchant ON pay_refunds (merchant_id, created_at DESC, id DESC);
CREATE INDEX pay_refunds_by_payment ON pay_refunds (payment_id, created_at);

-- Double-entry: each movement's postings sum to zero (shared::pay::ledger). A movement posts
-- once: UNIQUE makes a repeated capture of one payment post nothing.
CREATE TABLE pay_ledger (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  merchant_id  TEXT NOT NULL,
  movement     TEXT NOT NULL,                          -- capture | refund | settlement
  source_id    TEXT NOT NULL,                          -- pay_… | rfnd_… | setl_…
  account      TEXT NOT NULL,
  amount       INTEGER NOT NULL,                       -- debit > 0, credit < 0
  currency     TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  UNIQUE (movement, source_id, account)
);
CREATE INDEX pay_ledger_by_merchant ON pay_ledger (merchant_id, created_at);
