/**
 * One side of `pnpm bench zeek-parse`, in its own process: reads a file REPEATS times with our reader and prints
 * one JSON line {runs: [{wallSeconds, cpuSeconds}], records, rejects, checksum}. Modes: `conn` (lines →
 * ConnRecord, the fast typed path) and `generic` (lines → field-name → typed-value records).
 */
import { readConnLogBatches, readZeekLogBatches } from '@aiops/zeek';

const [mode = 'conn', path = '', repeatsArg = '3'] = process.argv.slice(2);
const runs: { wallSeconds: number; cpuSeconds: number }[] = [];
let records = 0;
let rejects = 0;
let checksum = 0;

for (let r = 0; r < Number(repeatsArg); r++) {
  records = 0;
  rejects = 0;
  checksum = 0;
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  const onReject = () => rejects++;
  if (mode === 'conn' || mode === 'conn-general') {
    const options = { onReject, chunkBytes: Number(process.env.ZEEK_BENCH_CHUNK ?? 64 * 1024), scan: mode === 'conn' };
    for await (const batch of readConnLogBatches(path, options)) {
      records += batch.length;
      // Touch the typed members so nothing is optimised away.
      for (const c of batch) checksum += (c.origBytes ?? 0) + (c.respPort ?? 0) + c.ts * 0 + c.uid.length;
    }
  } else {
    for await (const batch of readZeekLogBatches(path, { onReject })) {
      records += batch.length;
      for (const rec of batch) checksum += Object.keys(rec.values).length;
    }
  }
  const cpu = process.cpuUsage(cpu0);
  runs.push({ wallSeconds: (performance.now() - wall0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
}
console.log(JSON.stringify({ runs, records, rejects, checksum }));
