/** The 50 real hourly series of `pnpm bench forecast` (Bitbrains VMs: 9 VMs × 4 metrics × 2 windows, the first 50). */
import { resample } from '@aiops/ml';
import type { BenchSeries } from './prophet-job.ts';
import { bitbrains, type Kind } from './real-series.ts';

const DAY = 86_400;

/** 21 days of hourly means to fit, the next 7 days' hours to predict. */
export function benchSeries(vm: string, kind: Kind, offsetDays: number): BenchSeries {
  const s = bitbrains(vm, kind).series;
  const grid = resample(s.timestamps, s.values as number[], 3600);
  const from = Math.round((offsetDays * DAY) / 3600);
  const ds: number[] = [];
  const y: number[] = [];
  for (let i = from; i < from + 21 * 24; i++) {
    const v = grid.values[i];
    if (v !== null && v !== undefined) {
      ds.push(grid.start + i * 3600);
      y.push(v);
    }
  }
  const end = grid.start + (from + 21 * 24) * 3600;
  return { name: `bitbrains-${vm}-${kind}@day${offsetDays}`, ds, y, future: Array.from({ length: 7 * 24 }, (_, h) => end + h * 3600) };
}

const VMS = ['333', '270', '488', '231', '303', '304', '338', '6', '269'];
const KINDS: Kind[] = ['cpu', 'memory', 'disk', 'network'];
export const fifty: BenchSeries[] = [0, 35]
  .flatMap((offset) => VMS.flatMap((vm) => KINDS.map((kind) => benchSeries(vm, kind, offset))))
  .slice(0, 50);

