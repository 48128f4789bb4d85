import { describe, expect, it } from 'vitest';
import { driftGauges, macroF1, type Confusion } from './drift.ts';
import { metrics } from '@aiops/contracts';

const confusion = (rows: Record<string, Record<string, number>>): Confusion =>
  new Map(Object.entries(rows).map(([t, row]) => [t, new Map(Object.entries(row))]));

const gauge = (samples: ReturnType<typeof driftGauges>, name: string) => samples.find((s) => s.name === name)?.value;

describe('drift', () => {
  it('computes macro-F1 like scikit-learn, counting a class only predicted (never true) as F1 0', () => {
    // truth a: 8 right, 2 → b; truth b: 5 right; c predicted once for a true b.
    // F1(a) = 16/18, F1(b) = 10/(8+6)... computed: b precision 5/7, recall 5/6 → 2·5/(7+6) = 10/13; F1(c) = 0.
    const { macroF1: f1, total } = macroF1(confusion({ a: { a: 8, b: 2 }, b: { b: 5, c: 1 } }));
    expect(total).toBe(16);
    expect(f1).toBeCloseTo((16 / 18 + 10 / 13 + 0) / 3, 12);
  });

  it('recommends retraining only past a 5 % relative drop with enough reviewed lines', () => {
    const perfect = confusion({ a: { a: 30 } });
    expect(gauge(driftGauges(perfect, { baselineMacroF1: 0.9 }), metrics.logsRetrainRecommended.name)).toBe(0);
    const poor = confusion({ a: { a: 20, b: 10 }, b: { b: 5, a: 5 } });
    expect(gauge(driftGauges(poor, { baselineMacroF1: 0.9 }), metrics.logsRetrainRecommended.name)).toBe(1);
    const fewPoor = confusion({ a: { a: 5, b: 5 } });
    expect(gauge(driftGauges(fewPoor, { baselineMacroF1: 0.9 }), metrics.logsRetrainRecommended.name)).toBe(0);
  });
});
