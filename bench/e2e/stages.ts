/**
 * The stages' runners: each job is its real CLI run as a child under /usr/bin/time (wall, CPU, peak RSS of the
 * job's process), and the `_bulk` ceiling is a plain HTTP client posting the same documents to the same node.
 */
import { execFile } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface JobRun {
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  stderr: string;
}

const TSX = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx');
const REPO = join(import.meta.dirname, '..', '..');

/** `pnpm <service> <args>` without pnpm in between (its RSS and start-up would be measured otherwise). */
export async function runJob(service: string, args: string[], env: Record<string, string>): Promise<JobRun> {
  const cli = service === 'aiops' ? 'packages/common/src/cli.ts' : `services/${service}/src/cli.ts`;
  const started = performance.now();
  try {
    const { stderr } = await promisify(execFile)('/usr/bin/time', ['-f', 'TIME %e %U %S %M', TSX, cli, ...args], {
      cwd: REPO,
      env: { ...process.env, ...env },
      maxBuffer: 256 << 20,
    });
    const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr);
    if (!m) throw new Error(`${service} ${args.join(' ')}: no /usr/bin/time line in stderr`);
    return { wallSeconds: Number(m[1]), cpuSeconds: Number(m[2]) + Number(m[3]), peakRssMb: Number(m[4]) / 1024, stderr };
  } catch (err) {
    const e = err as { stderr?: string; code?: number };
    throw new Error(`${service} ${args.join(' ')} exited ${e.code} after ${((performance.now() - started) / 1000).toFixed(1)} s\n${(e.stderr ?? '').slice(-4000)}`);
  }
}

async function post(url: string, body: string): Promise<void> {
  const res = await fetch(`${url}/_bulk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`_bulk: HTTP ${res.status}: ${text.slice(0, 500)}`);
  if (text.includes('"errors":true')) throw new Error(`_bulk: item errors: ${text.slice(0, 1000)}`);
}

/**
 * Elasticsearch's own `_bulk` throughput: the documents of an NDJSON file of {_id, _index, ...document} lines (what
 * `zeek-ingest parse` writes) posted as `index` actions, `batchDocs` per request, `concurrency` requests in flight.
 */
export async function bulkCeiling(url: string, ndjson: string, batchDocs = 2_000, concurrency = 2): Promise<{ docs: number; seconds: number }> {
  const inFlight = new Set<Promise<void>>();
  let body = '';
  let inBatch = 0;
  let docs = 0;
  const started = performance.now();
  const send = async () => {
    const p = post(url, body).finally(() => inFlight.delete(p));
    inFlight.add(p);
    body = '';
    inBatch = 0;
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };
  for await (const line of createInterface({ input: createReadStream(ndjson), crlfDelay: Infinity })) {
    if (!line) continue;
    const { _id, _index, ...doc } = JSON.parse(line) as Record<string, unknown>;
    body += `${JSON.stringify({ index: { _index, _id } })}\n${JSON.stringify(doc)}\n`;
    docs++;
    if (++inBatch >= batchDocs) await send();
  }
  if (inBatch > 0) await send();
  await Promise.all(inFlight);
  return { docs, seconds: (performance.now() - started) / 1000 };
}

export async function esJson<T>(url: string, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${url}${path}`, init);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}: ${(await res.text()).slice(0, 500)}`);
  return (await res.json()) as T;
}

export async function countDocs(url: string, pattern: string): Promise<number> {
  await esJson(url, `/${pattern}/_refresh?allow_no_indices=true`, { method: 'POST' });
  const { count } = await esJson<{ count: number }>(url, `/${pattern}/_count?allow_no_indices=true&ignore_unavailable=true`);
  return count;
}

/** Documents per value of the `kind` keyword (anomalies-*: connection | host). */
export async function countByKind(url: string, pattern: string): Promise<Record<string, number>> {
  await esJson(url, `/${pattern}/_refresh?allow_no_indices=true`, { method: 'POST' });
  const body = JSON.stringify({ size: 0, aggs: { kind: { terms: { field: 'kind', size: 10 } } } });
  const res = await esJson<{ aggregations?: { kind: { buckets: { key: string; doc_count: number }[] } } }>(
    url,
    `/${pattern}/_search?allow_no_indices=true&ignore_unavailable=true`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body },
  );
  return Object.fromEntries((res.aggregations?.kind.buckets ?? []).map((b) => [b.key, b.doc_count]));
}

export async function deleteIndices(url: string, pattern: string): Promise<void> {
  const res = await fetch(`${url}/${pattern}?allow_no_indices=true&ignore_unavailable=true&expand_wildcards=all`, { method: 'DELETE' });
  if (!res.ok && res.status !== 404) throw new Error(`DELETE ${pattern}: HTTP ${res.status}: ${await res.text()}`);
}

/** Gauges of one metric in the Pushgateway whose instance label matches `instancePrefix`. */
export async function pushgatewayGauges(url: string, metric: string, instancePrefix: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith(`${metric}{`) && l.includes(instancePrefix)).length;
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
