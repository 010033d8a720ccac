// Builds the app into dist/: each bundle of app/bundles.json with Trunk on its own (a bundle
// whose sources did not change since its last build is not rebuilt), then dist/ is assembled:
//
//   dist/                    public/ (manifest, icons, robots.txt, _headers) and sw.js
//   dist/assets/<bundle>/    the bundle's index.html, hashed JS, wasm and CSS
//
// The worker answers each SPA route with its bundle's index.html (shared::routes::bundle_for_path),
// and the service worker (public/sw.js, filled in here) precaches only the shell's files.
//
//   node scripts/build-app.mjs            build what changed, assemble dist/
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
process.chdir(ROOT);
const { bundles, routes } = JSON.parse(readFileSync("app/bundles.json", "utf8"));
const BUILT = "target/bundles";

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return [dir];
  return readdirSync(dir).flatMap((name) => filesUnder(join(dir, name)));
}

const newest = (paths) => Math.max(0, ...paths.flatMap(filesUnder).map((f) => statSync(f).mtimeMs));

// What every bundle is built from, besides its own crate.
const COMMON_INPUTS = ["app/ui", "shared/src", "shared/Cargo.toml", "Cargo.toml", "Cargo.lock", "style", "app/index.html", "app/bundles.json", "Trunk.toml", "scripts/build-app.mjs"];

function build(name, { crate, bin, title }) {
  const out = join(BUILT, name);
  const stamp = join(out, "index.html");
  // The inputs' time is taken before the build: a file saved while it runs is built next time.
  const inputsAt = newest([crate, ...COMMON_INPUTS]);
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= inputsAt) return false;
  // Trunk reads the page from a file; each bundle's is the template filled in.
  const htmlDir = join("target/app-html", name);
  mkdirSync(htmlDir, { recursive: true });
  const root = relative(htmlDir, ".") || ".";
  const html = readFileSync("app/index.html", "utf8")
    .replaceAll("{{root}}", root)
    .replaceAll("{{crate}}", crate)
    .replaceAll("{{bin}}", bin)
    .replaceAll("{{title}}", title);
  writeFileSync(join(htmlDir, "index.html"), html);
  console.log(`[app] building bundle ${name} (${crate}, bin ${bin})`);
  const trunk = spawnSync(
    "trunk",
    ["build", "--release", "--dist", out, "--public-url", `/assets/${name}/`, join(htmlDir, "index.html")],
    { stdio: "inherit" },
  );
  if (trunk.status !== 0) throw new Error(`trunk build of bundle ${name} failed`);
  writeFileSync(stamp, paintBeforeWasm(readFileSync(stamp, "utf8"), name));
  utimesSync(stamp, inputsAt / 1000, inputsAt / 1000);
  return true;
}

// The page paints what it has (the header, the worker's first content) before the wasm is fetched:
// Trunk's page preloads the wasm and starts it at once, so on a slow link the wasm competes with
// the first paint for the bandwidth. Without the preload, and with the loader waiting for the
// next frame (or a tick in a background tab, which has no frames), the first paint comes first and
// the wasm a frame later. Fails the build if Trunk's page changes shape.
function paintBeforeWasm(html, name) {
  const preload = /<link rel="preload" href="[^"]+_bg\.wasm"[^>]*as="fetch" type="application\/wasm">/;
  const init = "const wasm = await init(";
  if (!preload.test(html) || !html.includes(init)) {
    throw new Error(`bundle ${name}: Trunk's index.html no longer has the wasm preload and loader this build edits`);
  }
  const afterPaint =
    'await new Promise((go) => document.visibilityState === "hidden" ? setTimeout(go) : requestAnimationFrame(() => setTimeout(go)));';
  return html.replace(preload, "").replace(init, `${afterPaint}\n${init}`);
}

// The service worker gets this build's files: the shell's to precache, every bundle's to cache
// a bundle whole once it is used, and a version that changes whenever any file does.
function writeServiceWorker(dist) {
  const bundleFiles = {};
  for (const name of Object.keys(bundles)) {
    const dir = join(dist, "assets", name);
    bundleFiles[name] = filesUnder(dir)
      .map((file) => "/" + relative(dist, file).split(sep).join("/"))
      .map((url) => (url.endsWith("/index.html") ? url.slice(0, -"index.html".length) : url))
      .sort();
  }
  const always = filesUnder(dist)
    .map((file) => "/" + relative(dist, file).split(sep).join("/"))
    .filter((url) => url === "/manifest.webmanifest" || url.startsWith("/icons/"))
    .sort();
  const hash = createHash("sha256");
  for (const url of [...always, ...Object.values(bundleFiles).flat()]) {
    const file = join(dist, url.endsWith("/") ? url + "index.html" : url);
    hash.update(url).update(readFileSync(file));
  }
  const version = hash.digest("hex").slice(0, 16);
  const swPath = join(dist, "sw.js");
  const template = readFileSync(swPath, "utf8");
  const filled = template
    .replace('"__DOZEN_BUILD_VERSION__"', JSON.stringify(version))
    .replace('["__DOZEN_ALWAYS__"]', JSON.stringify(always))
    .replace('{ "__DOZEN_BUNDLE_FILES__": [] }', JSON.stringify(bundleFiles))
    .replace('[["__DOZEN_BUNDLE_ROUTES__"]]', JSON.stringify(routes));
  if (filled.includes("__DOZEN_")) throw new Error(`${swPath}: a placeholder was not filled in`);
  writeFileSync(swPath, filled);
  console.log(`[app] service worker ${version}: shell precached (${bundleFiles.shell.length + always.length} files)`);
}

let rebuilt = 0;
for (const [name, bundle] of Object.entries(bundles)) if (build(name, bundle)) rebuilt++;

if (rebuilt || !existsSync("dist/sw.js") || statSync("dist/sw.js").mtimeMs < newest(["public", "app/bundles.json", BUILT])) {
  const next = "dist.next";
  rmSync(next, { recursive: true, force: true });
  cpSync("public", next, { recursive: true });
  // hls.js plays Cricket's HLS streams where the browser cannot (Firefox, older Chromium): the
  // cricket bundle loads it from here only then. package-lock.json pins it; its name carries the
  // version because /assets/ is cached for good, and app/cricket/src/video.rs must name it.
  const hls = `assets/vendor/hls-${JSON.parse(readFileSync("node_modules/hls.js/package.json", "utf8")).version}.light.min.js`;
  if (!readFileSync("app/cricket/src/video.rs", "utf8").includes(`"/${hls}"`)) {
    console.error(`[app] app/cricket/src/video.rs must load "/${hls}" (the hls.js in package-lock.json)`);
    process.exit(1);
  }
  mkdirSync(join(next, "assets", "vendor"), { recursive: true });
  cpSync("node_modules/hls.js/dist/hls.light.min.js", join(next, hls));
  for (const name of Object.keys(bundles)) cpSync(join(BUILT, name), join(next, "assets", name), { recursive: true });
  writeServiceWorker(next);
  rmSync("dist", { recursive: true, force: true });
  renameSync(next, "dist");
  console.log(`[app] dist/ assembled: ${Object.keys(bundles).join(", ")}`);
}
