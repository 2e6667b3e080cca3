// Playwright drives Debian's Chromium as a phone on the venue's LAN: Chromium runs in a
// network namespace of its own and reaches the real server binary by its LAN address over
// HTTPS, trusting the box's CA through its certificate store (lan/global-setup.ts), never
// localhost and never with certificate errors ignored. The server runs on a fresh demo
// database in target/e2e-data.
import { defineConfig } from '@playwright/test';
import { BASE_URL, CHROMIUM_ARGS, PHONE_CHROMIUM, STAFF_NET, phoneEnv } from './lan/network';

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  globalSetup: './lan/global-setup.ts',
  globalTeardown: './lan/global-teardown.ts',
  use: {
    baseURL: BASE_URL,
    launchOptions: { executablePath: PHONE_CHROMIUM, args: CHROMIUM_ARGS, env: phoneEnv(STAFF_NET) },
    trace: 'retain-on-failure',
  },
});
