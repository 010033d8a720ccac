-- Pay settlements (worker/src/pay/settlements.rs, rules in shared::pay::settlement): T+N
-- payouts of each merchant's balance. A settlement claims the merchant_balance postings it pays
-- (pay_ledger.settlement_id), so no posting is ever paid twice, and posts its own movement.

CREATE TABLE pay_settlements (
  id           TEXT PRIMARY KEY,                       -- setl_…
  merchant_id  TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  amount       INTEGER NOT NULL,
  currency     TEXT NOT NULL,
  fees         INTEGER NOT NULL,                       -- of the captures it pays, tax included
  tax          INTEGER NOT NULL,
  status       TEXT NOT NULL,                          -- processed
  utr          TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX pay_settlements_by_merchant ON pay_settlements (merchant_id, created_at DESC, id DESC);

ALTER TABLE pay_ledger ADD COLUMN settlement_id TEXT;
CREATE INDEX pay_ledger_unsettled ON pay_ledger (merchant_id, account, settlement_id, created_at);
