// The floor during service: a table opened for three shows its total, how long it has
// been seated, its guests and its waiter; it turns "part ready" while the bar still makes
// a drink and "ready" once everything made is ready; and its bill splits evenly among
// the three by default.
import { test, expect, Page } from '@playwright/test';
import { freeTables, PINS, seat, settle, signIn, stationScreen, ticketsFor, waitForLive } from './helpers';

test('a table tile shows its whole order: total, time seated, guests, waiter, and how ready it is', async ({ browser }) => {
  const kitchen = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await stationScreen(kitchen, 'kitchen');
  const bar = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await stationScreen(bar, 'bar');

  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  await waitForLive(waiter);
  const [table] = await freeTables(waiter, 1);
  await seat(waiter, table, 3);
  const title = waiter.getByRole('heading', { name: new RegExp(`^Table ${table} · #\\d+$`) });
  const number = (await title.textContent())!.replace(/^.*#/, '');
  const ours = (page: Page) =>
    ticketsFor(page, table).filter({ has: page.locator('.ticket-number', { hasText: new RegExp(`^#${number}$`) }) });
  await waiter.getByRole('button', { name: 'Starters', exact: true }).click();
  await waiter.getByRole('button', { name: /^Bruschetta/ }).click();
  await waiter.getByRole('button', { name: 'Wine, beer & cocktails' }).click();
  await waiter.getByRole('button', { name: /^Lager/ }).click();
  await waiter.getByRole('button', { name: 'Send 2' }).click();
  await waiter.getByRole('link', { name: 'Back' }).click();

  const tile = waiter.getByRole('button', { name: new RegExp(`^Table ${table} \\(`) });
  await expect(tile).toHaveAttribute('data-state', 'open');
  await expect(tile.locator('.table-total')).toHaveText('€12.00');
  await expect(tile.locator('.table-seated')).toHaveText(/^\d+ min$/);
  await expect(tile.locator('.table-guests')).toHaveText('3 guests');
  await expect(tile.locator('.table-waiter')).toHaveText('Ana');
  await waiter.screenshot({ path: 'test-results/floor-tiles-phone.png', fullPage: true });

  // The bruschetta is ready, the lager is not: the table is only partly ready.
  await ours(kitchen).getByText('Bruschetta').click();
  await expect(waiter.getByRole('button', { name: `Table ${table} (part ready)` })).toBeVisible();
  await expect(tile).toHaveAttribute('data-state', 'partly');
  await ours(bar).getByText('Lager').click();
  await expect(waiter.getByRole('button', { name: `Table ${table} (ready)` })).toBeVisible();

  // The manager's live floor shows the same tile.
  const manager = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(manager, PINS.manager, '/?next=/manager');
  const managerTile = manager.getByRole('button', { name: `Table ${table} (ready)` });
  await expect(managerTile.locator('.table-guests')).toHaveText('3 guests');
  await manager.screenshot({ path: 'test-results/floor-tiles-manager.png' });
  // A tap on it opens the table's order, as on a waiter's floor.
  await managerTile.click();
  await expect(manager.getByRole('heading', { name: `Table ${table} · #${number}` })).toBeVisible();

  // Split evenly, the bill is for the three who sat down.
  await tile.click();
  await waiter.getByRole('button', { name: 'Pay', exact: true }).click();
  const sheet = waiter.getByRole('dialog', { name: 'Take payment' });
  await sheet.getByRole('group', { name: 'Split' }).getByRole('button', { name: 'Evenly' }).click();
  await expect(sheet.getByRole('group', { name: 'Guests' })).toContainText('3 guests');
  await expect(sheet.getByLabel('Amount')).toHaveValue('4.00');
  await sheet.getByRole('button', { name: 'Cancel' }).click();
  await settle(waiter);
});

test('a waiter moves a table to another while offline, and the other phone and the kitchen follow once she is back', async ({ browser }) => {
  const kitchen = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await stationScreen(kitchen, 'kitchen');
  const lucaContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const luca = await lucaContext.newPage();
  await signIn(luca, PINS.luca);
  await waitForLive(luca);
  const anaContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const ana = await anaContext.newPage();
  await signIn(ana, PINS.ana);
  await waitForLive(ana);

  const [from, to] = await freeTables(ana, 2);
  await seat(ana, from, 2);
  const title = ana.getByRole('heading', { name: new RegExp(`^Table ${from} · #\\d+$`) });
  const number = (await title.textContent())!.replace(/^.*#/, '');
  await ana.getByRole('button', { name: 'Mains', exact: true }).click();
  await ana.getByRole('button', { name: /^Lasagna/ }).click();
  await ana.getByRole('button', { name: 'Send 1' }).click();
  await expect(ana.getByLabel('Waiting to send')).toHaveCount(0);
  await expect(luca.getByRole('button', { name: `Table ${from} (open)` })).toBeVisible();

  // The party moves to the terrace while Ana's phone has no signal.
  await anaContext.setOffline(true);
  await ana.getByRole('button', { name: 'Move table' }).click();
  const sheet = ana.getByRole('dialog', { name: 'Move table' });
  await expect(sheet.getByRole('button', { name: `Move to table ${from}`, exact: true })).toHaveCount(0);
  await ana.screenshot({ path: 'test-results/floor-move-sheet-phone.png' });
  await sheet.getByRole('button', { name: `Move to table ${to}`, exact: true }).click();
  await expect(ana.getByRole('heading', { name: `Table ${to} · #${number}` })).toBeVisible();
  await expect(ana.getByLabel('Waiting to send')).toHaveText('1 order waiting');

  // Back online: Luca's floor and the kitchen's ticket follow the move.
  await anaContext.setOffline(false);
  await expect(ana.getByLabel('Waiting to send')).toHaveCount(0, { timeout: 45_000 });
  await expect(luca.getByRole('button', { name: `Table ${to} (open)` })).toBeVisible();
  await expect(luca.getByRole('button', { name: `Table ${from} (free)` })).toBeVisible();
  const ticket = kitchen.locator('.tickets .ticket').filter({
    has: kitchen.locator('.ticket-number', { hasText: new RegExp(`^#${number}$`) }),
  });
  await expect(ticket.locator('.ticket-table')).toHaveText(`Table ${to}`);
  await settle(ana);
});

test('two tables are merged while the other waiter is offline, and what she sends then goes to the merged table', async ({ browser }) => {
  const kitchen = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await stationScreen(kitchen, 'kitchen');
  const bar = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await stationScreen(bar, 'bar');
  const lucaContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const luca = await lucaContext.newPage();
  await signIn(luca, PINS.luca);
  await waitForLive(luca);
  const ana = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(ana, PINS.ana);
  await waitForLive(ana);

  const [here, there] = await freeTables(ana, 2);
  // Ana's table: two guests, a lasagna. Luca's: two guests, a bruschetta.
  await seat(ana, here, 2);
  const heading = ana.getByRole('heading', { name: new RegExp(`^Table ${here} · #\\d+$`) });
  const number = (await heading.textContent())!.replace(/^.*#/, '');
  await ana.getByRole('button', { name: 'Mains', exact: true }).click();
  await ana.getByRole('button', { name: /^Lasagna/ }).click();
  await ana.getByRole('button', { name: 'Send 1' }).click();
  await expect(ana.getByLabel('Waiting to send')).toHaveCount(0);
  await seat(luca, there, 2);
  const theirs = (await luca.getByRole('heading', { name: new RegExp(`^Table ${there} · #\\d+$`) }).textContent())!.replace(/^.*#/, '');
  // Specs share the box: tickets are told apart by their order's number.
  const numbered = (page: Page, n: string) =>
    page.locator('.tickets .ticket').filter({ has: page.locator('.ticket-number', { hasText: new RegExp(`^#${n}$`) }) });
  await luca.getByRole('button', { name: 'Starters', exact: true }).click();
  await luca.getByRole('button', { name: /^Bruschetta/ }).click();
  await luca.getByRole('button', { name: 'Send 1' }).click();
  await expect(luca.getByLabel('Waiting to send')).toHaveCount(0);
  await expect(numbered(kitchen, theirs).locator('.ticket-table')).toHaveText(`Table ${there}`);

  // Luca's phone loses its signal; he takes a lager for his table and sends it.
  await lucaContext.setOffline(true);
  await luca.getByRole('button', { name: 'Wine, beer & cocktails' }).click();
  await luca.getByRole('button', { name: /^Lager/ }).click();
  await luca.getByRole('button', { name: 'Send 1' }).click();
  await expect(luca.getByLabel('Waiting to send')).toHaveText('1 order waiting');

  // Meanwhile the two parties sit together: Ana brings Luca's table into hers.
  await ana.getByRole('button', { name: 'Merge tables' }).click();
  const sheet = ana.getByRole('dialog', { name: `Which table joins table ${here}?` });
  await expect(sheet.getByRole('button', { name: `Merge table ${here}`, exact: true })).toHaveCount(0);
  const choice = sheet.getByRole('button', { name: `Merge table ${there}`, exact: true });
  await expect(choice).toContainText('€');
  await ana.screenshot({ path: 'test-results/floor-merge-sheet-phone.png' });
  await choice.click();
  const lines = ana.locator('.order-lines');
  await expect(lines).toContainText('Bruschetta');
  await expect(lines).toContainText('Lasagna');
  await expect(ana.getByLabel('Waiting to send')).toHaveCount(0);
  // The bruschetta's ticket goes to Ana's table now.
  await expect(numbered(kitchen, theirs)).toHaveCount(0);
  const bruschetta = numbered(kitchen, number).filter({ hasText: 'Bruschetta' });
  await expect(bruschetta.locator('.ticket-table')).toHaveText(`Table ${here}`);
  await ana.getByRole('link', { name: 'Back' }).click();
  await expect(ana.getByRole('button', { name: `Table ${there} (free)` })).toBeVisible();
  await expect(ana.getByRole('button', { name: new RegExp(`^Table ${here} \\(`) }).locator('.table-guests')).toHaveText('4 guests');
  await ana.screenshot({ path: 'test-results/floor-merged-phone.png', fullPage: true });

  // Luca is back: his lager lands on the merged table, at the bar and on Ana's phone, and
  // his screen follows his table's order to where it went.
  await lucaContext.setOffline(false);
  await expect(luca.getByLabel('Waiting to send')).toHaveCount(0, { timeout: 45_000 });
  await expect(luca.getByRole('heading', { name: `Table ${here} · #${number}` })).toBeVisible();
  await expect(numbered(bar, number).filter({ hasText: 'Lager' }).locator('.ticket-table')).toHaveText(`Table ${here}`);
  await ana.getByRole('button', { name: new RegExp(`^Table ${here} \\(`) }).click();
  await expect(ana.locator('.order-lines')).toContainText('Lager');
  await expect(luca.getByRole('alert')).toHaveCount(0);
  await settle(ana);
});

test('a waiter hands her table to another while offline, and his floor shows it as his once she is back', async ({ browser }) => {
  const lucaPage = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(lucaPage, PINS.luca);
  await waitForLive(lucaPage);
  const anaContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const ana = await anaContext.newPage();
  await signIn(ana, PINS.ana);
  await waitForLive(ana);
  const [table] = await freeTables(ana, 1);
  await seat(ana, table, 2);
  await expect(ana.getByLabel('Waiting to send')).toHaveCount(0);
  const tileOn = (page: Page) => page.getByRole('button', { name: new RegExp(`^Table ${table} \\(`) });
  await expect(tileOn(lucaPage).locator('.table-waiter')).toHaveText('Ana');

  // Ana's shift ends on the terrace, where her phone has no signal.
  await anaContext.setOffline(true);
  await ana.getByRole('button', { name: 'Hand over' }).click();
  const sheet = ana.getByRole('dialog', { name: `Hand table ${table} to…` });
  await expect(sheet.getByRole('button', { name: 'Hand to Ana' })).toHaveCount(0);
  await expect(sheet.getByRole('button', { name: 'Hand to Kim' })).toHaveCount(0);
  await ana.screenshot({ path: 'test-results/floor-hand-over-sheet-phone.png' });
  await sheet.getByRole('button', { name: 'Hand to Luca' }).click();
  // Not her table any more: she is back on the floor, where its tile says whose it is.
  await expect(ana).toHaveURL(/\/floor$/);
  await expect(tileOn(ana).locator('.table-waiter')).toHaveText('Luca');

  await anaContext.setOffline(false);
  await expect(ana.getByLabel('Waiting to send')).toHaveCount(0, { timeout: 45_000 });
  await expect(tileOn(lucaPage).locator('.table-waiter')).toHaveText('Luca');
  // Nothing was ordered after all: Luca, whose table it is now, frees it.
  await tileOn(lucaPage).click();
  await lucaPage.getByRole('button', { name: 'Cancel order' }).click();
  await expect(tileOn(lucaPage)).toHaveAttribute('data-state', 'free');
});
