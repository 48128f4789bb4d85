/**
 * The default training data and options of `train` (services/log-classifier/src/files/training-data.ts), for the
 * benches: Loghub's hand-labeled lines, the labeling guide, the Linux-server lines of data/linux-logs and the
 * knowledge base of data/knowledge. The Loghub template splits train on split.train plus every Linux-server line
 * (they are never in a Loghub test set); leave-one-source-out (loso.ts) holds Linux sources out instead.
 * KNOWLEDGE=default|none|all|<parts> (comma-separated: header, families, fail2ban, logcheck) picks the knowledge parts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { externalData, knowledgeFile, labelsDir, linuxLogsFile, loghubDir } from '@aiops/datasets';
import { loadKnowledgeFile, loadLabeledLoghub, loadLabelingGuide, loadLinuxLogLines } from '@aiops/datasets/log-labels';
import { ALL_KNOWLEDGE, DEFAULT_TRAIN_OPTIONS, NO_KNOWLEDGE, trainOptionsWithGuide, type KnowledgeParts, type LabeledLine, type SourcedLine, type TrainOptions } from '@aiops/log-classification';

export const loghubLines = (): LabeledLine[] => loadLabeledLoghub(labelsDir(), loghubDir());
export const linuxLines = (): SourcedLine[] => loadLinuxLogLines(linuxLogsFile());

/** The knowledge parts of KNOWLEDGE (default: the default model's, DEFAULT_FEATURES.knowledge). */
export function knowledgeParts(spec = process.env.KNOWLEDGE ?? 'default'): KnowledgeParts {
  if (spec === 'default') return DEFAULT_TRAIN_OPTIONS.features.knowledge ?? NO_KNOWLEDGE;
  if (spec === 'all') return ALL_KNOWLEDGE;
  if (spec === 'none') return NO_KNOWLEDGE;
  const parts = spec.split(',');
  const unknown = parts.filter((p) => !(p in NO_KNOWLEDGE));
  if (unknown.length) throw new Error(`KNOWLEDGE=${spec}: unknown part ${unknown.join(', ')}; parts: ${Object.keys(NO_KNOWLEDGE).join(', ')}, or all, none`);
  return Object.fromEntries(Object.keys(NO_KNOWLEDGE).map((k) => [k, parts.includes(k)])) as unknown as KnowledgeParts;
}

/** `train`'s default options (guide and its Linux additions, knowledge base), with the knowledge parts of KNOWLEDGE. */
export function defaultOptions(base: TrainOptions = DEFAULT_TRAIN_OPTIONS, parts = knowledgeParts(), additions = true): TrainOptions {
  const options = trainOptionsWithGuide(loadLabelingGuide(labelsDir(), {}, additions), base);
  return { ...options, features: { ...options.features, knowledge: parts }, knowledgeFile: loadKnowledgeFile(knowledgeFile()) };
}

/**
 * `count` raw lines of every Loghub system (the full Loghub sample under AIOPS_DATA_DIR), interleaved so that
 * consecutive lines come from different systems: the speed benches' input.
 */
export function interleavedLoghubLines(count: number): string[] {
  const loghub = externalData('loghub');
  const perSystem = readdirSync(loghub)
    .sort()
    .flatMap((system) => {
      try {
        return [readFileSync(join(loghub, system, `${system}_2k.log`), 'utf8').split('\n').filter((l) => l.length > 0)];
      } catch {
        return [];
      }
    });
  const stream: string[] = [];
  for (let i = 0; stream.length < count; i++) for (const system of perSystem) if (i < system.length && stream.length < count) stream.push(system[i]!);
  return stream;
}
