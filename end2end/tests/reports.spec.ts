// The manager's sales reports, on a laptop and on a phone: a takeaway sold today shows in
// today's figures and product mix; last week is picked in one tap, its charts are drawn
// (a bar a day, a bar an hour), and the whole week downloads as a spreadsheet.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { PINS, signIn, uuidv7 } from './helpers';

test('the manager picks last week, sees the charts and downloads the spreadsheet', async ({ browser, request }) => {
  // A takeaway sold today: two Tiramisu, paid by card.
  const { token } = await (await request.post('/api/v1/login', { data: { pin: PINS.ana } })).json();
  const headers = { authorization: `Bearer ${token}` };
  const menu = (await (await request.get('/api/v1/snapshot', { headers })).json()).menu;
  const tiramisu = menu.products.find((p: { name: string }) => p.name === 'Tiramisu');
  const opened = await request.post('/api/v1/takeaways', { headers, data: { customer_name: 'Report' } });
  expect(opened.status()).toBe(201);
  const { id } = await opened.json();
  const ops = [
    { type: 'add_lines', order_id: id, lines: [{ id: uuidv7(), product_id: tiramisu.id, quantity: 2 }] },
    { type: 'send_order', order_id: id },
    { type: 'take_payment', order_id: id, payment: { id: uuidv7(), method: 'card', amount_minor: 2 * tiramisu.price_minor } },
    { type: 'close_order', order_id: id },
  ].map((op) => ({ op_id: uuidv7(), ...op }));
  const { results } = await (await request.post('/api/v1/ops', { headers, data: { ops } })).json();
  for (const r of results) expect(r.status, JSON.stringify(r)).toBe('applied');
  // The dessert station bumps it: the next spec finds the screens as they were.
  const kitchen = await (await request.post('/api/v1/login', { data: { pin: PINS.kitchen } })).json();
  const cook = { authorization: `Bearer ${kitchen.token}` };
  for (const station of ['kitchen', 'bar']) {
    const screen = await (await request.get(`/api/v1/stations/${station}/tickets`, { headers: cook })).json();
    for (const ticket of screen.active.filter((t: { order_id: string }) => t.order_id === id)) {
      expect((await request.post(`/api/v1/tickets/${ticket.id}/bump`, { headers: cook })).ok()).toBe(true);
    }
  }

  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })).newPage();
  await signIn(page, PINS.manager, '/?next=/manager/reports');
  await expect(page).toHaveURL(/\/manager\/reports$/);
  const reports = page.getByRole('region', { name: 'Sales reports' });
  const range = reports.getByRole('group', { name: 'Range' });

  // Today: the takeaway is in the figures the server gives, and among the products.
  await range.getByRole('button', { name: 'Today' }).click();
  await expect(range.getByRole('button', { name: 'Today' })).toHaveAttribute('aria-pressed', 'true');
  const manager = await (await request.post('/api/v1/login', { data: { pin: PINS.manager } })).json();
  const presets = await (await request.get('/api/v1/reports/ranges', { headers: { authorization: `Bearer ${manager.token}` } })).json();
  const today = presets.find((p: { key: string }) => p.key === 'today');
  const asked = await request.get(`/api/v1/reports/sales?from=${today.from}&to=${today.to}&by=day`, {
    headers: { authorization: `Bearer ${manager.token}` },
  });
  const sales: number = (await asked.json()).period.totals.sales_minor;
  expect(sales).toBeGreaterThanOrEqual(2 * tiramisu.price_minor);
  const euros = `€${Math.floor(sales / 100)}.${String(sales % 100).padStart(2, '0')}`;
  const figures = reports.getByRole('list', { name: 'Figures' });
  await expect(figures.locator('.kpi', { hasText: /^Sales/ }).locator('.kpi-value')).toHaveText(euros);
  await expect(reports.locator('.report-table')).toContainText('Tiramisu');
  await page.screenshot({ path: 'test-results/reports-today-manager.png', fullPage: true });

  // Last week: Monday to Sunday, a bar for each day and for each hour.
  await range.getByRole('button', { name: 'Last week' }).click();
  const week = presets.find((p: { key: string }) => p.key === 'last-week');
  await expect(reports.locator('.report-range')).toHaveText(/^\d+ \w{3} – \d+ \w{3} \d{4}$/);
  await expect(reports.getByRole('img', { name: /^Sales by day\./ }).locator('rect')).toHaveCount(7);
  await expect(reports.getByRole('img', { name: /^Sales by hour of the day\./ }).locator('rect')).toHaveCount(24);
  await expect(figures.locator('.kpi')).toHaveCount(8);
  // The demo venue traded last week (`--demo-past-days`): its sales are there.
  await expect(figures.locator('.kpi', { hasText: /^Sales/ }).locator('.kpi-value')).not.toHaveText('€0.00');
  await expect(reports.getByRole('img', { name: /^Sales by day\./ })).toHaveAttribute('aria-label', /Mon \d+ \w{3}: €/);
  await page.screenshot({ path: 'test-results/reports-last-week-manager.png', fullPage: true });

  // The spreadsheet: every view a sheet.
  const saved = page.waitForEvent('download');
  await reports.getByRole('button', { name: 'Download spreadsheet (XLSX)' }).click();
  const download = await saved;
  expect(download.suggestedFilename()).toBe(`sales_${week.from}_${week.to}.xlsx`);
  const file = readFileSync((await download.path())!);
  expect(file.subarray(0, 2).toString()).toBe('PK');
  expect(file.includes('xl/worksheets/sheet8.xml')).toBe(true);
  await expect(reports.getByRole('button', { name: 'Download spreadsheet (XLSX)' })).toBeEnabled();

  // The journal for the accountant: made as a job, then downloaded.
  const journal = page.waitForEvent('download');
  await reports.getByRole('button', { name: 'Journal for the accountant (XLSX)' }).click();
  const made = await journal;
  expect(made.suggestedFilename()).toBe(`journal_${week.from}_${week.to}.xlsx`);
  const book = readFileSync((await made.path())!);
  expect(book.includes('xl/worksheets/sheet5.xml')).toBe(true);
  await expect(reports.getByRole('button', { name: 'Journal for the accountant (XLSX)' })).toBeEnabled();

  // A table at a time: the waiters, as CSV.
  await reports.getByRole('group', { name: 'Table' }).getByRole('button', { name: 'Waiters' }).click();
  // The demo venue's waiters traded last week.
  await expect(reports.locator('.report-table caption').first()).toHaveText('Waiters');
  const csv = page.waitForEvent('download');
  await reports.getByRole('button', { name: 'This table as CSV' }).click();
  expect((await csv).suggestedFilename()).toBe(`sales-by-waiter_${week.from}_${week.to}.csv`);

  // On a phone the same page fits: no sideways scrolling of the page itself.
  await page.setViewportSize({ width: 390, height: 844 });
  await range.getByRole('button', { name: 'Today' }).click();
  // One day is one bar: its hours are shown, not a chart of one day.
  await expect(reports.getByRole('img', { name: /^Sales by hour of the day\./ }).locator('rect')).toHaveCount(24);
  await expect(reports.getByRole('img', { name: /^Sales by day\./ })).toHaveCount(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: 'test-results/reports-today-phone.png', fullPage: true });
});
