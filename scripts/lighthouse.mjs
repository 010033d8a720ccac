// make lighthouse (a benchmark, not a test): Lighthouse's mobile preset (a mid-range phone on a
// slow 4G link, simulated) with Debian's Chromium, against a real `wrangler dev` holding the demo
// data, on `/` (signed out, as a newcomer arrives) and each product's main page (signed in as the
// demo account). Prints the four category scores and the load metrics per page; the full reports
// go to .dozen/lighthouse/<page>.json.
//
// `wrangler dev` serves from loopback with gzip where Cloudflare serves brotli (15–20 % smaller for
// the wasm): the simulated throttling applies to the transfer sizes it observed, so these figures
// are the pessimistic side of production.
//
//   node scripts/lighthouse.mjs [path ...]     (default: every page below)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { ROOT, startServer } from "../tests/support/server.mjs";

/** [path, signed in?, the score it must reach (the platform issue's goals)] */
const PAGES = [
  ["/", false, 95],
  ["/links", true, 90],
  ["/pay", true, 90],
  ["/account", true, 90],
  ["/poker", true, 90],
  ["/news", true, 90],
];

const OUT = join(ROOT, ".dozen/lighthouse");
const only = process.argv.slice(2);
const pages = PAGES.filter(([path]) => only.length === 0 || only.includes(path));

const server = await startServer();
let chrome;
let failed = false;
try {
  const demo = await fetch(`${server.baseUrl}/api/demo`, { method: "POST" });
  if (!demo.ok) throw new Error(`loading the demo data answered ${demo.status}: ${await demo.text()}`);
  const login = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login: "demo", password: "dozen-demo-2026" }),
  });
  if (!login.ok) throw new Error(`signing in as demo answered ${login.status}`);
  const cookie = login.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");

  chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM || "/usr/bin/chromium",
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic"],
  });
  mkdirSync(OUT, { recursive: true });
  const rows = [];
  for (const [path, signedIn, goal] of pages) {
    // Each page is measured with an empty cache (Lighthouse clears it), after one warm-up load so
    // that wrangler's first compile of the worker is not counted.
    await fetch(server.baseUrl + path);
    const result = await lighthouse(server.baseUrl + path, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
      extraHeaders: signedIn ? { Cookie: cookie } : undefined,
    });
    const { categories, audits, runtimeError } = result.lhr;
    if (runtimeError) throw new Error(`${path}: ${runtimeError.code} ${runtimeError.message}`);
    const score = (id) => Math.round(categories[id].score * 100);
    const ms = (id) => Math.round(audits[id].numericValue);
    const name = path === "/" ? "home" : path.slice(1).replaceAll("/", "-");
    writeFileSync(join(OUT, `${name}.json`), result.report);
    const performance = score("performance");
    if (performance < goal) failed = true;
    rows.push({
      page: path + (signedIn ? " (demo)" : ""),
      performance: `${performance}${performance < goal ? ` < ${goal}` : ""}`,
      accessibility: score("accessibility"),
      "best practices": score("best-practices"),
      seo: score("seo"),
      "FCP ms": ms("first-contentful-paint"),
      "LCP ms": ms("largest-contentful-paint"),
      "TBT ms": ms("total-blocking-time"),
      CLS: Number(audits["cumulative-layout-shift"].numericValue ?? 0).toFixed(3),
      "bytes KB": Math.round(audits["total-byte-weight"].numericValue / 1024),
    });
  }
  console.table(rows);
  console.log(`Reports: ${OUT}. Mobile preset, simulated throttling, gzip as wrangler dev serves it.`);
  if (failed) console.log("Below the goal: see the report's opportunities and diagnostics.");
} finally {
  await chrome?.kill();
  server.stop();
}
