// The phone on the venue's Wi-Fi: by the box's LAN address, over HTTPS it trusts, the app
// is a secure context, so the service worker takes control and storage can be kept.
import { test, expect } from '@playwright/test';
import { BOX_IP, SETUP_PORT } from '../lan/network';
import { PINS, signIn } from './helpers';

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
