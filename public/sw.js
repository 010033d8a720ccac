// Dozen's service worker. It precaches the app shell and the hashed build assets, answers
// navigations to SPA routes from the network and falls back to the cached shell offline, and
// never touches /api/* or short-link paths (those must always reach the worker).
//
// scripts/postbuild.mjs writes the build's version and asset list into the copy in dist/.

const VERSION = "__DOZEN_BUILD_VERSION__";
const PRECACHE = ["__DOZEN_PRECACHE__"];
// The first path segments of SPA routes; kept equal to shared::routes by a shared test.
const SPA_ROUTES = ["links", "stays", "pay", "music", "cricket", "market", "letters", "chat", "news", "timeline", "poker", "lockers", "signin", "signup", "account", "offline"];

const CACHE = `dozen-shell-${VERSION}`;
const SHELL = "/index.html";

function isSpaPath(pathname) {
  const first = pathname.replace(/^\/+/, "").split("/")[0];
  return first === "" || first === "index.html" || SPA_ROUTES.includes(first);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((name) => name.startsWith("dozen-shell-") && name !== CACHE).map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;

  if (request.mode === "navigate") {
    // Short codes and anything else outside the SPA go to the network untouched.
    if (!isSpaPath(url.pathname)) return;
    event.respondWith(
      fetch(request).catch(() => caches.open(CACHE).then((cache) => cache.match(SHELL))).then(
        (response) => response || Response.error(),
      ),
    );
    return;
  }

  if (PRECACHE.includes(url.pathname)) {
    // Hashed assets never change under the same name: the cache is always right.
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match(url.pathname).then((hit) => hit || fetch(request))),
    );
  }
});
