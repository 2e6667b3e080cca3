// Every button and link a waiter can see on their phone is at least 44×44 px (Apple's and
// Google's minimum for a finger), on the floor, the guest count, the order, its sheets and
// the move sheet.
import { test, expect, Page } from '@playwright/test';
import { PINS, signIn, waitForLive } from './helpers';

/// The visible buttons and links smaller than 44×44, named as a person reads them.
async function tooSmall(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const small: string[] = [];
    for (const el of Array.from(document.querySelectorAll('button, a[href], [role="button"]'))) {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      const hidden = box.width === 0 || box.height === 0 || style.visibility === 'hidden';
      if (hidden) continue;
      // Scrolled out of sight in a chip row still counts: it is tapped once scrolled to.
      if (box.width < 44 || box.height < 44) {
        const name = el.getAttribute('aria-label') || el.textContent?.trim() || el.tagName;
        small.push(`${name} (${Math.round(box.width)}×${Math.round(box.height)})`);
      }
    }
    return small;
  });
}

async function expectFingerSized(page: Page, where: string) {
  expect(await tooSmall(page), where).toEqual([]);
}

test("every button and link on the waiter's screens is big enough for a finger", async ({ browser }) => {
  const waiter = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(waiter, PINS.ana);
  await waitForLive(waiter);
  await expectFingerSized(waiter, 'the floor');

  const free = waiter.getByRole('button', { name: /^Table \d+ \(free\)$/ }).first();
  const label = (await free.getAttribute('aria-label'))!.replace(' (free)', '');
  await free.click();
  await expect(waiter.getByRole('dialog', { name: label })).toBeVisible();
  await expectFingerSized(waiter, 'the guest count');
  await waiter.getByRole('dialog', { name: label }).getByRole('button', { name: '2', exact: true }).click();
  await expect(waiter).toHaveURL(/\/order\//);

  await waiter.getByRole('button', { name: 'Mains', exact: true }).click();
  await waiter.getByRole('button', { name: /^Burger/ }).click();
  await expectFingerSized(waiter, 'the options sheet');
  const sheet = waiter.getByRole('dialog', { name: 'Burger' });
  await sheet.getByRole('button', { name: 'Medium', exact: true }).click();
  await sheet.getByRole('button', { name: /^Add/ }).click();
  await waiter.getByRole('button', { name: /^Lasagna/ }).click();
  await expectFingerSized(waiter, 'the order with lines to send');

  await waiter.getByRole('button', { name: 'Change Burger' }).click();
  await expectFingerSized(waiter, 'a line opened to change');
  await waiter.getByRole('dialog', { name: 'Burger' }).getByRole('button', { name: 'Cancel' }).click();

  await waiter.getByRole('button', { name: /^Send/ }).click();
  await expectFingerSized(waiter, 'the order once sent');
  await waiter.getByRole('button', { name: 'Pay', exact: true }).click();
  await expectFingerSized(waiter, 'the payment sheet');
  await waiter.getByRole('dialog', { name: 'Take payment' }).getByRole('button', { name: 'Cancel' }).click();
  await waiter.getByRole('button', { name: 'Move table' }).click();
  await expectFingerSized(waiter, 'the move sheet');
  await waiter.getByRole('dialog', { name: 'Move table' }).getByRole('button', { name: 'Cancel' }).click();
  await waiter.getByRole('button', { name: 'Merge tables' }).click();
  await expectFingerSized(waiter, 'the merge sheet');
  await waiter.getByRole('dialog', { name: /^Which table joins/ }).getByRole('button', { name: 'Cancel' }).click();
  await waiter.getByRole('button', { name: 'Hand over' }).click();
  await expectFingerSized(waiter, 'the hand-over sheet');
  await waiter.getByRole('dialog', { name: /^Hand table/ }).getByRole('button', { name: 'Cancel' }).click();

  // Paid and closed, so the table is free for whoever comes next.
  await waiter.getByRole('button', { name: 'Pay', exact: true }).click();
  await waiter.getByRole('dialog', { name: 'Take payment' }).getByRole('button', { name: /^Take €/ }).click();
  await waiter.getByRole('button', { name: 'Close table' }).click();
  await expect(waiter).toHaveURL(/\/floor$/);
});
