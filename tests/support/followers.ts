/**
 * What the follow-mode integration tests share: a private work folder and the environment a follower daemon runs
 * with, the release bundles started as child processes (all killed in afterAll, so a failed assertion leaves no
 * follower running), and the latency summary `pnpm bench follow` reads.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT, URLS } from './stack.ts';

export interface Started {
  child: ChildProcess;
  exited: Promise<{ code: number | null; stderr: string }>;
}

export class Followers {
  readonly work: string;
  readonly env: Record<string, string>;
  private readonly children = new Set<ChildProcess>();

  constructor(run: string, name: string) {
    this.work = mkdtempSync(join(tmpdir(), `${run}-${name}-`));
    const config = join(this.work, 'config.yml');
    writeFileSync(config, 'elasticsearch:\n  readPageSize: 1000\n  bulkMaxDocs: 1000\n');
    this.env = {
      AIOPS_CONFIG: config,
      AIOPS_ES_URLS: URLS.elasticsearch,
      AIOPS_ES_INDEX_PREFIX: `${run}-`,
      AIOPS_STATE_DIR: join(this.work, 'state'),
      AIOPS_OUTBOX_DIR: join(this.work, 'outbox'),
      AIOPS_DEAD_LETTER_DIR: join(this.work, 'dead-letter'),
      AIOPS_INSTANCE: run,
      AIOPS_LOG_LEVEL: 'warn',
    };
  }

  /** A service's release bundle, what cron and a follower daemon run (`pnpm ci` builds it; `pnpm build` when a file runs alone). */
  start(service: string, args: string[], more: Record<string, string> = {}): Started {
    const child = spawn(process.execPath, [resolve(REPO_ROOT, `services/${service}/dist/cli.js`), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...this.env, ...more },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.children.add(child);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    return {
      child,
      exited: new Promise((r) =>
        child.on('exit', (code) => {
          this.children.delete(child);
          r({ code, stderr });
        }),
      ),
    };
  }

  killAll(): void {
    for (const child of this.children) child.kill('SIGKILL');
  }
}

/** p50, p95 and max of latencies in seconds. */
export function latencySummary(latencies: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1)! };
}
