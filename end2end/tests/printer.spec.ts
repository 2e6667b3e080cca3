// A printer that is off never stops an order: the kitchen screen says so, the waiter keeps
// sending, and when the printer comes on every ticket prints, once.
import { test, expect, APIRequestContext } from '@playwright/test';
import net from 'node:net';
import { PINS, seat, signIn, ticketsFor, waitForLive } from './helpers';

/** A raw port-9100 printer: records each connection's bytes as one job. */
class TestPrinter {
  jobs: Buffer[] = [];
  private server?: net.Server;
  constructor(readonly port: number) {}

  async start() {
    this.server = net.createServer((socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (d) => chunks.push(d));
      socket.on('end', () => {
        if (chunks.length) this.jobs.push(Buffer.concat(chunks));
        socket.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Jobs holding every one of `texts` (other specs' queued tickets print here too). */
  jobsFor(...texts: string[]) {
    return this.jobs.filter((job) => texts.every((t) => job.includes(t, 0, 'latin1'))).length;
  }
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function pointKitchenPrinterAt(request: APIRequestContext, port: number) {
  const { token } = await (await request.post('/api/v1/login', { data: { pin: PINS.manager } })).json();
  const headers = { authorization: `Bearer ${token}` };
  const printers = await (await request.get('/api/v1/printers', { headers })).json();
  const kitchen = printers.find((p: { name: string }) => p.name === 'Kitchen');
  const changed = await request.patch(`/api/v1/printers/${kitchen.id}`, {
    headers,
    data: { connection: `tcp://127.0.0.1:${port}` },
  });
  expect(changed.status()).toBe(200);
}

test('an offline printer is shown, blocks nothing, and prints everything once when back', async ({ browser, request }) => {
  test.setTimeout(90_000);
  const printer = new TestPrinter(await freePort());
  await pointKitchenPrinterAt(request, printer.port);

  const kitchen = await (await browser.newContext()).newPage();
  await signIn(kitchen, PINS.kitchen, '/?next=/kitchen/kitchen');
  await waitForLive(kitchen);
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  await expect(waiter).toHaveURL(/\/floor$/);

  const send = async (item: string) => {
    await seat(waiter, '5');
    await waiter.getByRole('button', { name: 'Starters' }).click();
    await waiter.getByRole('button', { name: new RegExp(`^${item}`) }).click();
    await waiter.getByRole('button', { name: 'Send 1' }).click();
    await expect(waiter.getByRole('button', { name: 'Nothing to send' })).toBeVisible();
    await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);
    await waiter.getByRole('link', { name: 'Back' }).click();
  };

  await send('Bruschetta');
  // One line, naming the kitchen's printer (the bar's may be down too).
  const saysKitchen = /^(Kitchen printer offline|Printers offline: .*Kitchen.*) · \d+ to print$/;
  const banner = kitchen.locator('.printer-banner').filter({ hasText: saysKitchen });
  await expect(banner).toBeVisible({ timeout: 15_000 });
  await expect(waiter.locator('.printer-banner').filter({ hasText: saysKitchen })).toBeVisible();
  expect((await banner.boundingBox())!.height).toBeLessThan(40);

  // The printer being off changes nothing for the orders.
  await send('Garlic bread');
  await expect(ticketsFor(kitchen, '5')).toHaveCount(2);

  await printer.start();
  try {
    await expect(banner).toHaveCount(0, { timeout: 30_000 });
    await expect.poll(() => printer.jobsFor('Table 5'), { timeout: 30_000 }).toBe(2);
    await kitchen.waitForTimeout(2_000);
    expect(printer.jobsFor('Table 5')).toBe(2);
    expect(printer.jobsFor('Table 5', 'Bruschetta')).toBe(1);
    expect(printer.jobsFor('Table 5', 'Garlic bread')).toBe(1);
  } finally {
    await printer.stop();
  }
});

test('the manager moves a waiting ticket to another printer and reprints it; the waiter prints the bill', async ({ browser, request }) => {
  test.setTimeout(90_000);
  const off = await freePort(); // the kitchen printer is off
  await pointKitchenPrinterAt(request, off);
  const pass = new TestPrinter(await freePort());
  await pass.start();
  try {
    const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await signIn(waiter, PINS.ana);
    await seat(waiter, '6');
    await waiter.getByRole('button', { name: 'Starters' }).click();
    await waiter.getByRole('button', { name: /^Soup of the day/ }).click();
    await waiter.getByRole('button', { name: 'Send 1' }).click();
    await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);

    const manager = await (await browser.newContext()).newPage();
    await signIn(manager, PINS.manager, '/?next=/manager/stations');
    const panel = manager.locator('.print-panel');
    // The manager adds the pass printer in the browser; it prints for no station yet.
    await panel.getByRole('button', { name: 'Add a printer' }).click();
    const form = manager.getByRole('form', { name: 'Add a printer' });
    await form.getByLabel('Printer name').fill('Pass');
    await form.getByLabel('Address (network printer) or serial port').fill(`tcp://127.0.0.1:${pass.port}`);
    await form.getByRole('button', { name: 'Add printer' }).click();
    const passRow = panel.locator('.printer[data-printer="Pass"]');
    await expect(passRow.locator('.printer-state')).toHaveText('nothing printed yet');
    await expect(passRow).toContainText('80 mm · prints no tickets or bills');
    await expect(panel.locator('.printer[data-printer="Kitchen"] .printer-state')).toContainText('offline', { timeout: 15_000 });
    const job = panel.locator('.print-job').filter({ hasText: 'Table 6' });
    await expect(job).toHaveCount(1);
    await expect(job.locator('.job-status')).toContainText('queued');

    await job.getByLabel('Print on another printer').selectOption({ label: 'Pass' });
    await expect.poll(() => pass.jobsFor('Table 6', 'Soup of the day'), { timeout: 15_000 }).toBe(1);
    await panel.getByRole('button', { name: 'Refresh' }).click();
    const done = panel.locator('.print-job.done').filter({ hasText: 'Table 6' });
    await expect(done).toHaveCount(1);
    await expect(passRow.locator('.printer-state')).toHaveText('online');

    // A reprint goes to the station's printers (here none online but Kitchen), marked.
    await done.getByRole('button', { name: 'Reprint' }).click();
    await expect(panel.locator('.print-job.queued').filter({ hasText: 'Table 6' })).toContainText('reprint');

    // The waiter prints the bill: it goes to the bill printer (the bar's, off here).
    await waiter.getByRole('button', { name: 'Print bill' }).click();
    await expect(waiter.getByRole('status').filter({ hasText: 'bill' })).toHaveText('The bill is printing on Bar.');
    await panel.getByRole('button', { name: 'Refresh' }).click();
    const bill = panel.locator('.print-job.queued[data-kind="bill"]').filter({ hasText: 'Table 6' });
    await expect(bill.locator('strong')).toHaveText(/^Bill · Table 6 · #\d+$/);
    await expect(bill.locator('small').first()).toHaveText('Bar');
  } finally {
    await pass.stop();
  }
});
