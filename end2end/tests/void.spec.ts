// Voiding: a line over the venue's limit needs a manager's PIN, typed on the waiter's
// phone; with it the line is void, the total drops, the kitchen gets a VOID ticket and
// the ticket it came on strikes it through.
import { test, expect } from '@playwright/test';
import { PINS, seat, signIn, ticketsFor, waitForLive } from './helpers';

test('the manager approves voiding a sent line with a reason and their PIN', async ({ browser }) => {
  const kitchen = await (await browser.newContext()).newPage();
  await signIn(kitchen, PINS.kitchen, '/?next=/kitchen/kitchen');
  await waitForLive(kitchen);

  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  await seat(waiter, '7');
  await waiter.getByRole('button', { name: 'Mains' }).click();
  await waiter.getByRole('button', { name: /^Lasagna/ }).click();
  await waiter.getByRole('button', { name: 'Send 1' }).click();
  await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);
  await expect(ticketsFor(kitchen, '7')).toHaveCount(1);

  await waiter.getByRole('button', { name: 'Void Lasagna' }).click();
  const sheet = waiter.getByRole('dialog', { name: 'Void item' });
  await expect(sheet).toContainText('Void 1x Lasagna (€13.50)');
  await expect(sheet).toContainText("Over the limit: a manager's PIN is needed.");
  await sheet.getByRole('button', { name: 'Void' }).click();
  await expect(sheet.getByRole('alert')).toHaveText('Choose a reason.');
  await sheet.getByRole('button', { name: 'Quality complaint' }).click();
  await sheet.getByLabel('Note (optional)').fill('cold');
  await sheet.getByRole('button', { name: 'Void' }).click();
  await expect(sheet.getByRole('alert')).toHaveText("voiding 1x Lasagna (€13.50) needs a manager's PIN: it is over the limit");
  await sheet.getByLabel('Manager PIN').fill(PINS.luca);
  await sheet.getByRole('button', { name: 'Void' }).click();
  await expect(sheet.getByRole('alert')).toHaveText("that PIN is not a manager's; nothing was voided");
  await sheet.getByLabel('Manager PIN').fill(PINS.manager);
  await sheet.getByRole('button', { name: 'Void' }).click();

  await expect(sheet).toHaveCount(0);
  await expect(waiter.locator('.order-line[data-status="void"]')).toContainText('Lasagna');
  await expect(waiter.getByLabel('Total')).toHaveText('€0.00');
  const voidTicket = ticketsFor(kitchen, '7').filter({ hasText: 'VOID - do not make' });
  await expect(voidTicket).toHaveCount(1);
  await expect(voidTicket).toContainText('Lasagna');
  // The ticket it came on strikes it through, live, so nobody makes it from there.
  const original = ticketsFor(kitchen, '7').filter({ hasNotText: 'VOID - do not make' });
  await expect(original.locator('.ticket-line.voided')).toContainText('Lasagna');
  await expect(original.locator('.ticket-line.voided')).toContainText('voided');
  await kitchen.setViewportSize({ width: 1280, height: 800 });
  await kitchen.screenshot({ path: 'test-results/void-kitchen.png' });
});
