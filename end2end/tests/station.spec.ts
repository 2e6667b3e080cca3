// The kitchen's wall screen during a rush, at the size it hangs on the wall: the age of
// each ticket large and coloured, what is still to make "all day", a tone for each new
// ticket once the sound is on, and a marker for the tickets below the bottom of the
// screen. Orders come in through the API, as many phones would send them.
import { test, expect, APIRequestContext } from '@playwright/test';
import { PINS, stationScreen, uuidv7 } from './helpers';

type Api = { request: APIRequestContext; headers: Record<string, string> };

async function signInApi(request: APIRequestContext, pin: string): Promise<Api> {
  const { token } = await (await request.post('/api/v1/login', { data: { pin } })).json();
  return { request, headers: { authorization: `Bearer ${token}` } };
}

async function ops(api: Api, list: object[]) {
  const ops = list.map((op) => ({ op_id: uuidv7(), ...op }));
  const answer = await api.request.post('/api/v1/ops', { headers: api.headers, data: { ops } });
  const { results } = await answer.json();
  for (const r of results) expect(r.status, JSON.stringify(r)).toBe('applied');
}

/// A takeaway for `customer` with `quantity` of `product`, sent to its station.
async function takeaway(api: Api, customer: string, product: { id: string }, quantity: number): Promise<string> {
  const opened = await api.request.post('/api/v1/takeaways', { headers: api.headers, data: { customer_name: customer } });
  expect(opened.status()).toBe(201);
  const { id } = await opened.json();
  await ops(api, [
    { type: 'add_lines', order_id: id, lines: [{ id: uuidv7(), product_id: product.id, quantity }] },
    { type: 'send_order', order_id: id },
  ]);
  return id;
}

/// Pays and closes the takeaways, and bumps their tickets: the next spec finds the
/// kitchen as it was.
async function clearAway(api: Api, kitchen: Api, orders: { id: string; amount: number }[]) {
  const ids = orders.map((o) => o.id);
  const screen = await (await kitchen.request.get('/api/v1/stations/kitchen/tickets', { headers: kitchen.headers })).json();
  for (const ticket of screen.active.filter((t: { order_id: string }) => ids.includes(t.order_id))) {
    expect((await kitchen.request.post(`/api/v1/tickets/${ticket.id}/bump`, { headers: kitchen.headers })).ok()).toBe(true);
  }
  for (const { id, amount } of orders) {
    await ops(api, [
      { type: 'take_payment', order_id: id, payment: { id: uuidv7(), method: 'card', amount_minor: amount } },
      { type: 'close_order', order_id: id },
    ]);
  }
}

test('a station screen in a rush: ages large and coloured, all-day counts, a tone per new ticket, and more below', async ({ browser, request }) => {
  const ana = await signInApi(request, PINS.ana);
  const kim = await signInApi(request, PINS.kitchen);
  const menu = (await (await request.get('/api/v1/snapshot', { headers: ana.headers })).json()).menu;
  const soup = menu.products.find((p: { name: string }) => p.name === 'Soup of the day');

  const kitchen = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await stationScreen(kitchen, 'kitchen');
  // A wall screen queues no orders: no warning about the phone's storage here.
  await expect(kitchen.locator('.storage-warning')).toHaveCount(0);
  const switchButton = kitchen.getByRole('button', { name: /^Sound (on|off)$/ });
  await expect(switchButton).toHaveAttribute('aria-pressed', 'false');
  await switchButton.click();
  await expect(switchButton).toHaveAttribute('aria-pressed', 'true');
  await expect(switchButton).toHaveText('Sound on');
  const tones = async () => Number(await switchButton.getAttribute('data-new-tones'));
  const before = await tones();

  // What the kitchen has to make all day, before this rush.
  const allDay = kitchen.getByRole('region', { name: 'All day' });
  const soups = async () => {
    if ((await allDay.count()) === 0) return 0;
    const row = allDay.locator('li').filter({ has: kitchen.locator('.all-day-item', { hasText: /^Soup of the day$/ }) });
    return (await row.count()) === 0 ? 0 : Number(await row.locator('.all-day-count').textContent());
  };
  // Earlier specs may have left soups to make: the server says how many, and the screen
  // shows them once it has read its tickets (waiting for it, not reading it half-loaded).
  const soupsToMake = async () => {
    const screen = await (await request.get('/api/v1/stations/kitchen/tickets', { headers: kim.headers })).json();
    type Line = { product_name: string; quantity: number; status: string };
    return screen.active
      .filter((t: { void: boolean }) => !t.void)
      .flatMap((t: { lines: Line[] }) => t.lines)
      .filter((l: Line) => l.product_name === 'Soup of the day' && ['sent', 'preparing'].includes(l.status))
      .reduce((sum: number, l: Line) => sum + l.quantity, 0);
  };
  const soupsBefore = await soupsToMake();
  await expect.poll(soups).toBe(soupsBefore);

  // Three soups for one customer: one tone, and three more soups all day.
  const first = await takeaway(ana, 'Rush A', soup, 3);
  await expect.poll(soups).toBe(soupsBefore + 3);
  expect(await tones()).toBe(before + 1);

  // The screen opened again (it restarted overnight) remembers the sound is on, and the
  // tickets already there are no news: not a tone.
  await kitchen.reload();
  await expect.poll(soups).toBe(soupsBefore + 3);
  await expect(switchButton).toHaveAttribute('aria-pressed', 'true');
  expect(await tones()).toBe(0);
  const ticket = kitchen.locator('.tickets .ticket').filter({ has: kitchen.locator('.ticket-table', { hasText: /^Takeaway Rush A$/ }) });
  await expect(ticket).toHaveClass(/age-fresh/);
  const age = ticket.locator('.ticket-age');
  expect(parseFloat(await age.evaluate((e) => getComputedStyle(e).fontSize))).toBeGreaterThanOrEqual(24);
  // Ready: no longer to make.
  await ticket.getByText('Soup of the day').click();
  await expect.poll(soups).toBe(soupsBefore);

  // The rush: more tickets than the screen holds. The marker says how many are below.
  const orders = [{ id: first, amount: soup.price_minor * 3 }];
  const marker = kitchen.getByRole('button', { name: /^\d+ more below/ });
  for (let i = 0; i < 24 && (await marker.count()) === 0; i++) {
    orders.push({ id: await takeaway(ana, `Rush ${i}`, soup, 1), amount: soup.price_minor });
  }
  await expect(marker).toBeVisible();
  await kitchen.screenshot({ path: 'test-results/station-rush-kitchen.png' });
  // It counts every ticket the cook cannot read whole, cut at the bottom or not seen.
  const cut = () =>
    kitchen
      .locator('.tickets .ticket')
      .evaluateAll((all) => all.filter((t) => t.getBoundingClientRect().bottom > window.innerHeight).length);
  const below = async () => Number((await marker.textContent())!.replace(/ .*/, ''));
  await expect.poll(async () => (await below()) === (await cut())).toBe(true);
  expect(await below()).toBeGreaterThan(0);
  await marker.click();
  await expect.poll(() => kitchen.evaluate(() => window.scrollY)).toBeGreaterThan(0);

  // A phone-sized screen (the bar's tablet on its side, a cook's phone) lays it out too.
  await kitchen.setViewportSize({ width: 390, height: 844 });
  await kitchen.evaluate(() => window.scrollTo(0, 0));
  await kitchen.screenshot({ path: 'test-results/station-rush-phone.png' });

  await clearAway(ana, kim, orders);
  await expect(kitchen.locator('.tickets .ticket').filter({ hasText: /Takeaway Rush/ })).toHaveCount(0);
  // Bumped: now they are recently done.
  await expect(kitchen.getByRole('region', { name: 'Recently done' })).toBeVisible();
});
