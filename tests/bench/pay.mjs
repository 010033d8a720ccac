// Benchmark (not a test): wrk on loopback against Pay's /v1 API and, in the same run and against
// the same worker, GET /api/ping (the ceiling: the cheapest answer the worker gives). Prints
// requests/s and p99 of each and their ratio to the ceiling.
//
//   node tests/bench/pay.mjs [seconds=10] [connections=16]
//
//   GET  /v1/payments/{id}  a read: Basic auth (key lookup + HMAC), one payment row
//   POST /v1/orders         a write: Basic auth, validation, one insert and its read-back
//
// Figures under `wrangler dev` are bounded by wrangler's local proxy; compare the ratios.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../support/server.mjs";

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 16);

function wrk(url, script) {
  const args = ["-t2", `-c${connections}`, `-d${seconds}s`, "--latency", ...(script ? ["-s", script] : []), url];
  const run = spawnSync("wrk", args, { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`wrk failed: ${run.stderr}`);
  const out = run.stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p99ms = p99 ? Number(p99[1]) * { us: 0.001, ms: 1, s: 1000 }[p99[2]] : NaN;
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const errors = /Socket errors:.*/.exec(out)?.[0] ?? "no socket errors";
  return { rps, p99ms, non2xx, errors };
}

/** A wrk script that sends `method` with these headers and body. */
function script(method, headers, body) {
  const dir = mkdtempSync(join(tmpdir(), "dozen-bench-"));
  const path = join(dir, "request.lua");
  const lines = [`wrk.method = "${method}"`];
  for (const [name, value] of Object.entries(headers)) lines.push(`wrk.headers["${name}"] = "${value}"`);
  if (body) lines.push(`wrk.body = '${body}'`);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

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
  const order = await (await fetch(`${base}/v1/orders`, { method: "POST", headers: json, body: JSON.stringify({ amount: 50000 }) })).json();
  const paid = await (
    await fetch(`${base}/v1/payments/create/json`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ amount: 50000, currency: "INR", order_id: order.id, email: "bench@example.com", contact: "9000090000", method: "upi", vpa: "success@razorpay" }),
    })
  ).json();
  const paymentId = paid.razorpay_payment_id;
  if (!paymentId) throw new Error(`setup failed: ${JSON.stringify(paid)}`);
  await fetch(`${base}/api/ping`);

  const ceiling = wrk(`${base}/api/ping`);
  const read = wrk(`${base}/v1/payments/${paymentId}`, script("GET", { Authorization: authorization }));
  const write = wrk(`${base}/v1/orders`, script("POST", { Authorization: authorization, "Content-Type": "application/json" }, '{"amount":50000,"currency":"INR"}'));
  const row = (name, r) =>
    `${name.padEnd(28)} ${r.rps.toFixed(0).padStart(7)} req/s   p99 ${r.p99ms.toFixed(1).padStart(6)} ms   ${(r.rps / ceiling.rps).toFixed(2)}× ceiling   ${r.errors}${r.non2xx ? `, ${r.non2xx} non-2xx/3xx` : ""}`;
  console.log(`wrk -t2 -c${connections} -d${seconds}s on loopback, wrangler dev ${base}`);
  console.log(row("GET /api/ping (ceiling)", ceiling));
  console.log(row("GET /v1/payments/{id}", read));
  console.log(row("POST /v1/orders", write));
} finally {
  server.stop();
}
