// Before the suite: the LAN, the box (the real binary, a fresh demo database, HTTPS with
// its own CA on the LAN address) and the phone trusting that CA the way a phone does: the
// CA imported into Chromium's certificate store (NSS), no --ignore-certificate-errors.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { BASE_URL, BOX_IP, CA, DATA, HTTPS_PORT, PHONE_HOME, PID_FILE, ROOT, SETUP_PORT, makeLan } from './network';

function healthy(ca: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(`${BASE_URL}/api/v1/health`, { ca, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

export default async function globalSetup() {
  makeLan();
  fs.rmSync(DATA, { recursive: true, force: true });
  const binary = process.env.COMANDA_BIN ?? path.join(ROOT, 'debug', 'comanda');
  const log = fs.openSync(path.join(ROOT, 'e2e-server.log'), 'w');
  const server = spawn(
    binary,
    ['--listen', `${BOX_IP}:${HTTPS_PORT}`, '--setup-listen', `${BOX_IP}:${SETUP_PORT}`, '--data', DATA, '--demo', '--demo-past-days', '35'],
    { stdio: ['ignore', log, log], detached: true, env: { ...process.env, COMANDA_LOG: process.env.COMANDA_LOG ?? 'warn' } },
  );
  server.unref();
  fs.writeFileSync(PID_FILE, String(server.pid));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (fs.existsSync(CA) && (await healthy(fs.readFileSync(CA)))) break;
    if (Date.now() > deadline) throw new Error(`the box did not answer at ${BASE_URL} in 30 s; see target/e2e-server.log`);
    await new Promise((r) => setTimeout(r, 100));
  }

  // The phone trusts the box's CA, as after the setup page's steps.
  const nssdb = path.join(PHONE_HOME, '.pki', 'nssdb');
  fs.rmSync(PHONE_HOME, { recursive: true, force: true });
  fs.mkdirSync(nssdb, { recursive: true });
  execFileSync('certutil', ['-d', `sql:${nssdb}`, '-N', '--empty-password']);
  execFileSync('certutil', ['-d', `sql:${nssdb}`, '-A', '-t', 'C,,', '-n', 'Comanda local CA', '-i', CA]);
  // Node's side of the tests (API calls) trusts it too; workers start after this.
  process.env.NODE_EXTRA_CA_CERTS = CA;
}
