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

/// Signs the kitchen in on a station's screen and waits until it is live.
export async function stationScreen(page: Page, station: string) {
  await signIn(page, PINS.kitchen, `/?next=/kitchen/${station}`);
  await expect(page).toHaveURL(new RegExp(`/kitchen/${station}$`));
  await waitForLive(page);
}

/// The labels of the first `n` free tables on the floor shown: specs share one box, so
/// each takes tables nobody is using.
export async function freeTables(page: Page, n: number): Promise<string[]> {
  const free = page.getByRole('button', { name: /^Table \d+ \(free\)$/ });
  await expect(free.nth(n - 1)).toBeVisible();
  const labels = await free.evaluateAll((all) => all.map((t) => t.getAttribute('aria-label') ?? ''));
  return labels.slice(0, n).map((l) => l.replace(/^Table (\d+) \(free\)$/, '$1'));
}

/// Opens a table from the floor: taps it and, when it is free (the phone asks how many
/// sit down), answers with `guests` or skips. A table open already is joined.
export async function seat(page: Page, table: string, guests?: number) {
  const tile = page.getByRole('button', { name: new RegExp(`^Table ${table} \\(`) });
  const free = (await tile.getAttribute('aria-label'))!.endsWith('(free)');
  await tile.click();
  if (free) {
    const sheet = page.getByRole('dialog', { name: `Table ${table}` });
    await sheet.getByRole('button', { name: guests === undefined ? 'Skip' : String(guests), exact: true }).click();
  }
  await expect(page).toHaveURL(/\/order\//);
}

/// Pays the open order on screen in cash, whatever is left, and closes its table.
export async function settle(page: Page) {
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.getByRole('dialog', { name: 'Take payment' }).getByRole('button', { name: /^Take €/ }).click();
  await page.getByRole('button', { name: 'Close table' }).click();
  await expect(page).toHaveURL(/\/floor$/);
}

/// A UUID v7 (time-ordered), as phones make ids.
export function uuidv7(): string {
  const time = Date.now().toString(16).padStart(12, '0');
  const random = crypto.randomUUID().replace(/-/g, '');
  const variant = ((parseInt(random[16], 16) & 3) | 8).toString(16);
  const hex = time + '7' + random.slice(13, 16) + variant + random.slice(17, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/// A second box on the test LAN, on an empty database started without `--demo` (a box
/// before its first run), with the suite's CA so the phone trusts it as it trusts the
/// first. Returns its address and a way to stop it.
export async function startEmptyBox(port: number): Promise<{ url: string; stop: () => void }> {
  const { spawn } = await import('node:child_process');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { BOX_IP, DATA, ROOT } = await import('../lan/network');
  const data = path.join(ROOT, `e2e-data-${port}`);
  fs.rmSync(data, { recursive: true, force: true });
  fs.mkdirSync(path.join(data, 'tls'), { recursive: true, mode: 0o700 });
  for (const file of ['ca.crt', 'ca.key']) {
    fs.copyFileSync(path.join(DATA, 'tls', file), path.join(data, 'tls', file));
    fs.chmodSync(path.join(data, 'tls', file), 0o600);
  }
  const binary = process.env.COMANDA_BIN ?? path.join(ROOT, 'debug', 'comanda');
  const log = fs.openSync(path.join(ROOT, `e2e-server-${port}.log`), 'w');
  const server = spawn(binary, ['--listen', `${BOX_IP}:${port}`, '--setup-listen', 'off', '--data', data], {
    stdio: ['ignore', log, log],
    env: { ...process.env, COMANDA_LOG: process.env.COMANDA_LOG ?? 'warn' },
  });
  const url = `https://${BOX_IP}:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`${url}/api/v1/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`the empty box did not answer at ${url}; see target/e2e-server-${port}.log`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop: () => server.kill('SIGTERM') };
}
