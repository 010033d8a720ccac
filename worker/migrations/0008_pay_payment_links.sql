-- Pay payment links (worker/src/pay/payment_links.rs, rules in shared::pay::payment_link).
-- Each payment of a link goes through an order of its own (pay_orders.payment_link_id); a
-- captured one is recorded once in pay_payment_link_payments, and the link's amount_paid is
-- always recomputed from those rows, so a repeated capture statement cannot count twice.

CREATE TABLE pay_payment_links (
  id                        TEXT PRIMARY KEY,          -- plink_…
  merchant_id               TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  key_id                    TEXT NOT NULL,             -- signs the link's callbacks
  amount                    INTEGER NOT NULL,
  amount_paid               INTEGER NOT NULL DEFAULT 0,
  currency                  TEXT NOT NULL,
  accept_partial            INTEGER NOT NULL DEFAULT 0,
  first_min_partial_amount  INTEGER,
  description               TEXT,
  reference_id              TEXT,
  customer                  TEXT NOT NULL DEFAULT '{}',
  notify_sms                INTEGER NOT NULL DEFAULT 0,
  notify_email              INTEGER NOT NULL DEFAULT 0,
  reminder_enable           INTEGER NOT NULL DEFAULT 0,
  notes                     TEXT NOT NULL DEFAULT '{}',
  callback_url              TEXT,
  upi_link                  INTEGER NOT NULL DEFAULT 0,
  short_url                 TEXT NOT NULL,
  status                    TEXT NOT NULL,             -- created | partially_paid | paid | cancelled | expired
  expire_by                 INTEGER NOT NULL,
  created_at                INTEGER NOT NULL,
  updated_at                INTEGER NOT NULL,
  cancelled_at              INTEGER,
  expired_at                INTEGER
);
CREATE UNIQUE INDEX pay_payment_links_reference ON pay_payment_links (merchant_id, reference_id)
  WHERE reference_id IS NOT NULL;
CREATE INDEX pay_payment_links_by_merchant ON pay_payment_links (merchant_id, created_at DESC, id DESC);
CREATE INDEX pay_payment_links_expiring ON pay_payment_links (status, expire_by);

CREATE TABLE pay_payment_link_payments (
  payment_id  TEXT PRIMARY KEY,
  plink_id    TEXT NOT NULL REFERENCES pay_payment_links(id) ON DELETE CASCADE,
  amount      INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX pay_payment_link_payments_by_link ON pay_payment_link_payments (plink_id, created_at);

ALTER TABLE pay_orders ADD COLUMN payment_link_id TEXT;
