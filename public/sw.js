// Comanda's service worker: keeps the app shell (HTML, JS, WASM, CSS, icons) in a cache
// named after the build and serves it cache-first, so the app starts with no network.
// Data never goes through here: the app keeps it in IndexedDB and syncs it itself.
// The server fills in BUILD (a hash of this build's files) and SHELL (their paths) when it
// serves this file, so each new build is a new worker, which waits until the page asks it
// to take over ("new version available - reload").
const BUILD = '__COMANDA_BUILD__';
const SHELL = __COMANDA_SHELL__;
const CACHE = `comanda-shell-${BUILD}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(['/', ...SHELL])));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const old = (await caches.keys()).filter((name) => name.startsWith('comanda-shell-') && name !== CACHE);
    await Promise.all(old.map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  // Every page of the app is index.html; the app routes itself.
  const key = request.mode === 'navigate' ? '/' : request;
  event.respondWith(caches.open(CACHE).then((cache) => cache.match(key)).then((hit) => hit || fetch(request)));
});
