// The box itself, for the manager: its state (disk, database, printers), a backup taken
// on the spot and downloaded, checked against the checksum shown. And what a stranger on
// the Wi-Fi sees of it: that it is up, nothing more; no metrics without a manager.
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PINS, signIn } from './helpers';

test('the manager backs the box up now and downloads the backup; strangers see only that it is up', async ({ browser, request }) => {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })).newPage();
  await signIn(page, PINS.manager, '/?next=/manager/box');
  await expect(page).toHaveURL(/\/manager\/box$/);
  const state = page.getByRole('region', { name: 'The box' });
  await expect(state.locator('tr', { hasText: 'Database' })).toContainText('answering');
  await expect(state.locator('tr', { hasText: 'Disk' })).toContainText(/GB free of|MB free of/);

  const backups = page.getByRole('region', { name: 'Backups' });
  // Count them once the list is there (the box may have backed up already).
  await expect(backups.locator('ul.backups')).toBeAttached();
  const before = await backups.locator('.backup').count();
  await backups.getByRole('button', { name: 'Back up now' }).click();
  await expect(backups.locator('.backup')).toHaveCount(before + 1);
  await expect(backups.getByRole('button', { name: 'Back up now' })).toBeEnabled();
  const newest = backups.locator('.backup').first();
  const shown = (await newest.locator('.backup-sum').getAttribute('title'))!;
  await page.screenshot({ path: 'test-results/box-manager.png', fullPage: true });

  const saved = page.waitForEvent('download');
  await newest.getByRole('button', { name: 'Download' }).click();
  const download = await saved;
  expect(download.suggestedFilename()).toMatch(/^comanda-\d{8}T\d{6}Z\.db$/);
  const file = readFileSync((await download.path())!);
  expect(file.subarray(0, 15).toString()).toBe('SQLite format 3');
  expect(createHash('sha256').update(file).digest('hex')).toBe(shown);

  // On a phone, the same page fits.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: 'test-results/box-phone.png', fullPage: true });

  // Anyone on the Wi-Fi: up or not, and nothing of the inside.
  const health = await (await request.get('/api/v1/health')).json();
  expect(health.status).toBe('ok');
  expect(health.detail).toBeUndefined();
  expect((await request.get('/metrics')).status()).toBe(403);
  const { token } = await (await request.post('/api/v1/login', { data: { pin: PINS.manager } })).json();
  const metrics = await request.get('/metrics', { headers: { authorization: `Bearer ${token}` } });
  expect(metrics.status()).toBe(200);
  expect(await metrics.text()).toContain('comanda_http_requests_total{');
  const inside = await (await request.get('/api/v1/health', { headers: { authorization: `Bearer ${token}` } })).json();
  expect(inside.detail.last_backup.sha256).toBe(shown);
});
