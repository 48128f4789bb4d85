import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { knowledgeFile, labelsDir, linuxLogsFile, loghubDir, shippedData } from '@aiops/datasets';
import { loadKnowledgeFile, loadLabeledLoghub, loadLinuxLogLines } from '@aiops/datasets/log-labels';
import { ALL_KNOWLEDGE, DEFAULT_TRAIN_OPTIONS, FastRows, LogClassifier, NO_KNOWLEDGE, PROGRAM_FEATURE, trainModel, type TrainOptions } from '@aiops/log-classification';
import { buildRows, toCsv } from '../../scripts/linux-logs/build-dataset.ts';

const TEST_CLOCK = { now: new Date('2026-01-02T03:04:05Z'), monotonicMs: () => 0 };

describe('the shipped Linux-server lines (data/linux-logs)', () => {
  const lines = loadLinuxLogLines(linuxLogsFile());
  const sources = JSON.parse(readFileSync(shippedData('linux-logs', 'sources.json'), 'utf8')) as { sources: { id: string; repo: string; licence: string; files: unknown[] }[] };

  it('come from at least ten public sources, each with its repository and licence on record', () => {
    const ids = new Set(lines.map((l) => l.source));
    expect(ids.size).toBeGreaterThanOrEqual(10);
    for (const id of ids) {
      const source = sources.sources.find((s) => s.id === id);
      expect(source, id).toBeDefined();
      expect(source!.repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(source!.licence.length).toBeGreaterThan(0);
    }
    expect(new Set(lines.map((l) => l.label))).toEqual(new Set(['critical', 'warning', 'informational', 'noise']));
  });

  it('are what the raw excerpts, the labeling rules and the hand overrides give (lines.csv is reproducible)', () => {
    expect(toCsv(buildRows().rows)).toBe(readFileSync(linuxLogsFile(), 'utf8'));
  });
});

describe('the Linux knowledge in a trained model', () => {
  const linux = loadLinuxLogLines(linuxLogsFile());
  const openssh = loadLabeledLoghub(labelsDir(), loghubDir()).filter((l) => l.system === 'OpenSSH');
  // Every part on (the default leaves logcheck off): the fast/CSR parity must hold for all of them.
  const options: TrainOptions = {
    ...DEFAULT_TRAIN_OPTIONS,
    features: { ...DEFAULT_TRAIN_OPTIONS.features, knowledge: ALL_KNOWLEDGE },
    knowledgeFile: loadKnowledgeFile(knowledgeFile()),
    calibrate: false,
    tuneClassBias: false,
    tuneCriticalThreshold: false,
  };
  const { model } = trainModel([...linux, ...openssh], options, TEST_CLOCK);
  const classifier = new LogClassifier(model);

  it('names the family or filter that decides, with the rules\' training precision as confidence', () => {
    expect(model.knowledge?.matchedMessages).toBeGreaterThan(50);
    const oom = classifier.classifyLine('Jun  4 17:19:10 iZ23tp kernel: Out of memory: Killed process 4242 (java) total-vm:4kB, anon-rss:1kB');
    expect(oom).toMatchObject({ category: 'critical', rule: 'kernel:oom', confidence: model.knowledge!.precision });
    const unit = classifier.classifyLine('Mar  1 10:00:00 web1 systemd[1]: Failed to start The Apache HTTP Server.');
    expect(unit).toMatchObject({ category: 'critical', rule: 'systemd:unit-failed' });
    const ssh = classifier.classifyLine('Mar  1 10:00:00 web1 sshd[77]: Failed password for invalid user oracle from 203.0.113.9 port 4242 ssh2');
    expect(ssh).toMatchObject({ category: 'warning' });
    expect((ssh as { rule?: string }).rule).toMatch(/^(fail2ban:filter\.d\/sshd|guide:W1)$/);
  });

  it('featurizes the same row on the fast path as on the CSR path, logcheck and program features included', () => {
    const fast = new FastRows(classifier.features, classifier.rules, classifier.classes);
    const lcColumns = ['__lc_ignore__', '__lc_unknown__', ...(PROGRAM_FEATURE ? ['__prog_sshd__', '__prog_kern__'] : [])].map((t) => classifier.features.word.column(t));
    expect(lcColumns.every((c) => c !== undefined)).toBe(true);
    let withKnowledgeFeature = 0;
    for (const line of linux) {
      const slow = classifier.features.transformAnalyzed([classifier.features.analyze(line.message)]);
      const row = fast.featurize(line.message, undefined);
      expect(Array.from(row.cols.subarray(0, row.nnz)), line.message).toEqual(Array.from(slow.indices));
      for (let p = 0; p < row.nnz; p++) expect(row.values[p]).toBeCloseTo(slow.data[p]!, 12);
      if (Array.from(row.cols.subarray(0, row.nnz)).some((c) => lcColumns.includes(c))) withKnowledgeFeature++;
      const rule = classifier.features.analyze(line.message).knowledgeRule;
      if (rule) expect(row.rule?.rule).toBe(rule.rule);
    }
    expect(withKnowledgeFeature).toBeGreaterThan(linux.length / 2);
  }, 60_000);

  it('decides a batch as it decides line by line, rules included', () => {
    const probe = linux.filter((_, i) => i % 3 === 0);
    const batch = classifier.decideAll(probe.map((l) => l.message));
    probe.forEach((l, i) => {
      const one = classifier.classifyLine(l.message);
      if ('rejected' in one) throw new Error(`rejected: ${l.message}`);
      expect(classifier.classes[batch.chosen[i]!]).toBe(one.category);
      expect(batch.rules[i]?.rule).toBe(one.rule);
    });
  });

  it('is absent from a model trained without it', () => {
    const plain = trainModel(openssh, { ...options, features: { ...options.features, knowledge: NO_KNOWLEDGE } }, TEST_CLOCK).model;
    expect(plain.knowledge).toBeNull();
    const result = new LogClassifier(plain).classifyLine('kernel: Out of memory: Killed process 4242 (java)');
    expect((result as { rule?: string }).rule ?? null).not.toBe('kernel:oom');
  });
});
