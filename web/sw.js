// Baton's offline service worker. Registered by release builds only (debug
// builds, such as `trunk serve`, never register it). Same-origin GETs only;
// nothing is ever sent anywhere.
//  - Files whose names carry a content hash (Trunk's output) never change:
//    cache first.
//  - Everything else (the page, the worker's files, the manifest) may change
//    with a new release: network first, the cached copy when offline.
// On install the page and every asset it references are cached, so the app
// works offline after the first visit.
const CACHE = "baton-v1";
const HASHED = /-[0-9a-f]{6,16}(_bg)?\.(js|wasm|css)$/;
const WORKER_FILES = ["worker.js"];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const scope = self.registration.scope;
    const page = await fetch(scope, { cache: "no-cache" });
    const html = await page.clone().text();
    await cache.put(scope, page);
    const urls = new Set(WORKER_FILES.map((f) => new URL(f, scope).href));
    for (const m of html.matchAll(/(?:href|src)="([^"]+)"/g)) {
      const url = new URL(m[1], scope);
      if (url.origin === self.location.origin) urls.add(url.href);
    }
    await Promise.all([...urls].map((u) => cache.add(u).catch(() => undefined)));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    if (HASHED.test(url.pathname)) {
      const hit = await cache.match(req);
      if (hit) return hit;
      const res = await fetch(req);
      if (res.ok) cache.put(req, res.clone());
      return res;
    }
    try {
      const res = await fetch(req);
      if (res.ok) cache.put(req, res.clone());
      return res;
    } catch (err) {
      const hit = (await cache.match(req)) ||
        (req.mode === "navigate" ? await cache.match(self.registration.scope) : undefined);
      if (hit) return hit;
      throw err;
    }
  })());
});
