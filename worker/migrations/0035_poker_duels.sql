-- Heads-up betting rounds after the first street, per hand, player and opponent
-- (shared::poker::duels), for the admins' soft-play signal: two players who bet into everyone
-- but each other. Written with the hand, in its transaction.
CREATE TABLE poker_duels (
  hand_id      TEXT NOT NULL REFERENCES poker_hands(id) ON DELETE CASCADE,
  user_id      TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  opponent_id  TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  rounds       INTEGER NOT NULL,
  aggressive   INTEGER NOT NULL,
  PRIMARY KEY (hand_id, user_id, opponent_id)
);
CREATE INDEX poker_duels_by_pair ON poker_duels(user_id, opponent_id);
