// Dozen's service worker. The app is a shell plus one bundle per product (app/bundles.json);
// this saves the bundle of the page it starts on (the shell, from the home page; never every
// product), saves each other bundle as it is first used (so a product opened once opens offline), answers navigations to SPA routes from the network with
// the bundle's cached page as the offline fallback, and never touches /api/* or short-link
// paths (those must always reach the worker).
//
// scripts/build-app.mjs fills in the build's version, files and routes in the copy in dist/.

const VERSION = "__DOZEN_BUILD_VERSION__";
// Files every page needs: the manifest and the icons.
const ALWAYS = ["__DOZEN_ALWAYS__"];
// Each bundle's files in this build; "/assets/<bundle>/" is its page (index.html).
const BUNDLE_FILES = { "__DOZEN_BUNDLE_FILES__": [] };
// Path prefixes and the bundle that owns them (= shared::routes::BUNDLE_ROUTES).
const BUNDLE_ROUTES = [["__DOZEN_BUNDLE_ROUTES__"]];
// The first path segments of SPA routes; kept equal to shared::routes by a shared test.
const SPA_ROUTES = ["links", "stays", "pay", "music", "cricket", "market", "letters", "chat", "news", "timeline", "poker", "lockers", "signin", "signup", "account", "offline"];

const CACHE = `dozen-${VERSION}`;
const SHELL = "shell";

function isSpaPath(pathname) {
  const first = pathname.replace(/^\/+/, "").split("/")[0];
  return first === "" || first === "index.html" || SPA_ROUTES.includes(first);
}

function bundleFor(pathname) {
  for (const [prefix, bundle] of BUNDLE_ROUTES) {
    const owns = prefix.endsWith("/")
      ? pathname.startsWith(prefix)
      : pathname === prefix || pathname.startsWith(prefix + "/");
    if (owns) return bundle;
  }
  return SHELL;
}

const pageOf = (bundle) => `/assets/${bundle}/`;

// A bundle's page is not content-hashed (its files are): always ask the server for it, never the
// browser's HTTP cache, which may hold an older build's.
const fresh = (url) => (url.endsWith("/") ? new Request(url, { cache: "no-cache" }) : url);

// The bundles to save on install: those this device had saved under an older version, and those
// of the windows open now (their page loaded before this service worker could see it).
async function bundlesToSave() {
  const saved = new Set();
  for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
    saved.add(bundleFor(new URL(client.url).pathname));
  }
  for (const name of await caches.keys()) {
    if (!name.startsWith("dozen-") || name === CACHE) continue;
    const old = await caches.open(name);
    for (const bundle of Object.keys(BUNDLE_FILES)) {
      if (await old.match(pageOf(bundle))) saved.add(bundle);
    }
  }
  return [...saved];
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(ALWAYS);
      // A bundle that worked offline before an update keeps working offline after it.
      for (const bundle of await bundlesToSave()) {
        await cache.addAll((BUNDLE_FILES[bundle] || []).map(fresh)).catch(() => {});
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("dozen-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

async function navigate(event, url) {
  const bundle = bundleFor(url.pathname);
  try {
    const response = await fetch(event.request);
    // The page is saved here; its JS, wasm and CSS are saved as the page asks for them (below).
    if (response.ok) {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(pageOf(bundle), copy)));
    }
    return response;
  } catch {
    // Offline: the bundle's page if its files are saved too, else the shell's (which says this
    // page is not saved on the device yet), else the browser's own offline page.
    const cache = await caches.open(CACHE);
    for (const candidate of [bundle, SHELL]) {
      if (await isSaved(cache, candidate)) return cache.match(pageOf(candidate));
    }
    return Response.error();
  }
}

// Is every file of this build's `bundle` saved (a page whose wasm never arrived is no use)?
async function isSaved(cache, bundle) {
  for (const url of BUNDLE_FILES[bundle] || []) if (!(await cache.match(url))) return false;
  return (BUNDLE_FILES[bundle] || []).length > 0;
}

// Hashed files never change under the same name: a cached copy is always right. A file that
// could not be saved (quota) is still answered.
async function cacheFirst(event) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(event.request);
  if (hit) return hit;
  const response = await fetch(event.request);
  if (response.ok) event.waitUntil(cache.put(event.request, response.clone()).catch(() => {}));
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;

  if (request.mode === "navigate") {
    // Short codes and anything else outside the SPA go to the network untouched.
    if (isSpaPath(url.pathname)) event.respondWith(navigate(event, url));
    return;
  }
  if (url.pathname.startsWith("/assets/") || ALWAYS.includes(url.pathname)) {
    event.respondWith(cacheFirst(event));
  }
});

// Chat's Web Push (worker/src/chat/push.rs). A push carries, encrypted for this browser (which
// has opened it by now), {conversation, title, body, seq, url}: one notification per chat
// (its tag), replaced by the newest message. The words of an end-to-end encrypted chat never
// travel in a push; the server sends "New encrypted message".
self.addEventListener("push", (event) => {
  let notice = {};
  try {
    notice = event.data ? event.data.json() : {};
  } catch {
    notice = {};
  }
  const url = typeof notice.url === "string" && notice.url.startsWith("/") ? notice.url : "/chat";
  event.waitUntil(
    self.registration.showNotification(notice.title || "Dozen", {
      body: notice.body || "",
      tag: notice.conversation || "dozen-chat",
      renotify: true,
      icon: "/icons/icon-192.png",
      data: { url },
    }),
  );
});

// A click opens the chat: in a Dozen window already on it (brought forward), else in one that is
// open elsewhere (taken there), else in a new window.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || "/chat", self.location.origin);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const on = (client) => new URL(client.url);
      const same = windows.find((c) => on(c).pathname === url.pathname);
      if (same) return same.focus();
      const chat = windows.find((c) => on(c).pathname.startsWith("/chat")) || windows[0];
      if (chat) {
        try {
          const focused = await chat.focus();
          return (await focused.navigate(url.href)) || focused;
        } catch {
          // Not ours to navigate (a window this worker does not control): a new one.
        }
      }
      return self.clients.openWindow(url.href);
    })(),
  );
});

// The browser replaced the subscription (it expired, or the push service rotated it): the
// server learns the new one and forgets the old (the session cookie goes along, same origin).
self.addEventListener("pushsubscriptionchange", (event) => {
  const send = (method, body) =>
    fetch("/api/chat/push/subscriptions", {
      method,
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  event.waitUntil(
    (async () => {
      const old = event.oldSubscription;
      let fresh = event.newSubscription;
      if (!fresh && old) fresh = await self.registration.pushManager.subscribe(old.options);
      if (fresh) await send("POST", fresh.toJSON());
      if (old && (!fresh || old.endpoint !== fresh.endpoint)) await send("DELETE", { endpoint: old.endpoint });
    })().catch(() => {}),
  );
});
