-- Poker with real money (shared::poker::money): a rupee wallet beside the play chips, deposits
-- paid through Pay's hosted checkout and withdrawals paid out through Pay.
--
-- The house is Pay's merchant for both: a system account nobody can sign in as (its password
-- record is well formed and matches no password) with one key, so its orders are signed like
-- any merchant's. Its id is shared::poker::money::HOUSE_USER_ID.
INSERT INTO auth_users (id, username, email, display_name, password_hash, created_at, updated_at)
VALUES ('01M8MZ2A0000000000000HOUSE', 'dozen-poker', 'poker-house@dozen.invalid', 'Dozen Poker',
        'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 0, 0);
INSERT INTO pay_keys (key_id, merchant_id, created_at) VALUES ('rzp_test_PokerHouse0001', '01M8MZ2A0000000000000HOUSE', 0);

-- Paise; never below zero, so an overdraft fails its whole transaction.
ALTER TABLE poker_wallets ADD COLUMN inr_paise INTEGER NOT NULL DEFAULT 0 CHECK (inr_paise >= 0);

-- A deposit is its Pay order. The row is written when the order is made (for the wallet's list)
-- and again, with `credited_at`, by the transaction that captures the order's payment, which
-- reads the player from the order's notes: a deposit is credited once even if the first write
-- was lost.
CREATE TABLE poker_deposits (
  order_id     TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES auth_users(id),
  amount       INTEGER NOT NULL,                 -- paid
  credited     INTEGER,                          -- put in the wallet: paid less Pay's fee
  payment_id   TEXT,
  created_at   INTEGER NOT NULL,
  credited_at  INTEGER
);
CREATE INDEX poker_deposits_by_user ON poker_deposits(user_id, created_at);

-- A withdrawal and the Pay payout that sent it, written in one transaction with the wallet's debit.
CREATE TABLE poker_withdrawals (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES auth_users(id),
  amount      INTEGER NOT NULL CHECK (amount > 0),
  vpa         TEXT NOT NULL,
  payout_id   TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL
);
CREATE INDEX poker_withdrawals_by_user ON poker_withdrawals(user_id, created_at);
