// The test venue's LAN: the staff's phone (Chromium) lives in a network namespace of its
// own and reaches the box over a veth pair, by the box's LAN address and over HTTPS, exactly
// as a phone on the venue's Wi-Fi does. A guest's phone lives in a second namespace with
// an address of its own, for what strangers on the Wi-Fi do. Nothing here touches the
// machine's real interfaces; the namespaces and pairs are made by the global set-up and
// removed by the teardown.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/// A phone's network: its namespace, the veth pair's two ends, and the box's and the
/// phone's addresses on it.
interface PhoneNet { netns: string; boxIf: string; phoneIf: string; boxIp: string; phoneIp: string }

export const BOX_IP = '10.231.0.1';
export const STAFF_NET: PhoneNet = { netns: 'comanda-e2e', boxIf: 'cmd-e2e-box', phoneIf: 'cmd-e2e-phone', boxIp: BOX_IP, phoneIp: '10.231.0.2' };
export const GUEST_NET: PhoneNet = { netns: 'comanda-e2e-guest', boxIf: 'cmd-e2e-gbox', phoneIf: 'cmd-e2e-guest', boxIp: '10.231.1.1', phoneIp: '10.231.1.2' };
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
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/// Chromium run inside a phone's namespace (see phone-chromium.sh).
export const PHONE_CHROMIUM = path.join(__dirname, 'phone-chromium.sh');

/// The environment that puts Chromium on `net`, trusting the box's CA.
export function phoneEnv(net: PhoneNet): Record<string, string> {
  return { ...(process.env as Record<string, string>), COMANDA_PHONE_NETNS: net.netns, COMANDA_PHONE_HOME: PHONE_HOME };
}

function ip(...args: string[]) {
  execFileSync('ip', args, { stdio: 'pipe' });
}

export function removeLan() {
  for (const net of [STAFF_NET, GUEST_NET]) {
    for (const args of [['netns', 'del', net.netns], ['link', 'del', net.boxIf]]) {
      try {
        ip(...args);
      } catch {
        // not there: nothing to remove
      }
    }
  }
}

function makeNet(net: PhoneNet) {
  const inNs = (...args: string[]) => ip('netns', 'exec', net.netns, ...args);
  ip('netns', 'add', net.netns);
  // IPv4 only: an IPv6 link-local address appears a second or two after a link comes up,
  // and Chromium aborts its requests (ERR_NETWORK_CHANGED) when it sees one appear.
  inNs('sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1');
  ip('link', 'add', net.boxIf, 'type', 'veth', 'peer', 'name', net.phoneIf);
  ip('link', 'set', 'dev', net.boxIf, 'addrgenmode', 'none');
  ip('link', 'set', net.phoneIf, 'netns', net.netns);
  inNs('ip', 'link', 'set', 'dev', net.phoneIf, 'addrgenmode', 'none');
  ip('addr', 'add', `${net.boxIp}/24`, 'dev', net.boxIf);
  ip('link', 'set', net.boxIf, 'up');
  inNs('ip', 'addr', 'add', `${net.phoneIp}/24`, 'dev', net.phoneIf);
  inNs('ip', 'link', 'set', net.phoneIf, 'up');
  inNs('ip', 'link', 'set', 'lo', 'up');
  // The box answers on BOX_IP whichever of its links a phone comes in by.
  inNs('ip', 'route', 'add', 'default', 'via', net.boxIp);
}

export function makeLan() {
  removeLan();
  makeNet(STAFF_NET);
  makeNet(GUEST_NET);
}
