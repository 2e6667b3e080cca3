// Courses on the waiter's phone and the station screens: a table's starters go first with
// the drinks, the mains and desserts wait, and "Fire Mains" sends the mains to the
// kitchen under their course's heading when the table is ready for them.
import { test, expect, Page } from '@playwright/test';
import { freeTables, PINS, seat, signIn, stationScreen, ticketsFor, waitForLive } from './helpers';

test('starters go first, mains and desserts are held, and firing the mains sends them with their course', async ({ browser }) => {
  const kitchen = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await stationScreen(kitchen, 'kitchen');
  const bar = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await stationScreen(bar, 'bar');

  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  await waitForLive(waiter);
  const [table] = await freeTables(waiter, 1);
  await seat(waiter, table, 4);
  const title = waiter.getByRole('heading', { name: new RegExp(`^Table ${table} · #\\d+$`) });
  const number = (await title.textContent())!.replace(/^.*#/, '');
  const ours = (page: Page) =>
    ticketsFor(page, table).filter({ has: page.locator('.ticket-number', { hasText: new RegExp(`^#${number}$`) }) });

  // Each item goes in its category's course.
  for (const [category, item] of [
    ['Starters', 'Bruschetta'],
    ['Mains', 'Lasagna'],
    ['Desserts', 'Tiramisu'],
    ['Wine, beer & cocktails', 'Lager'],
  ]) {
    await waiter.getByRole('button', { name: category, exact: true }).click();
    await waiter.getByRole('button', { name: new RegExp(`^${item}`) }).click();
  }
  const toSend = waiter.locator('[data-group="new"]');
  await expect(toSend.locator('.order-line')).toHaveCount(4);
  await expect(toSend.locator('.order-line').filter({ hasText: 'Lasagna' }).locator('.course-tag')).toHaveText('Mains');
  await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);

  // The starters first, with the drinks: the rest waits.
  await toSend.getByRole('button', { name: 'Send Starters first' }).click();
  await expect(ours(kitchen)).toHaveCount(1);
  await expect(ours(kitchen).locator('.ticket-line')).toHaveText([/Bruschetta/]);
  await expect(ours(bar).locator('.ticket-line')).toHaveText([/Lager/]);
  const mains = waiter.locator('[data-group="held-2"]');
  await expect(mains.getByRole('heading')).toContainText('Mains · held');
  await expect(mains.locator('.order-line')).toHaveText([/Lasagna/]);
  await expect(waiter.locator('[data-group="held-3"] .order-line')).toHaveText([/Tiramisu/]);
  await expect(waiter.getByRole('button', { name: 'Nothing to send' })).toBeDisabled();
  await waiter.screenshot({ path: 'test-results/courses-held-phone.png', fullPage: true });

  // A guest pays their part now: what is held stays held.
  await waiter.getByRole('button', { name: 'Pay', exact: true }).click();
  const sheet = waiter.getByRole('dialog', { name: 'Take payment' });
  await sheet.getByLabel('Amount').fill('5');
  await sheet.getByRole('button', { name: 'Card', exact: true }).click();
  await sheet.getByRole('button', { name: 'Take €5.00' }).click();
  await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);
  await expect(mains.getByRole('heading')).toContainText('Mains · held');
  await expect(ours(kitchen)).toHaveCount(1);

  // The table finished its starters: fire the mains. The kitchen gets them headed
  // "Mains"; the desserts stay held.
  await mains.getByRole('button', { name: 'Fire Mains' }).click();
  await expect(ours(kitchen)).toHaveCount(2);
  const fired = ours(kitchen).filter({ hasText: 'Lasagna' });
  await expect(fired.locator('.course-head')).toHaveText('Mains');
  await expect(fired).not.toContainText('Tiramisu');
  await expect(waiter.locator('[data-group="held-2"]')).toHaveCount(0);
  await expect(waiter.locator('[data-group="held-3"]').getByRole('button', { name: 'Fire Desserts' })).toBeVisible();
  await expect(waiter.locator('[data-group="kitchen"] .order-line').filter({ hasText: 'Lasagna' })).toHaveAttribute('data-status', 'sent');
  await waiter.screenshot({ path: 'test-results/courses-fired-phone.png', fullPage: true });
  await kitchen.screenshot({ path: 'test-results/courses-kitchen.png' });

  // Paid: the desserts, paid for, are fired before the table closes, so it is free for
  // whoever comes next.
  await waiter.getByRole('button', { name: 'Pay', exact: true }).click();
  await sheet.getByRole('button', { name: /^Take €/ }).click();
  const paid = waiter.getByRole('status').filter({ hasText: 'Paid · Desserts held' });
  await paid.getByRole('button', { name: 'Fire Desserts' }).click();
  await expect(ours(kitchen)).toHaveCount(3);
  await waiter.getByRole('status').filter({ hasText: 'Paid' }).getByRole('button', { name: 'Close table' }).click();
  await expect(waiter).toHaveURL(/\/floor$/);
});
