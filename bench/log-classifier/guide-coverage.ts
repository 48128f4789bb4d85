/**
 * How much of Loghub the labeling guide's rules reach, on the labeled templates and on the ~30 % that the labels
 * leave out (kept aside by the data's authors to evaluate on unseen templates): the share of templates and of lines
 * a guide rule (model/guide-rules.ts, phrases of ≥ 2 words) decides, and on the labeled ones how often the rule's
 * class is the label. If the guide reaches both sets alike, the held-out scores of the default (guide on) stand for
 * the unlabeled templates too; where it does not reach, the "filtered" figures of docs/evaluation/logs.md apply.
 *
 *   pnpm exec tsx bench/log-classifier/guide-coverage.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GuideRules } from '@aiops/log-classification';
import { columns, parseCsv } from '@aiops/log-classification';
import { externalData, labelsDir } from '@aiops/datasets';
import { loadLabelingGuide, loadTemplateLabels } from '@aiops/datasets/log-labels';
import { maskedTokenizer } from '@aiops/log-classification';
import { compileGuidePatterns } from '@aiops/log-classification';
import { DEFAULT_TRAIN_OPTIONS } from '@aiops/log-classification';

const classes = ['critical', 'warning', 'informational', 'noise'];
const tokenize = maskedTokenizer(DEFAULT_TRAIN_OPTIONS.features);
const rules = new GuideRules({ patterns: compileGuidePatterns(loadLabelingGuide(labelsDir())!, tokenize), precision: 1, matchedMessages: 0 }, classes);
const labels = loadTemplateLabels(labelsDir());

type Tally = { templates: number; templatesRuled: number; lines: number; linesRuled: number; agree: number; ruledWithLabel: number };
const tally = (): Tally => ({ templates: 0, templatesRuled: 0, lines: 0, linesRuled: 0, agree: 0, ruledWithLabel: 0 });
const labeled = tally();
const unlabeled = tally();
for (const system of labels.keys()) {
  const file = join(externalData('loghub'), system, `${system}_2k.log_structured.csv`);
  const table = parseCsv(readFileSync(file, 'utf8'), file);
  const col = columns(table, file, ['EventId', 'Content']);
  const ruledTemplates = new Map<string, boolean>(); // EventId → some line of it is decided by a rule
  for (const row of table.rows) {
    const eventId = row.values[col.EventId]!;
    const label = labels.get(system)!.get(eventId);
    const t = label ? labeled : unlabeled;
    const rule = rules.matchTokens(tokenize(row.values[col.Content]!));
    t.lines++;
    if (rule) t.linesRuled++;
    if (!ruledTemplates.has(eventId)) t.templates++;
    if (rule && !ruledTemplates.get(eventId)) t.templatesRuled++;
    ruledTemplates.set(eventId, Boolean(rule) || ruledTemplates.get(eventId) === true);
    if (rule && label) {
      t.ruledWithLabel++;
      if (classes[rule.label] === label) t.agree++;
    }
  }
}
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
console.log(`${readdirSync(labelsDir()).length - 1} label files; guide rules from labels/README.md`);
console.log('| templates | templates a rule decides (any of their lines) | lines a rule decides | rule class = label (lines) |');
console.log('|---|---|---|---|');
console.log(`| labeled (${labeled.templates}, ${labeled.lines} lines) | ${pct(labeled.templatesRuled, labeled.templates)} | ${pct(labeled.linesRuled, labeled.lines)} | ${pct(labeled.agree, labeled.ruledWithLabel)} |`);
console.log(`| not labeled (${unlabeled.templates}, ${unlabeled.lines} lines) | ${pct(unlabeled.templatesRuled, unlabeled.templates)} | ${pct(unlabeled.linesRuled, unlabeled.lines)} | – |`);
