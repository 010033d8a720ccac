-- The instrument of each subscription authorization attempt, kept until the bank approves one
-- (at once, after its OTP, or after the merchant's fraud review): only an approved attempt's
-- instrument becomes the subscription's (shared::pay::attempt::SavedInstrument JSON).
CREATE TABLE pay_subscription_instruments (
  payment_id       TEXT PRIMARY KEY,
  subscription_id  TEXT NOT NULL REFERENCES pay_subscriptions(id) ON DELETE CASCADE,
  instrument       TEXT NOT NULL,
  created_at       INTEGER NOT NULL
);
