/* The offline wallet's service worker (issue 16), served at /credentials/sw.js so its scope is
   /credentials/. The learner's "My credentials" page, its styles and script, the QR codes (inline
   in the page) and the certificate and MMS PDFs are kept in one cache, so the page opens with the
   network off. Pages and the API go to the network first (fresh status when online) and fall
   back to the cache; PDFs and static files come from the cache first (a kept PDF never changes).
   When the portal answers the page with the log-in form (logged out), the cache is emptied. */
"use strict";

const CACHE = "mcportal-wallet-v1";
const HOME = "/credentials/";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("mcportal-wallet-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

async function keep(urls) {
  const cache = await caches.open(CACHE);
  for (const url of urls) {
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok && !response.redirected) {
        await cache.put(url, response);
      }
    } catch (error) {
      // offline or refused: keep what is already cached
    }
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) {
    const same = data.urls.filter((url) => new URL(url, self.location.origin).origin === self.location.origin);
    event.waitUntil(keep(same).then(() => event.source && event.source.postMessage({ type: "kept", count: same.length })));
  }
});

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.redirected && new URL(response.url).pathname.startsWith("/accounts/login")) {
      await caches.delete(CACHE); // logged out: nothing personal stays on the device
      return response;
    }
    if (response.ok && key) {
      await cache.put(key, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(key || request, { ignoreSearch: true });
    if (kept) {
      return kept;
    }
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, { ignoreSearch: true });
  if (kept) {
    return kept;
  }
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && url.pathname === HOME) {
    event.respondWith(networkFirst(request, HOME));
  } else if (url.pathname === "/api/v1/credentials/mine/") {
    event.respondWith(networkFirst(request, url.pathname));
  } else if (url.pathname.startsWith(HOME) && url.pathname.endsWith(".pdf")) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  }
});
