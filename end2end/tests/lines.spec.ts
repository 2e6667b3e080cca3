// A rush on the waiter's phone: the same item tapped again counts up on one line, a line
// not sent yet changes with − and + or opens to change its options, seat and note, and the
// bar and kitchen get it as it was left. Lines with seats keep their layout at phone size.
import { test, expect, Page, Locator } from '@playwright/test';
import { freeTables, PINS, seat, settle, signIn, stationScreen, ticketsFor, waitForLive } from './helpers';

/// Every part of a line lies inside the line's row, the seat badge stays a small badge, the
/// price is shown whole and the buttons share the row with the item.
async function expectLaidOut(line: Locator) {
  const row = (await line.boundingBox())!;
  const inside = async (part: Locator) => {
    const box = (await part.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(row.x - 0.5);
    expect(box.x + box.width).toBeLessThanOrEqual(row.x + row.width + 0.5);
    expect(box.y).toBeGreaterThanOrEqual(row.y - 0.5);
    expect(box.y + box.height).toBeLessThanOrEqual(row.y + row.height + 0.5);
    return box;
  };
  const amount = line.locator('.amount');
  await inside(amount);
  await expect(amount).toHaveText(/^€\d+\.\d\d$/);
  expect(await amount.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  const badge = line.locator('.seat-badge');
  if (await badge.count()) {
    const box = await inside(badge);
    expect(box.width).toBeLessThan(40);
    expect(box.height).toBeLessThan(24);
  }
  const name = (await inside(line.locator('.item-name')))!;
  for (const button of await line.getByRole('button').all()) {
    const box = await inside(button);
    // On the item's row, not dropped onto a row of its own.
    expect(box.y).toBeLessThan(name.y + name.height);
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.width).toBeGreaterThanOrEqual(44);
  }
}

test('the same item counts up on one line, and a line not sent yet is changed before it goes', async ({ browser }) => {
  const bar = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await stationScreen(bar, 'bar');
  const kitchen = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await stationScreen(kitchen, 'kitchen');

  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  await waitForLive(waiter);
  const [table] = await freeTables(waiter, 1);
  await seat(waiter, table);
  // Earlier orders at this table may still be on the screens: this one is told by its number.
  const title = waiter.getByRole('heading', { name: new RegExp(`^Table ${table} · #\\d+$`) });
  const number = (await title.textContent())!.replace(/^.*#/, '');
  const ours = (page: Page) =>
    ticketsFor(page, table).filter({ has: page.locator('.ticket-number', { hasText: new RegExp(`^#${number}$`) }) });
  const lines = waiter.locator('[data-group="new"] .order-line');

  // Three lagers: one line of three.
  await waiter.getByRole('button', { name: 'Wine, beer & cocktails' }).click();
  for (let i = 0; i < 3; i++) await waiter.getByRole('button', { name: /^Lager/ }).click();
  await expect(lines).toHaveCount(1);
  const lager = lines.filter({ hasText: 'Lager' });
  await expect(lager.getByLabel('Quantity')).toHaveText('3');
  await expect(lager.locator('.amount')).toHaveText('€16.50');
  // One too many, then one more after all.
  await waiter.getByRole('button', { name: 'One less Lager' }).click();
  await expect(lager.getByLabel('Quantity')).toHaveText('2');
  await waiter.getByRole('button', { name: 'One more Lager' }).click();
  await expect(lager.getByLabel('Quantity')).toHaveText('3');

  // A burger, medium, no onions: the leave-out reads as one.
  await waiter.getByRole('button', { name: 'Mains' }).click();
  await waiter.getByRole('button', { name: /^Burger/ }).click();
  const sheet = waiter.getByRole('dialog', { name: 'Burger' });
  await sheet.getByRole('button', { name: 'Medium', exact: true }).click();
  await sheet.getByRole('button', { name: 'no Onions' }).click();
  await sheet.getByRole('button', { name: /^Add/ }).click();
  const burger = lines.filter({ hasText: 'Burger' });
  await expect(burger.locator('.line-options')).toHaveText('Medium, no Onions');

  // Tapped, it opens as it is; moved to seat 2, well done, with cheese and a note.
  await waiter.getByRole('button', { name: 'Change Burger' }).click();
  const change = waiter.getByRole('dialog', { name: 'Burger' });
  await expect(change.getByRole('button', { name: 'Medium', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(change.getByRole('button', { name: 'no Onions' })).toHaveAttribute('aria-pressed', 'true');
  await change.getByRole('button', { name: 'Well done' }).click();
  await change.getByRole('button', { name: /^Cheese/ }).click();
  await change.getByRole('button', { name: 'Seat 2' }).click();
  await change.getByLabel('Note').fill('nut allergy');
  await change.getByRole('button', { name: 'Save €15.50' }).click();
  await expect(change).toHaveCount(0);
  await expect(burger.locator('.seat-badge')).toHaveText('S2');
  await expect(burger.locator('.line-options')).toHaveText('Well done, Cheese, no Onions');
  await expect(burger.locator('.line-note')).toHaveText('nut allergy');
  await expect(burger.locator('.amount')).toHaveText('€15.50');

  // A water on seat 1, so a long name and a seat badge share a narrow row.
  await waiter.getByRole('navigation', { name: 'Seat' }).getByRole('button', { name: 'Seat 1' }).click();
  await waiter.getByRole('button', { name: 'Soft drinks & coffee' }).click();
  await waiter.getByRole('button', { name: /^Sparkling water/ }).click();
  await expect(lines).toHaveCount(3);
  for (const line of await lines.all()) await expectLaidOut(line);
  await waiter.screenshot({ path: 'test-results/lines-to-send-phone.png', fullPage: true });

  // Sent as left: the bar makes three lagers from one line, the kitchen a burger as changed.
  await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);
  await waiter.getByRole('button', { name: 'Send 5' }).click();
  const barTicket = ours(bar);
  await expect(barTicket.locator('.ticket-line').filter({ hasText: 'Lager' }).locator('.qty')).toHaveText('3×');
  const kitchenTicket = ours(kitchen);
  await expect(kitchenTicket).toContainText('Well done');
  await expect(kitchenTicket).toContainText('NO Onions');
  await expect(kitchenTicket.locator('.ticket-note')).toHaveText('nut allergy');

  // Sent lines show their status, keep their layout, and no longer change.
  const sent = waiter.locator('.order-line[data-status="sent"]');
  await expect(sent).toHaveCount(3);
  for (const line of await sent.all()) await expectLaidOut(line);
  await expect(waiter.getByRole('button', { name: 'Change Burger' })).toHaveCount(0);
  await waiter.screenshot({ path: 'test-results/lines-sent-phone.png', fullPage: true });

  // Paid and closed, so the table is free for whoever comes next.
  await settle(waiter);
});
