// A takeaway order from the waiter's phone to the pickup wall screen, and its "ready"
// text: it waits while SMS is off, and goes out once the manager sets up the provider
// (a local HTTP server playing Twilio).
import { test, expect } from '@playwright/test';
import http from 'node:http';
import net from 'node:net';
import { PINS, signIn, waitForLive } from './helpers';

/** A Twilio-compatible provider: records each message's form fields. */
async function startProvider() {
  const messages: URLSearchParams[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      messages.push(new URLSearchParams(body));
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid: `SM${messages.length}`, status: 'queued' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { messages, url: `http://127.0.0.1:${port}`, stop: () => new Promise((r) => server.close(r)) };
}

test('a takeaway order goes from the phone to the pickup screen, and its text goes out once SMS is set up', async ({ browser, request }) => {
  test.setTimeout(90_000);
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  await expect(waiter).toHaveURL(/\/floor$/);
  await waitForLive(waiter);

  // A mistyped number is caught before anything is sent.
  await waiter.getByRole('button', { name: '+ Takeaway' }).click();
  const sheet = waiter.getByRole('dialog', { name: 'New takeaway' });
  await sheet.getByLabel('Customer name').fill('Zoe');

  // Another waiter opens a table meanwhile: the live update refreshes the floor around the
  // sheet and leaves what was typed alone.
  const { token: luca } = await (await request.post('/api/v1/login', { data: { pin: PINS.luca } })).json();
  const snapshot = await (await request.get('/api/v1/snapshot', { headers: { authorization: `Bearer ${luca}` } })).json();
  const table7 = snapshot.floor.tables.find((t: { label: string }) => t.label === '7');
  const opened = await request.post('/api/v1/orders', {
    headers: { authorization: `Bearer ${luca}` },
    data: { table_id: table7.id },
  });
  expect(opened.ok()).toBeTruthy();
  await expect(waiter.getByRole('button', { name: 'Table 7 (open)' })).toBeAttached();
  await expect(sheet.getByLabel('Customer name')).toHaveValue('Zoe');

  await sheet.getByLabel('Phone').fill('333 76');
  await sheet.getByLabel('Text the customer when it is ready').check();
  await sheet.getByRole('button', { name: 'Open order' }).click();
  await expect(sheet.getByRole('alert')).toHaveText('"333 76" is not a phone number');
  // The venue is in Italy: a local number needs no +39.
  await sheet.getByLabel('Phone').fill('333 765 4321');
  await sheet.getByLabel('Text the customer when it is ready').check();
  await sheet.getByRole('button', { name: 'Open order' }).click();

  await expect(waiter.getByRole('heading', { name: /^Takeaway Zoe · #\d+$/ })).toBeVisible();
  const number = (await waiter.getByRole('heading', { name: /^Takeaway Zoe/ }).textContent())!.match(/#(\d+)/)![1];
  const customer = waiter.getByRole('region', { name: 'Customer' });
  await expect(customer).toContainText('+393337654321');
  await expect(customer).toContainText('SMS is off');
  await waiter.getByRole('button', { name: 'Desserts' }).click();
  await waiter.getByRole('button', { name: /^Tiramisu/ }).click();
  await waiter.getByRole('button', { name: 'Send 1' }).click();
  await expect(waiter.getByRole('button', { name: 'Nothing to send' })).toBeVisible();

  // The wall screen needs no sign-in.
  const wall = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  await wall.goto('/pickup');
  const preparing = wall.getByRole('region', { name: 'Preparing' });
  const ready = wall.getByRole('region', { name: 'Ready' });
  await expect(preparing.getByText(number, { exact: true })).toBeVisible();

  // The kitchen sees whose it is, and bumps it.
  const kitchen = await (await browser.newContext()).newPage();
  await signIn(kitchen, PINS.kitchen, '/?next=/kitchen/kitchen');
  await waitForLive(kitchen);
  const ticket = kitchen.locator('.tickets .ticket').filter({ hasText: 'Takeaway Zoe' });
  await expect(ticket).toContainText('Tiramisu');
  await ticket.getByRole('button', { name: 'Bump' }).click();

  await expect(ready.getByText(number, { exact: true })).toBeVisible();
  await expect(preparing.getByText(number, { exact: true })).toHaveCount(0);
  await expect(customer).toContainText('SMS is off');

  // The manager sets up SMS; the waiting text goes out, once.
  const provider = await startProvider();
  try {
    const manager = await (await browser.newContext()).newPage();
    await signIn(manager, PINS.manager, '/?next=/manager/devices');
    const panel = manager.locator('.sms-panel');
    await expect(panel).toContainText('SMS is off: no provider is set up');
    await panel.getByLabel('Provider address').fill(provider.url);
    await panel.getByLabel('Account SID').fill('AC0123456789');
    await panel.getByLabel('Auth token').fill('secret');
    await panel.getByLabel('Sender (number or name)').fill('Trattoria');
    await panel.getByRole('button', { name: 'Save provider' }).click();
    await expect(panel).toContainText('SMS is on.');

    await expect(customer).toContainText('Text sent', { timeout: 15_000 });
    await expect(panel.locator('.sms-outbox li.sent')).toContainText(`#${number}`);
    expect(provider.messages).toHaveLength(1);
    expect(provider.messages[0].get('To')).toBe('+393337654321');
    expect(provider.messages[0].get('From')).toBe('Trattoria');
    expect(provider.messages[0].get('Body')).toBe(`Hi Zoe, your order ${number} at Trattoria Comanda is ready for pickup`);

    // Handed over: off the wall.
    await waiter.getByRole('button', { name: 'Served 1' }).click();
    await expect(ready.getByText(number, { exact: true })).toHaveCount(0);
  } finally {
    await provider.stop();
  }
});
