-- Payouts: money a merchant sends from its balance to someone's UPI ID (RazorpayX's payouts,
-- in test mode: paid at once). Poker's withdrawals are the first user. Each posts a `payout`
-- movement to the ledger in the same transaction (shared::pay::ledger::payout).
CREATE TABLE pay_payouts (
  id           TEXT PRIMARY KEY,                       -- pout_…
  merchant_id  TEXT NOT NULL REFERENCES auth_users(id),
  amount       INTEGER NOT NULL CHECK (amount > 0),
  currency     TEXT NOT NULL,
  mode         TEXT NOT NULL,                          -- UPI
  vpa          TEXT NOT NULL,
  status       TEXT NOT NULL,                          -- processed
  utr          TEXT NOT NULL,                          -- the bank's reference
  reference_id TEXT,                                   -- the merchant's own id for it
  created_at   INTEGER NOT NULL
);
CREATE INDEX pay_payouts_by_merchant ON pay_payouts(merchant_id, created_at);
