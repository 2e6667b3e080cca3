// The end of the day: the manager opens the shift with a float, a table pays in cash with
// a tip, the manager refunds a flat beer in cash, counts the drawer by coin and note,
// closes the shift and takes the Z report, which shows the day's figures. And the manager
// keeps the money rules: void reasons and discount rules.
import { test, expect } from '@playwright/test';
import { PINS, seat, signIn } from './helpers';

test('the manager closes the shift with a cash count and sees the Z report with the right totals', async ({ browser, request }) => {
  // Earlier tests may have sold things: a Z report first starts a clean business day
  // (refused when nothing happened yet, as on a fresh box).
  const { token } = await (await request.post('/api/v1/login', { data: { pin: PINS.manager } })).json();
  const headers = { authorization: `Bearer ${token}` };
  const first = await request.post('/api/v1/reports/z', { headers });
  if (first.status() !== 201) {
    expect(first.status()).toBe(409);
    expect((await first.json()).message).toContain('nothing has happened');
  }
  const taken = await (await request.get('/api/v1/reports/z', { headers })).json();
  const firstNumber: number = taken[0]?.number ?? 0;

  const manager = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(manager, PINS.manager, '/?next=/manager/cash-day');
  const shift = manager.getByRole('region', { name: 'Shift' });
  await shift.getByLabel('Float in the drawer').fill('100');
  await shift.getByRole('button', { name: 'Open shift' }).click();
  await expect(shift.locator('tr', { hasText: 'Cash expected' })).toContainText('€100.00');

  // Table 1: Lasagna 13.50 + Lager 5.50, paid with a €20 note, €1 of it a tip.
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.luca);
  await seat(waiter, '1');
  await waiter.getByRole('button', { name: 'Mains' }).click();
  await waiter.getByRole('button', { name: /^Lasagna/ }).click();
  await waiter.getByRole('button', { name: 'Wine, beer & cocktails' }).click();
  await waiter.getByRole('button', { name: /^Lager/ }).click();
  await waiter.getByRole('button', { name: 'Send 2' }).click();
  await waiter.getByRole('button', { name: 'Pay', exact: true }).click();
  const pay = waiter.getByRole('dialog', { name: 'Take payment' });
  await pay.getByLabel('Tip').fill('1');
  await pay.getByLabel('Cash given').fill('20');
  await pay.getByRole('button', { name: 'Take €20.00' }).click();
  await waiter.getByRole('button', { name: 'Close table' }).click();
  await expect(waiter.getByRole('button', { name: /^Table 1 \(free\)/ })).toBeVisible();
  // The phone shows it closed at once; wait until the server has it too.
  await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);

  // The beer was flat: the manager refunds it in cash from the closed orders.
  await manager.reload();
  const closedOrders = manager.getByRole('region', { name: 'Closed orders' });
  const tableOne = closedOrders.locator('.closed-order', { hasText: /^Table 1 ·/ }).first();
  await expect(tableOne).toContainText('€19.00');
  await tableOne.getByRole('button', { name: /^Refund order/ }).click();
  const refund = manager.getByRole('dialog', { name: 'Refund' });
  await expect(refund.getByRole('button', { name: 'Cash' })).toHaveAttribute('aria-pressed', 'true');
  // Nothing chosen is not "everything": refunding all of it takes a tick of its own.
  await expect(refund.getByRole('button', { name: 'Refund', exact: true })).toBeDisabled();
  await expect(refund.getByLabel('Refund all of it (€19.00)')).not.toBeChecked();
  await refund.getByLabel('1x Lager').check();
  await expect(refund.getByLabel('Refund all of it (€19.00)')).toHaveCount(0);
  await refund.getByLabel('Reason').fill('Flat beer');
  await refund.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(refund).toHaveCount(0);
  await expect(tableOne).toContainText('refunded €5.50');

  // The drawer should now hold 100 + 20 - 5.50 = 114.50; the manager counts it.
  await manager.reload();
  await expect(shift.locator('tr', { hasText: 'Cash expected' })).toContainText('€114.50');
  const count = async (coin: string, n: string) =>
    shift.locator('.count-field', { hasText: new RegExp(`^${coin.replace('.', '\\.')}$`) }).getByRole('textbox').fill(n);
  await count('€100.00', '1');
  await count('€10.00', '1');
  await count('€2.00', '2');
  await count('€0.50', '1');
  await expect(shift.getByText('Counted €114.50')).toBeVisible();

  // No Z report while the shift is open: the confirmation says so and offers no way on.
  const reports = manager.getByRole('region', { name: 'Reports' });
  await reports.getByRole('button', { name: 'Take Z report' }).click();
  const confirm = reports.getByRole('alertdialog', { name: 'Take the Z report' });
  await expect(confirm).toContainText('close it with a cash count first');
  await expect(confirm.getByRole('button', { name: 'Take Z report now' })).toHaveCount(0);
  await confirm.getByRole('button', { name: 'Close' }).click();
  await expect(confirm).toHaveCount(0);

  await shift.getByRole('button', { name: 'Close shift' }).click();
  const closed = shift.locator('.shift-closed');
  await expect(closed.locator('tr', { hasText: 'Cash counted' })).toContainText('€114.50');
  await expect(closed.locator('tr', { hasText: 'Discrepancy' })).toContainText('€0.00');

  await reports.getByRole('button', { name: 'Take Z report' }).click();
  await expect(confirm).toContainText('ends the business day');
  await manager.screenshot({ path: 'test-results/z-confirm-manager.png' });
  await confirm.getByRole('button', { name: 'Take Z report now' }).click();
  const z = reports.locator('.report[data-kind="z"]');
  await expect(z.getByRole('heading')).toContainText(`Z report #${firstNumber + 1}`);
  const figure = (name: string) => z.locator(`tr[data-figure="${name}"] td`);
  await expect(figure('Orders')).toHaveText('1');
  await expect(figure('Gross sales')).toHaveText('€19.00');
  await expect(figure('Sales')).toHaveText('€19.00');
  // Inclusive prices: 10 % on 13.50 is 1.23, 22 % on 5.50 is 0.99.
  await expect(figure('Tax 10% on €12.27')).toHaveText('€1.23');
  await expect(figure('Tax 22% on €4.51')).toHaveText('€0.99');
  await expect(figure('Net of tax')).toHaveText('€16.78');
  await expect(figure('Cash (1)')).toHaveText('€19.00');
  await expect(figure('Tips Luca')).toHaveText('€1.00');
  await expect(figure('Refunds (1)')).toHaveText('€5.50');
  await expect(figure('Cash refunded')).toHaveText('-€5.50');
  await expect(figure('Cash counted')).toHaveText('€114.50');
  await expect(figure('Discrepancy')).toHaveText('€0.00');
  await expect(reports.getByRole('button', { name: new RegExp(`^Z #${firstNumber + 1} · .* · €19.00$`) })).toBeVisible();

  // A second Z at once has nothing to end.
  await reports.getByRole('button', { name: 'Take Z report' }).click();
  await expect(confirm).toContainText('Nothing has happened since the last Z report.');
  await confirm.getByRole('button', { name: 'Close' }).click();
  // Closed, so their live streams do not slow the timing-sensitive scanner test after this.
  await manager.context().close();
  await waiter.context().close();
});

test('the manager keeps the void reasons and the discount rules', async ({ browser }) => {
  const manager = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(manager, PINS.manager, '/?next=/manager/money');
  const rules = manager.getByRole('region', { name: 'Money rules' });
  await expect(rules.locator('.discount-rule', { hasText: 'Happy hour' })).toContainText(
    'Happy hour: 20% off Wine, beer & cocktails from 17:00 to 19:00');
  await expect(rules.locator('.discount-rule', { hasText: 'Happy hour' }).getByRole('button')).toHaveText('Off');

  await rules.getByLabel('New reason').fill('Spilled');
  await rules.getByRole('button', { name: 'Add reason' }).click();
  const spilled = rules.locator('.void-reason', { hasText: 'Spilled' });
  await expect(spilled.getByRole('button')).toHaveText('Retire');
  await spilled.getByRole('button', { name: 'Retire' }).click();
  await expect(spilled.getByRole('button')).toHaveText('Offer again');

  await rules.getByLabel(/^Voids over this need a manager/).fill('15');
  await rules.getByRole('button', { name: 'Save money rules' }).click();
  await expect(rules.getByRole('status')).toHaveText('Saved. Phones use the new rules from their next refresh.');
  await manager.reload();
  await expect(rules.getByLabel(/^Voids over this need a manager/)).toHaveValue('15.00');
  // Back as it was, for the tests after this one.
  await rules.getByLabel(/^Voids over this need a manager/).fill('10');
  await rules.getByRole('button', { name: 'Save money rules' }).click();
  await expect(rules.getByRole('status')).toHaveText('Saved. Phones use the new rules from their next refresh.');
  await manager.context().close();
});

test('a Z report waits for the open tables, a short count needs a reason', async ({ browser }) => {
  // A table with food on it is still open.
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  await seat(waiter, '2');
  await waiter.getByRole('button', { name: 'Desserts' }).click();
  await waiter.getByRole('button', { name: /^Tiramisu/ }).click();
  await waiter.getByRole('button', { name: 'Send 1' }).click();
  await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);

  const manager = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(manager, PINS.manager, '/?next=/manager/cash-day');
  const shift = manager.getByRole('region', { name: 'Shift' });
  await shift.getByLabel('Float in the drawer').fill('50');
  await shift.getByRole('button', { name: 'Open shift' }).click();
  // €49.50 counted against €50.00 expected: closing asks why.
  const count = (coin: string, n: string) =>
    shift.locator('.count-field', { hasText: new RegExp(`^${coin.replace('.', '\\.')}$`) }).getByRole('textbox').fill(n);
  await count('€20.00', '2');
  await count('€5.00', '1');
  await count('€2.00', '2');
  await count('€0.50', '1');
  const why = shift.getByLabel('The count is €0.50 short: why?');
  await expect(why).toBeVisible();
  await shift.getByRole('button', { name: 'Close shift' }).click();
  await expect(shift.getByRole('alert')).toContainText('short of the €50.00 expected: say why');
  await why.fill('Coin fell behind the drawer');
  await manager.screenshot({ path: 'test-results/shift-reason-manager.png' });
  await shift.getByRole('button', { name: 'Close shift' }).click();
  await expect(shift.locator('.shift-closed tr', { hasText: 'Discrepancy' })).toContainText('-€0.50');

  const reports = manager.getByRole('region', { name: 'Reports' });
  await reports.getByRole('button', { name: 'Take Z report' }).click();
  const confirm = reports.getByRole('alertdialog', { name: 'Take the Z report' });
  await expect(confirm).toContainText('Still open: Table 2.');
  await expect(confirm.getByRole('button', { name: 'Take Z report now' })).toHaveCount(0);
  await confirm.getByRole('button', { name: 'Close' }).click();

  // The table cannot pay: written off with the manager's PIN, it no longer stops the Z.
  await waiter.getByRole('button', { name: 'Write off' }).click();
  const writeOff = waiter.getByRole('dialog', { name: 'Write off' });
  await writeOff.getByLabel('Reason').fill('Walked out');
  await writeOff.getByLabel('Manager PIN').fill(PINS.manager);
  await writeOff.getByRole('button', { name: 'Write off and close' }).click();
  await expect(waiter.getByRole('button', { name: /^Table 2 \(free\)/ })).toBeVisible();
  await reports.getByRole('button', { name: 'Take Z report' }).click();
  await expect(confirm).toContainText('ends the business day');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await manager.context().close();
  await waiter.context().close();
});
