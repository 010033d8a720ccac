// What the benchmarks share: wrk on loopback against a `wrangler dev`, each path compared with
// GET /api/ping (the ceiling: the cheapest answer the worker gives) in the same run.
//
// A `wrangler dev` drifts over a run: ping measured three times in a row reads 485, 534 and
// 559 req/s with p99 61, 75 and 82 ms (this machine kind). So the paths run in a mirrored order,
// ping A B … B A ping, each for half the time, and each figure is the mean of its two halves:
// a steady drift then weighs on every path alike instead of on whichever ran last. Between
// runs the worker gets two idle seconds to finish what a run left behind (clicks still in the
// queue), so that work is not charged to the next path. Every path is first warmed for two
// seconds, unmeasured, so no path pays for the isolate's first compilations.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** wrk prints p50/p75/p90/p99 only: this script (run after the path's own) prints p95 too. */
function withP95(script) {
  const dir = mkdtempSync(join(tmpdir(), "dozen-bench-"));
  const path = join(dir, "p95.lua");
  const lines = script ? [`dofile("${script}")`] : [];
  lines.push('done = function(summary, latency, requests) io.write(string.format("p95-us: %d\\n", latency:percentile(95))) end');
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

/** One wrk run: requests/s, p95 and p99 in ms, answers that were neither 2xx nor 3xx, socket
 * errors, and how many answers it read. */
export function wrk(url, { seconds, connections, script }) {
  const args = ["-t2", `-c${connections}`, `-d${seconds}s`, "--latency", "-s", withP95(script), url];
  const run = spawnSync("wrk", args, { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`wrk failed: ${run.stderr}`);
  const out = run.stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p99ms = p99 ? Number(p99[1]) * { us: 0.001, ms: 1, s: 1000 }[p99[2]] : NaN;
  const p95ms = Number(/p95-us: (\d+)/.exec(out)?.[1]) / 1000;
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors:.*/.exec(out)?.[0] ?? "";
  const completed = Number(/(\d+) requests in/.exec(out)?.[1]);
  return { rps, p95ms, p99ms, non2xx, socketErrors, completed };
}

/** A wrk script that sends `method` with these headers and body; with `paths`, each request
 * goes to the next of them in turn (instead of the URL's path). */
export function script(method, headers, body, paths) {
  const dir = mkdtempSync(join(tmpdir(), "dozen-bench-"));
  const path = join(dir, "request.lua");
  const lines = [`wrk.method = "${method}"`];
  for (const [name, value] of Object.entries(headers)) lines.push(`wrk.headers["${name}"] = "${value}"`);
  if (body) lines.push(`wrk.body = '${body}'`);
  if (paths?.length) {
    lines.push(`local paths = { ${paths.map((p) => `"${p}"`).join(", ")} }`);
    lines.push("local sent = 0");
    lines.push("request = function() sent = sent + 1; return wrk.format(nil, paths[sent % #paths + 1]) end");
  }
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

/**
 * Runs the ceiling and each path (`{ name, url, script? }`) `seconds` in all, in the mirrored
 * order, and prints one row per path with its ratios to the ceiling. Returns the rows.
 */
export async function compare(baseUrl, paths, { seconds, connections }) {
  const half = Math.max(1, Math.round(seconds / 2));
  const all = [{ name: "GET /api/ping (ceiling)", url: `${baseUrl}/api/ping` }, ...paths];
  const halves = new Map(all.map((path) => [path.name, []]));
  const warmed = new Map(all.map((path) => [path.name, wrk(path.url, { seconds: 2, connections, script: path.script })]));
  for (const path of [...all, ...[...all].reverse()]) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    halves.get(path.name).push(wrk(path.url, { seconds: half, connections, script: path.script }));
  }
  const rows = all.map((path) => {
    const [a, b] = halves.get(path.name);
    return {
      name: path.name,
      rps: (a.rps + b.rps) / 2,
      p95ms: (a.p95ms + b.p95ms) / 2,
      p99ms: (a.p99ms + b.p99ms) / 2,
      non2xx: a.non2xx + b.non2xx,
      socketErrors: [a.socketErrors, b.socketErrors].filter(Boolean).join("; "),
      completed: a.completed + b.completed,
      halves: [a, b],
      // What the unmeasured warm-up sent (it has effects too: a redirect's clicks).
      warmup: warmed.get(path.name),
    };
  });
  const ceiling = rows[0];
  console.log(`wrk -t2 -c${connections}, ${seconds} s per path in two mirrored halves, on loopback, wrangler dev ${baseUrl}`);
  for (const row of rows) {
    const ratios =
      row === ceiling
        ? ""
        : `   ${(row.rps / ceiling.rps).toFixed(2)}× throughput, ${(row.p95ms / ceiling.p95ms).toFixed(2)}× p95, ${(row.p99ms / ceiling.p99ms).toFixed(2)}× p99`;
    const halves = row.halves.map((h) => h.rps.toFixed(0)).join("+");
    const trouble = [row.socketErrors, row.non2xx ? `${row.non2xx} non-2xx/3xx` : ""].filter(Boolean).join(", ");
    console.log(
      `${row.name.padEnd(26)} ${row.rps.toFixed(0).padStart(5)} req/s (${halves})  p95 ${row.p95ms.toFixed(1).padStart(6)} ms  p99 ${row.p99ms.toFixed(1).padStart(6)} ms${ratios}${trouble ? `   ${trouble}` : ""}`,
    );
  }
  return rows;
}
