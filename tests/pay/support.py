"""Helpers for the Pay scenarios: the server's base URL, fresh merchants (a Dozen account plus a
`rzp_test_` key pair, with a Razorpay SDK client on it), raw HTTP calls for what the SDK hides
(statuses, headers, the error body), and the checks every scenario shares.

Only the standard library, `requests` and `razorpay` (2.0.1, Razorpay's official SDK).
"""

import json as jsonlib
import os
import re
import secrets
import string
import time
from datetime import datetime

import razorpay
import requests

from tests.dev_http import DevSession, base_url  # noqa: F401  (the scenarios import them from here)

ALNUM = string.ascii_letters + string.digits
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
KEY_ID = re.compile(r"^rzp_test_[A-Za-z0-9]{14}$")
KEY_SECRET = re.compile(r"^[A-Za-z0-9]{24}$")
PASSWORD = "correct horse battery"

# The keys Razorpay's error body carries (`field` only when one field is at fault).
ERROR_KEYS = {"code", "description", "field", "source", "step", "reason", "metadata"}
REQUIRED_ERROR_KEYS = ERROR_KEYS - {"field"}


def unique_username(prefix="pay"):
    """3–32 chars of a-z0-9_, starting with a letter, never used before."""
    return (prefix + secrets.token_hex(6))[:32]


def random_alnum(n):
    return "".join(secrets.choice(ALNUM) for _ in range(n))


def sdk_client(key_id, key_secret):
    """A Razorpay SDK client on its own cookie-free session (so nothing but Basic auth counts)."""
    return razorpay.Client(auth=(key_id, key_secret), base_url=base_url(), session=DevSession())


class Merchant:
    """A Dozen user with one Pay key pair.

    `client` is the Razorpay SDK on that key pair; `session` is the signed-in Dozen session
    (cookies only, for /api/...); `api` is a cookie-free session that raw() uses for /v1 calls.
    """

    def __init__(self, username, session, key_id, key_secret, created_at):
        self.username = username
        self.session = session
        self.key_id = key_id
        self.key_secret = key_secret
        self.key_created_at = created_at
        self.client = sdk_client(key_id, key_secret)
        self.api = DevSession()

    @property
    def auth(self):
        return (self.key_id, self.key_secret)

    def __repr__(self):
        return f"Merchant({self.username}, {self.key_id})"


def new_merchant():
    """Signs up a fresh Dozen user and creates a Pay key pair for it."""
    base = base_url()
    session = DevSession()
    username = unique_username()
    res = session.post(
        f"{base}/api/auth/register",
        json={"username": username, "email": f"{username}@example.com", "password": PASSWORD},
        timeout=30,
    )
    if res.status_code != 201:
        raise AssertionError(f"sign-up failed: {res.status_code} {res.text[:500]}")
    if not session.cookies:
        raise AssertionError(f"sign-up set no session cookie: {res.headers.get('Set-Cookie')!r}")

    res = session.post(f"{base}/api/pay/keys", json={}, timeout=30)
    if res.status_code != 201:
        raise AssertionError(f"creating a key pair failed: {res.status_code} {res.text[:500]}")
    body = res.json()
    key_id, key_secret, created_at = body.get("key_id"), body.get("key_secret"), body.get("created_at")
    if not (isinstance(key_id, str) and KEY_ID.match(key_id)):
        raise AssertionError(f"key_id is not rzp_test_ + 14 alphanumerics: {body}")
    if not (isinstance(key_secret, str) and KEY_SECRET.match(key_secret)):
        raise AssertionError(f"key_secret is not 24 alphanumerics: {body}")
    if not (isinstance(created_at, str) and RFC3339.match(created_at)):
        raise AssertionError(f"created_at is not RFC 3339: {body}")
    made = datetime.fromisoformat(created_at.replace("Z", "+00:00")).timestamp()
    if abs(made - time.time()) > 60:
        raise AssertionError(f"created_at is not now: {created_at}")
    return Merchant(username, session, key_id, key_secret, created_at)


_MERCHANT_AUTH = object()


def raw_response(merchant, method, path, json=None, headers=None, params=None, auth=_MERCHANT_AUTH, data=None):
    """A plain requests call to `{base}{path}` with the merchant's HTTP Basic auth (or `auth`:
    a (key_id, key_secret) pair, or None for no Authorization at all). `json` is sent the way
    the SDK sends it: json.dumps(...) with `Content-type: application/json`. `data` sends a body
    as it is. Returns the requests.Response."""
    if auth is _MERCHANT_AUTH:
        auth = merchant.auth
    h = dict(headers or {})
    if json is not None:
        data = jsonlib.dumps(json)
        h.setdefault("Content-type", "application/json")
    session = merchant.api if merchant is not None else DevSession()
    return session.request(method, base_url() + path, data=data, headers=h, params=params, auth=auth, timeout=30)


def parse(response):
    """The JSON of a response, or None when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None


def raw(merchant, method, path, json=None, headers=None, **kwargs):
    """raw_response(), returning (status, parsed JSON or None)."""
    response = raw_response(merchant, method, path, json=json, headers=headers, **kwargs)
    return response.status_code, parse(response)


# `field` may be anything (or absent) when checking an error.
ANY = object()


def assert_error(tc, status, body, expected_status=400, field=ANY, reason=None, description=None,
                 code="BAD_REQUEST_ERROR"):
    """Razorpay's error: exactly {"error": {...}} with code, description, source, step, reason,
    metadata (and `field` when one field is at fault), sent with `expected_status` (an int, or a
    collection of acceptable statuses). `field=None` means it must be absent. Returns the error."""
    allowed = expected_status if isinstance(expected_status, (set, tuple, list)) else {expected_status}
    tc.assertIn(status, allowed, f"expected {expected_status}, got {status}: {body}")
    tc.assertIsInstance(body, dict, f"a JSON error body expected, got {body!r}")
    tc.assertEqual(list(body), ["error"], f"only 'error' at the top: {body}")
    err = body["error"]
    tc.assertIsInstance(err, dict, body)
    tc.assertTrue(REQUIRED_ERROR_KEYS <= set(err), f"missing keys {REQUIRED_ERROR_KEYS - set(err)}: {body}")
    tc.assertTrue(set(err) <= ERROR_KEYS, f"unexpected keys {set(err) - ERROR_KEYS}: {body}")
    tc.assertEqual(err["code"], code, body)
    tc.assertIsInstance(err["description"], str, body)
    tc.assertTrue(err["description"].strip(), f"an empty description: {body}")
    for key in ("source", "step", "reason"):
        tc.assertIsInstance(err[key], str, f"{key}: {body}")
    tc.assertIsInstance(err["metadata"], dict, body)
    if field is None:
        tc.assertIsNone(err.get("field"), f"no field is at fault here: {body}")
    elif field is not ANY:
        if isinstance(field, (set, tuple, list)):
            tc.assertIn(err.get("field"), field, body)
        else:
            tc.assertEqual(err.get("field"), field, body)
    if reason is not None:
        tc.assertEqual(err["reason"], reason, body)
    if description is not None:
        tc.assertEqual(err["description"], description, body)
    return err


def assert_id(tc, value, prefix):
    """`prefix_` followed by exactly 14 alphanumerics (Razorpay's id shape)."""
    tc.assertIsInstance(value, str, value)
    tc.assertRegex(value, r"^" + re.escape(prefix) + r"_[A-Za-z0-9]{14}$")


def assert_recent(tc, ts, within=60):
    """A Unix timestamp in seconds (an int, not a float or string) within a minute of now."""
    tc.assertIs(type(ts), int, f"created_at must be an int of seconds: {ts!r}")
    tc.assertLess(abs(ts - time.time()), within, f"created_at {ts} is not now ({time.time():.0f})")


def assert_collection(tc, body, count=None):
    """{"entity": "collection", "count": len(items), "items": [...]}; returns the items."""
    tc.assertIsInstance(body, dict, body)
    tc.assertEqual(body.get("entity"), "collection", body)
    items = body.get("items")
    tc.assertIsInstance(items, list, body)
    tc.assertEqual(body.get("count"), len(items), f"count is the number of items: {body}")
    if count is not None:
        tc.assertEqual(len(items), count, body)
    return items


def expected_fee(amount):
    """(fee, tax) in paise: 2% of the amount rounded half up, plus 18% GST on that rounded half
    up; `fee` includes `tax` (Razorpay's convention). 50000 → (1180, 180)."""
    base = (amount * 2 + 50) // 100
    tax = (base * 18 + 50) // 100
    return base + tax, tax
