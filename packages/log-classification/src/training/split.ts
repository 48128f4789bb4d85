/**
 * Splits by template, never by line: the lines of one template are near-duplicates, and a template on both sides
 * would let the model recall instead of generalize. Stratified by label, seeded, reproducible.
 */
import { mulberry32 } from '@aiops/ml';
import { isLinuxServerTemplate } from './linux-logs.ts';

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Template → label, from items carrying both. */
export function templateLabels<T extends { template: string; label: string }>(items: readonly T[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const item of items) map.set(item.template, item.label);
  return map;
}

/** Held-out templates: round(fraction × n) of each label's templates (at least one when a label has two or more). */
export function stratifiedTemplateSplit(labels: Map<string, string>, testFraction: number, seed: number): Set<string> {
  const byLabel = new Map<string, string[]>();
  for (const [template, label] of [...labels].sort(([a], [b]) => (a < b ? -1 : 1))) {
    byLabel.set(label, [...(byLabel.get(label) ?? []), template]);
  }
  const random = mulberry32(seed);
  const test = new Set<string>();
  for (const label of [...byLabel.keys()].sort()) {
    const templates = byLabel.get(label)!;
    const count = templates.length < 2 ? 0 : Math.max(1, Math.round(templates.length * testFraction));
    for (const t of shuffled(templates, random).slice(0, count)) test.add(t);
  }
  return test;
}

/**
 * The evaluation split of `train` and of the benches' Loghub template splits: `testFraction` of the hand-labeled
 * (Loghub) templates held out, every Linux-server line in training. Those lines are their own templates and are
 * measured by leave one source out instead (bench/log-classifier/loso.ts); holding a fifth of them out of the
 * shipped model would cost it a fifth of the target domain and report a figure no bench reports.
 */
export function loghubTemplateSplit<T extends { template: string; label: string }>(lines: readonly T[], testFraction: number, seed: number): { heldOut: Set<string>; train: T[]; test: T[] } {
  const heldOut = stratifiedTemplateSplit(templateLabels(lines.filter((l) => !isLinuxServerTemplate(l.template))), testFraction, seed);
  return { heldOut, train: lines.filter((l) => !heldOut.has(l.template)), test: lines.filter((l) => heldOut.has(l.template)) };
}

/** k folds of templates, each stratified by label (template i of a label goes to fold i mod k after a shuffle). */
export function stratifiedTemplateFolds(labels: Map<string, string>, k: number, seed: number): Map<string, number> {
  const byLabel = new Map<string, string[]>();
  for (const [template, label] of [...labels].sort(([a], [b]) => (a < b ? -1 : 1))) {
    byLabel.set(label, [...(byLabel.get(label) ?? []), template]);
  }
  const random = mulberry32(seed);
  const fold = new Map<string, number>();
  let offset = 0;
  for (const label of [...byLabel.keys()].sort()) {
    shuffled(byLabel.get(label)!, random).forEach((t, i) => fold.set(t, (i + offset) % k));
    offset += byLabel.get(label)!.length; // rotate so small classes do not all start in fold 0
  }
  return fold;
}
