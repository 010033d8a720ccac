// Benchmark (not a test): wrk on loopback against a short link's redirect and, in the same run
// and against the same worker, against GET /api/ping (the ceiling: the cheapest answer the
// worker gives). Prints requests/s and p99 of each and their ratio.
//
//   node tests/bench/links.mjs [seconds=10] [connections=16]
//
// Figures under `wrangler dev` are bounded by wrangler's local proxy; compare the ratio, not
// the absolute numbers (TOOLCHAIN.md).
import { spawnSync } from "node:child_process";
import { startServer } from "../support/server.mjs";

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 16);

function wrk(url) {
  const run = spawnSync("wrk", ["-t2", `-c${connections}`, `-d${seconds}s`, "--latency", url], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`wrk failed: ${run.stderr}`);
  const out = run.stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p99ms = p99 ? Number(p99[1]) * { us: 0.001, ms: 1, s: 1000 }[p99[2]] : NaN;
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const errors = /Socket errors:.*/.exec(out)?.[0] ?? "no socket errors";
  return { rps, p99ms, non2xx, errors };
}

const server = await startServer();
try {
  const created = await fetch(`${server.baseUrl}/api/links`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url: "https://example.com/landing?utm_source=bench" }),
  });
  const { code } = await created.json();
  // Warm both paths (the redirect fills the KV cache on its first miss).
  await fetch(`${server.baseUrl}/${code}`, { redirect: "manual" });
  await fetch(`${server.baseUrl}/api/ping`);

  const ceiling = wrk(`${server.baseUrl}/api/ping`);
  const redirect = wrk(`${server.baseUrl}/${code}`);
  const ratio = redirect.rps / ceiling.rps;
  const row = (name, r) =>
    `${name.padEnd(22)} ${r.rps.toFixed(0).padStart(7)} req/s   p99 ${r.p99ms.toFixed(1).padStart(6)} ms   ${r.errors}${r.non2xx ? `, ${r.non2xx} non-2xx/3xx` : ""}`;
  console.log(`wrk -t2 -c${connections} -d${seconds}s on loopback, wrangler dev ${server.baseUrl}`);
  console.log(row("GET /api/ping (ceiling)", ceiling));
  console.log(row(`GET /${code} (302)`, redirect));
  console.log(`redirect / ceiling throughput: ${ratio.toFixed(2)}`);
} finally {
  server.stop();
}
