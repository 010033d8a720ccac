"""What every Python suite run against `wrangler dev` needs: the server's base URL and a
requests session that resends what wrangler's own proxy dropped. Pay's scenarios (tests/pay)
and News' (tests/news) import them from here.
"""

import os
import time

import requests


def base_url():
    """DOZEN_BASE_URL without a trailing slash (the SDK appends paths such as `/v1/orders`)."""
    base = os.environ.get("DOZEN_BASE_URL", "").rstrip("/")
    if not base:
        raise RuntimeError(
            "DOZEN_BASE_URL is not set: run these through tests/run-e2e.mjs (make test-e2e), "
            "or point it at a running `wrangler dev`, e.g. DOZEN_BASE_URL=http://127.0.0.1:8787"
        )
    return base


class DevSession(requests.Session):
    """A requests.Session that resends what wrangler dev's own proxy dropped.

    The dev proxy sometimes drops a request on a stale keep-alive connection before the worker
    sees it and answers 503 "Your worker restarted mid-request" (workers-sdk#14641; the worker did
    not restart). That answer is wrangler's, never Pay's, and the worker never saw the request,
    so sending it again is safe even for a capture (tests/support/api.mjs does the same).
    """

    def __init__(self):
        super().__init__()
        # A local server: no proxies from the environment, no ~/.netrc credentials.
        self.trust_env = False

    def request(self, method, url, *args, **kwargs):
        for attempt in range(1, 4):
            response = super().request(method, url, *args, **kwargs)
            dropped = response.status_code == 503 and "Your worker restarted mid-request" in response.text
            if not dropped or attempt == 3:
                return response
            time.sleep(0.05 * attempt)
        return response  # unreachable
