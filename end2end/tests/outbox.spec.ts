// The phone's outbox after an upgrade: an entry this version cannot read is kept and shown,
// never dropped without a word.
import { test, expect } from '@playwright/test';
import { PINS, signIn, waitForLive } from './helpers';

test('an outbox entry the app cannot read is kept and shown until the waiter dismisses it', async ({ browser }) => {
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(phone, PINS.ana);
  await expect(phone).toHaveURL(/\/floor$/);
  await waitForLive(phone);

  // As if a newer version had saved it, then the phone went back to this one.
  await phone.evaluate(() => new Promise<void>((resolve, reject) => {
    const open = indexedDB.open('comanda');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('outbox', 'readwrite');
      const id = '01900000-0000-7000-8000-000000000001';
      tx.objectStore('outbox').put(
        JSON.stringify({ v: 99, seq: 1, op: { op_id: id, type: 'fly_to_the_moon' } }),
        id,
      );
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }));
  await phone.reload();
  const kept = phone.getByRole('alert').filter({ hasText: 'could not be read, so it was not sent' });
  await expect(kept).toContainText('saved by a newer version of Comanda');
  await phone.screenshot({ path: 'test-results/outbox-unreadable-phone.png' });
  // Still there after another start: kept, not dropped.
  await phone.reload();
  await expect(kept).toBeVisible();
  await kept.getByRole('button', { name: 'Dismiss' }).click();
  await expect(kept).toHaveCount(0);
  await phone.reload();
  await expect(phone.locator('.room .table').first()).toBeVisible();
  await expect(kept).toHaveCount(0);
});
