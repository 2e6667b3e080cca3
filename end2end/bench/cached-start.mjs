// Benchmark (not a test): how long the waiter's app takes from a service-worker-cached
// start, with the network off, to an interactive floor plan in headless Chromium.
// Usage: node cached-start.mjs <base-url> <pin>. Prints one line of figures.
import { chromium } from '@playwright/test';

const [base, pin] = process.argv.slice(2);
const runs = 7;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
const page = await context.newPage();
await page.goto(base);
for (const digit of pin) await page.getByRole('button', { name: digit, exact: true }).click();
await page.getByRole('button', { name: 'Sign in' }).click();
await page.locator('.room .table').first().waitFor();
await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
await context.setOffline(true);

const times = [];
for (let i = 0; i < runs; i++) {
  const start = Date.now();
  await page.reload();
  await page.getByRole('button', { name: /^Table 1 \(/ }).waitFor({ state: 'visible' });
  times.push(Date.now() - start);
}
await browser.close();
times.sort((a, b) => a - b);
console.log(`${times[Math.floor(runs / 2)]} ${times[0]} ${times[runs - 1]}`);
