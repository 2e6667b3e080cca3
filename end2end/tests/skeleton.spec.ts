// The walking skeleton, end to end: a waiter's phone sends an order, each station's
// screen shows only its items, the kitchen bumps, and the waiter sees "ready".
import { test, expect } from '@playwright/test';
import { PINS, seat, signIn, ticketsFor, waitForLive } from './helpers';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

test('an order flows from the waiter to the kitchen and bar and back', async ({ browser }) => {
  const kitchen = await (await browser.newContext()).newPage();
  await signIn(kitchen, PINS.kitchen, '/?next=/kitchen/kitchen');
  await expect(kitchen).toHaveURL(/\/kitchen\/kitchen$/);
  await expect(ticketsFor(kitchen, '3')).toHaveCount(0);
  await waitForLive(kitchen);

  const bar = await (await browser.newContext()).newPage();
  await signIn(bar, PINS.kitchen, '/?next=/kitchen/bar');
  await expect(bar).toHaveURL(/\/kitchen\/bar$/);
  await waitForLive(bar);

  const waiter = await (await browser.newContext(phone)).newPage();
  await signIn(waiter, PINS.ana);
  await expect(waiter).toHaveURL(/\/floor$/);
  await seat(waiter, '3', 2);
  await expect(waiter).toHaveURL(/\/order\//);
  await expect(waiter.locator('.top-bar h1')).toHaveText(/Table 3 · #\d+/);

  // A burger with a doneness, an extra, a removed ingredient and a note.
  await waiter.getByRole('button', { name: 'Mains' }).click();
  await waiter.getByRole('button', { name: /^Burger/ }).click();
  const sheet = waiter.getByRole('dialog', { name: 'Burger' });
  await expect(sheet.getByRole('button', { name: /^Add/ })).toBeDisabled(); // doneness not chosen yet
  await sheet.getByRole('button', { name: 'Medium', exact: true }).click();
  await sheet.getByRole('button', { name: 'Cheese +€1.00' }).click();
  await sheet.getByRole('button', { name: 'no Onions' }).click();
  await sheet.getByLabel('Note').fill('sesame allergy');
  await expect(sheet.getByRole('button', { name: 'Add €15.50' })).toBeEnabled();
  await sheet.getByRole('button', { name: 'Add €15.50' }).click();
  await expect(sheet).toBeHidden();

  // A second kitchen item and a bar item, without options.
  await waiter.getByRole('button', { name: 'Starters' }).click();
  await waiter.getByRole('button', { name: /^Bruschetta/ }).click();
  await waiter.getByRole('button', { name: 'Wine, beer & cocktails' }).click();
  await waiter.getByRole('button', { name: /^Lager/ }).click();

  const toSend = waiter.locator('[data-group="new"] .order-line');
  await expect(toSend).toHaveCount(3);
  await expect(waiter.getByLabel('Total')).toHaveText('€27.50');
  await waiter.getByRole('button', { name: 'Send 3' }).click();

  // Each station sees its own items, live, without a reload. (How fast is measured by
  // `make bench`, send -> kitchen stream, not by a timed assertion here.)
  const kitchenTicket = ticketsFor(kitchen, '3');
  await expect(kitchenTicket).toHaveCount(1);
  await expect(kitchenTicket).toContainText('Table 3');
  await expect(kitchenTicket).toContainText('Ana');
  await expect(kitchenTicket.locator('.ticket-line')).toHaveCount(2);
  await expect(kitchenTicket).toContainText('Burger');
  await expect(kitchenTicket).toContainText('Medium');
  await expect(kitchenTicket).toContainText('+ Cheese');
  await expect(kitchenTicket).toContainText('NO Onions');
  await expect(kitchenTicket.locator('.ticket-note')).toHaveText('sesame allergy');
  await expect(kitchenTicket).toContainText('Bruschetta');
  await expect(kitchenTicket).not.toContainText('Lager');

  const barTicket = ticketsFor(bar, '3');
  await expect(barTicket).toHaveCount(1);
  await expect(barTicket.locator('.ticket-line')).toHaveCount(1);
  await expect(barTicket).toContainText('Lager');
  await expect(barTicket).not.toContainText('Burger');

  // The waiter's phone lists the sent items by station.
  await expect(waiter.locator('[data-group="kitchen"] .order-line')).toHaveCount(2);
  await expect(waiter.locator('[data-group="bar"] .order-line')).toHaveCount(1);
  await expect(waiter.getByRole('button', { name: 'Nothing to send' })).toBeDisabled();

  // Back on the floor, the table is open; when the kitchen bumps, it turns ready.
  await waiter.getByRole('link', { name: 'Back' }).click();
  await expect(waiter.getByRole('button', { name: 'Table 3 (open)' })).toBeVisible();
  await waitForLive(waiter);
  await kitchenTicket.getByRole('button', { name: 'Bump' }).click();
  await expect(kitchenTicket).toHaveCount(0);
  await expect(ticketsFor(kitchen, '3', '.done')).toContainText('Burger');
  // The kitchen's two are ready, the bar's lager is not: partly ready, not ready.
  await expect(waiter.getByRole('button', { name: 'Table 3 (part ready)' })).toBeVisible();

  // The order shows the kitchen items as ready; the bar's lager is still on its way.
  await waiter.getByRole('button', { name: 'Table 3 (part ready)' }).click();
  await expect(waiter.locator('[data-group="kitchen"] .status-ready')).toHaveCount(2);
  await expect(waiter.locator('[data-group="bar"] .status-sent')).toHaveCount(1);

  // The bar marks the lager ready by tapping it; a second tap takes a slip back.
  await barTicket.getByText('Lager').click();
  await expect(waiter.locator('[data-group="bar"] .status-ready')).toHaveCount(1);
  await barTicket.getByText('Lager').click();
  await expect(waiter.locator('[data-group="bar"] .status-sent')).toHaveCount(1);
  await barTicket.getByText('Lager').click();
  await expect(waiter.locator('[data-group="bar"] .status-ready')).toHaveCount(1);
  // A recalled kitchen ticket comes back with its items in the making, until bumped again.
  await ticketsFor(kitchen, '3', '.done').getByRole('button', { name: 'Recall' }).click();
  await expect(kitchenTicket).toHaveCount(1);
  await expect(waiter.locator('[data-group="kitchen"] .status-sent')).toHaveCount(2);
  await kitchenTicket.getByRole('button', { name: 'Bump' }).click();
  await expect(waiter.locator('[data-group="kitchen"] .status-ready')).toHaveCount(2);

  // The waiter takes everything out; the table is no longer waiting at the pass.
  await waiter.getByRole('button', { name: 'Served 3' }).click();
  await expect(waiter.locator('.status-served')).toHaveCount(3);
  // The bar's screen shows its lager served, live.
  await expect(barTicket.locator('.ticket-line')).toHaveAttribute('data-status', 'served');
  await waiter.getByRole('link', { name: 'Back' }).click();
  await expect(waiter.getByRole('button', { name: 'Table 3 (open)' })).toBeVisible();
});

test('a wrong PIN says so and signs nobody in', async ({ page }) => {
  await signIn(page, '4321');
  await expect(page.getByRole('alert')).toHaveText('Wrong PIN. Try again.');
  await expect(page).toHaveURL(/\/$/);
});

test('a waiter cannot open the manager page', async ({ page, request }) => {
  await signIn(page, PINS.luca);
  await expect(page).toHaveURL(/\/floor$/);
  await page.goto('/manager');
  await expect(page.getByText('This page is for managers only.')).toBeVisible();
  await expect(page.locator('.staff')).toHaveCount(0);

  // The server refuses too, whatever the page shows.
  const login = await request.post('/api/v1/login', { data: { pin: PINS.luca } });
  const { token } = await login.json();
  const staff = await request.get('/api/v1/staff', { headers: { authorization: `Bearer ${token}` } });
  expect(staff.status()).toBe(403);
  expect((await staff.json()).error).toBe('forbidden');
});

test('the manager sees the live floor and, in the back office, the staff', async ({ page }) => {
  await signIn(page, PINS.manager);
  await expect(page).toHaveURL(/\/manager$/);
  await expect(page.getByRole('heading', { name: 'Live floor' })).toBeVisible();
  await expect(page.locator('.room')).toHaveCount(2);
  await expect(page.locator('.room .table')).toHaveCount(12);
  await page.getByRole('link', { name: 'Staff' }).click();
  await expect(page).toHaveURL(/\/manager\/staff$/);
  await expect(page.locator('.staff-member')).toHaveCount(5);
  await expect(page.locator('.staff-member').filter({ hasText: 'Cleo' })).toContainText('cashier');
  // The back office keeps its place on a reload.
  await page.reload();
  await expect(page.getByRole('link', { name: 'Staff' })).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('.staff-member')).toHaveCount(5);
});

test('an unreachable server is explained, not hidden', async ({ page }) => {
  await page.route('**/api/v1/login', (route) => route.abort('internetdisconnected'));
  await signIn(page, PINS.ana);
  await expect(page.getByRole('alert')).toHaveText(/Cannot reach the Comanda server/);
});
