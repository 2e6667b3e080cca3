// Playwright drives Debian's Chromium (browser downloads do not work here) against the real
// server binary on a fresh demo database in target/e2e-data.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 18181);
const server = process.env.COMANDA_BIN ?? '../target/debug/comanda';

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `rm -rf ../target/e2e-data && ${server} --listen 127.0.0.1:${port} --data ../target/e2e-data --demo`,
    url: `http://127.0.0.1:${port}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
