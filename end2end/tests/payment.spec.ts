// Paying at the table: the waiter takes cash with a tip on the phone, sees the change to
// give, closes the table, and the table is free again. The cash opens the bar's drawer.
import { test, expect } from '@playwright/test';
import { PINS, signIn } from './helpers';

test('a table pays cash with a tip, gets its change, and is closed and free', async ({ browser, request }) => {
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  await waiter.getByRole('button', { name: /^Table 4 \(/ }).click();
  await waiter.getByRole('button', { name: 'Starters' }).click();
  await waiter.getByRole('button', { name: /^Bruschetta/ }).click();
  await waiter.getByRole('button', { name: /^Garlic bread/ }).click();
  await waiter.getByRole('button', { name: 'Send 2' }).click();
  await expect(waiter.getByLabel('Total')).toHaveText('€11.00');

  await waiter.getByRole('button', { name: 'Pay' }).click();
  const sheet = waiter.getByRole('dialog', { name: 'Take payment' });
  await expect(sheet).toContainText('Left to pay: €11.00');
  await expect(sheet.getByRole('button', { name: 'Cash' })).toHaveAttribute('aria-pressed', 'true');
  await sheet.getByLabel('Tip').fill('1');
  await sheet.getByLabel('Cash given').fill('20');
  await expect(sheet.getByRole('status')).toHaveText('Change €8.00');
  await sheet.getByRole('button', { name: 'Take €12.00' }).click();

  const payments = waiter.getByRole('region', { name: 'Payments' });
  await expect(payments).toContainText('Cash €11.00, tip €1.00, change €8.00');
  await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);
  await waiter.getByRole('button', { name: 'Close table' }).click();
  await expect(waiter).toHaveURL(/\/floor$/);
  await expect(waiter.getByRole('button', { name: /^Table 4 \(free\)/ })).toBeVisible();

  // The cash opened the drawer of the bar's printer (its job waits: no printer runs here).
  const { token } = await (await request.post('/api/v1/login', { data: { pin: PINS.manager } })).json();
  const jobs = await (await request.get('/api/v1/print-jobs', { headers: { authorization: `Bearer ${token}` } })).json();
  expect(jobs.filter((j: { kind: string; printer_name: string }) => j.kind === 'drawer_pulse' && j.printer_name === 'Bar')).toHaveLength(1);
});

test('paying more than is left is refused before anything is queued', async ({ browser }) => {
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.luca);
  await waiter.getByRole('button', { name: /^Table 2 \(/ }).click();
  await waiter.getByRole('button', { name: 'Starters' }).click();
  await waiter.getByRole('button', { name: /^Bruschetta/ }).click();
  await waiter.getByRole('button', { name: 'Send 1' }).click();
  await waiter.getByRole('button', { name: 'Pay' }).click();
  const sheet = waiter.getByRole('dialog', { name: 'Take payment' });
  await sheet.getByRole('button', { name: 'Card' }).click();
  await sheet.getByLabel('Amount').fill('7');
  await sheet.getByRole('button', { name: 'Take payment' }).click();
  await expect(sheet.getByRole('alert')).toHaveText('only €6.50 is left to pay');
  await sheet.getByLabel('Amount').fill('4');
  await sheet.getByRole('button', { name: 'Take €4.00' }).click();
  await expect(waiter.getByRole('region', { name: 'Payments' })).toContainText('Left to pay €2.50');
  await expect(waiter.getByRole('button', { name: 'Close table' })).toHaveCount(0);
});
