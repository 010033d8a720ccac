-- Which products have loaded their demo data (`make dev` only; production never seeds), so each
-- product's seeder runs once per state folder, even when `make dev` is started again.
CREATE TABLE demo_seeds (
  product    TEXT PRIMARY KEY,
  seeded_at  INTEGER NOT NULL
);
