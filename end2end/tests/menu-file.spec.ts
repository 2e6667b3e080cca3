// The menu as a spreadsheet in the back office: the manager downloads it, adds a row in
// a spreadsheet, brings it back, sees what would change, and imports it.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { PINS, signIn } from './helpers';

test('the manager downloads the menu, adds a product in the file and imports it', async ({ browser }, testInfo) => {
  const manager = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(manager, PINS.manager, '/?next=/manager/menu');
  const file = manager.getByRole('group', { name: 'Menu file' });
  const downloading = manager.waitForEvent('download');
  await file.getByRole('button', { name: 'Download CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('menu.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv).toContain('Desserts,#81b29a,Tiramisu,,6.50,10,Kitchen,,yes');

  // A new dessert, and one row with a mistake: the check names it and nothing changes.
  const edited = testInfo.outputPath('menu.csv');
  fs.writeFileSync(edited, csv + 'Desserts,#81b29a,Affogato,,five,10,Kitchen,,yes,\n');
  await file.getByLabel('Choose a CSV file…').setInputFiles(edited);
  const report = file.getByRole('status');
  await expect(report).toContainText(/Line \d+, price: "five" is not a price/);
  await expect(file.getByRole('button', { name: 'Import' })).toBeDisabled();

  fs.writeFileSync(edited, csv + 'Desserts,#81b29a,Affogato,,5.00,10,Kitchen,,yes,\n');
  await file.getByLabel('Choose a CSV file…').setInputFiles(edited);
  await expect(report).toContainText('New products (1): Affogato');
  await expect(report).toContainText('31 products would be left as they are.');
  await expect(manager.locator('.product-row[data-product="Affogato"]')).toHaveCount(0);
  await file.getByRole('button', { name: 'Import' }).click();
  await expect(report).toContainText('31 products were left as they are.');
  await expect(manager.locator('.product-row[data-product="Affogato"]')).toContainText('€5.00');
});
