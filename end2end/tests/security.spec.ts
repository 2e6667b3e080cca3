// Strangers on the Wi-Fi: a phone that keeps guessing PINs is slowed down and the manager
// sees it; signing out ends the session on the box, not only on the phone.
import { test, expect } from '@playwright/test';
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

test('a phone guessing PINs is made to wait, and the manager sees the failed sign-ins', async ({ browser }) => {
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  const alert = phone.getByRole('alert');
  for (const guess of ['0001', '0002', '0003', '0004', '0005']) {
    await signIn(phone, guess);
    await expect(alert).toHaveText('Wrong PIN. Try again.');
  }
  await signIn(phone, '0006');
  await expect(alert).toHaveText(/^Too many wrong PINs\. Try again in \d+ seconds?\.$/);
  await phone.screenshot({ path: 'test-results/login-too-many-phone.png' });

  // The back-off is short at first: the manager signs in on the same phone once it is over.
  await expect(async () => {
    await signIn(phone, PINS.manager, '/?next=/manager');
    await expect(phone).toHaveURL(/\/manager$/, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });

  const manager = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(manager, PINS.manager, '/?next=/manager');
  const notice = manager.locator('.staff .wrong-pins');
  await expect(notice).toHaveText(/^\d+ failed sign-ins in the last 24 hours\.$/);
  const failed = Number((await notice.textContent())!.match(/^(\d+)/)![1]);
  expect(failed).toBeGreaterThanOrEqual(5);
  await expect(notice).toHaveClass(/warn/);
  await manager.screenshot({ path: 'test-results/manager-wrong-pins.png' });
});
