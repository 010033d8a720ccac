-- Pay webhooks (worker/src/pay/webhooks.rs, rules in shared::pay::webhook): a merchant's
-- endpoints, the events that happened, and each event's delivery to each endpoint with every
-- attempt, so the dashboard can show what was sent, when, and what the receiver answered.

CREATE TABLE pay_webhooks (
  id           TEXT PRIMARY KEY,                       -- wh_…
  merchant_id  TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  url          TEXT NOT NULL,
  secret       TEXT NOT NULL,                          -- the merchant's: signs X-Razorpay-Signature
  events       TEXT NOT NULL,                          -- JSON array of event names
  active       INTEGER NOT NULL DEFAULT 1,
  created_at   INTEGER NOT NULL
);
CREATE INDEX pay_webhooks_by_merchant ON pay_webhooks (merchant_id, active);

-- The body is stored exactly as delivered: every retry sends (and signs) the same bytes.
CREATE TABLE pay_events (
  id           TEXT PRIMARY KEY,                       -- evt_…
  merchant_id  TEXT NOT NULL,
  event        TEXT NOT NULL,
  body         TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);

CREATE TABLE pay_deliveries (
  id               TEXT PRIMARY KEY,                   -- whd_…
  event_id         TEXT NOT NULL REFERENCES pay_events(id),
  webhook_id       TEXT NOT NULL REFERENCES pay_webhooks(id) ON DELETE CASCADE,
  merchant_id      TEXT NOT NULL,
  status           TEXT NOT NULL,                      -- pending | delivered | failed
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER,                            -- due (or leased until) this time; NULL when done
  created_at       INTEGER NOT NULL,
  delivered_at     INTEGER,
  UNIQUE (event_id, webhook_id)
);
CREATE INDEX pay_deliveries_due ON pay_deliveries (status, next_attempt_at);
CREATE INDEX pay_deliveries_by_webhook ON pay_deliveries (webhook_id, created_at DESC);

CREATE TABLE pay_delivery_attempts (
  delivery_id  TEXT NOT NULL REFERENCES pay_deliveries(id) ON DELETE CASCADE,
  attempt      INTEGER NOT NULL,
  at           INTEGER NOT NULL,
  status_code  INTEGER,
  error        TEXT,
  duration_ms  INTEGER,
  PRIMARY KEY (delivery_id, attempt)
);
