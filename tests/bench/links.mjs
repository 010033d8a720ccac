// Benchmark (not a test): wrk on loopback against a short link's redirect and, in the same run
// and against the same worker, GET /api/ping (the ceiling; see wrk.mjs for the order they run
// in). Prints requests/s and p99 of each and their ratios, then checks that every redirect
// became one stored click (clicks reach D1 through the clicks queue).
//
//   node tests/bench/links.mjs [seconds=10] [connections=16]
//
// Figures under `wrangler dev` are bounded by wrangler's local proxy; compare the ratios, not
// the absolute numbers (TOOLCHAIN.md).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, startServer } from "../support/server.mjs";
import { compare } from "./wrk.mjs";

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 16);

function clicksStored(server) {
  const run = spawnSync(
    join(ROOT, "node_modules/.bin/wrangler"),
    ["d1", "execute", "DB", "--local", "--persist-to", server.state, "--json", "--command", "SELECT COUNT(*) AS n FROM links_clicks"],
    { cwd: ROOT, encoding: "utf8", env: server.env },
  );
  if (run.status !== 0) throw new Error(`d1 failed: ${run.stderr}`);
  return JSON.parse(run.stdout)[0].results[0].n;
}

const server = await startServer();
try {
  const created = await fetch(`${server.baseUrl}/api/links`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url: "https://example.com/landing?utm_source=bench" }),
  });
  const { code } = await created.json();
  // Warm both paths (the redirect fills the caches on its first miss).
  await fetch(`${server.baseUrl}/${code}`, { redirect: "manual" });
  await fetch(`${server.baseUrl}/api/ping`);

  const [, redirect] = await compare(server.baseUrl, [{ name: `GET /${code} (302)`, url: `${server.baseUrl}/${code}` }], {
    seconds,
    connections,
  });

  // Every redirect is a click: the two measured halves, wrk's warm-up and our own first fetch.
  // wrk counts only the answers it read before its time was up; the requests still in flight
  // then (at most one per connection, per run) are clicks too.
  const { warmup } = redirect;
  const expected = redirect.completed - redirect.non2xx + warmup.completed - warmup.non2xx + 1;
  const atMost = expected + 3 * connections;
  let stored = 0;
  for (let waited = 0; waited < 30 && stored < expected; waited++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    stored = clicksStored(server);
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  stored = clicksStored(server);
  const exact = stored >= expected && stored <= atMost;
  console.log(`clicks stored: ${stored} for ${expected}..${atMost} redirects${exact ? "" : "  <-- MISMATCH"}`);
  if (!exact) process.exitCode = 1;
} finally {
  server.stop();
}
