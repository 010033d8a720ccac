// The size table: what each app bundle and the worker cost, raw / gzip / brotli, and what a
// browser with an empty cache fetches for each route. With --check it fails when a budget is
// broken (make test runs it; the figures are deterministic for a given build).
//
//   node scripts/sizes.mjs [--check]
//
// Budgets (issue #9): the shell (/) at most 150 KB brotli of JS + wasm; any product route on a
// first visit at most 350 KB; a bundle a page loads on demand (app/bundles.json "loaded_by")
// at most 200 KB; the whole worker under 3 MB gzip. KB here is 1,000 bytes.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { functionSizes } from "./wasm-names.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const { bundles, routes } = JSON.parse(readFileSync(join(ROOT, "app/bundles.json"), "utf8"));
const check = process.argv.includes("--check");

const SHELL_BUDGET = 150_000;
const ROUTE_BUDGET = 350_000;
const ON_DEMAND_BUDGET = 200_000;
const WORKER_BUDGET_GZIP = 3_000_000;
const PRODUCT_BUDGET_GZIP = 200_000;

function measure(path) {
  const bytes = readFileSync(path);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const kb = (n) => (n / 1000).toFixed(1).padStart(8);
const row = (cells) => console.log(cells.join("  "));
const failures = [];

// Per bundle: its JS + wasm (the budgeted code) and its CSS.
const code = {};
console.log("App bundles (dist/assets/<bundle>/), KB = 1,000 bytes\n");
row(["bundle".padEnd(14), "file".padEnd(40), "     raw", "    gzip", "  brotli"]);
for (const name of Object.keys(bundles)) {
  const dir = join(ROOT, "dist/assets", name);
  if (!existsSync(dir)) throw new Error(`${dir} is missing: run make build first`);
  code[name] = { raw: 0, gzip: 0, brotli: 0 };
  for (const file of readdirSync(dir).sort()) {
    if (!/\.(js|wasm|css)$/.test(file)) continue;
    const size = measure(join(dir, file));
    row([name.padEnd(14), file.padEnd(40), kb(size.raw), kb(size.gzip), kb(size.brotli)]);
    if (/\.(js|wasm)$/.test(file)) for (const k of Object.keys(size)) code[name][k] += size[k];
  }
}

// Per route: a first visit fetches the page's bundle (the worker serves its index.html).
console.log("\nFirst visit per route, JS + wasm (what the budgets count)\n");
row(["route".padEnd(22), "bundle".padEnd(14), "     raw", "    gzip", "  brotli", "  budget"]);
const routeRows = [["/ (and /signin, …)", "shell", SHELL_BUDGET]];
for (const [prefix, bundle] of [...routes].reverse()) routeRows.push([`${prefix}…`, bundle, ROUTE_BUDGET]);
for (const [route, bundle, budget] of routeRows) {
  const size = code[bundle];
  const over = size.brotli > budget;
  row([route.padEnd(22), bundle.padEnd(14), kb(size.raw), kb(size.gzip), kb(size.brotli), kb(budget) + (over ? "  OVER" : "")]);
  if (over) failures.push(`${route} (${bundle}): ${size.brotli} B brotli > ${budget}`);
}

// Bundles a page imports when it needs them (not on a first visit).
const onDemand = Object.entries(bundles).filter(([, b]) => b.loaded_by);
if (onDemand.length) {
  console.log("\nLoaded on demand, JS + wasm\n");
  row(["bundle".padEnd(22), "loaded by".padEnd(14), "     raw", "    gzip", "  brotli", "  budget"]);
  for (const [name, { loaded_by }] of onDemand) {
    const size = code[name];
    const over = size.brotli > ON_DEMAND_BUDGET;
    row([name.padEnd(22), loaded_by.padEnd(14), kb(size.raw), kb(size.gzip), kb(size.brotli), kb(ON_DEMAND_BUDGET) + (over ? "  OVER" : "")]);
    if (over) failures.push(`${name} (loaded by ${loaded_by}): ${size.brotli} B brotli > ${ON_DEMAND_BUDGET}`);
  }
}

// The worker: one wasm for every product (worker-build's output).
const workerDir = join(ROOT, "worker/build");
const workerWasm = existsSync(workerDir)
  ? readdirSync(workerDir, { recursive: true }).filter((f) => String(f).endsWith(".wasm")).map((f) => join(workerDir, String(f)))
  : [];
if (workerWasm.length) {
  console.log("\nWorker\n");
  row(["file".padEnd(38), "     raw", "    gzip", "  brotli", "  budget"]);
  for (const file of workerWasm) {
    const size = measure(file);
    const over = size.gzip > WORKER_BUDGET_GZIP;
    row([file.slice(ROOT.length).padEnd(38), kb(size.raw), kb(size.gzip), kb(size.brotli), kb(WORKER_BUDGET_GZIP) + (over ? "  OVER" : "")]);
    if (over) failures.push(`worker ${file}: ${size.gzip} B gzip > ${WORKER_BUDGET_GZIP}`);
  }
  productShares(measure(workerWasm.find((f) => f.endsWith(".wasm"))).gzip);
} else {
  failures.push("worker/build has no wasm: run make build first");
}

// Each product's share of the worker, so every product sees its cost: the code of the functions
// whose names mention its modules (`dozen_worker::pay::…`, `shared::pay::…`, generics over its
// types included), read from the linker's output, and that fraction of the worker's gzip size.
// Budget: 200 KB gzip per product on average.
function productShares(workerGzip) {
  const target = process.env.CARGO_TARGET_DIR || join(ROOT, "target");
  const linked = join(target, "wasm32-unknown-unknown/release/dozen_worker.wasm");
  if (!existsSync(linked)) {
    console.log(`\n(no ${linked}: the per-product share needs the worker's release build)`);
    return;
  }
  const products = [...readFileSync(join(ROOT, "worker/src/products.rs"), "utf8").matchAll(/&(\w+)::PRODUCT\b/g)].map((m) => m[1]);
  const shares = new Map([...products, "platform and libraries"].map((p) => [p, 0]));
  let total = 0;
  for (const { name, size } of functionSizes(linked)) {
    total += size;
    const owner = products.find((p) => name.includes(`dozen_worker::${p}::`) || name.includes(`shared::${p}::`));
    shares.set(owner ?? "platform and libraries", shares.get(owner ?? "platform and libraries") + size);
  }
  console.log("\nWorker code per product (share of the gzip size, by function names)\n");
  row(["product".padEnd(24), "    code", "  ≈ gzip"]);
  for (const [product, size] of shares) row([product.padEnd(24), kb(size), kb((workerGzip * size) / total)]);
  const average = products.reduce((sum, p) => sum + (workerGzip * shares.get(p)) / total, 0) / products.length;
  row(["average per product".padEnd(24), "".padStart(8), kb(average)]);
  if (average > PRODUCT_BUDGET_GZIP) failures.push(`worker: ${Math.round(average)} B gzip per product on average > ${PRODUCT_BUDGET_GZIP}`);
}

if (check && failures.length) {
  console.error(`\nsize budgets broken:\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
if (check) console.log("\nsizes: every budget holds");
