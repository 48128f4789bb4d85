/**
 * Files mode: the three pipelines on the small real samples the project ships, no server at all. Each step is
 * the service's own CLI (what an operator would type), run in turn; outputs and a readable SUMMARY.md land in
 * out/demo/. Exit code 0 only when every pipeline ran.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const outDir = resolve(process.argv[2] ?? join(ROOT, 'out/demo'));
await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
const out = (name: string) => join(outDir, name);
const shipped = (path: string) => join(ROOT, path);

// Every job's state, outbox and models stay inside out/demo: the demo never touches a real deployment's files.
const env = {
  ...process.env,
  AIOPS_STATE_DIR: out('state'),
  AIOPS_OUTBOX_DIR: out('outbox'),
  AIOPS_MODEL_DIR: out('models'),
  AIOPS_INSTANCE: 'demo',
  AIOPS_LOG_LEVEL: process.env.AIOPS_LOG_LEVEL ?? 'warn',
};

interface Step {
  pipeline: string;
  what: string;
  args: string[];
  /** Where stdout goes (otherwise it is shown). */
  stdoutTo?: string;
}

const steps: Step[] = [
  {
    pipeline: 'anomaly-scorer',
    what: 'train the Isolation Forest on a real CTU conn.log excerpt',
    args: ['anomaly-scorer', 'train', '--file', shipped('data/zeek/ctu-011-train.conn.log.labeled')],
  },
  {
    pipeline: 'anomaly-scorer',
    what: 'score a real Nmap port-scan capture (Zeek JSON lines) → anomaly report',
    args: ['anomaly-scorer', 'detect', '--file', shipped('data/zeek/conn.nmap-scan.jsonl'), '--out', out('anomalies.ndjson')],
  },
  {
    pipeline: 'log-classifier',
    what: 'classify real syslog/auth lines (Loghub Linux/OpenSSH, wrccdc syslog) → JSON lines',
    args: ['log-classifier', 'classify', '--file', shipped('data/syslog/sample-syslog.log')],
    stdoutTo: out('classified.ndjson'),
  },
  {
    pipeline: 'forecaster',
    what: '30 days of a real Bitbrains VM CPU series → 30-day forecast with 80/95 % bands and days to exhaustion',
    args: ['forecaster', 'forecast', '--file', shipped('data/series/bitbrains-vm333-cpu-30d.csv'), '--bounded', '--out', out('forecast.csv')],
  },
];

const rows: string[] = [];
let failed = 0;
for (const step of steps) {
  process.stderr.write(`\n▶ ${step.pipeline}: ${step.what}\n  pnpm ${step.args.map((a) => (a.startsWith(ROOT) ? relative(ROOT, a) : a)).join(' ')}\n`);
  const started = Date.now();
  try {
    const { stdout, stderr } = await promisify(execFile)('pnpm', ['-s', ...step.args], { cwd: ROOT, env, maxBuffer: 256 * 1024 * 1024 });
    if (step.stdoutTo) await writeFile(step.stdoutTo, stdout);
    else if (stdout.trim()) process.stderr.write(stdout);
    process.stderr.write(stderr);
    rows.push(`| ${step.pipeline} | ${step.what} | ok | ${((Date.now() - started) / 1000).toFixed(1)} s |`);
  } catch (err) {
    failed++;
    const e = err as { code?: number; stderr?: string };
    process.stderr.write(e.stderr ?? String(err));
    rows.push(`| ${step.pipeline} | ${step.what} | **failed (exit ${e.code ?? '?'})** | |`);
  }
}

const lines = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
// detect --out holds connection lines and host-alert lines (`kind` connection | host).
const anomalyLines = (await lines(out('anomalies.ndjson'))).map((l) => JSON.parse(l) as { kind: string; 'id.orig_h': string; host?: string; host_role?: string; anomaly_score: number });
const anomalies = anomalyLines.filter((a) => a.kind === 'connection');
const hostAlerts = anomalyLines.filter((a) => a.kind === 'host');
const classified = (await lines(out('classified.ndjson'))).map((l) => JSON.parse(l) as { category?: string; review?: boolean });
const byCategory = new Map<string, number>();
for (const c of classified) byCategory.set(c.category ?? 'rejected', (byCategory.get(c.category ?? 'rejected') ?? 0) + 1);
const forecast = await lines(out('forecast.csv'));

const summary = [
  '# Files-mode run',
  '',
  '| pipeline | step | result | time |',
  '|---|---|---|---|',
  ...rows,
  '',
  `- **Network anomalies** (anomalies.ndjson): ${anomalies.length} connections flagged` +
    (anomalies.length ? `, top score ${Math.max(...anomalies.map((a) => a.anomaly_score)).toFixed(3)}, originators ${[...new Set(anomalies.map((a) => a['id.orig_h']))].slice(0, 5).join(', ')}` : '') +
    `; ${hostAlerts.length} host alerts` +
    (hostAlerts.length ? ` (${[...new Set(hostAlerts.map((a) => `${a.host} as ${a.host_role}`))].slice(0, 5).join(', ')})` : ''),
  `- **Log lines** (classified.ndjson): ${classified.length} lines — ${[...byCategory].map(([c, n]) => `${c} ${n}`).join(', ')}; ${classified.filter((c) => c.review).length} flagged for review`,
  `- **Forecast** (forecast.csv): ${Math.max(0, forecast.length - 1)} forecast steps (timestamp,yhat,lower80,upper80,lower95,upper95); days to exhaustion on stderr above`,
  '',
  'The jobs’ gauges (what they would push to Pushgateway) are in outbox/; models and training_log.csv in models/.',
  '',
].join('\n');
await writeFile(out('SUMMARY.md'), summary);
console.log(summary);
console.log(`Outputs in ${outDir}`);
process.exitCode = failed > 0 ? 1 : 0;
