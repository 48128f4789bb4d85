import { describe, expect, it } from 'vitest';
import type { ConnRecord } from '@aiops/zeek';
import { baselineLiveSplit, mixture, mixtureSplit, scoredRecords } from './protocols.ts';

const row = (ts: number, label: string): ConnRecord => ({
  ts,
  uid: `C${ts}${label[0]}`,
  origHost: label === 'Malicious' ? '6.6.6.6' : '10.0.0.1',
  origPort: 1,
  respHost: '10.0.0.2',
  respPort: 443,
  proto: 'tcp',
  service: null,
  duration: null,
  origBytes: null,
  respBytes: null,
  connState: 'SF',
  origPkts: null,
  origIpBytes: null,
  respPkts: null,
  respIpBytes: null,
  label,
  detailedLabel: null,
});

// 95 Benign rows at t = 0..94, 100 Malicious at t = 0.5..99.5, 5 Background.
const capture = [
  ...Array.from({ length: 95 }, (_, i) => row(i, 'Benign')),
  ...Array.from({ length: 100 }, (_, i) => row(i + 0.5, 'Malicious')),
  ...Array.from({ length: 5 }, (_, i) => row(i + 0.25, 'Background')),
];

describe('evaluation protocols', () => {
  it('mixture: every Benign row plus the share of Malicious ones, seeded, Background dropped, in ts order', () => {
    const mix = mixture(capture, 0.05, 3);
    expect(mix.filter((r) => r.label === 'Benign')).toHaveLength(95);
    expect(mix.filter((r) => r.label === 'Malicious')).toHaveLength(5);
    expect(mix.some((r) => r.label === 'Background')).toBe(false);
    expect(mix.every((r, i) => i === 0 || mix[i - 1]!.ts <= r.ts)).toBe(true);
    expect(mixture(capture, 0.05, 3)).toEqual(mix);
    expect(mixture(capture, 0.05, 4)).not.toEqual(mix);
    expect(() => mixture(capture, 1, 0)).toThrow(/share/);
  });

  it('mixture split: unlabeled history before the Benign median time, scored after', () => {
    const { train, score } = mixtureSplit(capture, 0.05, 3);
    expect(Math.max(...train.map((r) => r.ts))).toBeLessThan(47);
    expect(Math.min(...score.map((r) => r.ts))).toBeGreaterThanOrEqual(47);
    expect(train.length + score.length).toBe(100);
  });

  it('baseline-live: trains on Benign rows before the 60 % time only, scores everything after', () => {
    const { train, score } = baselineLiveSplit(capture);
    expect(train.every((r) => r.label === 'Benign' && r.ts < 57)).toBe(true);
    expect(train).toHaveLength(57);
    expect(score.every((r) => r.ts >= 57)).toBe(true);
    expect(score.filter((r) => r.label === 'Malicious')).toHaveLength(43);
    expect(() => baselineLiveSplit(capture.slice(0, 5))).toThrow(/at least 10/);
  });

  it('hands the scorer the capture\'s last contextSeconds before the cut as context, every label, never a scored row', () => {
    const live = baselineLiveSplit(capture, 0.6, 10);
    // the capture as it happened: baseline-live's training part drops the attacks, its context keeps them
    const before = capture.filter((r) => r.ts >= 47 && r.ts < 57).sort((a, b) => a.ts - b.ts);
    expect(live.context).toEqual(before);
    expect(new Set(live.context.map((r) => r.label))).toEqual(new Set(['Benign', 'Malicious']));
    expect(live.context.filter((r) => r.label === 'Benign')).toEqual(live.train.filter((r) => r.ts >= 47));
    const scored = scoredRecords(live);
    expect(scored.records.slice(scored.reportFrom)).toEqual(live.score);
    expect(scored.records.slice(0, scored.reportFrom)).toEqual(live.context);
    const mix = mixtureSplit(capture, 0.05, 3, 5);
    expect(mix.context.every((r) => mix.train.includes(r) && r.ts >= Math.min(...mix.score.map((x) => x.ts)) - 5)).toBe(true);
    expect(mix.context.length).toBeGreaterThan(0);
  });
});
