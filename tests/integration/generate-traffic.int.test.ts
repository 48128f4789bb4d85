/**
 * scripts/generate_traffic.sh for real: it builds its namespaces, sends HTTP, DNS, an nmap scan and an hping3
 * burst, captures the bridge with tshark, and removes everything. The capture (read back with tshark) shows each
 * kind of traffic, and no address but the script's own three hosts — no IPv6, nothing from or to the machine's
 * networks. Needs root, Node, tshark, nmap, hping3, dnsmasq, dig (scripts/dev-stack.sh install); without them it
 * skips loudly, or fails under REQUIRE_INTEGRATION=1.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { integrationRequired, REPO_ROOT } from '../support/stack.ts';

const SCRIPT = join(REPO_ROOT, 'scripts/generate_traffic.sh');
const TOOLS = ['ip', 'tshark', 'nmap', 'hping3', 'dnsmasq', 'dig', 'curl', 'node'];
const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const isRoot = process.getuid?.() === 0;
const present = missing.length === 0 && isRoot;
if (!present) {
  const msg = `${isRoot ? '' : 'not root; '}${missing.length ? `missing ${missing.join(', ')}` : ''} (scripts/dev-stack.sh install)`;
  if (integrationRequired) throw new Error(`generate_traffic test cannot run: ${msg} (REQUIRE_INTEGRATION=1)`);
  console.warn(`\n!!! SKIPPING generate_traffic.sh test: ${msg}\n`);
}

const NAME = `tg${randomBytes(2).toString('hex')}`;
const SUBNET = '10.77.0';
const HOSTS = { client: `${SUBNET}.10`, web: `${SUBNET}.20`, dns: `${SUBNET}.30` };
const COUNTS = { http: 25, dns: 20, burst: 150, scanPorts: 150 };

function fields(pcap: string, filter: string, ...names: string[]): string[][] {
  const args = ['-r', pcap, '-Y', filter, '-T', 'fields', '-E', 'separator=\t', ...names.flatMap((n) => ['-e', n])];
  return execFileSync('tshark', args, { maxBuffer: 64 << 20 })
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}

const ourNamespaces = () =>
  execFileSync('ip', ['netns', 'list'])
    .toString('utf8')
    .split('\n')
    .filter((l) => l.startsWith(`${NAME}-`));

describe.skipIf(!present)('scripts/generate_traffic.sh (real namespaces, tshark on their bridge)', () => {
  const pcap = join(mkdtempSync(join(tmpdir(), `${NAME}-`)), 'traffic.pcapng');
  let stderr = '';

  beforeAll(async () => {
    const res = await promisify(execFile)(
      'bash',
      [SCRIPT, '--name', NAME, '--subnet', SUBNET, '--http', String(COUNTS.http), '--dns', String(COUNTS.dns), '--scan', `1-${COUNTS.scanPorts}`, '--burst', String(COUNTS.burst), '--max-seconds', '90', '--capture', pcap],
      { timeout: 120_000 },
    );
    stderr = res.stderr;
  }, 150_000);

  it('ran every step and left no namespace behind', () => {
    for (const step of ['DNS:', 'HTTP:', 'nmap:', 'hping3:', 'capture written', 'done']) expect(stderr).toContain(step);
    expect(existsSync(pcap)).toBe(true);
    expect(ourNamespaces()).toEqual([]);
  });

  it('the capture holds the HTTP requests, each answered', () => {
    const requests = fields(pcap, 'http.request && ip.src == ' + HOSTS.client, 'ip.dst', 'http.request.uri').filter(([, uri]) => uri!.startsWith('/page/'));
    expect(requests).toHaveLength(COUNTS.http);
    expect(new Set(requests.map(([dst]) => dst))).toEqual(new Set([HOSTS.web]));
    expect(fields(pcap, `http.response.code == 200 && ip.src == ${HOSTS.web}`, 'http.response.code').length).toBeGreaterThanOrEqual(COUNTS.http);
  });

  it('the capture holds the DNS lookups and the zone’s answers', () => {
    const queries = fields(pcap, `dns.flags.response == 0 && ip.dst == ${HOSTS.dns}`, 'dns.qry.name');
    expect(queries).toHaveLength(COUNTS.dns);
    expect(new Set(queries.map(([q]) => q))).toEqual(new Set(['web.lab.test', 'dns.lab.test', 'client.lab.test', 'nothing-here.lab.test']));
    const answers = fields(pcap, 'dns.flags.response == 1 && dns.qry.name == "web.lab.test"', 'dns.a');
    expect(answers.length).toBeGreaterThan(0);
    for (const [a] of answers) expect(a).toBe(HOSTS.web);
  });

  it('the capture holds the nmap scan: a SYN to every scanned port, RSTs from the closed ones', () => {
    const syns = fields(pcap, `tcp.flags.syn == 1 && tcp.flags.ack == 0 && ip.src == ${HOSTS.client} && ip.dst == ${HOSTS.web}`, 'tcp.dstport');
    const ports = new Set(syns.map(([p]) => Number(p)));
    for (let p = 1; p <= COUNTS.scanPorts; p++) expect(ports.has(p)).toBe(true);
    const resets = fields(pcap, `tcp.flags.reset == 1 && ip.src == ${HOSTS.web}`, 'tcp.srcport');
    expect(new Set(resets.map(([p]) => p)).size).toBeGreaterThanOrEqual(COUNTS.scanPorts - 1); // all but :80
  });

  it('the capture holds the hping3 burst: its SYNs to :80 (window 512, hping3’s default; the kernel’s own SYNs say 64240)', () => {
    const burst = fields(pcap, `tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 80 && tcp.window_size_value == 512 && ip.src == ${HOSTS.client}`, 'tcp.srcport');
    expect(burst.length).toBeGreaterThanOrEqual(COUNTS.burst * 0.95);
    expect(burst.length).toBeLessThanOrEqual(COUNTS.burst);
  });

  it('touches no address outside its own namespaces', () => {
    const allowed = new Set(Object.values(HOSTS));
    // The kernel's own IGMP membership reports when a namespace's interface comes up (to 224.0.0.22, from 0.0.0.0
    // before the address is set) are link-local multicast: never routed off the bridge. Any other frame counts.
    const igmp = fields(pcap, 'igmp', 'ip.dst').flat();
    expect(igmp.filter((a) => !a.startsWith('224.0.0.'))).toEqual([]);
    const ip = fields(pcap, 'ip && !igmp', 'ip.src', 'ip.dst').flat();
    const arp = fields(pcap, 'arp', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4').flat();
    expect(ip.length).toBeGreaterThan(COUNTS.http * 4);
    expect([...new Set([...ip, ...arp])].filter((a) => !allowed.has(a))).toEqual([]);
    expect(fields(pcap, 'ipv6', 'ipv6.src')).toEqual([]);
    // every frame is IPv4 or ARP between the three hosts: nothing else on the wire
    expect(fields(pcap, '!(ip || arp)', 'frame.number')).toEqual([]);
  });

  it('refuses a public subnet and unbounded counts before creating anything', () => {
    const bad = (args: string[]) => spawnSync('bash', [SCRIPT, '--name', NAME, ...args], { encoding: 'utf8' });
    const pub = bad(['--subnet', '8.8.8']);
    expect(pub.status).toBe(2);
    expect(pub.stderr).toContain('must be the first three octets of a private /24');
    expect(bad(['--burst', '1000000']).status).toBe(2);
    expect(ourNamespaces()).toEqual([]);
  });
});
