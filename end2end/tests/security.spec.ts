// Strangers on the Wi-Fi: a guest's phone that keeps guessing PINs is slowed down, staff
// phones are not, and the manager sees it; signing out ends the session on the box, not
// only on the phone.
import { test, expect, chromium } from '@playwright/test';
import { CHROMIUM_ARGS, GUEST_NET, PHONE_CHROMIUM, phoneEnv } from '../lan/network';
import { PINS, signIn } from './helpers';

test('signing out ends the session on the box too', async ({ browser, request }) => {
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(phone, PINS.luca);
  await expect(phone).toHaveURL(/\/floor$/);
  const token = await phone.evaluate(() => JSON.parse(localStorage.getItem('comanda.session')!).token);
  const me = () => request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  expect((await me()).status()).toBe(200);

  await phone.getByRole('button', { name: 'Sign out' }).click();
  await expect(phone.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect.poll(async () => (await me()).status()).toBe(401);
});

test('a stranger guessing PINs is made to wait while staff phones work, and the manager sees it', async ({ browser }) => {
  // The stranger's phone is on the same Wi-Fi with an address of its own.
  const guestBrowser = await chromium.launch({ executablePath: PHONE_CHROMIUM, args: CHROMIUM_ARGS, env: phoneEnv(GUEST_NET) });
  try {
    const stranger = await (await guestBrowser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const alert = stranger.getByRole('alert');
    for (const guess of ['0001', '0002', '0003', '0004', '0005']) {
      await signIn(stranger, guess);
      await expect(alert).toHaveText('Wrong PIN. Try again.');
    }
    // The next guess, typed at once on the same keypad as a guesser would: the first wait
    // after the free ones is a second, so reloading the page first could outlast it on a
    // slow machine and the guess would count as an ordinary wrong one.
    for (const digit of '0006') await stranger.getByRole('button', { name: digit, exact: true }).click();
    await stranger.getByRole('button', { name: 'Sign in' }).click();
    await expect(alert).toHaveText(/^Too many wrong PINs\. Try again in\s\d+\sseconds?\.$/);
    await stranger.screenshot({ path: 'test-results/login-too-many-phone.png' });

    // Meanwhile a waiter's phone signs in at once.
    const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await signIn(waiter, PINS.ana);
    await expect(waiter).toHaveURL(/\/floor$/);
  } finally {
    await guestBrowser.close();
  }

  const manager = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(manager, PINS.manager, '/?next=/manager/staff');
  const notice = manager.locator('.staff .wrong-pins');
  await expect(notice).toContainText(/^\d+ failed sign-ins in the last 24 hours, from \d+ devices?, the last at \d\d:\d\d\./);
  const failed = Number((await notice.textContent())!.match(/^(\d+)/)![1]);
  expect(failed).toBeGreaterThanOrEqual(5);
  await expect(notice).toHaveClass(/warn/);
  await manager.screenshot({ path: 'test-results/manager-wrong-pins.png' });
  const phoneSized = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(phoneSized, PINS.manager, '/?next=/manager/staff');
  await expect(phoneSized.locator('.staff .wrong-pins')).toBeVisible();
  expect(await phoneSized.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await phoneSized.locator('.staff').screenshot({ path: 'test-results/manager-wrong-pins-phone.png' });
});
