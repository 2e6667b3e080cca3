// Live updates refresh what is around a sheet, never the sheet: what a waiter types into
// the order page's sheets stays put while another waiter changes the same order.
import { test, expect, APIRequestContext } from '@playwright/test';
import { PINS, signIn, waitForLive } from './helpers';

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
