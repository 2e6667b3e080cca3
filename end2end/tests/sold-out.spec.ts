// 86 during service: the kitchen counts the tiramisu left, waiters take them, and at zero
// it is sold out on every phone at once. A phone that took one offline is told, when it
// is back, that it could not have it and why.
import { test, expect } from '@playwright/test';
import { freeTables, PINS, seat, settle, signIn, waitForLive } from './helpers';

test('a countdown of portions reaches zero live on another phone, and an offline phone is told why its item was refused', async ({ browser, request }) => {
  const { token } = await (await request.post('/api/v1/login', { data: { pin: PINS.manager } })).json();
  const headers = { authorization: `Bearer ${token}` };
  const menu = (await (await request.get('/api/v1/snapshot', { headers })).json()).menu;
  const tiramisu = menu.products.find((p: { name: string }) => p.name === 'Tiramisu');
  const count = (stock_left: number | null) =>
    request.patch(`/api/v1/menu/products/${tiramisu.id}`, { headers, data: { stock_left, available: true } });
  expect((await count(2)).ok()).toBe(true);

  const phone = async (pin: string) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    // A manager taking orders goes to the floor too.
    await signIn(page, pin, '/?next=/floor');
    await waitForLive(page);
    return { context, page };
  };
  const { page: ana } = await phone(PINS.ana);
  const { page: luca } = await phone(PINS.luca);
  const { context: bossContext, page: boss } = await phone(PINS.manager);
  const [anas, lucas, bosses] = await freeTables(ana, 3);
  const desserts = async (page: typeof ana, table: string) => {
    await seat(page, table, 2);
    await page.getByRole('button', { name: 'Desserts', exact: true }).click();
    return page.getByRole('button', { name: /^Tiramisu/ });
  };
  const onAna = await desserts(ana, anas);
  const onLuca = await desserts(luca, lucas);
  const onBoss = await desserts(boss, bosses);
  await expect(onLuca.locator('.stock-left')).toHaveText('2 left');

  // The manager's phone loses its signal and takes a tiramisu for its table.
  await expect(boss.getByLabel('Waiting to send')).toHaveCount(0);
  await bossContext.setOffline(true);
  await onBoss.click();
  await expect(boss.getByLabel('Waiting to send')).toHaveText('1 order waiting');

  // Ana takes the two that are left: Luca sees them go, one by one, to sold out.
  await onAna.click();
  await expect(onLuca.locator('.stock-left')).toHaveText('1 left');
  await onAna.click();
  await expect(onLuca.locator('.product-price')).toHaveText('Sold out');
  await expect(onLuca).toHaveClass(/unavailable/);
  await expect(onAna.locator('.product-price')).toHaveText('Sold out');
  await luca.screenshot({ path: 'test-results/sold-out-phone.png' });
  await ana.getByRole('button', { name: 'Send 2' }).click();
  await expect(ana.getByLabel('Waiting to send')).toHaveCount(0);

  // Back online, the manager's phone is told its tiramisu was not taken, and why.
  await bossContext.setOffline(false);
  await expect(boss.getByRole('alert').filter({ hasText: 'Adding items was not accepted' })).toContainText(
    /Tiramisu is not available right now|only 0 Tiramisu left/,
    { timeout: 45_000 },
  );
  await expect(onBoss.locator('.product-price')).toHaveText('Sold out');

  // Tidy up for the next spec: tables free, the tiramisu back on sale uncounted.
  await settle(ana);
  for (const page of [luca, boss]) {
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await expect(page).toHaveURL(/\/floor$/);
  }
  expect((await count(null)).ok()).toBe(true);
});
