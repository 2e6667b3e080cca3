// The phone on the venue's Wi-Fi: by the box's LAN address, over HTTPS it trusts, the app
// is a secure context, so the service worker takes control and storage can be kept.
import { test, expect } from '@playwright/test';
import { BOX_IP, SETUP_PORT } from '../lan/network';
import { PINS, seat, signIn } from './helpers';

test('a phone on the LAN gets a secure app with its service worker and lasting storage', async ({ browser }) => {
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
  const errors: string[] = [];
  phone.on('pageerror', (e) => errors.push(e.message));
  await signIn(phone, PINS.ana);
  await expect(phone).toHaveURL(/\/floor$/);
  expect(new URL(phone.url()).hostname).toBe(BOX_IP);
  expect(new URL(phone.url()).protocol).toBe('https:');
  expect(await phone.evaluate(() => window.isSecureContext)).toBe(true);
  await phone.waitForFunction(() => navigator.serviceWorker?.controller !== null);
  expect(await phone.evaluate(() => navigator.serviceWorker.controller!.scriptURL)).toMatch(/\/sw\.js$/);
  const persisted = await phone.evaluate(async () => typeof (await navigator.storage.persist()));
  expect(persisted).toBe('boolean');
  expect(errors).toEqual([]);
});

test('a waiter\'s phone downloads only the waiter\'s app; a station screen gets the staff app and starts offline', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const phone = await context.newPage();
  const fetched: string[] = [];
  phone.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  const wasm = () => fetched.filter((p) => p.endsWith('.wasm'));
  // Sign-in needs the main module only, even once the service worker has kept the app
  // (it fetches the floor's and the order screen's pieces itself, not the page).
  await phone.goto('/');
  await expect(phone.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await phone.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  expect(wasm()).toEqual([expect.stringMatching(/^\/waiter-[0-9a-f]{16}_bg\.wasm$/)]);
  await signIn(phone, PINS.ana);
  await expect(phone).toHaveURL(/\/floor$/);
  await expect(phone.getByRole('button', { name: /^Table 5 \(/ })).toBeVisible();
  // The floor asks for the order screen's piece at once, so a table opens without a wait.
  await expect.poll(() => wasm().some((p) => p.includes('order_route'))).toBe(true);
  // Started again offline, before this phone ever opened an order: the floor's and the
  // order screen's pieces come from what the service worker kept.
  await phone.waitForFunction(() => !!navigator.serviceWorker?.controller);
  await context.setOffline(true);
  await phone.reload();
  await seat(phone, '5');
  await expect(phone).toHaveURL(/\/order\//);
  await expect(phone.getByRole('button', { name: 'Nothing to send' })).toBeVisible();
  await context.setOffline(false);
  // The browser's own cache could have served them too; the service worker's is the one
  // that keeps them: every piece is in it.
  const kept = await phone.evaluate(async (paths) => {
    const name = (await caches.keys()).find((key) => key.startsWith('comanda-shell-'));
    const cache = await caches.open(name!);
    return Promise.all(paths.map(async (path) => [path, !!(await cache.match(path))]));
  }, [...new Set(wasm())]);
  expect(kept.length).toBeGreaterThanOrEqual(3);
  expect(kept.filter(([, inCache]) => !inCache)).toEqual([]);
  expect(fetched.filter((p) => p.startsWith('/staff/'))).toEqual([]);
  expect(wasm().every((p) => /^\/[^/]+-[0-9a-f]{16}(_bg)?\.wasm$/.test(p))).toBe(true);

  // A kitchen screen signs in on the same first page, then loads the staff app for its
  // station; from then on it starts with the network down.
  const station = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const kitchen = await station.newPage();
  await signIn(kitchen, PINS.kitchen, '/?next=/kitchen/kitchen');
  await expect(kitchen).toHaveURL(/\/kitchen\/kitchen$/);
  await expect(kitchen.locator('.top-bar h1')).toHaveText('Kitchen');
  await kitchen.waitForFunction(() => !!navigator.serviceWorker?.controller);
  // The staff shell is kept once the screen has loaded it.
  await kitchen.waitForFunction(async () => !!(await caches.match('/staff/')));
  await station.setOffline(true);
  await kitchen.reload();
  await expect(kitchen.locator('.top-bar h1')).toHaveText(/kitchen/i);
  await expect(kitchen.locator('.top-bar .live')).toHaveText('offline');
  await station.setOffline(false);
  await expect(kitchen.locator('.top-bar .live')).toHaveText('live');

  // A bar tablet whose very first visit is its station's page starts offline too.
  const tablet = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const bar = await tablet.newPage();
  await bar.goto('/kitchen/bar');
  const signInFirst = bar.getByText('Sign in with a kitchen PIN to open this station.');
  await expect(signInFirst).toBeVisible();
  await bar.waitForFunction(() => navigator.serviceWorker?.controller !== null);
  await tablet.setOffline(true);
  await bar.reload();
  await expect(signInFirst).toBeVisible();
});

test('the setup page offers the CA and a QR code of the HTTPS address, and sends the rest to HTTPS', async ({ browser }) => {
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  const setup = `http://${BOX_IP}:${SETUP_PORT}`;
  await phone.goto(`${setup}/`);
  await expect(phone.getByRole('heading', { name: 'Set up a phone for Comanda' })).toBeVisible();
  await expect(phone.getByLabel(/QR code of https:\/\/10\.231\.0\.1:\d+\//)).toBeVisible();
  await expect(phone.getByRole('link', { name: 'Download the certificate' })).toHaveAttribute('href', '/ca.crt');
  await expect(phone.getByRole('link', { name: 'download the profile' })).toHaveAttribute('href', '/ca.mobileconfig');
  await phone.screenshot({ path: 'test-results/setup-page-phone.png', fullPage: true });
  // A manager may show it on a laptop for phones to scan: the codes are in view there.
  const laptop = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await laptop.goto(`${setup}/`);
  await expect(laptop.getByLabel(/QR code of http:\/\/10\.231\.0\.1:\d+\//)).toBeInViewport();
  await laptop.screenshot({ path: 'test-results/setup-page-laptop.png' });

  // "Open Comanda" lands on the app over HTTPS.
  await phone.getByRole('link', { name: 'Open Comanda' }).click();
  await expect(phone).toHaveURL(/^https:\/\/10\.231\.0\.1:\d+\/$/);
  await expect(phone.getByRole('button', { name: 'Sign in' })).toBeVisible();

  // Any other page typed on the plain port goes to HTTPS.
  await phone.goto(`${setup}/floor`);
  await expect(phone).toHaveURL(/^https:\/\/10\.231\.0\.1:\d+\/floor$/);
});
