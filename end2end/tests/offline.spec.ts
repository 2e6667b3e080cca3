// The offline promise: orders taken with the Wi-Fi down reach the kitchen exactly once,
// after a reload while offline, through lost answers, and with two waiters on one table.
import { test, expect, Page, BrowserContext } from '@playwright/test';
import { PINS, seat, signIn, ticketsFor, waitForLive } from './helpers';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
test.setTimeout(120_000);

/// Signed in, floor loaded and saved on the phone, page under the service worker's control.
async function waiterReady(context: BrowserContext, pin: string): Promise<Page> {
  const page = await context.newPage();
  await signIn(page, pin);
  await expect(page).toHaveURL(/\/floor$/);
  await expect(page.locator('.room .table')).toHaveCount(12);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await waitForLive(page);
  return page;
}

async function kitchenScreen(context: BrowserContext, station: string): Promise<Page> {
  const page = await context.newPage();
  await signIn(page, PINS.kitchen, `/?next=/kitchen/${station}`);
  await expect(page).toHaveURL(new RegExp(`/kitchen/${station}$`));
  await waitForLive(page);
  return page;
}

async function order(page: Page, table: string, category: string, items: string[]) {
  await seat(page, table);
  await expect(page).toHaveURL(/\/order\//);
  await page.getByRole('button', { name: category }).click();
  for (const item of items) {
    await page.getByRole('button', { name: new RegExp(`^${item}`) }).click();
  }
  await expect(page.locator('[data-group="new"] .order-line')).toHaveCount(items.length);
  await page.getByRole('button', { name: `Send ${items.length}` }).click();
  await expect(page.getByRole('button', { name: 'Nothing to send' })).toBeVisible();
  await page.getByRole('link', { name: 'Back' }).click();
  await expect(page).toHaveURL(/\/floor$/);
}

test('orders taken offline survive a reload and reach the kitchen once each', async ({ browser }) => {
  const kitchen = await kitchenScreen(await browser.newContext(), 'kitchen');
  const context = await browser.newContext(phone);
  const waiter = await waiterReady(context, PINS.ana);

  await context.setOffline(true);
  await order(waiter, '8', 'Starters', ['Bruschetta']);
  await order(waiter, '9', 'Starters', ['Garlic bread', 'Burrata']);
  await order(waiter, '10', 'Desserts', ['Tiramisu']);
  await expect(waiter.getByLabel('Waiting to send')).toHaveText('3 orders waiting');
  await expect(waiter.locator('.top-bar .live')).toHaveText('offline');
  for (const table of ['8', '9', '10']) {
    await expect(ticketsFor(kitchen, table)).toHaveCount(0);
  }

  // Still offline: the app starts from the service worker and shows what is pending.
  await waiter.reload();
  await expect(waiter.getByRole('button', { name: 'Table 9 (open)' })).toBeVisible();
  await expect(waiter.getByLabel('Waiting to send')).toHaveText('3 orders waiting');
  await waiter.getByRole('button', { name: 'Table 9 (open)' }).click();
  await expect(waiter.locator('[data-group="kitchen"] .order-line')).toHaveCount(2);
  await waiter.getByRole('link', { name: 'Back' }).click();

  await context.setOffline(false);
  await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0, { timeout: 45_000 });
  for (const table of ['8', '9', '10']) {
    await expect(ticketsFor(kitchen, table)).toHaveCount(1);
  }
  await expect(ticketsFor(kitchen, '9').locator('.ticket-line')).toHaveCount(2);
  await expect(waiter.getByRole('button', { name: 'Table 8 (open)' })).toBeVisible();
});

test('answers lost after the server applied a batch cause no duplicate lines or tickets', async ({ browser }) => {
  const kitchen = await kitchenScreen(await browser.newContext(), 'kitchen');
  const context = await browser.newContext(phone);
  const waiter = await waiterReady(context, PINS.luca);

  // The first three flushes reach the server, which applies them; their answers never arrive.
  let lost = 0;
  await waiter.route('**/api/v1/ops', async (route) => {
    if (lost < 3) {
      lost += 1;
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await order(waiter, '11', 'Mains', ['Lasagna', 'Mushroom risotto']);
  await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0, { timeout: 45_000 });
  expect(lost).toBe(3);

  const tickets = ticketsFor(kitchen, '11');
  await expect(tickets).toHaveCount(1);
  await expect(tickets.locator('.ticket-line')).toHaveCount(2);
  await waiter.getByRole('button', { name: 'Table 11 (open)' }).click();
  await expect(waiter.locator('.order-line')).toHaveCount(2);
});

test('two waiters on one table, one of them offline, both keep their items', async ({ browser }) => {
  const bar = await kitchenScreen(await browser.newContext(), 'bar');
  const anaContext = await browser.newContext(phone);
  const lucaContext = await browser.newContext(phone);
  const ana = await waiterReady(anaContext, PINS.ana);
  const luca = await waiterReady(lucaContext, PINS.luca);

  await lucaContext.setOffline(true);
  await order(ana, '12', 'Wine, beer & cocktails', ['Lager']);
  await order(luca, '12', 'Wine, beer & cocktails', ['Prosecco', 'IPA']); // Luca's phone still thinks 12 is free
  await expect(ticketsFor(bar, '12')).toHaveCount(1);

  await lucaContext.setOffline(false);
  await expect(luca.getByLabel('Waiting to send')).toHaveCount(0, { timeout: 45_000 });
  const tickets = ticketsFor(bar, '12');
  await expect(tickets).toHaveCount(2);
  await expect(tickets.locator('.ticket-line')).toHaveCount(3);

  for (const page of [ana, luca]) {
    await page.getByRole('button', { name: 'Table 12 (open)' }).click();
    const lines = page.locator('[data-group="bar"] .order-line');
    await expect(lines).toHaveCount(3);
    for (const item of ['Lager', 'Prosecco', 'IPA']) {
      await expect(lines.filter({ hasText: item })).toHaveCount(1);
    }
  }
});
