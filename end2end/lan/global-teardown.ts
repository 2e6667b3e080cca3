// After the suite: stop the box and remove the LAN.
import fs from 'node:fs';
import { PID_FILE, removeLan } from './network';

export default async function globalTeardown() {
  if (fs.existsSync(PID_FILE)) {
    const pid = Number(fs.readFileSync(PID_FILE, 'utf8'));
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    fs.rmSync(PID_FILE);
  }
  removeLan();
}
