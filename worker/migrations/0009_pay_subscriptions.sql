-- Pay subscription billing (worker/src/pay/subscriptions.rs, rules in shared::pay::{plan,
-- subscription}): customers, plans, and subscriptions charged every cycle to an instrument the
-- customer authorized once. Each charge is an order of its own (pay_orders.subscription_id).

CREATE TABLE pay_customers (
  id           TEXT PRIMARY KEY,                       -- cust_…
  merchant_id  TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  email        TEXT,
  contact      TEXT,
  gstin        TEXT,
  notes        TEXT NOT NULL DEFAULT '{}',
  created_at   INTEGER NOT NULL
);
CREATE INDEX pay_customers_by_merchant ON pay_customers (merchant_id, created_at DESC, id DESC);
CREATE INDEX pay_customers_by_details ON pay_customers (merchant_id, email, contact);

CREATE TABLE pay_plans (
  id                TEXT PRIMARY KEY,                  -- plan_…
  merchant_id       TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  period            TEXT NOT NULL,                     -- daily | weekly | monthly | yearly
  interval          INTEGER NOT NULL,
  item_id           TEXT NOT NULL,
  item_name         TEXT NOT NULL,
  item_description  TEXT,
  amount            INTEGER NOT NULL,
  currency          TEXT NOT NULL,
  notes             TEXT NOT NULL DEFAULT '{}',
  created_at        INTEGER NOT NULL
);
CREATE INDEX pay_plans_by_merchant ON pay_plans (merchant_id, created_at DESC, id DESC);

-- The authorized instrument is kept as shared::pay::attempt::SavedInstrument JSON: what
-- Razorpay shows of it and a card fingerprint, never a card number.
CREATE TABLE pay_subscriptions (
  id               TEXT PRIMARY KEY,                   -- sub_…
  merchant_id      TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  key_id           TEXT NOT NULL,                      -- signs the authorization
  plan_id          TEXT NOT NULL REFERENCES pay_plans(id),
  customer_id      TEXT,
  status           TEXT NOT NULL,
  quantity         INTEGER NOT NULL DEFAULT 1,
  total_count      INTEGER NOT NULL,
  paid_count       INTEGER NOT NULL DEFAULT 0,
  auth_attempts    INTEGER NOT NULL DEFAULT 0,
  failed_attempts  INTEGER NOT NULL DEFAULT 0,         -- failed charges of the current cycle
  customer_notify  INTEGER NOT NULL DEFAULT 1,
  notes            TEXT NOT NULL DEFAULT '{}',
  start_at         INTEGER,                            -- asked for (a trial until then), or set at authorization
  requested_start  INTEGER,
  charge_at        INTEGER,                            -- the next charge or retry; NULL when none
  current_start    INTEGER,
  current_end      INTEGER,
  ended_at         INTEGER,
  cancel_at        INTEGER,                            -- cancel at the end of the cycle
  expire_by        INTEGER NOT NULL,
  instrument       TEXT,
  short_url        TEXT NOT NULL,
  created_at       INTEGER NOT NULL
);
CREATE INDEX pay_subscriptions_by_merchant ON pay_subscriptions (merchant_id, created_at DESC, id DESC);
CREATE INDEX pay_subscriptions_due ON pay_subscriptions (status, charge_at);

ALTER TABLE pay_orders ADD COLUMN subscription_id TEXT;
