// A new build reaches phones that have the app installed: the service worker of the new
// build installs in the background, the app offers to reload, and reloading runs it.
import { test, expect } from '@playwright/test';
import { rmSync, writeFileSync } from 'node:fs';
import { PINS, signIn } from './helpers';

// The test server reads the site from disk; a new file there makes a new build id.
const marker = '../target/site/e2e-new-build.txt';

test.afterEach(() => rmSync(marker, { force: true }));

test('a new version is offered and taken with one tap', async ({ page }) => {
  await signIn(page, PINS.ana);
  await expect(page).toHaveURL(/\/floor$/);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const before = await page.evaluate(async () => (await caches.keys()).join(','));
  await expect(page.getByText('A new version of Comanda is ready.')).toHaveCount(0);

  writeFileSync(marker, `build ${Date.now()}\n`);
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
  await expect(page.getByText('A new version of Comanda is ready.')).toBeVisible();

  await page.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByRole('button', { name: /^Table 1 \(/ })).toBeVisible();
  await expect(page.getByText('A new version of Comanda is ready.')).toHaveCount(0);
  // The old build's cache is gone; the new one holds the new file.
  await expect.poll(async () => page.evaluate(async () => (await caches.keys()).join(','))).not.toBe(before);
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    return names.length === 1 && (await (await caches.open(names[0])).match('/e2e-new-build.txt')) !== undefined;
  });
  expect(cached).toBe(true);
});
