// Keeps the pages a resident last read available offline, read-only.
// Only GET requests to this site are ever cached; form submissions go to the network or fail.
// Pages marked no-store (account, ballots, staff pages) are never kept.
"use strict";
const PAGES = "participate-pages-v1";
const ASSETS = "participate-assets-v1";
const OFFLINE = "/offline";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(PAGES).then((cache) => cache.add(OFFLINE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(
      keys.filter((k) => k !== PAGES && k !== ASSETS).map((k) => caches.delete(k))
    )).then(() => self.clients.claim())
  );
});

function keepable(response) {
  if (!response || response.status !== 200 || response.type !== "basic") return false;
  const control = response.headers.get("Cache-Control") || "";
  return !/no-store/.test(control);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;

  if (url.pathname.startsWith("/static/")) {
    // Fingerprinted assets never change: the cache first.
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        if (keepable(response)) {
          const copy = response.clone();
          caches.open(ASSETS).then((cache) => cache.put(request, copy));
        }
        return response;
      }))
    );
    return;
  }

  if (request.mode === "navigate") {
    // Pages: the network first, so people see what is current; the last copy when offline.
    event.respondWith(
      fetch(request).then((response) => {
        if (keepable(response)) {
          const copy = response.clone();
          caches.open(PAGES).then((cache) => cache.put(request, copy));
        }
        return response;
      }).catch(() => caches.match(request).then((hit) => hit || caches.match(OFFLINE)))
    );
  }
});
