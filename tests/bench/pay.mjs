// Benchmark (not a test): wrk on loopback against Pay's /v1 API and, in the same run and against
// the same worker, GET /api/ping (the ceiling; see wrk.mjs for the order they run in). Prints
// requests/s and p99 of each and their ratios to the ceiling.
//
//   node tests/bench/pay.mjs [seconds=10] [connections=16]
//
//   GET  /v1/payments/{id}  a read, round 8 payments: Basic auth (HMAC; the key's state from
//                           the isolate's memory), one payment row: concurrent reads share
//                           one D1 query (worker/src/coalesce.rs)
//   POST /v1/orders         a write: the same auth, validation, an insert; concurrent ones
//                           share one D1 batch (one transaction)
//   GET  /api/health        for reference: one trivial D1 query and one KV read
//
// Figures under `wrangler dev` are bounded by wrangler's local proxy; compare the ratios.
import { startServer } from "../support/server.mjs";
import { compare, script } from "./wrk.mjs";

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 16);
/** How many payments the reads go round. */
const PAYMENTS = 8;

const server = await startServer();
try {
  const base = server.baseUrl;
  const username = `bench${Date.now().toString(36)}`;
  const register = await fetch(`${base}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, email: `${username}@example.com`, password: "correct horse battery" }),
  });
  const cookie = register.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const key = await (await fetch(`${base}/api/pay/keys`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: "{}" })).json();
  const authorization = `Basic ${Buffer.from(`${key.key_id}:${key.key_secret}`).toString("base64")}`;
  const json = { authorization, "content-type": "application/json" };
  // Reads go round several payments, as a merchant's checkouts would.
  const paymentPaths = [];
  for (let n = 0; n < PAYMENTS; n++) {
    const order = await (await fetch(`${base}/v1/orders`, { method: "POST", headers: json, body: JSON.stringify({ amount: 50000 }) })).json();
    const paid = await (
      await fetch(`${base}/v1/payments/create/json`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ amount: 50000, currency: "INR", order_id: order.id, email: `bench${n}@example.com`, contact: "9000090000", method: "upi", vpa: "success@razorpay" }),
      })
    ).json();
    if (!paid.razorpay_payment_id) throw new Error(`setup failed: ${JSON.stringify(paid)}`);
    paymentPaths.push(`/v1/payments/${paid.razorpay_payment_id}`);
  }
  await fetch(`${base}/api/ping`);

  await compare(
    base,
    [
      {
        name: "GET /v1/payments/{id}",
        url: `${base}${paymentPaths[0]}`,
        script: script("GET", { Authorization: authorization }, undefined, paymentPaths),
      },
      // Not Pay: the cheapest answer that touches D1 at all (SELECT 1, and a KV read), for
      // reference. Under wrangler dev one D1 round trip costs about as much as a whole ping.
      { name: "GET /api/health (D1+KV)", url: `${base}/api/health` },
      {
        name: "POST /v1/orders",
        url: `${base}/v1/orders`,
        script: script("POST", { Authorization: authorization, "Content-Type": "application/json" }, '{"amount":50000,"currency":"INR"}'),
      },
    ],
    { seconds, connections },
  );
} finally {
  server.stop();
}
