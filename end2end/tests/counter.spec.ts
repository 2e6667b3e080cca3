// The counter: a cashier rings up a sale by scanning. A keyboard-wedge scanner is told
// from typing by its speed; a serial scanner on the server (a socat pty pair here) reaches
// the screen too. The manager sees the scanner connected.
import { test, expect, Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PINS, signIn } from './helpers';

async function waitForFile(file: string) {
  for (let i = 0; i < 200 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 25));
  expect(fs.existsSync(file)).toBe(true);
}

// A wedge scanner "types" a code and Enter within a few milliseconds. The keys are sent
// from the page in one go, as a scanner's arrive; sent one by one from the test process,
// their gaps grew past the detector's 50 ms on a busy machine and the scan read as typing.
async function wedgeScan(page: Page, code: string) {
  await page.evaluate((keys) => {
    for (const key of keys) {
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    }
  }, [...code, 'Enter']);
}

function line(page: Page, item: string) {
  return page.locator('.order-line').filter({ hasText: item });
}

test('a cashier scans items at the counter, by keyboard wedge and by serial scanner', async ({ browser, request }) => {
  test.setTimeout(90_000);
  // A serial scanner plugged into the server: socat links one pty end as the device.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comanda-e2e-'));
  const [device, scannerEnd] = [path.join(dir, 'scanner'), path.join(dir, 'scanner-test')];
  const socat = spawn('socat', [`pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${scannerEnd}`], { stdio: 'ignore' });
  await waitForFile(device);
  await waitForFile(scannerEnd);

  const { token } = await (await request.post('/api/v1/login', { data: { pin: PINS.manager } })).json();
  const headers = { authorization: `Bearer ${token}` };
  const added = await request.post('/api/v1/devices', {
    headers,
    data: { name: 'Counter scanner', kind: 'scanner', port: device, baud: 9600 },
  });
  expect(added.status()).toBe(201);
  const scannerId = (await added.json()).id;

  try {
    const manager = await (await browser.newContext()).newPage();
    await signIn(manager, PINS.manager, '/?next=/manager/devices');
    const row = manager.locator('.device[data-device="Counter scanner"]');
    await expect(row.locator('.device-state')).toHaveText('connected');

    const counter = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
    await signIn(counter, PINS.cashier);
    await expect(counter).toHaveURL(/\/counter$/);
    await counter.getByRole('button', { name: 'Start sale' }).click();
    await expect(counter.getByRole('heading', { name: /^Takeaway Counter · #\d+$/ })).toBeVisible();
    const status = counter.getByRole('status').filter({ hasText: /Scan|Scanned/ });
    await expect(status).toHaveText('Scan an item or tap it below.');

    // A wedge scanner types fast and ends with Enter.
    await wedgeScan(counter, '8001234500012');
    await expect(status).toHaveText('Scanned Sparkling water');
    await expect(line(counter, 'Sparkling water')).toHaveCount(1);

    // A person typing the same kind of digits is not a scan.
    await counter.keyboard.type('8001234500029', { delay: 120 });
    await counter.keyboard.press('Enter');
    await counter.waitForTimeout(500);
    await expect(line(counter, 'Still water')).toHaveCount(0);

    // An unknown code says so.
    await wedgeScan(counter, '4006381333931');
    await expect(counter.getByText('No product has the code 4006381333931.')).toBeVisible();

    // The serial scanner on the server.
    fs.writeFileSync(scannerEnd, '8001234500036\r\n');
    await expect(status).toHaveText('Scanned Orange juice');
    await expect(line(counter, 'Orange juice')).toHaveCount(1);

    await counter.getByRole('button', { name: 'Send 2' }).click();
    await expect(counter.getByRole('button', { name: 'Ready for pickup' })).toBeVisible();
    await counter.getByRole('button', { name: 'Ready for pickup' }).click();
    await expect(counter.getByRole('button', { name: 'Served 2' })).toBeVisible();
    await counter.getByRole('button', { name: 'Served 2' }).click();
    // Not paid yet (it is paid at pickup): the sale is parked, not lost.
    await counter.getByRole('button', { name: 'Park sale' }).click();
    await expect(counter.getByRole('button', { name: 'Start sale' })).toBeVisible();

    // Unplugged: the manager sees it.
    socat.kill();
    await expect(row.locator('.device-state')).toHaveText(/went away|cannot open/, { timeout: 15_000 });
  } finally {
    socat.kill();
    await request.patch(`/api/v1/devices/${scannerId}`, { headers, data: { active: false } });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a cashier parks a sale, serves the next customer, and resumes it', async ({ browser }) => {
  const counter = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
  await signIn(counter, PINS.cashier);
  await expect(counter).toHaveURL(/\/counter$/);
  await counter.getByLabel('Customer name (optional)').fill('Bea');
  await counter.getByRole('button', { name: 'Start sale' }).click();
  await counter.getByRole('button', { name: 'Soft drinks & coffee' }).click();
  await counter.getByRole('button', { name: /^Espresso/ }).click();
  await counter.getByRole('button', { name: /^Espresso/ }).click();
  await expect(line(counter, 'Espresso').getByLabel('Quantity')).toHaveText('2');
  // Bea is still looking for her wallet: park her sale.
  await counter.getByRole('button', { name: 'Park sale' }).click();
  const open = counter.getByRole('region', { name: 'Open sales' });
  await expect(open.locator('li').filter({ hasText: 'Bea' })).toContainText('2 items · €3.60 to pay');

  // The next customer buys a water and pays cash.
  await counter.getByLabel('Customer name (optional)').fill('Carl');
  await counter.getByRole('button', { name: 'Start sale' }).click();
  await counter.getByRole('button', { name: 'Soft drinks & coffee' }).click();
  await counter.getByRole('button', { name: /^Still water/ }).click();
  await counter.getByRole('button', { name: 'Pay', exact: true }).click();
  await counter.getByRole('dialog', { name: 'Take payment' }).getByRole('button', { name: 'Take €3.00' }).click();
  await counter.getByRole('button', { name: 'Next customer' }).click();
  await expect(open.locator('li').filter({ hasText: 'Bea' })).toHaveCount(1);
  await expect(open.locator('li').filter({ hasText: 'Carl' })).toHaveCount(0); // paid and sent: not waiting
  // Paid without anyone tapping Send: the water still reaches the bar.
  const bar = await (await browser.newContext()).newPage();
  await signIn(bar, PINS.kitchen, '/?next=/kitchen/bar');
  await expect(bar.locator('.tickets .ticket').filter({ hasText: 'Takeaway Carl' })).toContainText('Still water');
  await bar.context().close();

  // Bea is back: her sale is as she left it.
  await open.locator('li').filter({ hasText: 'Bea' }).getByRole('button', { name: 'Resume' }).click();
  await expect(counter.getByRole('heading', { name: /^Takeaway Bea · #\d+$/ })).toBeVisible();
  await expect(line(counter, 'Espresso').getByLabel('Quantity')).toHaveText('2');
  await expect(counter.getByLabel('Total')).toHaveText('€3.60');
  await counter.getByRole('button', { name: 'Pay', exact: true }).click();
  await counter.getByRole('dialog', { name: 'Take payment' }).getByRole('button', { name: 'Take €3.60' }).click();
  await expect(counter.getByRole('button', { name: 'Next customer' })).toBeVisible();
});
