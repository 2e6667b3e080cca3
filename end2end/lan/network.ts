// The test venue's LAN: the "phone" (Chromium) lives in a network namespace of its own and
// reaches the box over a veth pair, by the box's LAN address and over HTTPS, exactly as a
// phone on the venue's Wi-Fi does. Nothing here touches the machine's real interfaces; the
// namespace and the pair are made by the global set-up and removed by the teardown.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const NETNS = 'comanda-e2e';
const BOX_IF = 'cmd-e2e-box';
const PHONE_IF = 'cmd-e2e-phone';
export const BOX_IP = '10.231.0.1';
export const PHONE_IP = '10.231.0.2';
export const HTTPS_PORT = Number(process.env.E2E_PORT ?? 18443);
export const SETUP_PORT = HTTPS_PORT + 1;
export const BASE_URL = `https://${BOX_IP}:${HTTPS_PORT}`;

/// Everything the suite leaves on disk: the box's data folder and the phone's home (its
/// certificate store).
export const ROOT = path.resolve(__dirname, '..', '..', 'target');
export const DATA = path.join(ROOT, 'e2e-data');
export const PHONE_HOME = path.join(ROOT, 'e2e-phone-home');
export const CA = path.join(DATA, 'tls', 'ca.crt');
export const PID_FILE = path.join(ROOT, 'e2e-server.pid');

function ip(...args: string[]) {
  execFileSync('ip', args, { stdio: 'pipe' });
}

export function removeLan() {
  for (const args of [['netns', 'del', NETNS], ['link', 'del', BOX_IF]]) {
    try {
      ip(...args);
    } catch {
      // not there: nothing to remove
    }
  }
}

export function makeLan() {
  removeLan();
  ip('netns', 'add', NETNS);
  // IPv4 only: an IPv6 link-local address appears a second or two after a link comes up,
  // and Chromium aborts its requests (ERR_NETWORK_CHANGED) when it sees one appear.
  execFileSync('ip', ['netns', 'exec', NETNS, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  ip('link', 'add', BOX_IF, 'type', 'veth', 'peer', 'name', PHONE_IF);
  ip('link', 'set', 'dev', BOX_IF, 'addrgenmode', 'none');
  ip('link', 'set', PHONE_IF, 'netns', NETNS);
  ip('netns', 'exec', NETNS, 'ip', 'link', 'set', 'dev', PHONE_IF, 'addrgenmode', 'none');
  ip('addr', 'add', `${BOX_IP}/24`, 'dev', BOX_IF);
  ip('link', 'set', BOX_IF, 'up');
  ip('netns', 'exec', NETNS, 'ip', 'addr', 'add', `${PHONE_IP}/24`, 'dev', PHONE_IF);
  ip('netns', 'exec', NETNS, 'ip', 'link', 'set', PHONE_IF, 'up');
  ip('netns', 'exec', NETNS, 'ip', 'link', 'set', 'lo', 'up');
}
