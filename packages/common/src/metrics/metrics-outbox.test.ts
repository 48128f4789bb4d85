import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidSnapshotError, MetricsOutbox, type MetricsSnapshot } from './metrics-outbox.ts';
import { SnapshotValidationError } from './snapshot.ts';
import { metrics } from '@aiops/contracts';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

const snapshot = (value: number, job = 'forecaster'): MetricsSnapshot => ({
  job,
  instance: 'ml-1',
  createdAt: new Date().toISOString(),
  samples: [{ name: metrics.capacityDaysToExhaustion.name, help: 'Days.', labels: { device: '/dev/sda1' }, value }],
});

let dir: string;
let outbox: MetricsOutbox;
let log: ReturnType<typeof capturingLogger>;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'outbox-test-')), 'outbox'); // not created yet: write() must create it
  log = capturingLogger();
  outbox = new MetricsOutbox(dir, { logger: log.logger });
});
afterEach(() => rm(join(dir, '..'), { recursive: true, force: true }));

describe('MetricsOutbox', () => {
  it('lists nothing for a folder that does not exist yet', async () => {
    await expect(outbox.list()).resolves.toEqual([]);
  });

  it('round-trips +Inf, -Inf and NaN through JSON (which cannot hold them) as exposition tokens', async () => {
    const path = await outbox.write({
      ...snapshot(Infinity),
      samples: [
        { name: 'a', help: 'a', labels: {}, value: Infinity },
        { name: 'b', help: 'b', labels: {}, value: -Infinity },
        { name: 'c', help: 'c', labels: {}, value: NaN },
        { name: 'd', help: 'd', labels: { x: 'y' }, value: -0.5 },
      ],
    });
    expect(await readFile(path, 'utf8')).toContain('"value":"+Inf"');
    const [entry] = await outbox.list();
    const back = await outbox.read(entry!);
    expect(back.samples.map((s) => s.value)).toEqual([Infinity, -Infinity, NaN, -0.5]);
    expect(back).toMatchObject({ job: 'forecaster', instance: 'ml-1' });
  });

  it('lists oldest first, even for many writes within the same millisecond', async () => {
    for (let i = 0; i < 50; i++) await outbox.write(snapshot(i, i % 2 ? 'job-b' : 'job/a'));
    const entries = await outbox.list();
    expect(entries).toHaveLength(50);
    const values = await Promise.all(entries.map(async (e) => (await outbox.read(e)).samples[0]!.value));
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(entries[0]!.job).toBe('job_a'); // sanitised for the file name; the content keeps 'job/a'
    expect(entries.every((e, i) => i === 0 || e.createdAtMs >= entries[i - 1]!.createdAtMs)).toBe(true);
  });

  it('ignores a .tmp left by a crash mid-write, foreign files and sub-folders', async () => {
    const kept = await outbox.write(snapshot(1));
    const name = kept.split('/').pop()!;
    const crashed = join(dir, name.replace(/^\d{15}/, '000000000000001')); // older than kept: would sort first
    await writeFile(`${crashed}.tmp`, '{"version":1,"job":"forec'); // truncated: the crash came before the rename
    await writeFile(join(dir, 'README.txt'), 'not a snapshot');
    await writeFile(join(dir, 'notes.json'), '{}');
    await mkdir(join(dir, 'rejected', name), { recursive: true }); // a folder with a snapshot-like name
    const entries = await outbox.list();
    expect(entries.map((e) => e.path)).toEqual([kept]);
    expect((await outbox.read(entries[0]!)).samples[0]!.value).toBe(1);
    // A successful write leaves no .tmp of its own.
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([`${crashed.split('/').pop()}.tmp`]);
  });

  it('leaves no file behind when a write is refused, and names the bad field', async () => {
    const bad = { ...snapshot(1), samples: [{ name: 'bad name', help: 'h', labels: {}, value: 1 }] };
    const err = await outbox.write(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SnapshotValidationError);
    expect((err as Error).message).toContain('samples.0.name');
    await expect(readdir(dir).catch(() => [])).resolves.toEqual([]);
  });

  it('moves an unparseable snapshot to rejected/ with the reason, logs file and field, and the queue moves on', async () => {
    const good = await outbox.write(snapshot(1));
    const base = good.split('/').pop()!.replace(/^\d{15}/, '000000000000001');
    await writeFile(join(dir, base), '{"version":1,"job":"x","instance":"i","createdAt":"yesterday","samples":[{"name":"m","help":"h","labels":{},"value":"lots"}]}');
    const [first, second] = await outbox.list();
    expect(first!.name).toBe(base);
    const err = await outbox.read(first!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidSnapshotError);
    const { issues, rejectedPath } = err as InvalidSnapshotError;
    expect(issues.some((i) => i.startsWith('createdAt:'))).toBe(true);
    expect(issues.some((i) => i.startsWith('samples.0.value:'))).toBe(true);
    expect(rejectedPath).toBe(join(dir, 'rejected', base));
    expect(await readFile(`${rejectedPath}.reason.txt`, 'utf8')).toContain('samples.0.value');
    const logged = log.lines.find((l) => l.level === 50)!;
    expect(logged.file).toBe(join(dir, base));
    expect(String(logged.msg)).toContain('samples.0.value');
    // The queue is not blocked: only the good snapshot is left, and it reads fine.
    expect((await outbox.list()).map((e) => e.name)).toEqual([second!.name]);
    await expect(outbox.read(second!)).resolves.toMatchObject({ job: 'forecaster' });
  });

  it('rejects a file that is not JSON at all', async () => {
    await outbox.write(snapshot(1));
    const [entry] = await outbox.list();
    await writeFile(entry!.path, 'garbage');
    await expect(outbox.read(entry!)).rejects.toThrow(/not JSON/);
    await expect(outbox.list()).resolves.toEqual([]);
  });

  it('removes idempotently', async () => {
    await outbox.write(snapshot(1));
    const [entry] = await outbox.list();
    await outbox.remove(entry!);
    await outbox.remove(entry!);
    await expect(outbox.list()).resolves.toEqual([]);
  });
});
