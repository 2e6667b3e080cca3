// What several specs do: sign in on the keypad, as a person would.
import { expect, Page } from '@playwright/test';

export const PINS = { manager: '9000', ana: '1111', luca: '2222', kitchen: '3333', cashier: '4444' };

export async function signIn(page: Page, pin: string, path = '/') {
  await page.goto(path);
  for (const digit of pin) {
    await page.getByRole('button', { name: digit, exact: true }).click();
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function waitForLive(page: Page) {
  await expect(page.locator('.top-bar .live')).toHaveText('live');
}

/// The tickets for one table on a station screen (`.tickets` open, `.done` recently done).
/// Specs share one server, so they never count another table's tickets.
export function ticketsFor(page: Page, table: string, list = '.tickets') {
  return page
    .locator(`${list} .ticket`)
    .filter({ has: page.locator('.ticket-table', { hasText: new RegExp(`^Table ${table}$`) }) });
}

/// A UUID v7 (time-ordered), as phones make ids.
export function uuidv7(): string {
  const time = Date.now().toString(16).padStart(12, '0');
  const random = crypto.randomUUID().replace(/-/g, '');
  const variant = ((parseInt(random[16], 16) & 3) | 8).toString(16);
  const hex = time + '7' + random.slice(13, 16) + variant + random.slice(17, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
