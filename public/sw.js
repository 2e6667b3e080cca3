// Comanda's service worker: keeps the app's shells (HTML, JS, WASM, CSS, icons) in a cache
// named after the build and serves them cache-first, so the app starts with no network.
// Data never goes through here: the app keeps it in IndexedDB and syncs it itself.
// The server fills in BUILD (a hash of this build's files), SHELL (the waiter's shell:
// kept from install), STAFF_SHELL (the staff shell's files: kept from install when a staff
// page installs the worker, else once a staff page loads them, so a waiter's phone never
// downloads them) and STAFF_PAGES (the pages in the staff shell, `app::shells`). Each new
// build is a new worker, which waits until the page asks it to take over ("new version
// available - reload").
const BUILD = '__COMANDA_BUILD__';
const SHELL = __COMANDA_SHELL__;
const STAFF_SHELL = __COMANDA_STAFF_SHELL__;
const STAFF_PAGES = __COMANDA_STAFF_PAGES__;
const CACHE = `comanda-shell-${BUILD}`;

const isStaffPage = (path) => STAFF_PAGES.some((page) => path === page || path.startsWith(`${page}/`));

// A screen whose first visit is a staff page (a station's tablet) keeps that shell too.
self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const staff = pages.some((page) => isStaffPage(new URL(page.url).pathname));
    await cache.addAll(['/', ...SHELL, ...(staff ? ['/staff/', ...STAFF_SHELL] : [])]);
  })());
});

// A staff page that loaded while this worker was still installing (a kitchen screen
// signed in on the first page, then sent to its station) fetched its shell around the
// worker; keep that shell now, before taking the page over, or it could not start offline.
async function keepStaffShellAndClaim() {
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const cache = await caches.open(CACHE);
  if (pages.some((page) => isStaffPage(new URL(page.url).pathname)) && !(await cache.match('/staff/'))) {
    try {
      await cache.addAll(['/staff/', ...STAFF_SHELL]);
    } catch {
      // Offline now: the shell is kept once a staff page loads it.
    }
  }
  await self.clients.claim();
}

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const old = (await caches.keys()).filter((name) => name.startsWith('comanda-shell-') && name !== CACHE);
    await Promise.all(old.map((name) => caches.delete(name)));
    await keepStaffShellAndClaim();
  })());
});

// 'claim' comes from a page that opened while this worker was activating and so is not
// controlled (the activation's claim ran before the page existed): take it over too. A
// staff page sends it even when controlled, in case it was taken over before this worker
// saw it and kept its shell.
self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
  if (event.data === 'claim') event.waitUntil(keepStaffShellAndClaim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  // Every page is one of two shells, which route themselves: `/` or `/staff/`.
  const navigate = request.mode === 'navigate';
  const key = navigate ? (isStaffPage(url.pathname) ? '/staff/' : '/') : url.pathname;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(key);
    if (hit) return hit;
    const response = await fetch(request);
    const keep = key === '/staff/' || STAFF_SHELL.includes(key);
    if (keep && response.ok) await cache.put(key, response.clone());
    return response;
  })());
});
