// Live updates refresh what is around a sheet, never the sheet: what staff type into the
// order page's sheets, the counter and the manager's forms stays put while other staff
// cause live updates.
import { test, expect, APIRequestContext } from '@playwright/test';
import { PINS, signIn, uuidv7, waitForLive } from './helpers';

/** Luca's session, for changes made by "another waiter". */
async function luca(request: APIRequestContext) {
  const { token } = await (await request.post('/api/v1/login', { data: { pin: PINS.luca } })).json();
  return { authorization: `Bearer ${token}` };
}

/** Cancels an order nothing was sent or paid for, as a waiter undoing a slip. */
async function cancel(request: APIRequestContext, orderId: string) {
  const ops = await request.post('/api/v1/ops', {
    headers: await luca(request),
    data: { ops: [{ op_id: uuidv7(), type: 'cancel_order', order_id: orderId }] },
  });
  expect((await ops.json()).results[0].status).toBe('applied');
}

/** Another waiter adds `product` to the order: a live update for every screen on it. */
async function otherWaiterAdds(request: APIRequestContext, orderId: string, product: string) {
  const { token } = await (await request.post('/api/v1/login', { data: { pin: PINS.luca } })).json();
  const headers = { authorization: `Bearer ${token}` };
  const snapshot = await (await request.get('/api/v1/snapshot', { headers })).json();
  const id = snapshot.menu.products.find((p: { name: string }) => p.name === product).id;
  const added = await request.post(`/api/v1/orders/${orderId}/lines`, {
    headers,
    data: { lines: [{ product_id: id, quantity: 1 }] },
  });
  expect(added.ok()).toBeTruthy();
}

test('text typed into the order page sheets stays put while another waiter changes the order', async ({ browser, request }) => {
  test.setTimeout(60_000);
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  await waitForLive(waiter);
  await waiter.getByRole('button', { name: '+ Takeaway' }).click();
  const takeaway = waiter.getByRole('dialog', { name: 'New takeaway' });
  await takeaway.getByLabel('Customer name').fill('Typing');
  await takeaway.getByRole('button', { name: 'Open order' }).click();
  await expect(waiter.getByRole('heading', { name: /^Takeaway Typing/ })).toBeVisible();
  const orderId = new URL(waiter.url()).pathname.split('/').pop()!;
  await waiter.getByRole('button', { name: 'Desserts' }).click();
  await waiter.getByRole('button', { name: /^Tiramisu/ }).click();
  await waiter.getByRole('button', { name: 'Send 1' }).click();
  await expect(waiter.getByLabel('Waiting to send')).toHaveCount(0);
  const lines = waiter.locator('.order-line');
  let expected = 1;

  const keepsWhileOthersAdd = async (field: ReturnType<typeof waiter.getByLabel>, text: string, product: string) => {
    await field.fill(text);
    await otherWaiterAdds(request, orderId, product);
    expected += 1;
    await expect(lines).toHaveCount(expected); // the update arrived, behind the sheet
    await expect(field).toHaveValue(text);
  };

  await waiter.getByRole('button', { name: 'Pay', exact: true }).click();
  const pay = waiter.getByRole('dialog', { name: 'Take payment' });
  await keepsWhileOthersAdd(pay.getByLabel('Tip'), '2.50', 'Espresso');
  await pay.getByRole('button', { name: 'Cancel' }).click();

  await waiter.getByRole('button', { name: 'Discount', exact: true }).click();
  const discount = waiter.getByRole('dialog', { name: 'Discount' });
  await keepsWhileOthersAdd(discount.getByLabel('Reason'), 'Birthday', 'Espresso');
  await discount.getByRole('button', { name: 'Cancel' }).click();

  await waiter.getByRole('button', { name: 'Void Tiramisu' }).click();
  const voiding = waiter.getByRole('dialog', { name: 'Void item' });
  await keepsWhileOthersAdd(voiding.getByLabel('Note (optional)'), 'typed twice', 'Espresso');
  await voiding.getByRole('button', { name: 'Cancel' }).click();

  await waiter.getByRole('button', { name: 'Mains' }).click();
  await waiter.getByRole('button', { name: /^Burger/ }).click();
  const options = waiter.getByRole('dialog', { name: 'Burger' });
  await keepsWhileOthersAdd(options.getByLabel('Note'), 'no salt please', 'Espresso');
  await options.getByRole('button', { name: 'Cancel' }).click();
});

test('the counter keeps a customer name being typed while another sale comes in and goes', async ({ browser, request }) => {
  const cashier = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await signIn(cashier, PINS.cashier);
  const name = cashier.getByLabel('Customer name (optional)');
  await name.fill('Walk-in Zoe');
  // Another waiter opens a takeaway: it shows among the open sales, around the form.
  const opened = await request.post('/api/v1/takeaways', {
    headers: await luca(request),
    data: { customer_name: 'Phoned Ugo' },
  });
  expect(opened.ok()).toBeTruthy();
  const sales = cashier.getByRole('region', { name: 'Open sales' });
  await expect(sales).toContainText('Phoned Ugo');
  await expect(name).toHaveValue('Walk-in Zoe');
  // Ugo rings back: he will not come after all. Nothing was made, so it simply goes.
  await sales.getByRole('button', { name: `Cancel sale ${(await opened.json()).number}` }).click();
  await expect(sales).not.toContainText('Phoned Ugo');
  await expect(name).toHaveValue('Walk-in Zoe');
});

test('the back office keeps what is typed and chosen while the floor changes', async ({ browser, request }) => {
  test.setTimeout(60_000);
  // A paid and closed takeaway, for the refund sheet.
  const headers = await luca(request);
  const snapshot = await (await request.get('/api/v1/snapshot', { headers })).json();
  const espresso = snapshot.menu.products.find((p: { name: string }) => p.name === 'Espresso').id;
  const sold = await (await request.post('/api/v1/takeaways', { headers, data: { customer_name: 'Refund me' } })).json();
  const lines = await request.post(`/api/v1/orders/${sold.id}/lines`, {
    headers,
    data: { lines: [{ product_id: espresso, quantity: 1 }] },
  });
  expect(lines.ok()).toBeTruthy();
  const closing = await request.post('/api/v1/ops', {
    headers,
    data: {
      ops: [
        { op_id: uuidv7(), type: 'send_order', order_id: sold.id },
        { op_id: uuidv7(), type: 'take_payment', order_id: sold.id, payment: { id: uuidv7(), method: 'card', amount_minor: 180 } },
        { op_id: uuidv7(), type: 'close_order', order_id: sold.id },
      ],
    },
  });
  expect((await closing.json()).results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'applied']);

  const manager = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(manager, PINS.manager, '/?next=/manager/money');
  await waitForLive(manager);
  // Another waiter opens a free table and lets it go again: the back office reads the
  // venue again each time, in whichever area the manager is typing.
  const busy = new Set(snapshot.orders.map((o: { table_id: string | null }) => o.table_id));
  const free = snapshot.floor.tables.find((t: { id: string }) => !busy.has(t.id));
  const liveUpdate = async () => {
    const reread = manager.waitForResponse((r) => r.url().endsWith('/api/v1/snapshot'));
    const opened = await request.post('/api/v1/orders', { headers, data: { table_id: free.id } });
    expect(opened.ok()).toBeTruthy();
    await reread;
    const again = manager.waitForResponse((r) => r.url().endsWith('/api/v1/snapshot'));
    await cancel(request, (await opened.json()).id);
    await again;
  };

  const rules = manager.getByRole('region', { name: 'Money rules' });
  const voidLimit = rules.getByLabel(/^Voids over this need a manager/);
  await expect(voidLimit).not.toHaveValue('');
  await voidLimit.fill('12.34');
  await rules.getByLabel('Rule name').fill('Typing rule');
  const category = rules.getByLabel('Category');
  await category.selectOption({ label: 'Desserts' });
  await liveUpdate();
  await expect(voidLimit).toHaveValue('12.34');
  await expect(rules.getByLabel('Rule name')).toHaveValue('Typing rule');
  await expect(category.locator('option:checked')).toHaveText('Desserts');

  await manager.getByRole('link', { name: 'Cash day', exact: true }).click();
  const shift = manager.getByRole('region', { name: 'Shift' });
  const float = shift.getByLabel('Float in the drawer');
  const count = float.or(shift.locator('.count-field input').first());
  await count.fill('7');
  const closed = manager.getByRole('region', { name: 'Closed orders' });
  await closed.getByRole('button', { name: `Refund order ${sold.number}` }).click();
  const refund = manager.getByRole('dialog', { name: 'Refund' });
  await refund.getByLabel('Reason').fill('cold soup');
  await liveUpdate();
  await expect(refund.getByLabel('Reason')).toHaveValue('cold soup');
  await expect(count).toHaveValue('7');

  await refund.getByRole('button', { name: 'Cancel' }).click();

  // On the floor the tile changes around a table being added.
  await manager.getByRole('link', { name: 'Floor', exact: true }).click();
  const adding = manager.getByRole('form', { name: 'Add a table' });
  await adding.getByLabel('Table label').fill('T99');
  const tile = manager.getByRole('button', { name: new RegExp(`^Table ${free.label} \\(`) });
  await expect(tile).toHaveAccessibleName(new RegExp(`^Table ${free.label} \\(free`));
  const opened = await request.post('/api/v1/orders', { headers, data: { table_id: free.id } });
  expect(opened.ok()).toBeTruthy();
  await expect(tile).not.toHaveAccessibleName(new RegExp(`^Table ${free.label} \\(free`));
  await cancel(request, (await opened.json()).id);
  await expect(tile).toHaveAccessibleName(new RegExp(`^Table ${free.label} \\(free`));
  await expect(adding.getByLabel('Table label')).toHaveValue('T99');
});
