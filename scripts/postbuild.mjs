// Trunk post-build hook: writes the build's precache list and version into the service worker
// copied from public/sw.js. The version is a hash of every precached file, so any change to
// the app yields a new service worker, which the browser installs in place of the old one.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const dist = process.env.TRUNK_STAGING_DIR || process.argv[2] || "dist";

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// The shell, the hashed build output, the manifest and the icons: what the app needs offline.
const precached = filesUnder(dist)
  .map((path) => "/" + relative(dist, path).split(sep).join("/"))
  .filter((url) => url === "/index.html" || url === "/manifest.webmanifest" || /^\/(assets|icons)\//.test(url))
  .sort();

const hash = createHash("sha256");
for (const url of precached) hash.update(url).update(readFileSync(join(dist, url)));
const version = hash.digest("hex").slice(0, 16);

const swPath = join(dist, "sw.js");
const template = readFileSync(swPath, "utf8");
if (!template.includes("__DOZEN_BUILD_VERSION__")) throw new Error(`${swPath} has no version placeholder`);
writeFileSync(
  swPath,
  template
    .replace("__DOZEN_BUILD_VERSION__", version)
    .replace('["__DOZEN_PRECACHE__"]', JSON.stringify(precached)),
);
console.log(`service worker ${version}: ${precached.length} files precached`);
