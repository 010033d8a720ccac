-- Custom short domains: a user's own hostname whose root paths resolve codes in that domain's
-- namespace (links.domain = hostname). Ownership proof (a DNS TXT record) is still to come.
CREATE TABLE links_domains (
  hostname    TEXT PRIMARY KEY,     -- lower-case ASCII (punycode for IDN)
  user_id     TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL
);
CREATE INDEX links_domains_by_owner ON links_domains(user_id);
