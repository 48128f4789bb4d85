/**
 * scripts/cron_setup.sh on this machine, into a temporary folder (the real /etc/cron.d run is on the ml-node test
 * host: tests/integration/ansible-site.int.test.ts): the crontab it prints, options that change it, the usage
 * errors cron operators see, and install → unchanged → uninstall.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/stack.ts';

const SCRIPT = resolve(REPO_ROOT, 'scripts/cron_setup.sh');

async function cronSetup(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('bash', [SCRIPT, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const entries = (crontab: string) => crontab.split('\n').filter((l) => / flock -n -E 75 /.test(l));

describe('cron_setup.sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aiops-cron-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--dry-run prints one flock-guarded entry per job with its schedule, env file and log', async () => {
    const r = await cronSetup('--dry-run');
    expect(r.code).toBe(0);
    const lines = entries(r.stdout);
    expect(lines.map((l) => l.split(' --run ')[1]!.split(' ')[0])).toEqual([
      'log-classification', 'anomaly-detection', 'forecast', 'training-anomaly', 'training-forecast', 'exporter-drain',
    ]);
    expect(lines[0]).toMatch(/^\*\/5 \* \* \* \* aiops flock -n -E 75 \/var\/lib\/aiops\/locks\/log-classification\.lock /);
    expect(lines[1]).toMatch(/^\*\/10 \* \* \* \* /);
    expect(lines[2]).toMatch(/^\d+ \d+ \* \* \* /); // daily
    expect(lines[3]).toMatch(/^\d+ \d+ \* \* 0 /); // weekly
    expect(lines[5]).toMatch(/^\* \* \* \* \* /);
    for (const l of lines) {
      expect(l).toContain('--env-file /etc/aiops/aiops.env');
      expect(l).toMatch(/>>\/var\/log\/aiops\/[a-z-]+\.log 2>&1$/);
    }
  });

  it('--schedule replaces one job, --disable leaves one out', async () => {
    const r = await cronSetup('--dry-run', '--schedule', 'forecast=0 */6 * * *', '--schedule=exporter-drain=*/2 * * * *', '--disable', 'training-anomaly');
    const lines = entries(r.stdout);
    expect(lines).toHaveLength(5);
    expect(lines.find((l) => l.includes('--run forecast '))).toMatch(/^0 \*\/6 \* \* \* /);
    expect(lines.find((l) => l.includes('--run exporter-drain '))).toMatch(/^\*\/2 \* \* \* \* /);
    expect(r.stdout).not.toContain('training-anomaly');
  });

  it.each([
    [['--schedule', 'nightly=1 2 3 4 5'], /unknown job 'nightly'/],
    [['--schedule', 'forecast=1 2 3'], /'1 2 3' is not five cron fields/],
    [['--schedule', 'forecast=0 0 * * * %s'], /not five cron fields/],
    [['--cron-file', '/tmp/aiops.cron'], /cron ignores files whose name has a dot/],
    [['--app-dir', 'relative/dir'], /must be absolute/],
    [['--bogus'], /unknown argument '--bogus'/],
  ])('rejects %j with exit 64 and a message naming the problem', async (args, message) => {
    const r = await cronSetup(...args, '--dry-run');
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(message);
  });

  it('--run starts the service bundle, and names the missing bundle (exit 1) in a release that was not built', async () => {
    const app = join(dir, 'release');
    mkdirSync(join(app, 'services/pushgateway-exporter/dist'), { recursive: true });
    const envFile = join(dir, 'none.env');
    const missing = await cronSetup('--run', 'exporter-drain', '--app-dir', app, '--env-file', envFile);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${app}/services/pushgateway-exporter/dist/cli.js is missing: build the release first (pnpm build)`);
    // a stand-in bundle: --run passes the job's words to it and exits with its code
    writeFileSync(join(app, 'services/pushgateway-exporter/dist/cli.js'), 'console.error("args", process.argv.slice(2).join(" ")); process.exit(3);\n');
    const ran = await cronSetup('--run', 'exporter-drain', '--app-dir', app, '--env-file', envFile);
    expect(ran.code).toBe(3);
    expect(ran.stderr).toContain('args drain');
    expect(ran.stderr).toMatch(/exporter-drain: exit 3 after \d+ s/);
  });

  it.runIf(process.getuid?.() === 0)('installs, reinstalls without change, uninstalls, and leaves a foreign file alone', async () => {
    const cronFile = join(dir, 'aiops');
    const rotateFile = join(dir, 'aiops-logrotate');
    const opts = ['--user', 'root', '--cron-file', cronFile, '--logrotate-file', rotateFile, '--log-dir', join(dir, 'log'), '--lock-dir', join(dir, 'locks')];
    const first = await cronSetup(...opts);
    expect(first.stdout.trim()).toBe(`installed: ${cronFile} (changed), ${rotateFile} (changed)`);
    const dry = await cronSetup(...opts, '--dry-run');
    expect(readFileSync(cronFile, 'utf8')).toBe(dry.stdout);
    expect(readFileSync(rotateFile, 'utf8')).toContain(`${join(dir, 'log')}/*.log {`);
    expect(statSync(cronFile).mode & 0o777).toBe(0o644);
    const mtime = statSync(cronFile).mtimeMs;
    const again = await cronSetup(...opts);
    expect(again.stdout.trim()).toBe(`unchanged: ${cronFile}, ${rotateFile}`);
    expect(statSync(cronFile).mtimeMs).toBe(mtime);
    const changed = await cronSetup(...opts, '--disable', 'forecast');
    expect(changed.stdout.trim()).toBe(`installed: ${cronFile} (changed), ${rotateFile} (unchanged)`);
    const gone = await cronSetup(...opts, '--uninstall');
    expect(gone.stdout.trim()).toBe(`removed: ${cronFile} ${rotateFile}`);
    writeFileSync(cronFile, '* * * * * root true\n');
    const foreign = await cronSetup(...opts, '--uninstall');
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('was not written by scripts/cron_setup.sh; left alone');
    expect(readFileSync(cronFile, 'utf8')).toBe('* * * * * root true\n');
  });
});
