// The end of the day: the manager opens the shift with a float, a table pays in cash with
// a tip, the manager counts the drawer by coin and note, closes the shift and takes the
// Z report, which shows the day's figures.
import { test, expect } from '@playwright/test';
import { PINS, signIn } from './helpers';

test('the manager closes the shift with a cash count and sees the Z report with the right totals', async ({ browser, request }) => {
  // Earlier tests sold things too: a Z report first starts a clean business day.
  const { token } = await (await request.post('/api/v1/login', { data: { pin: PINS.manager } })).json();
  const first = await request.post('/api/v1/reports/z', { headers: { authorization: `Bearer ${token}` } });
  expect(first.status()).toBe(201);
  const firstNumber = (await first.json()).number;

  const manager = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(manager, PINS.manager, '/?next=/manager');
  const shift = manager.getByRole('region', { name: 'Shift' });
  await shift.getByLabel('Float in the drawer').fill('100');
  await shift.getByRole('button', { name: 'Open shift' }).click();
  await expect(shift.locator('tr', { hasText: 'Cash expected' })).toContainText('€100.00');

  // Table 1: Lasagna 13.50 + Lager 5.50, paid with a €20 note, €1 of it a tip.
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.luca);
  await waiter.getByRole('button', { name: /^Table 1 \(/ }).click();
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

  // The drawer should now hold 120.00; the manager counts a €100 and a €20 note.
  await manager.reload();
  await expect(shift.locator('tr', { hasText: 'Cash expected' })).toContainText('€120.00');
  await shift.locator('.count-field', { hasText: '€100.00' }).getByRole('textbox').fill('1');
  await shift.locator('.count-field', { hasText: '€20.00' }).getByRole('textbox').fill('1');
  await expect(shift.getByText('Counted €120.00')).toBeVisible();

  // No Z report while the shift is open.
  const reports = manager.getByRole('region', { name: 'Reports' });
  await reports.getByRole('button', { name: 'Take Z report' }).click();
  await expect(reports.getByRole('alert')).toContainText('close it with a cash count');

  await shift.getByRole('button', { name: 'Close shift' }).click();
  const closed = shift.locator('.shift-closed');
  await expect(closed.locator('tr', { hasText: 'Cash counted' })).toContainText('€120.00');
  await expect(closed.locator('tr', { hasText: 'Discrepancy' })).toContainText('€0.00');

  await reports.getByRole('button', { name: 'Take Z report' }).click();
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
  await expect(figure('Cash counted')).toHaveText('€120.00');
  await expect(figure('Discrepancy')).toHaveText('€0.00');
  await expect(reports.getByRole('button', { name: new RegExp(`^Z #${firstNumber + 1} · .* · €19.00$`) })).toBeVisible();
  // Closed, so their live streams do not slow the timing-sensitive scanner test after this.
  await manager.context().close();
  await waiter.context().close();
});
