-- Demo data for `make dev`, loaded once: INSERT OR IGNORE leaves it alone on every later run.
-- Demo account: username `demo`, password `dozen-demo-2026` (PBKDF2-SHA256, 100,000 iterations,
-- computed with Node's crypto.pbkdf2Sync; the login path re-derives it with WebCrypto).
INSERT OR IGNORE INTO auth_users (id, username, email, display_name, password_hash, created_at, updated_at)
VALUES ('01M8MZ2A000000000000000DEM', 'demo', 'demo@dozen.example', 'Demo User',
        'pbkdf2-sha256$100000$ZG96ZW4tZGVtby1zYWx0IQ$l-rQbVo_P-6qzfMs6Kmml4Nt6kxlPL62sVD6N-Rh9wg',
        1796000000000, 1796000000000);
