// Staff under pressure make slips: an item tapped by mistake goes without a reason, and a
// table opened by mistake is cancelled and free again.
import { test, expect } from '@playwright/test';
import { PINS, seat, signIn, waitForLive } from './helpers';

test('a mis-tapped item and a mis-tapped table are undone in one tap each', async ({ browser }) => {
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  await waitForLive(waiter);
  const free = waiter.getByRole('button', { name: /^Table \d+ \(free\)$/ }).first();
  const label = (await free.getAttribute('aria-label'))!.replace(' (free)', '');
  // Tapped by mistake: the guest count is asked first, and Cancel leaves the table free.
  await free.click();
  await waiter.getByRole('dialog', { name: label }).getByRole('button', { name: 'Cancel' }).click();
  await expect(waiter.getByRole('dialog')).toHaveCount(0);
  await expect(waiter.getByRole('button', { name: `${label} (free)` })).toBeVisible();
  await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);
  await seat(waiter, label.replace('Table ', ''));

  // Two tiramisu instead of one: one less, no sheet, no reason.
  await waiter.getByRole('button', { name: 'Desserts' }).click();
  await waiter.getByRole('button', { name: /^Tiramisu/ }).click();
  await waiter.getByRole('button', { name: /^Tiramisu/ }).click();
  const lines = waiter.locator('.order-line');
  await expect(lines).toHaveCount(1);
  await expect(lines.getByLabel('Quantity')).toHaveText('2');
  await waiter.getByRole('button', { name: 'One less Tiramisu' }).click();
  await expect(lines.getByLabel('Quantity')).toHaveText('1');
  // A panna cotta tapped by mistake: taken off, no sheet, no reason.
  await waiter.getByRole('button', { name: /^Panna cotta/ }).click();
  await expect(lines).toHaveCount(2);
  await waiter.getByRole('button', { name: 'Remove Panna cotta' }).click();
  await expect(lines).toHaveCount(1);
  await expect(waiter.getByRole('dialog')).toHaveCount(0);
  await waiter.screenshot({ path: 'test-results/undo-order-phone.png' });

  // Wrong table after all: cancelled, and the table is free again.
  await waiter.getByRole('button', { name: 'Cancel order' }).click();
  await expect(waiter).toHaveURL(/\/floor$/);
  await expect(waiter.getByRole('button', { name: `${label} (free)` })).toBeVisible();
  await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);
  // The box agrees: it is free on a fresh start too.
  await waiter.reload();
  await expect(waiter.getByRole('button', { name: `${label} (free)` })).toBeVisible();
});
