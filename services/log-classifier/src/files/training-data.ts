/**
 * The labeled data a files-mode command trains on: by default the hand labels, the labeling guide and the Loghub
 * samples shipped in the repository (data/labels, data/loghub), the Linux-server lines of data/linux-logs and the
 * knowledge base of data/knowledge, so a fresh clone trains with nothing beside it.
 */
import { existsSync } from 'node:fs';
import { knowledgeFile, labelsDir, linuxLogsFile, loghubDir } from '@aiops/datasets';
import { loadExtraLabels, loadKnowledgeFile, loadLabeledLoghub, loadLabelingGuide, loadLinuxLogLines } from '@aiops/datasets/log-labels';
import { trainOptionsWithGuide, type LabeledLine, type TrainOptions } from '@aiops/log-classification';
import { UsageError } from '../commands/shared-options.ts';

export const defaultLabelsDir = labelsDir;
export const defaultLoghubDir = loghubDir;
export const defaultLinuxLogsFile = linuxLogsFile;
export const defaultKnowledgeFile = knowledgeFile;

/**
 * Loghub's labeled lines, the extra labels when given, and the Linux-server lines (`linuxLogs`: a lines.csv, or
 * false for none; default data/linux-logs/lines.csv).
 */
export function loadLabeled(labels: string, loghub: string, extra?: string, linuxLogs: string | false = defaultLinuxLogsFile()): LabeledLine[] {
  for (const [what, dir] of [['--labels', labels], ['--loghub', loghub]] as const) {
    if (!existsSync(dir)) throw new UsageError(`${what} ${dir}: no such directory`);
  }
  if (linuxLogs && !existsSync(linuxLogs)) throw new UsageError(`--linux-logs ${linuxLogs}: no such file`);
  // concat, not push(...): a spread of a few hundred thousand labeled lines overflows the call stack
  const lines = loadLabeledLoghub(labels, loghub).concat(linuxLogs ? loadLinuxLogLines(linuxLogs) : []);
  return extra ? lines.concat(loadExtraLabels(extra)) : lines;
}

/**
 * The default training options with the labeling guide of a labels folder (its README.md), when it has one, plus
 * its section of rules for Linux servers (LINUX_ADDITIONS_HEADING), and the knowledge base (`knowledge`: a
 * linux-kb.json, or false for none; default data/knowledge/linux-kb.json).
 */
export function trainOptionsFor(labels: string, base?: TrainOptions, knowledge: string | false = defaultKnowledgeFile()): TrainOptions {
  const options = trainOptionsWithGuide(loadLabelingGuide(labels, {}, true), base);
  if (knowledge && !existsSync(knowledge)) throw new UsageError(`--knowledge ${knowledge}: no such file`);
  return { ...options, knowledgeFile: knowledge ? loadKnowledgeFile(knowledge) : null };
}
