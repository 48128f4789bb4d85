/**
 * The labeled data a files-mode command trains on: by default the hand labels, the labeling guide and the Loghub
 * samples shipped in the repository (data/labels, data/loghub), so a fresh clone trains with nothing beside it.
 */
import { existsSync } from 'node:fs';
import { labelsDir, loghubDir } from '@aiops/datasets';
import { loadExtraLabels, loadLabeledLoghub, loadLabelingGuide } from '@aiops/datasets/log-labels';
import { trainOptionsWithGuide, type LabeledLine, type TrainOptions } from '@aiops/log-classification';
import { UsageError } from '../commands/shared-options.ts';

export const defaultLabelsDir = labelsDir;
export const defaultLoghubDir = loghubDir;

export function loadLabeled(labels: string, loghub: string, extra?: string): LabeledLine[] {
  for (const [what, dir] of [['--labels', labels], ['--loghub', loghub]] as const) {
    if (!existsSync(dir)) throw new UsageError(`${what} ${dir}: no such directory`);
  }
  const lines = loadLabeledLoghub(labels, loghub);
  return extra ? [...lines, ...loadExtraLabels(extra)] : lines;
}

/** The default training options with the labeling guide of a labels folder (its README.md), when it has one. */
export function trainOptionsFor(labels: string, base?: TrainOptions): TrainOptions {
  return trainOptionsWithGuide(loadLabelingGuide(labels), base);
}
