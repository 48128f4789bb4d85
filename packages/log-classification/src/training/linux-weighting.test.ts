import { describe, expect, it } from 'vitest';
import type { LabeledLine } from './dataset.ts';
import { buildDocuments, DEFAULT_TRAIN_OPTIONS } from './train.ts';

// One Loghub noise template of two lines, ten noise lines of Linux source A, one of source B (each its own template).
const lines: LabeledLine[] = [
  { system: 'Syn', template: 'Syn/noise0', message: 'heartbeat ok seq alpha', label: 'noise' },
  { system: 'Syn', template: 'Syn/noise0', message: 'heartbeat ok seq beta', label: 'noise' },
  ...Array.from({ length: 10 }, (_, n) => ({ system: 'linux/a', template: `linux/a/${n}`, message: `dump frame ${'abcdefghij'[n]} plus`, label: 'noise' as const })),
  { system: 'linux/b', template: 'linux/b/0', message: 'ntp offset small', label: 'noise' },
  { system: 'Syn', template: 'Syn/warning0', message: 'connection reset by peer', label: 'warning' },
];
const base = { ...DEFAULT_TRAIN_OPTIONS, severityDropout: false, linuxTemplateWeight: 4 };
const templateWeight = (docs: { template: string; weight: number }[], template: string) => docs.filter((d) => d.template === template).reduce((a, d) => a + d.weight, 0);

describe('Linux-server lines in the template weighting', () => {
  it('weigh linuxTemplateWeight Loghub templates each without a group cap', () => {
    const docs = buildDocuments(lines, { ...base, linuxGroupCap: 0 });
    const loghub = templateWeight(docs, 'Syn/noise0');
    expect(templateWeight(docs, 'linux/a/3') / loghub).toBeCloseTo(4, 9);
    expect(templateWeight(docs, 'linux/b/0') / loghub).toBeCloseTo(4, 9);
  });

  it('share cap × linuxTemplateWeight units per (source, class) beyond linuxGroupCap lines', () => {
    const docs = buildDocuments(lines, { ...base, linuxGroupCap: 2 });
    const loghub = templateWeight(docs, 'Syn/noise0');
    // Source a: 10 lines share 2 × 4 units; source b's single line keeps its 4.
    expect(templateWeight(docs, 'linux/a/3') / loghub).toBeCloseTo(0.8, 9);
    expect(templateWeight(docs, 'linux/b/0') / loghub).toBeCloseTo(4, 9);
    // The class still weighs the same in total as the other class.
    const total = (label: string) => docs.filter((d) => d.label === label).reduce((a, d) => a + d.weight, 0);
    expect(total('noise')).toBeCloseTo(total('warning'), 9);
  });
});
