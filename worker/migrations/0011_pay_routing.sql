-- Pay smart routing (worker/src/pay/routing.rs, rules in shared::pay::routing): each merchant's
-- simulated processors (test mode; defaults when absent), per-processor outcomes in 5-minute
-- buckets for the scorer, and on each payment the processor that carried it and the decision.

CREATE TABLE pay_routing_configs (
  merchant_id  TEXT PRIMARY KEY REFERENCES auth_users(id) ON DELETE CASCADE,
  config       TEXT NOT NULL,                          -- shared::pay::routing::RoutingConfig JSON
  updated_at   INTEGER NOT NULL
);

CREATE TABLE pay_processor_stats (
  merchant_id       TEXT NOT NULL,
  processor         TEXT NOT NULL,
  method            TEXT NOT NULL,
  bucket_start      INTEGER NOT NULL,
  attempts          INTEGER NOT NULL DEFAULT 0,
  successes         INTEGER NOT NULL DEFAULT 0,
  latency_total_ms  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (merchant_id, method, processor, bucket_start)
);

ALTER TABLE pay_payments ADD COLUMN processor TEXT;
ALTER TABLE pay_payments ADD COLUMN routing TEXT;
