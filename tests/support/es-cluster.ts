/**
 * The three-node es-cluster of scripts/dev-stack.sh (es-cluster-1..3) for integration tests: which node is the
 * elected master, kill -9 of one node's whole process group, ML workers as child processes with their stderr kept,
 * and every id of an index pattern read back in timestamp order.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSince, type Client } from '@aiops/common';
import { REPO_ROOT, STACK_DIR } from './stack.ts';

/** The elected master's node name: es-cluster-N, also its dev-stack component name. */
export async function masterNode(client: Client): Promise<string> {
  const [row] = await client.cat.master({ format: 'json' });
  if (!row?.node) throw new Error('the cluster has no elected master');
  return row.node;
}

/** kill -9 of the node's process group (wrapper, launcher and server JVM): a crash, not a shutdown. */
export function killNode(component: string): number {
  const pid = Number(readFileSync(join(STACK_DIR, 'run', `${component}.pid`), 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`${component}: no usable PID file`);
  process.kill(-pid, 'SIGKILL');
  return pid;
}

/** Resolves once nothing accepts connections on 127.0.0.1:`port` (a killed JVM can hold its port a moment). */
export async function portClosed(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const open = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
  while (await open()) {
    if (Date.now() > deadline) throw new Error(`port ${port} still open ${timeoutMs} ms after the kill`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Worker {
  readonly name: string;
  /** Resolves with the exit code (null after a signal). */
  readonly exited: Promise<number | null>;
  running(): boolean;
  stderr(): string;
}

/** `pnpm -s <args>` from the repo root with `env` on top of this process's environment. */
export function startWorker(name: string, args: string[], env: Record<string, string>): Worker {
  const child = spawn('pnpm', ['-s', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { name, exited, running: () => child.exitCode === null && child.signalCode === null, stderr: () => err };
}

export interface ReadBack<T> {
  ids: string[];
  sources: T[];
}

/** Every document of `index` (all ids, duplicates kept) through the project's own PIT reader. */
export async function readAll<T = Record<string, unknown>>(client: Client, index: string, slice?: { id: number; max: number }): Promise<ReadBack<T>> {
  await client.indices.refresh({ index, allow_no_indices: true, ignore_unavailable: true });
  const out: ReadBack<T> = { ids: [], sources: [] };
  for await (const page of readSince<T>({ client, index, pageSize: 5_000, ...(slice ? { slice } : {}) })) {
    for (const hit of page.hits) {
      out.ids.push(hit.id);
      out.sources.push(hit.source);
    }
  }
  return out;
}

/** The position a reader of `index` (one slice of it) ends at: what that slice's final checkpoint must be. */
export async function endPosition(client: Client, index: string, slice: { id: number; max: number }) {
  let last;
  for await (const page of readSince({ client, index, pageSize: 5_000, slice, sourceIncludes: ['@timestamp'] })) last = page.position;
  return last;
}
