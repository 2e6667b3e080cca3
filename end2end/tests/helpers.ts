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
