// Paying at the table: the waiter takes cash with a tip on the phone, sees the change to
// give, closes the table, and the table is free again. The cash opens the bar's drawer.
import { test, expect } from '@playwright/test';
import { freeTables, PINS, seat, settle, signIn, waitForLive } from './helpers';

type Job = { kind: string; printer_name: string };

test('a table pays cash with a tip, gets its change, and is closed and free', async ({ browser, request }) => {
  // Other tests take cash too: count the bar's drawer pulses before and after.
  const { token } = await (await request.post('/api/v1/login', { data: { pin: PINS.manager } })).json();
  const pulses = async () => {
    const jobs: Job[] = await (await request.get('/api/v1/print-jobs', { headers: { authorization: `Bearer ${token}` } })).json();
    return jobs.filter((j) => j.kind === 'drawer_pulse' && j.printer_name === 'Bar').length;
  };
  const before = await pulses();
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  await seat(waiter, '4');
  await waiter.getByRole('button', { name: 'Starters' }).click();
  await waiter.getByRole('button', { name: /^Bruschetta/ }).click();
  await waiter.getByRole('button', { name: /^Garlic bread/ }).click();
  await waiter.getByRole('button', { name: 'Send 2' }).click();
  await expect(waiter.getByLabel('Total')).toHaveText('€11.00');

  await waiter.getByRole('button', { name: 'Pay' }).click();
  const sheet = waiter.getByRole('dialog', { name: 'Take payment' });
  await expect(sheet).toContainText('Left to pay: €11.00');
  await expect(sheet.getByRole('button', { name: 'Cash' })).toHaveAttribute('aria-pressed', 'true');
  await sheet.getByLabel('Tip').fill('1');
  await sheet.getByLabel('Cash given').fill('20');
  await expect(sheet.getByRole('status')).toHaveText('Change €8.00');
  await sheet.getByRole('button', { name: 'Take €12.00' }).click();

  const payments = waiter.getByRole('region', { name: 'Payments' });
  await expect(payments).toContainText('Cash €11.00, tip €1.00, change €8.00');
  await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);
  await waiter.getByRole('button', { name: 'Close table' }).click();
  await expect(waiter).toHaveURL(/\/floor$/);
  await expect(waiter.getByRole('button', { name: /^Table 4 \(free\)/ })).toBeVisible();

  // The cash opened the drawer of the bar's printer (its job waits: no printer runs here).
  expect(await pulses()).toBe(before + 1);
});

test('paying more than is left is refused before anything is queued', async ({ browser }) => {
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.luca);
  await seat(waiter, '4');
  await waiter.getByRole('button', { name: 'Starters' }).click();
  await waiter.getByRole('button', { name: /^Bruschetta/ }).click();
  await waiter.getByRole('button', { name: 'Send 1' }).click();
  await waiter.getByRole('button', { name: 'Pay' }).click();
  const sheet = waiter.getByRole('dialog', { name: 'Take payment' });
  await sheet.getByRole('button', { name: 'Card' }).click();
  await sheet.getByLabel('Amount').fill('7');
  await sheet.getByRole('button', { name: 'Take payment' }).click();
  await expect(sheet.getByRole('alert')).toHaveText('only €6.50 is left to pay');
  await sheet.getByLabel('Amount').fill('4');
  await sheet.getByRole('button', { name: 'Take €4.00' }).click();
  await expect(waiter.getByRole('region', { name: 'Payments' })).toContainText('Left to pay €2.50');
  await expect(waiter.getByRole('button', { name: 'Close table' })).toHaveCount(0);
  // The rest by card; then the table closes and is free for the next test.
  await waiter.getByRole('button', { name: 'Pay' }).click();
  await sheet.getByRole('button', { name: 'Card' }).click();
  await sheet.getByRole('button', { name: 'Take €2.50' }).click();
  await waiter.getByRole('button', { name: 'Close table' }).click();
  await expect(waiter.getByRole('button', { name: /^Table 4 \(free\)/ })).toBeVisible();
});

test('a tip above the bill asks for a manager\'s PIN, and the payment goes through with it', async ({ browser }) => {
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.luca);
  await seat(waiter, '4');
  await waiter.getByRole('button', { name: 'Starters' }).click();
  await waiter.getByRole('button', { name: /^Bruschetta/ }).click();
  await waiter.getByRole('button', { name: 'Send 1' }).click();
  // A manager's PIN goes straight to the box, once the send has reached it.
  await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);
  await waiter.getByRole('button', { name: 'Pay' }).click();
  const sheet = waiter.getByRole('dialog', { name: 'Take payment' });
  await sheet.getByRole('button', { name: 'Card' }).click();
  await sheet.getByLabel('Tip').fill('6.50');
  await expect(sheet.getByLabel('Manager PIN')).toHaveCount(0);
  // A slip of the finger: 65 instead of 6.50.
  await sheet.getByLabel('Tip').fill('65');
  await expect(sheet).toContainText("A tip above €6.50 needs a manager's PIN.");
  await sheet.getByRole('button', { name: 'Take €71.50' }).click();
  await expect(sheet.getByRole('alert')).toHaveText("Type a manager's PIN to take this tip.");
  await expect(waiter.getByRole('region', { name: 'Payments' })).not.toContainText('tip');
  // The manager agrees it was meant (a party's generous thanks) and types their PIN.
  await sheet.getByLabel('Manager PIN').fill(PINS.manager);
  await expect(sheet.getByRole('alert')).toHaveText('');
  await sheet.getByRole('button', { name: 'Take €71.50' }).click();
  await expect(sheet).toHaveCount(0);
  await expect(waiter.getByRole('region', { name: 'Payments' })).toContainText('Card €6.50, tip €65.00');
  await waiter.getByRole('button', { name: 'Close table' }).click();
  await expect(waiter.getByRole('button', { name: /^Table 4 \(free\)/ })).toBeVisible();
});

test('a table of four splits the bill by seat: two cards and cash, with a tip', async ({ browser }) => {
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  await seat(waiter, '2', 4);
  const seats = waiter.getByRole('navigation', { name: 'Seat' });
  const add = async (seat: string, category: string, item: string) => {
    await seats.getByRole('button', { name: seat, exact: true }).click();
    await waiter.getByRole('button', { name: category }).click();
    await waiter.getByRole('button', { name: new RegExp(`^${item}`) }).click();
  };
  await add('Seat 1', 'Mains', 'Lasagna');          // 13.50
  await add('Seat 2', 'Mains', 'Mushroom risotto'); // 15.50
  await add('Seat 3', 'Mains', 'Grilled salmon');   // 19.50
  await add('Seat 4', 'Starters', 'Burrata');       // 11.50
  await add('Table', 'Soft drinks & coffee', 'Sparkling water'); // 3.00, shared by four
  await expect(waiter.locator('.order-line .seat-badge')).toHaveText(['S1', 'S2', 'S3', 'S4']);
  await waiter.getByRole('button', { name: 'Send 5' }).click();
  await expect(waiter.getByLabel('Total')).toHaveText('€63.00');

  const sheet = waiter.getByRole('dialog', { name: 'Take payment' });
  const paySeat = async (seat: string, method: string, fill: Record<string, string>, take: string) => {
    await waiter.getByRole('button', { name: 'Pay' }).click();
    await sheet.getByRole('group', { name: 'Split' }).getByRole('button', { name: 'By seat' }).click();
    await sheet.getByRole('button', { name: seat }).click();
    await sheet.getByRole('button', { name: method, exact: true }).click();
    for (const [label, value] of Object.entries(fill)) await sheet.getByLabel(label).fill(value);
    await sheet.getByRole('button', { name: take }).click();
    await expect(sheet).toHaveCount(0);
  };
  // Each seat pays its own dish and a quarter of the water.
  await paySeat('Seat 1 · €14.25', 'Card', {}, 'Take €14.25');
  await paySeat('Seat 2 · €16.25', 'Card', { Tip: '2' }, 'Take €18.25');
  await paySeat('Seat 3 · €20.25', 'Cash', { 'Cash given': '50' }, 'Take €20.25');
  await waiter.getByRole('button', { name: 'Pay' }).click();
  await sheet.getByRole('button', { name: 'By seat' }).click();
  await expect(sheet.getByRole('button', { name: 'Seat 1 · paid' })).toBeDisabled();
  await sheet.getByRole('button', { name: 'Seat 4 · €12.25' }).click();
  await sheet.getByLabel('Cash given').fill('20');
  await expect(sheet.getByRole('status')).toHaveText('Change €7.75');
  await sheet.getByRole('button', { name: 'Take €12.25' }).click();

  const payments = waiter.getByRole('region', { name: 'Payments' });
  await expect(payments.locator('li')).toHaveText([
    'Card €14.25', 'Card €16.25, tip €2.00', 'Cash €20.25, change €29.75', 'Cash €12.25, change €7.75',
  ]);
  await waiter.getByRole('button', { name: 'Close table' }).click();
  await expect(waiter.getByRole('button', { name: /^Table 2 \(free\)/ })).toBeVisible();
});

test('a discount comes off the bill, and over the limit a manager approves it', async ({ browser }) => {
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.luca);
  await seat(waiter, '4');
  await waiter.getByRole('button', { name: 'Mains' }).click();
  await waiter.getByRole('button', { name: /^Lasagna/ }).click();
  await waiter.getByRole('button', { name: 'Desserts' }).click();
  await waiter.getByRole('button', { name: /^Tiramisu/ }).click();
  await waiter.getByRole('button', { name: 'Send 2' }).click();
  await expect(waiter.getByLabel('Total')).toHaveText('€20.00');
  // Discounts go straight to the box, once the send has reached it.
  await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);

  const sheet = waiter.getByRole('dialog', { name: 'Discount' });
  await waiter.getByRole('button', { name: 'Discount', exact: true }).click();
  await sheet.getByLabel('Percent').fill('10');
  await sheet.getByLabel('Reason').fill('Regular');
  await expect(sheet.getByRole('status')).toHaveText('Takes off €2.00');
  await sheet.getByRole('button', { name: 'Give discount' }).click();
  await expect(sheet).toHaveCount(0);
  await expect(waiter.getByLabel('Total')).toHaveText('€18.00');

  // €12 off the lasagna is over the €10 limit: refused, then approved with the manager's PIN.
  await waiter.getByRole('button', { name: 'Discount', exact: true }).click();
  await sheet.getByRole('combobox', { name: 'Discount on' }).selectOption({ label: '1x Lasagna' });
  await sheet.getByRole('button', { name: 'Amount' }).click();
  await sheet.getByLabel('Amount').fill('12');
  await sheet.getByLabel('Reason').fill('Cold when served');
  await expect(sheet.getByText("Over the limit: a manager's PIN is needed.")).toBeVisible();
  await sheet.getByRole('button', { name: 'Give discount' }).click();
  await expect(sheet.getByRole('alert')).toHaveText("a discount of €12.00 needs a manager's PIN: with the €2.00 already given on this order it is over the €10.00 limit");
  await sheet.getByLabel('Manager PIN').fill(PINS.manager);
  await sheet.getByRole('button', { name: 'Give discount' }).click();
  await expect(sheet).toHaveCount(0);
  // 13.50 - 12.00 = 1.50, plus 6.50 = 8.00, less 10 % = 7.20.
  await expect(waiter.getByLabel('Total')).toHaveText('€7.20');
  await expect(waiter.getByRole('region', { name: 'Payments' })).toContainText('Discount Cold when served -€12.00');

  // The guests cannot pay: a manager writes the rest off, and the table is free.
  await waiter.getByRole('button', { name: 'Write off' }).click();
  const writeOff = waiter.getByRole('dialog', { name: 'Write off' });
  await expect(writeOff.getByRole('heading')).toHaveText('Write off €7.20 and close');
  await writeOff.getByLabel('Reason').fill('Walked out');
  await writeOff.getByRole('button', { name: 'Write off and close' }).click();
  await expect(writeOff.getByRole('alert')).toContainText("a manager's PIN is needed");
  await writeOff.getByLabel('Manager PIN').fill(PINS.manager);
  await writeOff.getByRole('button', { name: 'Write off and close' }).click();
  await expect(waiter).toHaveURL(/\/floor$/);
  await expect(waiter.getByRole('button', { name: /^Table 4 \(free\)/ })).toBeVisible();
});

test('a tip and the cash handed over take a tap each, and a paid table says so at the top', async ({ browser }) => {
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  const [table] = await freeTables(waiter, 1);
  await seat(waiter, table, 2);
  await waiter.getByRole('button', { name: 'Mains', exact: true }).click();
  await waiter.getByRole('button', { name: /^Lasagna/ }).click(); // 13.50
  await waiter.getByRole('button', { name: 'Wine, beer & cocktails' }).click();
  await waiter.getByRole('button', { name: /^Lager/ }).click(); // 5.50
  await waiter.getByRole('button', { name: 'Send 2' }).click();

  await waiter.getByRole('button', { name: 'Pay', exact: true }).click();
  const sheet = waiter.getByRole('dialog', { name: 'Take payment' });
  await sheet.getByRole('group', { name: 'Add a percentage' }).getByRole('button', { name: '10 %' }).click();
  await expect(sheet.getByLabel('Tip')).toHaveValue('1.90');
  const given = sheet.getByRole('group', { name: 'Quick cash' });
  // €20.90 due: what a guest hands over, in fives, tens and twenties.
  await expect(given.getByRole('button')).toHaveText(['Exact', '€25.00', '€30.00', '€40.00']);
  await given.getByRole('button', { name: '€30.00' }).click();
  await expect(sheet.getByRole('status')).toHaveText('Change €9.10');
  await waiter.screenshot({ path: 'test-results/payment-quick-cash-phone.png' });
  await sheet.getByRole('button', { name: 'Take €20.90' }).click();

  // Paid: said at the top of the screen, under the top bar, wherever the waiter had
  // scrolled to, with the table's close.
  const banner = waiter.getByRole('status').filter({ hasText: 'Paid' });
  await expect(banner).toBeInViewport();
  await waiter.mouse.wheel(0, 600);
  await expect(banner).toBeInViewport();
  expect((await banner.boundingBox())!.y).toBeLessThan(140);
  await waiter.screenshot({ path: 'test-results/payment-paid-phone.png' });
  await banner.getByRole('button', { name: 'Close table' }).click();
  await expect(waiter).toHaveURL(/\/floor$/);
  await expect(waiter.getByRole('button', { name: `Table ${table} (free)` })).toBeVisible();
});

test('by item, a round ordered twice is one row with its price, and paying it takes both', async ({ browser }) => {
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  await waitForLive(waiter);
  const [table] = await freeTables(waiter, 1);
  await seat(waiter, table, 2);
  // A lager, sent; another round of it later: two lines on the bill.
  for (const _ of [1, 2]) {
    await waiter.getByRole('button', { name: 'Wine, beer & cocktails' }).click();
    await waiter.getByRole('button', { name: /^Lager/ }).click();
    await waiter.getByRole('button', { name: 'Send 1' }).click();
    await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);
  }
  await waiter.getByRole('button', { name: 'Starters', exact: true }).click();
  await waiter.getByRole('button', { name: /^Bruschetta/ }).click();
  await waiter.getByRole('button', { name: 'Send 1' }).click();

  await waiter.getByRole('button', { name: 'Pay', exact: true }).click();
  const sheet = waiter.getByRole('dialog', { name: 'Take payment' });
  await sheet.getByRole('group', { name: 'Split' }).getByRole('button', { name: 'By item' }).click();
  const items = sheet.getByRole('list', { name: 'Items' }).locator('.pick-item');
  await expect(items).toHaveCount(2);
  const lager = items.filter({ hasText: 'Lager' });
  await expect(lager.locator('.unit-price')).toHaveText('€5.50');
  await expect(lager.locator('.count')).toHaveText('0 of 2');
  await sheet.getByRole('button', { name: 'One more Lager' }).click();
  await sheet.getByRole('button', { name: 'One more Lager' }).click();
  await expect(lager.locator('.count')).toHaveText('2 of 2');
  await expect(sheet.getByLabel('Amount')).toHaveValue('11.00');
  await waiter.screenshot({ path: 'test-results/payment-by-item-phone.png' });
  await sheet.getByRole('button', { name: 'Take €11.00' }).click();
  await expect(sheet).toHaveCount(0);

  // Paid for, the lagers are off the list; the bruschetta is left.
  await waiter.getByRole('button', { name: 'Pay', exact: true }).click();
  await sheet.getByRole('group', { name: 'Split' }).getByRole('button', { name: 'By item' }).click();
  await expect(items).toHaveCount(1);
  await expect(items).toContainText('Bruschetta');
  await sheet.getByRole('button', { name: 'Cancel' }).click();
  await settle(waiter);
});

test('three guests paying evenly one after another pay the whole bill', async ({ browser }) => {
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  await waitForLive(waiter);
  const [table] = await freeTables(waiter, 1);
  await seat(waiter, table, 3);
  await waiter.getByRole('button', { name: 'Mains', exact: true }).click();
  await waiter.getByRole('button', { name: /^Lasagna/ }).click(); // 13.50
  await waiter.getByRole('button', { name: 'Wine, beer & cocktails' }).click();
  await waiter.getByRole('button', { name: /^Lager/ }).click(); // 5.50
  await waiter.getByRole('button', { name: 'Send 2' }).click();

  const sheet = waiter.getByRole('dialog', { name: 'Take payment' });
  // €19.00 among three: €6.34, then €6.33 and €6.33 of what is left.
  for (const [paid, share] of [[0, '6.34'], [1, '6.33'], [2, '6.33']] as const) {
    await waiter.getByRole('button', { name: 'Pay', exact: true }).click();
    await sheet.getByRole('group', { name: 'Split' }).getByRole('button', { name: 'Evenly' }).click();
    const guests = sheet.getByRole('group', { name: 'Guests' });
    await expect(guests).toContainText(paid === 0 ? '3 guests' : `3 guests · ${paid} paid`);
    await expect(sheet.getByLabel('Amount')).toHaveValue(share);
    await sheet.getByRole('button', { name: 'Card', exact: true }).click();
    await sheet.getByRole('button', { name: `Take €${share}` }).click();
    await expect(sheet).toHaveCount(0);
  }
  await waiter.getByRole('status').filter({ hasText: 'Paid' }).getByRole('button', { name: 'Close table' }).click();
  await expect(waiter.getByRole('button', { name: `Table ${table} (free)` })).toBeVisible();
});
