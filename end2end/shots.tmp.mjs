import { chromium } from '@playwright/test';
const base = 'http://127.0.0.1:19500';
const out = '/tmp/s/shots/';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
for (const [w, h, tag] of [[1440, 900, 'wide'], [390, 844, 'phone']]) {
  const page = await browser.newPage({ viewport: { width: w, height: h } });
  await page.goto(base + '/');
  for (const d of '9000') await page.getByRole('button', { name: d, exact: true }).click();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => location.pathname !== '/');
  await page.goto(base + '/manager/staff');
  const roles = page.getByRole('region', { name: 'What each role may do' });
  await roles.getByRole('form', { name: 'What a waiter may do' }).waitFor();
  await roles.screenshot({ path: out + `roles-${tag}.png` });
  await page.goto(base + '/manager/stations');
  await page.getByRole('button', { name: 'Add a printer' }).click();
  await page.locator('#printer-form').waitFor();
  await page.locator('.print-panel').screenshot({ path: out + `printers-${tag}.png` });
  await page.goto(base + '/manager/money');
  await page.getByLabel('Country').waitFor();
  await page.screenshot({ path: out + `money-${tag}.png` });
  await page.close();
}
await browser.close();
