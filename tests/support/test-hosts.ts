/**
 * The six podman test hosts of scripts/test-hosts.sh and Ansible against them: start/stop, SSH into a host,
 * run a playbook and read its PLAY RECAP. Needs root, podman and ansible (`scripts/test-hosts.sh install`).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { integrationRequired, REPO_ROOT } from './stack.ts';

const TEST_HOSTS = resolve(REPO_ROOT, 'scripts/test-hosts.sh');
export const ANSIBLE_DIR = resolve(REPO_ROOT, 'ansible');
const TEST_INVENTORY = resolve(ANSIBLE_DIR, 'inventories/test-hosts/hosts.yml');

/** The hosts and their addresses on the internal bridge (inventories/test-hosts/hosts.yml). */
export const HOST_IP = {
  'obs-server': '10.213.0.10',
  'log-server': '10.213.0.11',
  'net-sensor': '10.213.0.12',
  'ml-node': '10.213.0.13',
  'telem-a': '10.213.0.14',
  'telem-b': '10.213.0.15',
} as const;
export type TestHost = keyof typeof HOST_IP;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command; never throws on a non-zero exit. */
export async function run(cmd: string, args: string[], options: { env?: Record<string, string | undefined>; cwd?: string; timeout?: number } = {}): Promise<RunResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env },
      timeout: options.timeout ?? 600_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
  }
}

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => {
    try {
      accessSync(resolve(dir, bin), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * True when this machine can run the test hosts (root, podman, ansible-playbook). Otherwise: throws under
 * REQUIRE_INTEGRATION=1, else warns loudly and returns false.
 */
export function testHostsAvailable(...bins: string[]): boolean {
  const missing = ['podman', 'ansible-playbook', ...bins].filter((b) => !onPath(b));
  const why = process.getuid?.() !== 0 ? 'not root' : missing.length > 0 ? `missing ${missing.join(', ')}` : '';
  if (!why) return true;
  const msg = `test hosts unavailable (${why}) — run as root: scripts/test-hosts.sh install`;
  if (integrationRequired) throw new Error(`${msg} (REQUIRE_INTEGRATION=1)`);
  console.warn(`\n!!! SKIPPING TEST-HOST TESTS: ${msg}\n`);
  return false;
}

export async function testHosts(...args: string[]): Promise<RunResult> {
  return run('bash', [TEST_HOSTS, ...args], { timeout: 900_000 });
}

/** `scripts/test-hosts.sh env` (+ `artifacts` when asked) as an environment for ansible-playbook. */
export async function ansibleEnv(extra: string[] = []): Promise<Record<string, string>> {
  const env: Record<string, string> = { ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0', PY_COLORS: '0' };
  for (const cmd of ['env', ...extra]) {
    const r = await testHosts(cmd);
    if (r.code !== 0) throw new Error(`scripts/test-hosts.sh ${cmd} failed (${r.code}): ${r.stderr.slice(-2000)}`);
    for (const line of r.stdout.split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (m) env[m[1]!] = m[2]!;
    }
  }
  return env;
}

/** Runs a command on a test host as root over SSH. */
export async function onHost(host: TestHost, command: string, env: Record<string, string>): Promise<RunResult> {
  const key = env.ANSIBLE_PRIVATE_KEY_FILE;
  if (!key) throw new Error('ANSIBLE_PRIVATE_KEY_FILE missing from the test-hosts env');
  return run('ssh', ['-i', key, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'LogLevel=ERROR', `root@${HOST_IP[host]}`, command], { timeout: 120_000 });
}

export interface RecapLine {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
}

/** The PLAY RECAP of an ansible-playbook run: host → counts. */
function playRecap(output: string): Map<string, RecapLine> {
  const recap = new Map<string, RecapLine>();
  const start = output.lastIndexOf('PLAY RECAP');
  if (start < 0) return recap;
  for (const line of output.slice(start).split('\n')) {
    const m = /^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/.exec(line);
    if (m) recap.set(m[1]!, { ok: Number(m[2]), changed: Number(m[3]), unreachable: Number(m[4]), failed: Number(m[5]) });
  }
  return recap;
}

/**
 * What went wrong in a playbook run, short enough for an assertion message (CI shows excerpts of the output, not
 * all of it): each failed task's header with its fatal/failed lines, ERROR! lines, and the tail of stderr.
 */
function playFailures(r: RunResult): string {
  const out: string[] = [];
  let task = '';
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('TASK [')) task = line;
    else if (/^(fatal|failed): |^ERROR! /.test(line)) out.push(task, line.slice(0, 1500));
  }
  const stderr = r.stderr.trim();
  if (stderr) out.push(`stderr: ${stderr.slice(-1500)}`);
  return out.length > 0 ? `exit ${r.code}:\n${out.join('\n')}` : `exit ${r.code}, nothing failed in the output (timeout?)`;
}

export async function ansiblePlaybook(playbook: string, env: Record<string, string>, args: string[] = []): Promise<RunResult & { recap: Map<string, RecapLine>; failures: string }> {
  const r = await run('ansible-playbook', ['-i', TEST_INVENTORY, playbook, ...args], { cwd: ANSIBLE_DIR, env, timeout: 1_500_000 });
  return { ...r, recap: playRecap(r.stdout), failures: playFailures(r) };
}
