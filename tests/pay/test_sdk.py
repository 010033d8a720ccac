"""Pay, end to end through Razorpay's official Python SDK (razorpay==2.0.1) against a real
`wrangler dev` at DOZEN_BASE_URL: orders, S2S card/UPI/netbanking/wallet payments, signatures,
OTP, declines, captures, refunds, lists, input validation, authentication, merchant isolation,
idempotency and concurrent captures/refunds.

Every test signs up its own merchant(s), so the tests depend neither on each other nor on their
order. Where the SDK hides what matters (the HTTP status, headers, the error body beyond its
description), support.raw() makes the same call by hand.

Run: DOZEN_BASE_URL=http://127.0.0.1:8787 .dozen/venv/bin/python -m unittest -v tests.pay.test_sdk
"""

import json
import threading
import time
import unittest
import uuid
from concurrent.futures import ThreadPoolExecutor

import razorpay
import requests
from razorpay.errors import BadRequestError, SignatureVerificationError

try:
    from . import support
except ImportError:  # run from inside tests/pay
    import support

ANY = support.ANY
assert_error = support.assert_error
new_merchant = support.new_merchant
raw = support.raw
raw_response = support.raw_response

# Test instruments of the contract.
VISA = "4111111111111111"  # approved
DECLINED = "4000000000000002"  # card_declined
NO_FUNDS = "4000000000009995"  # insufficient_funds
OTP_CARD = "4000000000003220"  # asks for an OTP (123456 is right)
NOT_LUHN = "4111111111111112"
RIGHT_OTP = "123456"
WRONG_OTP = "000000"
NOT_FOUND = "The id provided does not exist"

PAYER = {"email": "gaurav.kumar@example.com", "contact": "9000090000"}

ORDER_KEYS = {"id", "entity", "amount", "amount_paid", "amount_due", "currency", "receipt", "status",
              "attempts", "notes", "created_at"}
PAYMENT_KEYS = {"id", "entity", "amount", "currency", "status", "order_id", "invoice_id", "international",
                "method", "amount_refunded", "refund_status", "captured", "description", "card_id", "bank",
                "wallet", "vpa", "email", "contact", "notes", "fee", "tax", "error_code", "error_description",
                "error_source", "error_step", "error_reason", "acquirer_data", "created_at"}
CARD_KEYS = {"id", "entity", "name", "last4", "network", "type", "issuer", "international", "emi"}
REFUND_KEYS = {"id", "entity", "amount", "currency", "payment_id", "notes", "receipt", "acquirer_data",
               "created_at", "batch_id", "status", "speed_processed", "speed_requested"}
SUCCESS_KEYS = {"razorpay_payment_id", "razorpay_order_id", "razorpay_signature"}
ERROR_FIELDS = ("error_code", "error_description", "error_source", "error_step", "error_reason")


def card(number=VISA, **changes):
    c = {"number": number, "name": "Gaurav", "expiry_month": 12, "expiry_year": 30, "cvv": "123"}
    c.update(changes)
    return c


def card_payment(order, number=VISA, **card_changes):
    return {"amount": order["amount"], "currency": order["currency"], "order_id": order["id"], **PAYER,
            "method": "card", "card": card(number, **card_changes)}


def upi_payment(order, vpa):
    return {"amount": order["amount"], "currency": order["currency"], "order_id": order["id"], **PAYER,
            "method": "upi", "vpa": vpa}


def netbanking_payment(order, bank):
    return {"amount": order["amount"], "currency": order["currency"], "order_id": order["id"], **PAYER,
            "method": "netbanking", "bank": bank}


def wallet_payment(order, wallet):
    return {"amount": order["amount"], "currency": order["currency"], "order_id": order["id"], **PAYER,
            "method": "wallet", "wallet": wallet}


def ids(items):
    return [item["id"] for item in items]


def wait_until(ts):
    """Sleeps until the clock (the server's too: the same machine) has reached `ts`."""
    delay = ts - time.time()
    if delay > 0:
        time.sleep(delay)


class PayCase(unittest.TestCase):
    maxDiff = None

    # ---- checks ----------------------------------------------------------------------------

    def assert_order(self, order, amount, currency="INR", status="created", amount_paid=0, attempts=0):
        self.assertTrue(ORDER_KEYS <= set(order), f"missing {ORDER_KEYS - set(order)}: {order}")
        support.assert_id(self, order["id"], "order")
        self.assertEqual(order["entity"], "order")
        self.assertIs(type(order["amount"]), int, order)
        self.assertEqual(order["amount"], amount)
        self.assertEqual(order["currency"], currency)
        self.assertEqual(order["status"], status, order)
        self.assertEqual(order["amount_paid"], amount_paid, order)
        self.assertEqual(order["amount_due"], amount - amount_paid, order)
        self.assertEqual(order["attempts"], attempts, order)
        support.assert_recent(self, order["created_at"])

    def assert_payment(self, p, *, pay_id=None, order=None, status, method, amount=None, refunded=0,
                       refund_status=None):
        self.assertTrue(PAYMENT_KEYS <= set(p), f"missing {PAYMENT_KEYS - set(p)}: {p}")
        support.assert_id(self, p["id"], "pay")
        if pay_id is not None:
            self.assertEqual(p["id"], pay_id)
        self.assertEqual(p["entity"], "payment")
        if order is not None:
            self.assertEqual(p["order_id"], order["id"])
            self.assertEqual(p["amount"], order["amount"])
            self.assertEqual(p["currency"], order["currency"])
        if amount is not None:
            self.assertEqual(p["amount"], amount)
        self.assertIs(type(p["amount"]), int, p)
        self.assertEqual(p["status"], status, p)
        self.assertEqual(p["method"], method, p)
        self.assertIs(p["captured"], status in ("captured", "refunded"), p)
        self.assertEqual(p["amount_refunded"], refunded, p)
        self.assertEqual(p["refund_status"], refund_status, p)
        self.assertIsNone(p["invoice_id"])
        self.assertIs(p["international"], False)
        self.assertEqual(p["email"], PAYER["email"])
        self.assertEqual(p["contact"], PAYER["contact"])
        self.assertIsInstance(p["acquirer_data"], dict, p)
        support.assert_recent(self, p["created_at"])
        if status == "failed":
            self.assertEqual(p["error_code"], "BAD_REQUEST_ERROR", p)
            for key in ERROR_FIELDS[1:]:
                self.assertIsInstance(p[key], str, f"{key}: {p}")
                self.assertTrue(p[key], f"{key} is empty: {p}")
        else:
            for key in ERROR_FIELDS:
                self.assertIsNone(p[key], f"{key} of a {status} payment: {p}")
        if status in ("captured", "refunded"):
            fee, tax = support.expected_fee(p["amount"])
            self.assertEqual((p["fee"], p["tax"]), (fee, tax), f"2% + 18% GST of {p['amount']}: {p}")
        own = {"netbanking": "bank", "wallet": "wallet", "upi": "vpa"}.get(method)
        for key in ("bank", "wallet", "vpa"):
            if key != own:
                self.assertIsNone(p[key], f"{key} of a {method} payment: {p}")
        if method == "card":
            c = p["card"]
            self.assertIsInstance(c, dict, p)
            self.assertTrue(CARD_KEYS <= set(c), f"missing {CARD_KEYS - set(c)}: {c}")
            support.assert_id(self, c["id"], "card")
            self.assertEqual(p["card_id"], c["id"])
            self.assertEqual(c["entity"], "card")
            self.assertEqual(len(c["last4"]), 4, c)
            self.assertIn(c["type"], ("credit", "debit", "prepaid", "unknown"), c)
            self.assertIsNone(c["issuer"])
            self.assertIs(c["international"], False)
            self.assertIs(c["emi"], False)
            self.assertNotIn("number", c, "never the card number")
            self.assertNotIn("cvv", c, "never the CVV")
        else:
            self.assertIsNone(p.get("card"), p)
            self.assertIsNone(p["card_id"], p)
        self.assert_no_card_data(p)

    def assert_no_card_data(self, value):
        text = json.dumps(value)
        for number in (VISA, DECLINED, NO_FUNDS, OTP_CARD, NOT_LUHN):
            self.assertNotIn(number, text, "a full card number in an answer")
        self.assertNotIn('"cvv"', text, "a CVV in an answer")

    def assert_refund(self, r, *, pay_id, amount, notes=None):
        self.assertTrue(REFUND_KEYS <= set(r), f"missing {REFUND_KEYS - set(r)}: {r}")
        support.assert_id(self, r["id"], "rfnd")
        self.assertEqual(r["entity"], "refund")
        self.assertEqual(r["amount"], amount, r)
        self.assertIs(type(r["amount"]), int)
        self.assertEqual(r["currency"], "INR")
        self.assertEqual(r["payment_id"], pay_id)
        if notes is not None:
            self.assertEqual(r["notes"], notes)
        self.assertIsNone(r["receipt"])
        self.assertIsInstance(r["acquirer_data"], dict, r)
        self.assertIn("arn", r["acquirer_data"], r)
        self.assertIsNone(r["batch_id"])
        self.assertEqual(r["status"], "processed")
        self.assertEqual(r["speed_processed"], "normal")
        self.assertEqual(r["speed_requested"], "normal")
        support.assert_recent(self, r["created_at"])

    def assert_success(self, m, resp, order_id):
        """The 3-field success of an approved payment, with a signature the SDK verifies."""
        self.assertIsInstance(resp, dict, resp)
        self.assertEqual(set(resp), SUCCESS_KEYS, resp)
        support.assert_id(self, resp["razorpay_payment_id"], "pay")
        self.assertEqual(resp["razorpay_order_id"], order_id)
        self.assertRegex(resp["razorpay_signature"], r"^[0-9a-f]{64}$")
        self.assertIs(m.client.utility.verify_payment_signature(dict(resp)), True)
        # Signed with this merchant's key secret, not anything else.
        stranger = razorpay.Client(auth=(m.key_id, support.random_alnum(24)))
        with self.assertRaises(SignatureVerificationError):
            stranger.utility.verify_payment_signature(dict(resp))
        return resp["razorpay_payment_id"]

    def assert_not_found(self, call):
        with self.assertRaises(BadRequestError) as caught:
            call()
        self.assertEqual(str(caught.exception), NOT_FOUND)

    # ---- steps -----------------------------------------------------------------------------

    def new_order(self, m, amount=50000, capture=None, currency="INR", **extra):
        data = {"amount": amount, "currency": currency, "receipt": f"rcpt_{uuid.uuid4().hex[:10]}", **extra}
        if capture is not None:
            data["payment_capture"] = capture
        order = m.client.order.create(data)
        self.assert_order(order, amount, currency)
        self.assertEqual(order["receipt"], data["receipt"])
        return order

    def pay(self, m, order, payload):
        """createPaymentJson that must be approved; returns the payment id."""
        return self.assert_success(m, m.client.payment.createPaymentJson(payload), order["id"])

    def order_count(self, m):
        return support.assert_collection(self, m.client.order.all({"count": 100}))

    # ---- scenarios ---------------------------------------------------------------------------

    def test_01_card_payment_manual_capture_and_refunds(self):
        """Order → card S2S (manual capture) → verified → captured → paid → partial, rest, refused refunds."""
        m = new_merchant()
        c = m.client
        order = c.order.create({"amount": 50000, "currency": "INR", "receipt": "rcpt_1", "notes": {"k": "v"},
                                "payment_capture": 0})
        self.assert_order(order, 50000)
        self.assertEqual(order["receipt"], "rcpt_1")
        self.assertEqual(order["notes"], {"k": "v"})
        self.assertEqual(c.order.fetch(order["id"]), order)

        pay_id = self.pay(m, order, card_payment(order))
        p = c.payment.fetch(pay_id)
        self.assert_payment(p, pay_id=pay_id, order=order, status="authorized", method="card")
        self.assertEqual(p["card"]["last4"], "1111")
        self.assertEqual(p["card"]["network"], "Visa")
        self.assertEqual(p["card"]["name"], "Gaurav")
        self.assert_order(c.order.fetch(order["id"]), 50000, status="attempted", attempts=1)
        listed = support.assert_collection(self, c.order.payments(order["id"]), count=1)
        self.assertEqual(listed[0], p)

        # Not refundable before it is captured; not capturable for another amount.
        with self.assertRaises(BadRequestError):
            c.payment.refund(pay_id, {"amount": 100})
        status, body = raw(m, "POST", f"/v1/payments/{pay_id}/capture", {"amount": 40000, "currency": "INR"})
        assert_error(self, status, body, field="amount")
        with self.assertRaises(BadRequestError):
            c.payment.capture(pay_id, 40000, {"currency": "INR"})
        self.assertEqual(c.payment.fetch(pay_id), p, "refused calls change nothing")

        captured = c.payment.capture(pay_id, 50000, {"currency": "INR"})
        self.assert_payment(captured, pay_id=pay_id, order=order, status="captured", method="card")
        self.assertEqual((captured["fee"], captured["tax"]), (1180, 180))
        self.assertEqual(c.payment.fetch(pay_id), captured)
        self.assert_order(c.order.fetch(order["id"]), 50000, status="paid", amount_paid=50000, attempts=1)
        with self.assertRaises(BadRequestError) as again:
            c.payment.capture(pay_id, 50000, {"currency": "INR"})
        self.assertIn("already been captured", str(again.exception))

        # A partial refund.
        r1 = c.payment.refund(pay_id, {"amount": 20000, "notes": {"why": "one item back"}})
        self.assert_refund(r1, pay_id=pay_id, amount=20000, notes={"why": "one item back"})
        self.assert_payment(c.payment.fetch(pay_id), pay_id=pay_id, order=order, status="captured",
                            method="card", refunded=20000, refund_status="partial")

        # More than what remains: refused, nothing changes.
        status, body = raw(m, "POST", f"/v1/payments/{pay_id}/refund", {"amount": 30001})
        assert_error(self, status, body)
        with self.assertRaises(BadRequestError):
            c.payment.refund(pay_id, {"amount": 30001})
        self.assertEqual(c.payment.fetch(pay_id)["amount_refunded"], 20000)

        # No amount: the rest.
        r2 = c.payment.refund(pay_id)
        self.assert_refund(r2, pay_id=pay_id, amount=30000)
        self.assertNotEqual(r2["id"], r1["id"])
        done = c.payment.fetch(pay_id)
        self.assert_payment(done, pay_id=pay_id, order=order, status="refunded", method="card",
                            refunded=50000, refund_status="full")
        self.assertEqual((done["fee"], done["tax"]), (1180, 180), "the fee is not charged again")
        self.assert_order(c.order.fetch(order["id"]), 50000, status="paid", amount_paid=50000, attempts=1)

        # Nothing left to refund.
        with self.assertRaises(BadRequestError):
            c.payment.refund(pay_id, {"amount": 100})
        with self.assertRaises(BadRequestError):
            c.payment.refund(pay_id)
        self.assertEqual(c.payment.fetch(pay_id), done)

        # The refunds, listed and fetched three ways.
        listed = support.assert_collection(self, c.payment.fetch_multiple_refund(pay_id), count=2)
        self.assertEqual(sorted(ids(listed)), sorted([r1["id"], r2["id"]]))
        self.assertGreaterEqual(listed[0]["created_at"], listed[1]["created_at"], "newest first")
        self.assertEqual({r["id"]: r for r in listed}, {r1["id"]: r1, r2["id"]: r2})
        self.assertEqual(c.payment.fetch_refund_id(pay_id, r1["id"]), r1)
        self.assertEqual(c.refund.fetch(r2["id"]), r2)
        everything = support.assert_collection(self, c.refund.all({"count": 10}), count=2)
        self.assertEqual(sorted(ids(everything)), sorted([r1["id"], r2["id"]]))

    def test_02_auto_capture(self):
        """payment_capture 1 (and by default): captured as soon as it is authorized; fee rounds half up."""
        m = new_merchant()
        c = m.client
        order = self.new_order(m, amount=12345, capture=1)
        pay_id = self.pay(m, order, card_payment(order))
        p = c.payment.fetch(pay_id)
        self.assert_payment(p, pay_id=pay_id, order=order, status="captured", method="card")
        self.assertEqual((p["fee"], p["tax"]), (291, 44))  # 246.9 → 247, 18% → 44.46 → 44
        self.assert_order(c.order.fetch(order["id"]), 12345, status="paid", amount_paid=12345, attempts=1)

        # No payment_capture at all: 1 is the default. The card as Razorpay's SDK docs write it
        # (cvv an integer, a 4-digit year).
        order = self.new_order(m, amount=10025)
        pay_id = self.pay(m, order, card_payment(order, cvv=123, expiry_year=2030))
        p = c.payment.fetch(pay_id)
        self.assert_payment(p, pay_id=pay_id, order=order, status="captured", method="card")
        self.assertEqual((p["fee"], p["tax"]), (237, 36))  # 200.5 → 201 (half up), 18% → 36.18 → 36
        self.assert_order(c.order.fetch(order["id"]), 10025, status="paid", amount_paid=10025, attempts=1)
        with self.assertRaises(BadRequestError):
            c.payment.capture(pay_id, 10025, {"currency": "INR"})

    def test_03_declines(self):
        """Declined card, insufficient funds, failed UPI: 400 with reason and metadata; a failed payment."""
        m = new_merchant()
        c = m.client
        cases = [
            ("card declined", lambda o: card_payment(o, DECLINED), "card_declined", "card"),
            ("insufficient funds", lambda o: card_payment(o, NO_FUNDS), "insufficient_funds", "card"),
            ("UPI failure", lambda o: upi_payment(o, "failure@razorpay"), "payment_failed", "upi"),
        ]
        for name, payload, reason, method in cases:
            with self.subTest(name):
                order = self.new_order(m, capture=0)
                status, body = raw(m, "POST", "/v1/payments/create/json", payload(order))
                err = assert_error(self, status, body, reason=reason)
                if reason == "card_declined":
                    self.assertEqual(err["source"], "bank", err)
                    self.assertEqual(err["step"], "payment_authorization", err)
                pay_id = err["metadata"].get("payment_id")
                support.assert_id(self, pay_id, "pay")
                self.assertEqual(err["metadata"].get("order_id"), order["id"], err)

                p = c.payment.fetch(pay_id)
                self.assert_payment(p, pay_id=pay_id, order=order, status="failed", method=method)
                self.assertEqual(p["error_reason"], reason)
                self.assertIn(p["fee"], (None, 0), "no fee on a failed payment")
                listed = support.assert_collection(self, c.order.payments(order["id"]), count=1)
                self.assertEqual(listed[0], p)
                self.assert_order(c.order.fetch(order["id"]), 50000, status="attempted", attempts=1)

                # A failed payment cannot be captured (or refunded).
                status, body = raw(m, "POST", f"/v1/payments/{pay_id}/capture", {"amount": 50000, "currency": "INR"})
                assert_error(self, status, body)
                with self.assertRaises(BadRequestError):
                    c.payment.capture(pay_id, 50000, {"currency": "INR"})
                with self.assertRaises(BadRequestError):
                    c.payment.refund(pay_id, {"amount": 100})
                self.assertEqual(c.payment.fetch(pay_id), p)

                if reason == "card_declined":
                    # The SDK raises BadRequestError for a decline, and the order can be paid again.
                    with self.assertRaises(BadRequestError):
                        c.payment.createPaymentJson(card_payment(order, DECLINED))
                    retry = self.pay(m, order, card_payment(order))
                    self.assertEqual(c.payment.fetch(retry)["status"], "authorized")
                    self.assert_order(c.order.fetch(order["id"]), 50000, status="attempted", attempts=3)
                    listed = support.assert_collection(self, c.order.payments(order["id"]), count=3)
                    self.assertEqual(sorted(x["status"] for x in listed), ["authorized", "failed", "failed"])

    def test_04_otp(self):
        """Card 3220 asks for an OTP: the right one authorizes; three wrong ones fail the payment."""
        m = new_merchant()
        c = m.client

        order = self.new_order(m, capture=0)
        resp = c.payment.createPaymentJson(card_payment(order, OTP_CARD))
        self.assertEqual(set(resp), {"razorpay_payment_id", "next"}, resp)
        pay_id = resp["razorpay_payment_id"]
        support.assert_id(self, pay_id, "pay")
        self.assertEqual([step["action"] for step in resp["next"]], ["otp_submit", "otp_resend"], resp)
        self.assertTrue(resp["next"][0]["url"].endswith(f"/v1/payments/{pay_id}/otp/submit"), resp)
        self.assertTrue(resp["next"][1]["url"].endswith(f"/v1/payments/{pay_id}/otp/resend"), resp)
        self.assert_payment(c.payment.fetch(pay_id), pay_id=pay_id, order=order, status="created", method="card")
        self.assertEqual(self.assert_success(m, c.payment.otpSubmit(pay_id, {"otp": RIGHT_OTP}), order["id"]), pay_id)
        self.assert_payment(c.payment.fetch(pay_id), pay_id=pay_id, order=order, status="authorized", method="card")
        with self.assertRaises(BadRequestError):
            c.payment.otpSubmit(pay_id, {"otp": RIGHT_OTP})  # nothing left to submit

        order = self.new_order(m, capture=0)
        resp = c.payment.createPaymentJson(card_payment(order, OTP_CARD))
        pay_id = resp["razorpay_payment_id"]
        status, body = raw(m, "POST", f"/v1/payments/{pay_id}/otp/submit", {"otp": WRONG_OTP})
        assert_error(self, status, body, reason="incorrect_otp")
        with self.assertRaises(BadRequestError):
            c.payment.otpSubmit(pay_id, {"otp": WRONG_OTP})
        self.assertEqual(c.payment.fetch(pay_id)["status"], "created", "two wrong OTPs: still waiting")
        with self.assertRaises(BadRequestError):
            c.payment.otpSubmit(pay_id, {"otp": WRONG_OTP})
        failed = c.payment.fetch(pay_id)
        self.assert_payment(failed, pay_id=pay_id, order=order, status="failed", method="card")
        with self.assertRaises(BadRequestError):
            c.payment.otpSubmit(pay_id, {"otp": RIGHT_OTP})  # too late
        self.assertEqual(c.payment.fetch(pay_id), failed)
        self.assert_order(c.order.fetch(order["id"]), 50000, status="attempted", attempts=1)

    def test_05_upi_netbanking_wallet(self):
        """UPI success@razorpay, netbanking HDFC and wallet phonepe are approved and auto-captured."""
        m = new_merchant()
        c = m.client
        cases = [
            ("upi", lambda o: upi_payment(o, "success@razorpay"), "vpa", "success@razorpay"),
            # With the browser fields Razorpay's S2S docs mark as required.
            ("netbanking", lambda o: {**netbanking_payment(o, "HDFC"), "ip": "192.168.0.103",
                                      "referer": "http", "user_agent": "Mozilla/5.0"}, "bank", "HDFC"),
            ("wallet", lambda o: wallet_payment(o, "phonepe"), "wallet", "phonepe"),
        ]
        for method, payload, key, value in cases:
            with self.subTest(method):
                order = self.new_order(m)
                pay_id = self.pay(m, order, payload(order))
                p = c.payment.fetch(pay_id)
                self.assert_payment(p, pay_id=pay_id, order=order, status="captured", method=method)
                self.assertEqual(p[key], value, p)
                self.assertEqual((p["fee"], p["tax"]), (1180, 180))
                self.assert_order(c.order.fetch(order["id"]), 50000, status="paid", amount_paid=50000, attempts=1)

    def test_06_bad_input(self):
        """Bad amounts, currencies, instruments: 400 in Razorpay's shape naming the field; nothing created."""
        m = new_merchant()
        c = m.client
        self.assertEqual(self.order_count(m), [])
        order_cases = [
            ("negative amount", {"amount": -100, "currency": "INR"}, "amount"),
            ("fractional amount", {"amount": 100.5, "currency": "INR"}, "amount"),
            ("zero amount", {"amount": 0, "currency": "INR"}, "amount"),
            ("amount under 100", {"amount": 99, "currency": "INR"}, "amount"),
            ("amount over the limit", {"amount": 50000001, "currency": "INR"}, "amount"),
            ("amount not a number", {"amount": "abc", "currency": "INR"}, "amount"),
            ("unknown currency", {"amount": 50000, "currency": "XYZ"}, "currency"),
            ("missing amount", {"currency": "INR", "receipt": "r"}, "amount"),
        ]
        for name, data, field in order_cases:
            with self.subTest(name):
                status, body = raw(m, "POST", "/v1/orders", data)
                assert_error(self, status, body, field=field)
                with self.assertRaises(BadRequestError):
                    c.order.create(dict(data))
        self.assertEqual(self.order_count(m), [], "no order was created by a refused request")

        # Not JSON at all: still Razorpay's shape, as JSON (the SDK parses every error body).
        res = raw_response(m, "POST", "/v1/orders", data='{"amount": ', headers={"Content-type": "application/json"})
        self.assertRegex(res.headers.get("Content-Type", ""), r"^application/json")
        assert_error(self, res.status_code, support.parse(res))

        # The limits themselves are fine, and so is another currency.
        self.new_order(m, amount=100)
        self.new_order(m, amount=50000000)
        self.new_order(m, amount=50000, currency="USD")
        self.assertEqual(len(self.order_count(m)), 3)

        order = self.new_order(m, capture=0)
        payment_cases = [
            ("amount other than the order's", {**card_payment(order), "amount": 40000}, "amount"),
            ("currency other than the order's", {**card_payment(order), "currency": "USD"}, "currency"),
            ("card number failing Luhn", card_payment(order, NOT_LUHN), "card[number]"),
            ("expired card", card_payment(order, expiry_month=1, expiry_year=20),
             ("card[expiry_year]", "card[expiry_month]")),
            ("bad VPA", upi_payment(order, "nope"), "vpa"),
            ("unknown bank", netbanking_payment(order, "NOPE"), "bank"),
            ("unsupported wallet", wallet_payment(order, "paytm"), "wallet"),
        ]
        for name, data, field in payment_cases:
            with self.subTest(name):
                status, body = raw(m, "POST", "/v1/payments/create/json", data)
                assert_error(self, status, body, field=field)
                with self.assertRaises(BadRequestError):
                    c.payment.createPaymentJson(data)
        with self.subTest("unknown order"):
            data = {**card_payment(order), "order_id": "order_" + support.random_alnum(14)}
            status, body = raw(m, "POST", "/v1/payments/create/json", data)
            assert_error(self, status, body)
        support.assert_collection(self, c.order.payments(order["id"]), count=0)
        support.assert_collection(self, c.payment.all(), count=0)
        self.assert_order(c.order.fetch(order["id"]), 50000, status="created", attempts=0)

    def test_07_authentication(self):
        """Wrong secret, unknown key, no or non-Basic auth, a session cookie: 401, BadRequestError."""
        m = new_merchant()
        base = support.base_url()
        bad_auths = [
            ("wrong secret", (m.key_id, support.random_alnum(24))),
            ("unknown key id", ("rzp_test_" + support.random_alnum(14), m.key_secret)),
            ("key id only", (m.key_id, "")),
            ("no auth", None),
        ]
        for name, auth in bad_auths:
            with self.subTest(name):
                for method, data in (("GET", None), ("POST", {"amount": 50000, "currency": "INR"})):
                    status, body = raw(m, method, "/v1/orders", data, auth=auth)
                    assert_error(self, status, body, expected_status=401, description="Authentication failed")
                client = razorpay.Client(auth=auth, base_url=base, session=support.DevSession())
                with self.assertRaises(BadRequestError) as caught:
                    client.order.all()
                self.assertEqual(str(caught.exception), "Authentication failed")
                with self.assertRaises(BadRequestError):
                    client.order.create({"amount": 50000, "currency": "INR"})
        with self.subTest("bearer token"):
            status, body = raw(m, "GET", "/v1/orders", auth=None, headers={"Authorization": f"Bearer {m.key_secret}"})
            assert_error(self, status, body, expected_status=401)
        with self.subTest("Dozen session cookie instead of a key"):
            res = m.session.get(f"{base}/v1/orders", timeout=30)
            assert_error(self, res.status_code, support.parse(res), expected_status=401)
            res = m.session.post(f"{base}/v1/orders", json={"amount": 50000, "currency": "INR"}, timeout=30)
            assert_error(self, res.status_code, support.parse(res), expected_status=401)
        self.assertEqual(self.order_count(m), [], "refused requests created nothing")

    def test_08_isolation(self):
        """Merchant B cannot see or touch merchant A's orders, payments or refunds."""
        a = new_merchant()
        b = new_merchant()
        order1 = self.new_order(a, capture=0)
        pay1 = self.pay(a, order1, card_payment(order1))
        order2 = self.new_order(a)
        pay2 = self.pay(a, order2, card_payment(order2))
        refund = a.client.payment.refund(pay2, {"amount": 100})
        before = {
            "order1": a.client.order.fetch(order1["id"]),
            "order2": a.client.order.fetch(order2["id"]),
            "pay1": a.client.payment.fetch(pay1),
            "pay2": a.client.payment.fetch(pay2),
        }
        self.assertEqual(before["pay2"]["amount_refunded"], 100)

        bc = b.client
        calls = {
            "order.fetch": lambda: bc.order.fetch(order1["id"]),
            "order.payments": lambda: bc.order.payments(order1["id"]),
            "payment.fetch": lambda: bc.payment.fetch(pay1),
            "payment.capture": lambda: bc.payment.capture(pay1, 50000, {"currency": "INR"}),
            "payment.refund": lambda: bc.payment.refund(pay2, {"amount": 100}),
            "payment.refund (all)": lambda: bc.payment.refund(pay2),
            "payment.fetch_multiple_refund": lambda: bc.payment.fetch_multiple_refund(pay2),
            "payment.fetch_refund_id": lambda: bc.payment.fetch_refund_id(pay2, refund["id"]),
            "refund.fetch": lambda: bc.refund.fetch(refund["id"]),
            "payment on A's order": lambda: bc.payment.createPaymentJson(card_payment(order1)),
        }
        for name, call in calls.items():
            with self.subTest(name):
                self.assert_not_found(call)
        # Exactly what an id that exists nowhere gets.
        status, body = raw(b, "GET", f"/v1/payments/{pay1}")
        assert_error(self, status, body, description=NOT_FOUND)
        status, body = raw(b, "GET", "/v1/payments/pay_" + support.random_alnum(14))
        assert_error(self, status, body, description=NOT_FOUND)
        status, body = raw(b, "POST", f"/v1/payments/{pay1}/capture", {"amount": 50000, "currency": "INR"})
        assert_error(self, status, body, description=NOT_FOUND)
        self.assert_not_found(lambda: bc.order.fetch("order_" + support.random_alnum(14)))

        support.assert_collection(self, bc.order.all({"count": 100}), count=0)
        support.assert_collection(self, bc.payment.all({"count": 100}), count=0)
        support.assert_collection(self, bc.refund.all({"count": 100}), count=0)
        after = {
            "order1": a.client.order.fetch(order1["id"]),
            "order2": a.client.order.fetch(order2["id"]),
            "pay1": a.client.payment.fetch(pay1),
            "pay2": a.client.payment.fetch(pay2),
        }
        self.assertEqual(after, before, "A's objects are unchanged")
        self.assertEqual(after["pay1"]["status"], "authorized")
        support.assert_collection(self, a.client.payment.fetch_multiple_refund(pay2), count=1)
        self.assertEqual(sorted(ids(self.order_count(a))), sorted([order1["id"], order2["id"]]))

    def test_09_idempotency(self):
        """Idempotency-Key: a replay answers the same (Idempotent-Replayed: true); another body is refused."""
        m = new_merchant()
        c = m.client
        key = uuid.uuid4().hex
        data = {"amount": 50000, "currency": "INR", "receipt": "idem_1", "payment_capture": 0}

        first = raw_response(m, "POST", "/v1/orders", data, headers={"Idempotency-Key": key})
        self.assertEqual(first.status_code, 200, first.text)
        self.assertIsNone(first.headers.get("Idempotent-Replayed"))
        order = first.json()
        self.assert_order(order, 50000)
        # The SDK passes the caller's headers through (client._update_request merges them).
        again = c.order.create(dict(data), headers={"Idempotency-Key": key})
        self.assertEqual(again, order)
        replay = raw_response(m, "POST", "/v1/orders", data, headers={"Idempotency-Key": key})
        self.assertEqual(replay.status_code, 200)
        self.assertEqual(replay.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(replay.json(), order)
        self.assertEqual(ids(self.order_count(m)), [order["id"]])

        # Same key, another body: refused in Razorpay's shape, no second order.
        other = {**data, "amount": 60000}
        status, body = raw(m, "POST", "/v1/orders", other, headers={"Idempotency-Key": key})
        assert_error(self, status, body, expected_status={400, 422})
        with self.assertRaises(BadRequestError):
            c.order.create(dict(other), headers={"Idempotency-Key": key})
        self.assertEqual(ids(self.order_count(m)), [order["id"]], "no second order")

        # A new key is a new request.
        fresh = c.order.create(dict(data), headers={"Idempotency-Key": uuid.uuid4().hex})
        self.assertNotEqual(fresh["id"], order["id"])
        self.assertEqual(len(self.order_count(m)), 2)

        # Keys are per merchant: another merchant's same key and body make their own order.
        b = new_merchant()
        theirs = raw_response(b, "POST", "/v1/orders", data, headers={"Idempotency-Key": key})
        self.assertEqual(theirs.status_code, 200, theirs.text)
        self.assertIsNone(theirs.headers.get("Idempotent-Replayed"))
        self.assertNotEqual(theirs.json()["id"], order["id"])

        # Payments, captures and refunds replay too, and do not happen twice.
        pay_key = uuid.uuid4().hex
        payload = card_payment(order)
        created = c.payment.createPaymentJson(dict(payload), headers={"Idempotency-Key": pay_key})
        pay_id = self.assert_success(m, created, order["id"])
        res = raw_response(m, "POST", "/v1/payments/create/json", payload, headers={"Idempotency-Key": pay_key})
        self.assertEqual(res.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(res.json(), created)
        support.assert_collection(self, c.order.payments(order["id"]), count=1)

        capture_key = uuid.uuid4().hex
        captured = c.payment.capture(pay_id, 50000, {"currency": "INR"}, headers={"Idempotency-Key": capture_key})
        self.assertEqual(captured["status"], "captured")
        self.assertEqual(
            c.payment.capture(pay_id, 50000, {"currency": "INR"}, headers={"Idempotency-Key": capture_key}), captured,
            "a replayed capture answers as the first did, not 'already captured'")

        refund_key = uuid.uuid4().hex
        r1 = c.payment.refund(pay_id, {"amount": 1000}, headers={"Idempotency-Key": refund_key})
        r2 = c.payment.refund(pay_id, {"amount": 1000}, headers={"Idempotency-Key": refund_key})
        self.assertEqual(r2, r1)
        p = c.payment.fetch(pay_id)
        self.assertEqual((p["amount_refunded"], p["refund_status"]), (1000, "partial"), "refunded once")
        support.assert_collection(self, c.payment.fetch_multiple_refund(pay_id), count=1)

    def test_10_concurrent_captures(self):
        """20 simultaneous captures of one authorized payment: exactly one captures, once."""
        m = new_merchant()
        order = self.new_order(m, capture=0)
        pay_id = self.pay(m, order, card_payment(order))
        results = self.race(m, 20, lambda client: client.payment.capture(pay_id, 50000, {"currency": "INR"}))
        won = [r for kind, r in results if kind == "ok"]
        self.assertEqual(len(won), 1, results)
        self.assertEqual(sum(kind == "refused" for kind, _ in results), 19, results)
        self.assertEqual(won[0]["status"], "captured")

        p = m.client.payment.fetch(pay_id)
        self.assert_payment(p, pay_id=pay_id, order=order, status="captured", method="card")
        self.assertEqual((p["fee"], p["tax"]), (1180, 180), "the fee is charged once")
        self.assertEqual(p, won[0])
        self.assert_order(m.client.order.fetch(order["id"]), 50000, status="paid", amount_paid=50000, attempts=1)
        support.assert_collection(self, m.client.payment.all({"count": 100}), count=1)

    def test_11_concurrent_refunds(self):
        """20 simultaneous refunds of 3000 on a 50000 payment: 16 go through, never more than captured."""
        m = new_merchant()
        order = self.new_order(m)
        pay_id = self.pay(m, order, card_payment(order))
        results = self.race(m, 20, lambda client: client.payment.refund(pay_id, {"amount": 3000}))
        done = [r for kind, r in results if kind == "ok"]
        self.assertEqual(len(done), 16, results)
        self.assertEqual(sum(kind == "refused" for kind, _ in results), 4, results)
        self.assertEqual(len(set(ids(done))), 16)

        p = m.client.payment.fetch(pay_id)
        self.assert_payment(p, pay_id=pay_id, order=order, status="captured", method="card", refunded=48000,
                            refund_status="partial")
        listed = support.assert_collection(self, m.client.payment.fetch_multiple_refund(pay_id, {"count": 100}), count=16)
        self.assertEqual(sorted(ids(listed)), sorted(ids(done)))
        last = m.client.payment.refund(pay_id)
        self.assertEqual(last["amount"], 2000)
        self.assertEqual(m.client.payment.fetch(pay_id)["status"], "refunded")

    def test_12_collections(self):
        """Orders and payments lists: newest first, count/skip, from/to in Unix seconds, count limits."""
        m = new_merchant()
        c = m.client
        o1 = self.new_order(m)
        p1 = c.payment.fetch(self.pay(m, o1, card_payment(o1)))
        wait_until(max(o1["created_at"], p1["created_at"]) + 2)
        o2 = self.new_order(m)
        p2 = c.payment.fetch(self.pay(m, o2, upi_payment(o2, "success@razorpay")))
        wait_until(max(o2["created_at"], p2["created_at"]) + 2)
        o3 = self.new_order(m)
        t1, t3 = max(o1["created_at"], p1["created_at"]), o3["created_at"]

        def orders(params=None):
            return ids(support.assert_collection(self, c.order.all(params or {})))

        def payments(params=None):
            return ids(support.assert_collection(self, c.payment.all(params or {})))

        newest = [o3["id"], o2["id"], o1["id"]]
        self.assertEqual(orders(), newest)
        self.assertEqual(orders({"count": 2, "skip": 0}), newest[:2])
        self.assertEqual(orders({"count": 2, "skip": 2}), newest[2:])
        self.assertEqual(orders({"count": 10, "skip": 3}), [])
        self.assertEqual(orders({"count": 100}), newest)
        self.assertEqual(orders({"from": t1 + 1}), newest[:2])
        self.assertEqual(orders({"to": t3 - 1}), newest[1:])
        self.assertEqual(orders({"from": t1 + 1, "to": t3 - 1}), [o2["id"]])
        self.assertEqual(orders({"from": t3 + 60}), [])
        items = support.assert_collection(self, c.order.all({"count": 2}))
        self.assertEqual(items, [c.order.fetch(o3["id"]), c.order.fetch(o2["id"])], "full order entities")

        self.assertEqual(payments(), [p2["id"], p1["id"]])
        self.assertEqual(payments({"count": 5, "skip": 0}), [p2["id"], p1["id"]])
        self.assertEqual(payments({"count": 1, "skip": 1}), [p1["id"]])
        self.assertEqual(payments({"from": t1 + 1}), [p2["id"]])
        self.assertEqual(payments({"to": p2["created_at"] - 1}), [p1["id"]])
        self.assertEqual(support.assert_collection(self, c.payment.all({"count": 1})), [p2])
        self.assertEqual(support.assert_collection(self, c.order.payments(o1["id"])), [p1])
        support.assert_collection(self, c.order.payments(o3["id"]), count=0)

        for name, path in (("payments", "/v1/payments"), ("orders", "/v1/orders")):
            for count in (0, 101):
                with self.subTest(f"{name} count={count}"):
                    status, body = raw(m, "GET", path, params={"count": count})
                    assert_error(self, status, body)
                    with self.assertRaises(BadRequestError):
                        getattr(c, name[:-1]).all({"count": count})

    # ---- 13 ------------------------------------------------------------------------------

    def test_13_webhooks_signed_and_retried(self):
        """A webhook receiver gets payment.captured and order.paid signed so that the SDK's
        verify_webhook_signature accepts them; when it first answers 500, the delivery is tried
        again (the sweep, run a minute later) and every attempt is listed."""
        import http.server

        received = []
        failed_event_ids = []
        lock = threading.Lock()

        class Receiver(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                event_id = self.headers.get("X-Razorpay-Event-Id")
                with lock:
                    received.append((self.headers.get("X-Razorpay-Signature"), event_id, body))
                    # The very first delivery fails once.
                    status = 500 if not failed_event_ids else 200
                    if status == 500:
                        failed_event_ids.append(event_id)
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.shutdown)
        url = f"http://127.0.0.1:{server.server_address[1]}/razorpay"

        m = support.new_merchant()
        secret = "whsec-" + support.random_alnum(16)
        res = m.session.post(f"{support.base_url()}/api/pay/webhooks", timeout=30,
                             json={"url": url, "events": ["payment.captured", "order.paid"], "secret": secret})
        self.assertEqual(res.status_code, 201, res.text)
        hook = res.json()

        order = m.client.order.create({"amount": 30000, "currency": "INR", "payment_capture": 1})
        paid = m.client.payment.createPaymentJson(card_payment(order))
        deadline = time.time() + 15
        while len(received) < 2 and time.time() < deadline:
            time.sleep(0.1)
        self.assertEqual(len(received), 2, "the first attempt of each event")
        events = {json.loads(body)["event"] for _, _, body in received}
        self.assertEqual(events, {"payment.captured", "order.paid"})
        for signature, event_id, body in received:
            self.assertTrue(m.client.utility.verify_webhook_signature(body, signature, secret))
            with self.assertRaises(SignatureVerificationError):
                m.client.utility.verify_webhook_signature(body, signature, secret + "x")
            self.assertRegex(event_id, r"^evt_[0-9A-Za-z]{14}$")
            event = json.loads(body)
            self.assertEqual(event["entity"], "event")
            self.assertIn("payment", event["contains"])
            self.assertEqual(event["payload"]["payment"]["entity"]["id"], paid["razorpay_payment_id"])
            self.assertEqual(event["payload"]["payment"]["entity"]["status"], "captured")
        first_failed_id = failed_event_ids[0]
        first_body = next(body for _, event_id, body in received if event_id == first_failed_id)

        # The one that got a 500 is due again a minute later.
        run = m.session.post(f"{support.base_url()}/api/pay/sweep",
                             params={"time": int(time.time() * 1000) + 61_000}, timeout=30)
        self.assertEqual(run.status_code, 200, run.text)
        self.assertEqual(len(received), 3, "exactly the failed delivery is retried")
        self.assertEqual(received[2][1], first_failed_id, "same event id: the receiver can de-duplicate")
        self.assertEqual(received[2][2], first_body, "the same bytes, signed the same")

        listing = m.session.get(f"{support.base_url()}/api/pay/webhooks/{hook['id']}/deliveries", timeout=30).json()
        by_event = {d["event_id"]: d for d in listing["items"]}
        retried = by_event[first_failed_id]
        self.assertEqual(retried["status"], "delivered")
        self.assertEqual([a["status_code"] for a in retried["attempts"]], [500, 200])
        self.assertEqual(len(listing["items"]), 2)
        self.assertTrue(all(d["status"] == "delivered" for d in listing["items"]))

        # Another merchant sees none of it.
        other = support.new_merchant()
        res = other.session.get(f"{support.base_url()}/api/pay/webhooks/{hook['id']}/deliveries", timeout=30)
        self.assertEqual(res.status_code, 404)

    # ---- 14 ------------------------------------------------------------------------------

    def test_14_payment_link_paid_in_two_parts(self):
        """A payment link with partial payments: a short URL made by Links, paid 400 then 600
        through the customer's side (an order per part, the hosted checkout's API), created →
        partially_paid → paid, each callback signed so that verify_payment_link_signature
        accepts it; then it takes nothing more and cannot be cancelled."""
        m = support.new_merchant()
        base = support.base_url()
        link = m.client.payment_link.create({
            "amount": 1000, "currency": "INR", "accept_partial": True, "first_min_partial_amount": 400,
            "description": "Two instalments", "reference_id": "ref-" + support.random_alnum(8),
            "customer": {"name": "Gaurav Kumar", "email": "gaurav.kumar@example.com", "contact": "+919999999999"},
            "notify": {"sms": True, "email": True}, "reminder_enable": True, "notes": {"policy": "x"},
            "callback_url": "https://merchant.example/after", "callback_method": "get"})
        support.assert_id(self, link["id"], "plink")
        self.assertEqual((link["status"], link["amount_paid"], link["payments"]), ("created", 0, None))
        self.assertTrue(link["short_url"].startswith(base + "/"), link["short_url"])
        # The short URL is a real Links code that leads to the link's page.
        hop = requests.get(link["short_url"], allow_redirects=False, timeout=30)
        self.assertIn(hop.status_code, (301, 302), hop.text[:200])
        self.assertEqual(hop.headers["Location"], f"{base}/pay/link/{link['id']}")

        session = support.DevSession()
        too_little = session.post(f"{base}/api/pay/links/{link['id']}/orders", json={"amount": 300}, timeout=30)
        self.assertEqual(too_little.status_code, 422, too_little.text)

        def pay_part(amount, vpa="success@razorpay"):
            order = session.post(f"{base}/api/pay/links/{link['id']}/orders", json={"amount": amount}, timeout=30)
            self.assertEqual(order.status_code, 201, order.text)
            paid = session.post(f"{base}/api/pay/checkout/{order.json()['order_id']}/pay", timeout=30,
                                json={"method": "upi", "vpa": vpa, "email": "g@example.com", "contact": "9999999999"})
            self.assertEqual(paid.status_code, 200, paid.text)
            return paid.json()

        first = pay_part(400)
        self.assertEqual(first["status"], "paid")
        self.assertEqual(first["razorpay_payment_link_status"], "partially_paid")
        self.assertTrue(m.client.utility.verify_payment_link_signature({
            "payment_link_id": first["razorpay_payment_link_id"],
            "payment_link_reference_id": first["razorpay_payment_link_reference_id"],
            "payment_link_status": first["razorpay_payment_link_status"],
            "razorpay_payment_id": first["razorpay_payment_id"],
            "razorpay_signature": first["razorpay_signature"]}))
        after_first = m.client.payment_link.fetch(link["id"])
        self.assertEqual((after_first["status"], after_first["amount_paid"]), ("partially_paid", 400))

        second = pay_part(600)
        self.assertEqual(second["razorpay_payment_link_status"], "paid")
        self.assertTrue(m.client.utility.verify_payment_link_signature({
            "payment_link_id": link["id"], "payment_link_reference_id": link["reference_id"],
            "payment_link_status": "paid", "razorpay_payment_id": second["razorpay_payment_id"],
            "razorpay_signature": second["razorpay_signature"]}))
        with self.assertRaises(SignatureVerificationError):
            m.client.utility.verify_payment_link_signature({
                "payment_link_id": link["id"], "payment_link_reference_id": link["reference_id"],
                "payment_link_status": "partially_paid", "razorpay_payment_id": second["razorpay_payment_id"],
                "razorpay_signature": second["razorpay_signature"]})
        done = m.client.payment_link.fetch(link["id"])
        self.assertEqual((done["status"], done["amount_paid"]), ("paid", 1000))
        self.assertEqual(sorted(p["amount"] for p in done["payments"]), [400, 600])
        self.assertEqual({p["payment_id"] for p in done["payments"]},
                         {first["razorpay_payment_id"], second["razorpay_payment_id"]})
        more = session.post(f"{base}/api/pay/links/{link['id']}/orders", json={}, timeout=30)
        self.assertEqual(more.status_code, 409, more.text)
        with self.assertRaises(BadRequestError):
            m.client.payment_link.cancel(link["id"])
        listed = m.client.payment_link.all({"reference_id": link["reference_id"]})
        self.assertEqual([l["id"] for l in listed["payment_links"]], [link["id"]])

    def test_15_payment_link_cancel_and_isolation(self):
        """A cancelled link takes no payment; another merchant can neither see nor cancel it;
        reference ids are unique per merchant."""
        m = support.new_merchant()
        ref = "ref-" + support.random_alnum(8)
        link = m.client.payment_link.create({"amount": 5000, "reference_id": ref})
        with self.assertRaises(BadRequestError):
            m.client.payment_link.create({"amount": 5000, "reference_id": ref})
        other = support.new_merchant()
        with self.assertRaises(BadRequestError):
            other.client.payment_link.fetch(link["id"])
        with self.assertRaises(BadRequestError):
            other.client.payment_link.cancel(link["id"])
        self.assertEqual(other.client.payment_link.all()["payment_links"], [])
        # The same reference id is fine for another merchant.
        other.client.payment_link.create({"amount": 5000, "reference_id": ref})
        edited = m.client.payment_link.edit(link["id"], {"notes": {"k": "v"}, "reminder_enable": True})
        self.assertEqual((edited["notes"], edited["reminder_enable"]), ({"k": "v"}, True))
        cancelled = m.client.payment_link.cancel(link["id"])
        self.assertEqual(cancelled["status"], "cancelled")
        self.assertGreater(cancelled["cancelled_at"], 0)
        res = support.DevSession().post(f"{support.base_url()}/api/pay/links/{link['id']}/orders", json={}, timeout=30)
        self.assertEqual(res.status_code, 409, res.text)

    # ---- 16, 17 --------------------------------------------------------------------------

    def sweep_at(self, m, when_ms):
        res = m.session.post(f"{support.base_url()}/api/pay/sweep", params={"time": int(when_ms)}, timeout=60)
        self.assertEqual(res.status_code, 200, res.text)

    def authorize(self, subscription, number=VISA):
        res = support.DevSession().post(
            f"{support.base_url()}/api/pay/subscriptions/{subscription['id']}/authorize", timeout=30,
            json={"method": "card", "email": "sub@example.com", "contact": "9999999999",
                  "card": {"number": number, "name": "Sub Scriber", "expiry_month": "12", "expiry_year": "30",
                           "cvv": "123"}})
        self.assertEqual(res.status_code, 200, res.text)
        return res.json()

    def test_16_subscription_charged_for_two_cycles_then_cancelled(self):
        """Customer, plan, subscription; the customer authorizes it (the first cycle is charged,
        signed as verify_subscription_payment_signature expects); the Cron Trigger charges the
        second cycle a week later; the merchant cancels; nothing more is charged."""
        m = support.new_merchant()
        customer = m.client.customer.create({"name": "Gaurav Kumar", "email": "gaurav.kumar@example.com",
                                             "contact": "9123456780", "notes": {"tier": "gold"}})
        support.assert_id(self, customer["id"], "cust")
        with self.assertRaises(BadRequestError):
            m.client.customer.create({"name": "Gaurav Kumar", "email": "gaurav.kumar@example.com",
                                      "contact": "9123456780"})
        same = m.client.customer.create({"name": "Gaurav Kumar", "email": "gaurav.kumar@example.com",
                                         "contact": "9123456780", "fail_existing": "0"})
        self.assertEqual(same["id"], customer["id"])
        edited = m.client.customer.edit(customer["id"], {"name": "Gaurav K"})
        self.assertEqual((edited["name"], edited["email"]), ("Gaurav K", "gaurav.kumar@example.com"))
        plan = m.client.plan.create({"period": "weekly", "interval": 1,
                                     "item": {"name": "Weekly tea", "amount": 69900, "currency": "INR"}})
        support.assert_id(self, plan["id"], "plan")
        self.assertEqual((plan["item"]["amount"], plan["period"]), (69900, "weekly"))
        self.assertEqual(m.client.plan.fetch(plan["id"])["id"], plan["id"])
        sub = m.client.subscription.create({"plan_id": plan["id"], "customer_id": customer["id"],
                                            "total_count": 6, "quantity": 1, "customer_notify": False})
        support.assert_id(self, sub["id"], "sub")
        self.assertEqual((sub["status"], sub["paid_count"], sub["remaining_count"]), ("created", 0, 6))
        self.assertTrue(sub["short_url"].startswith(support.base_url()))

        started = time.time() * 1000
        auth = self.authorize(sub)
        self.assertEqual(auth["status"], "paid", auth)
        self.assertEqual(auth["razorpay_subscription_id"], sub["id"])
        self.assertTrue(m.client.utility.verify_subscription_payment_signature({
            "razorpay_subscription_id": sub["id"], "razorpay_payment_id": auth["razorpay_payment_id"],
            "razorpay_signature": auth["razorpay_signature"]}))
        active = m.client.subscription.fetch(sub["id"])
        self.assertEqual((active["status"], active["paid_count"], active["payment_method"]), ("active", 1, "card"))
        self.assertEqual(active["current_end"] - active["current_start"], 7 * 86400)
        first_payment = m.client.payment.fetch(auth["razorpay_payment_id"])
        self.assertEqual((first_payment["status"], first_payment["amount"]), ("captured", 69900))

        self.sweep_at(m, started + 3 * 86400_000)
        self.assertEqual(m.client.subscription.fetch(sub["id"])["paid_count"], 1, "not due yet")
        self.sweep_at(m, started + 7 * 86400_000 + 60_000)
        second = m.client.subscription.fetch(sub["id"])
        self.assertEqual((second["status"], second["paid_count"], second["remaining_count"]), ("active", 2, 4))
        self.sweep_at(m, started + 7 * 86400_000 + 120_000)
        self.assertEqual(m.client.subscription.fetch(sub["id"])["paid_count"], 2, "one charge per cycle")
        captured = [p for p in m.client.payment.all({"count": 10})["items"] if p["status"] == "captured"]
        self.assertEqual(len(captured), 2)
        self.assertEqual({p["card"]["last4"] for p in captured}, {"1111"})

        cancelled = m.client.subscription.cancel(sub["id"], {"cancel_at_cycle_end": 0})
        self.assertEqual(cancelled["status"], "cancelled")
        self.assertIsNotNone(cancelled["ended_at"])
        self.sweep_at(m, started + 15 * 86400_000)
        self.assertEqual(m.client.subscription.fetch(sub["id"])["paid_count"], 2)
        with self.assertRaises(BadRequestError):
            m.client.subscription.cancel(sub["id"])
        other = support.new_merchant()
        with self.assertRaises(BadRequestError):
            other.client.subscription.fetch(sub["id"])

    def test_17_subscription_trial_pause_resume_and_halt(self):
        """A subscription starting later is authenticated by ₹1 released at once; pause stops
        charges and resume restarts them; a card whose later charges fail (4000 0000 0000 0341)
        is retried 1, 2 and 3 days later, then the subscription is halted."""
        m = support.new_merchant()
        plan = m.client.plan.create({"period": "monthly", "interval": 1,
                                     "item": {"name": "Monthly", "amount": 10000, "currency": "INR"}})
        now_s = int(time.time())
        sub = m.client.subscription.create({"plan_id": plan["id"], "total_count": 12, "start_at": now_s + 2 * 86400})
        auth = self.authorize(sub)
        self.assertEqual(auth["status"], "authorized")
        self.assertTrue(m.client.utility.verify_subscription_payment_signature({
            "razorpay_subscription_id": sub["id"], "razorpay_payment_id": auth["razorpay_payment_id"],
            "razorpay_signature": auth["razorpay_signature"]}))
        held = m.client.payment.fetch(auth["razorpay_payment_id"])
        self.assertEqual((held["amount"], held["status"], held["captured"]), (100, "refunded", False))
        self.assertEqual(m.client.subscription.fetch(sub["id"])["status"], "authenticated")
        self.sweep_at(m, (now_s + 2 * 86400 + 30) * 1000)
        running = m.client.subscription.fetch(sub["id"])
        self.assertEqual((running["status"], running["paid_count"]), ("active", 1))
        paused = m.client.subscription.pause(sub["id"], {"pause_at": "now"})
        self.assertEqual(paused["status"], "paused")
        self.sweep_at(m, (now_s + 40 * 86400) * 1000)
        self.assertEqual(m.client.subscription.fetch(sub["id"])["paid_count"], 1, "paused: nothing charged")
        resumed = m.client.subscription.resume(sub["id"], {"resume_at": "now"})
        self.assertEqual(resumed["status"], "active")

        failing = m.client.subscription.create({"plan_id": plan["id"], "total_count": 3})
        first = self.authorize(failing, number="4000000000000341")
        self.assertEqual(first["status"], "paid", "the customer-present charge succeeds")
        base = time.time() * 1000
        cycle = m.client.subscription.fetch(failing["id"])["current_end"] * 1000
        self.sweep_at(m, cycle + 1000)
        pending = m.client.subscription.fetch(failing["id"])
        self.assertEqual((pending["status"], pending["paid_count"]), ("pending", 1))
        for day in (1, 3, 6):
            self.sweep_at(m, cycle + day * 86400_000 + 2000)
        halted = m.client.subscription.fetch(failing["id"])
        self.assertEqual((halted["status"], halted["paid_count"]), ("halted", 1))
        failed = [p for p in m.client.payment.all({"count": 20})["items"] if p["status"] == "failed"]
        self.assertEqual(len(failed), 4, "the charge and three retries")
        self.assertTrue(base > 0)

    # ---- a race --------------------------------------------------------------------------

    def race(self, m, n, call):
        """Runs `call(client)` on n threads at once, each with its own SDK client and connection.
        Returns [("ok", result) | ("refused", message) | ("other", repr)]; fails on "other"."""
        barrier = threading.Barrier(n)

        def attempt(_):
            client = support.sdk_client(m.key_id, m.key_secret)
            barrier.wait(timeout=30)
            try:
                return ("ok", call(client))
            except BadRequestError as e:
                return ("refused", str(e))
            except Exception as e:  # noqa: BLE001 — reported below
                return ("other", repr(e))

        with ThreadPoolExecutor(max_workers=n) as pool:
            results = list(pool.map(attempt, range(n)))
        others = [r for r in results if r[0] == "other"]
        self.assertEqual(others, [], "only successes and BadRequestError")
        return results


if __name__ == "__main__":
    unittest.main(verbosity=2)
